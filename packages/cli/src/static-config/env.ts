import { parseBoolean } from './coerce.js';
import { traefikOnlyNotice, unknownOption, type Assignment, type LoadReport, type Origin } from './origin.js';
import { resolveEnvTokens, suggestEnv, type KnownMapKeys } from './resolve.js';
import type { SectionNode } from './schema-tree.js';
import { traefikOnlyEnvPath } from './traefik-options.js';

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
 * ignored without a word. One that names a Traefik option Wharf does not implement is a notice.
 */
export function readEnv(env: NodeJS.ProcessEnv, root: SectionNode, known: KnownMapKeys, report: LoadReport): Assignment[] {
  const assignments: Assignment[] = [];
  for (const name of Object.keys(env).sort()) {
    const upper = name.toUpperCase();
    const value = env[name];
    if (!upper.startsWith(PREFIX) || upper === CONFIG_FILE || value === undefined) continue;
    const origin: Origin = { kind: 'env', label: `env ${name}` };
    const tokens = upper.slice(PREFIX.length).split('_');
    const resolution = resolveEnvTokens(root, tokens, known);
    if (resolution.ok && !switchesSection(resolution.target.node.kind, value)) {
      assignments.push({ target: resolution.target, raw: value, origin });
      continue;
    }
    const traefik = traefikOnlyEnvPath(tokens);
    if (traefik) {
      report.notice(traefikOnlyNotice(traefik, origin));
      continue;
    }
    // A value that is no boolean cannot switch a section on: `WHARF_PROVIDERS_ECS_REGON=us-east-1`
    // is a misspelt option, not a provider called `ecs_regon`.
    const suggestion = resolution.ok ? suggestEnv(root, tokens, known) : resolution.suggestion;
    const path = resolution.ok ? tokens.map((t) => t.toLowerCase()) : resolution.path;
    report.errors.push(unknownOption(path, origin, suggestion));
  }
  return assignments;
}

/** True when a variable reads as a section (`WHARF_API`) but its value cannot switch one. */
function switchesSection(kind: string, value: string): boolean {
  return kind === 'section' && value.trim() !== '' && parseBoolean(value) === undefined;
}
