import { unknownOption, type Assignment, type Origin } from './origin.js';
import { resolveEnvTokens, type KnownMapKeys } from './resolve.js';
import type { SectionNode } from './schema-tree.js';

const PREFIX = 'WHARF_';
const CONFIG_FILE = 'WHARF_CONFIGFILE';

/** `WHARF_CONFIGFILE`, in any case. */
export function configFileEnv(env: NodeJS.ProcessEnv): string | undefined {
  const name = Object.keys(env).find((k) => k.toUpperCase() === CONFIG_FILE);
  return name === undefined ? undefined : env[name];
}

/**
 * Reads every `WHARF_*` variable as an option (`WHARF_ENTRYPOINTS_WEB_ADDRESS=:80`). A variable
 * that names no option is an error, like an unknown flag: a misspelt variable would otherwise be
 * ignored without a word.
 */
export function readEnv(env: NodeJS.ProcessEnv, root: SectionNode, known: KnownMapKeys): Assignment[] {
  const assignments: Assignment[] = [];
  for (const name of Object.keys(env).sort()) {
    const upper = name.toUpperCase();
    const value = env[name];
    if (!upper.startsWith(PREFIX) || upper === CONFIG_FILE || value === undefined) continue;
    const origin: Origin = { kind: 'env', label: `env ${name}` };
    const tokens = upper.slice(PREFIX.length).split('_');
    const resolution = resolveEnvTokens(root, tokens, known);
    if (!resolution.ok) throw unknownOption(resolution.path, origin, resolution.suggestion);
    assignments.push({ target: resolution.target, raw: value, origin });
  }
  return assignments;
}
