import { ConfigError } from '@wharf/core';
import { BARE, parseBoolean } from './coerce.js';
import { traefikOnlyNotice, unknownOption, type Assignment, type LoadReport, type Origin } from './origin.js';
import { resolveSegments, type Target } from './resolve.js';
import { isSwitchable, type SectionNode } from './schema-tree.js';
import { isTraefikOnlyOption } from './traefik-options.js';

/** Flags the CLI itself handles; they are not configuration options. */
const CONFIG_FILE_FLAG = 'configfile';
const HELP_FLAGS = new Set(['help', 'h']);

interface Flag {
  readonly name: string;
  readonly inline: string | undefined;
  readonly index: number;
}

function parseFlag(arg: string, index: number): Flag | undefined {
  const match = /^--?([^=]*)(?:=(.*))?$/s.exec(arg);
  if (!match || arg === '-' || arg === '--') return undefined;
  return { name: match[1], inline: match[2], index };
}

/** Whether the next word is this flag's value or a word of its own. */
function takesNextWord(target: Target, next: string | undefined): boolean {
  if (next === undefined) return false;
  const node = target.node;
  const switchLike = (node.kind === 'leaf' && node.spec.format === Boolean && target.rest.length === 0)
    || isSwitchable(node) || (node.kind === 'section' && node.presence === true);
  // `--api.insecure true` takes the word, `--api.insecure --ping` does not.
  if (switchLike) return parseBoolean(next) !== undefined && next !== '1' && next !== '0';
  return !next.startsWith('-') || /^-\d/.test(next);
}

/** The value of `--configFile` (any case), if given. */
export function configFileFlag(argv: readonly string[]): string | undefined {
  let found: string | undefined;
  argv.forEach((arg, i) => {
    const flag = parseFlag(arg, i);
    if (flag?.name.toLowerCase() === CONFIG_FILE_FLAG) found = flag.inline ?? argv[i + 1];
  });
  return found;
}

/**
 * Reads `--a.b.c=value`, `--a.b.c value` and bare `--a.b.c` flags. Names are resolved against the
 * schema first, because only the schema says whether `--api.insecure check` means
 * `insecure=check` or a bare boolean followed by a word. Positional words are errors: the CLI
 * removes its sub-command before calling the loader. A Traefik option Wharf does not implement
 * becomes a notice; every error is kept in `report` and reading goes on.
 */
export function readFlags(argv: readonly string[], root: SectionNode, report: LoadReport): Assignment[] {
  const assignments: Assignment[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const flag = parseFlag(arg, i);
    if (!flag) {
      report.errors.push(new ConfigError('', `Unexpected argument ${JSON.stringify(arg)}: options are written --name=value`, { source: `argument ${arg}`, code: 'CONFIG_UNKNOWN_KEY' }));
      continue;
    }
    const lower = flag.name.toLowerCase();
    if (lower === CONFIG_FILE_FLAG) {
      if (flag.inline === undefined) i++;
      continue;
    }
    if (HELP_FLAGS.has(lower)) continue;
    const origin: Origin = { kind: 'flag', label: `flag ${arg.startsWith('--') ? '--' : '-'}${flag.name}` };
    // The value of an option that is not read (`--tracing.otlp.grpc.endpoint host:4317`) is not an argument of its own.
    const skipValue = (): void => {
      const next = argv[i + 1];
      if (flag.inline === undefined && next !== undefined && !next.startsWith('-')) i++;
    };
    if (!arg.startsWith('--')) {
      report.errors.push(unknownOption([flag.name], origin));
      continue;
    }
    const segments = flag.name.split('.');
    const resolution = resolveSegments(root, segments);
    if (!resolution.ok) {
      if (resolution.reason === 'unknown' && isTraefikOnlyOption(segments)) report.notice(traefikOnlyNotice(segments, origin));
      else report.errors.push(unknownOption(resolution.path, origin, resolution.suggestion, resolution.reason === 'not-a-section'));
      skipValue();
      continue;
    }
    let raw: unknown = flag.inline;
    if (raw === undefined) {
      raw = takesNextWord(resolution.target, argv[i + 1]) ? argv[++i] : BARE;
    }
    assignments.push({ target: resolution.target, raw, origin });
  }
  return assignments;
}
