import { readFile, stat } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { ConfigError, errorMessage } from '@wharf/core';
import { parse as parseToml, TomlError } from 'smol-toml';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { BARE } from './coerce.js';
import { traefikOnlyNotice, unknownOption, type Assignment, type LoadReport, type Origin } from './origin.js';
import { resolveSegments } from './resolve.js';
import { isPlainObject, type SectionNode } from './schema-tree.js';
import { isTraefikOnlyOption } from './traefik-options.js';

/** Looked up, in this order, when no file is named. Traefik also searches its own config dirs. */
const DEFAULT_NAMES = ['wharf.yml', 'wharf.yaml', 'wharf.toml', 'wharf.json'];
const DEFAULT_DIRS = (cwd: string): string[] => [cwd, '/etc/wharf'];

type Parser = (text: string) => unknown;

const PARSERS: Readonly<Record<string, { name: string; parse: Parser }>> = {
  '.yml': { name: 'YAML', parse: (text) => parseYaml(text) },
  '.yaml': { name: 'YAML', parse: (text) => parseYaml(text) },
  '.toml': { name: 'TOML', parse: parseToml },
  '.json': { name: 'JSON', parse: parseJson },
};

/** A JSON syntax error located by line and column, for the message. */
class JsonPositionError extends SyntaxError {
  constructor(message: string, readonly line: number, readonly column: number) {
    super(message);
  }
}

/**
 * Node's JSON.parse reports a character offset at best, and only in its message; YAML (a JSON
 * superset) locates most mistakes itself, and the offset covers what YAML tolerates.
 */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    parseYaml(text);
    const offset = /at position (\d+)/.exec(errorMessage(err));
    if (!offset) throw err;
    const before = text.slice(0, Number(offset[1])).split('\n');
    throw new JsonPositionError(errorMessage(err), before.length, before[before.length - 1].length + 1);
  }
}

function fileError(path: string, message: string, cause?: unknown): ConfigError {
  return new ConfigError('configFile', message, { source: `file ${path}`, code: 'CONFIG_FILE', cause });
}

function location(err: unknown): string {
  if (err instanceof YAMLParseError && err.linePos) return ` at line ${err.linePos[0].line}, column ${err.linePos[0].col}`;
  if (err instanceof TomlError || err instanceof JsonPositionError) return ` at line ${err.line}, column ${err.column}`;
  return '';
}

/**
 * Reads and parses a configuration file; the format follows the extension. A file the user named
 * that is missing or broken is an error naming the file (and the line and column when the parser
 * knows them).
 */
export async function readConfigFile(path: string): Promise<Record<string, unknown>> {
  const parser = PARSERS[extname(path).toLowerCase()];
  if (!parser) throw fileError(path, `Configuration file ${path} must end in .yml, .yaml, .toml or .json`);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw fileError(path, `Cannot read configuration file ${path}: ${errorMessage(err)}`, err);
  }
  let parsed: unknown;
  try {
    parsed = parser.parse(text);
  } catch (err) {
    const firstLine = errorMessage(err).split('\n')[0];
    throw fileError(path, `Configuration file ${path} is not valid ${parser.name}${location(err)}: ${firstLine}`, err);
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isPlainObject(parsed)) throw fileError(path, `Configuration file ${path} must hold a mapping of options at the top level`);
  return parsed;
}

/** The file to read: `--configFile`, else `WHARF_CONFIGFILE`, else the first default that exists. */
export async function findConfigFile(cwd: string, named: string | undefined): Promise<{ path: string; named: boolean } | undefined> {
  if (named !== undefined && named !== '') return { path: resolve(cwd, named), named: true };
  for (const dir of DEFAULT_DIRS(cwd)) {
    for (const name of DEFAULT_NAMES) {
      const path = resolve(dir, name);
      // Absent defaults are normal; only a file the user named must exist.
      const found = await stat(path).then((s) => s.isFile(), () => false);
      if (found) return { path, named: false };
    }
  }
  return undefined;
}

/** Top-level sections of Traefik's dynamic configuration, which Traefik ignores in a static file. */
const DYNAMIC_SECTIONS = new Set(['http', 'tcp', 'udp', 'tls']);

/**
 * Flattens the file into one assignment per value, resolving each key path against the schema.
 * A Traefik option Wharf does not implement becomes one notice (for its outermost key: a whole
 * `tracing:` section is one notice); dynamic sections (`http:`, `tls:`, …) one notice for the
 * file, as Traefik ignores them too; every error is kept in `report`.
 */
export function fileAssignments(content: Record<string, unknown>, root: SectionNode, path: string, report: LoadReport): Assignment[] {
  const origin: Origin = { kind: 'file', label: `file ${path}` };
  const assignments: Assignment[] = [];
  const visit = (segments: string[], value: unknown): void => {
    const resolution = resolveSegments(root, segments);
    if (!resolution.ok) {
      if (resolution.reason === 'unknown' && isTraefikOnlyOption(segments)) report.notice(traefikOnlyNotice(segments, origin));
      else report.errors.push(unknownOption(resolution.path, origin, resolution.suggestion, resolution.reason === 'not-a-section'));
      return;
    }
    // A map-valued option (`accessLog.fields.names`) takes the object whole.
    if (isPlainObject(value) && Object.keys(value).length > 0 && resolution.target.node.kind !== 'leaf') {
      for (const [key, child] of Object.entries(value)) visit([...segments, key], child);
      return;
    }
    assignments.push({ target: resolution.target, raw: value === null ? BARE : value, origin });
  };
  const ignored: string[] = [];
  for (const [key, value] of Object.entries(content)) {
    if (DYNAMIC_SECTIONS.has(key.toLowerCase())) ignored.push(key);
    else visit([key], value);
  }
  if (ignored.length > 0) {
    const names = ignored.map((k) => `${k}:`).join(', ');
    report.notice(`${origin.label}: ${names} ${ignored.length > 1 ? 'are sections' : 'is a section'} of the dynamic configuration, ignored in the static configuration (as Traefik does): put ${ignored.length > 1 ? 'them' : 'it'} in a file that providers.file reads`);
  }
  return assignments;
}
