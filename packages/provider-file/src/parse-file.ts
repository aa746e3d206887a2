import { extname } from 'node:path';
import { decodeDynamicConfiguration, errorMessage, type DecodeIssue, type DynamicConfiguration } from '@wharf/core';
import { TomlError, parse as parseToml } from 'smol-toml';
import { parseDocument } from 'yaml';
import type { FileIssue } from './file-issue.js';
import { scanJson } from './locate-json.js';
import { locateTomlKeys } from './locate-toml.js';
import { locateYamlKeys } from './locate-yaml.js';
import { locate, positionFinder, type KeyLocation, type Position } from './source-position.js';

/** The formats the file provider reads, chosen by extension. */
export type FileFormat = 'yaml' | 'toml' | 'json';

const FORMATS: Readonly<Record<string, FileFormat>> = { '.yml': 'yaml', '.yaml': 'yaml', '.toml': 'toml', '.json': 'json' };

/** The format of a file by its extension (case-insensitive), or `undefined` for files the provider skips. */
export function formatOf(fileName: string): FileFormat | undefined {
  return FORMATS[extname(fileName).toLowerCase()];
}

/** One file, parsed and decoded. `configuration` is only meaningful when `errors` is empty. */
export interface ParsedFile {
  readonly file: string;
  readonly configuration: DynamicConfiguration;
  readonly errors: FileIssue[];
  readonly warnings: FileIssue[];
  /** Best-effort position of a key path in this file. */
  locate(path: readonly string[]): Position | undefined;
  /** The parsed document before decoding (for elements handed to the kernel as written). */
  readonly raw?: unknown;
}

interface Syntax {
  readonly value?: unknown;
  readonly locations: readonly KeyLocation[];
  readonly error?: { readonly position?: Position; readonly message: string };
}

/**
 * Parses a configuration file's text and decodes it strictly against Traefik's dynamic schema.
 * Pure: `file` only names the file in issues. Every issue carries the key path and, when it can
 * be found, the line and column.
 *
 * @example
 * const parsed = parseConfigurationFile('dynamic.yml', 'http:\n  routers:\n    api: {rul: x}\n');
 * parsed.errors[0]; // { file: 'dynamic.yml', line: 3, column: 11, path: [..., 'rul'], message: 'unknown field "rul"; did you mean "rule"?' }
 */
export function parseConfigurationFile(file: string, text: string, format: FileFormat | undefined = formatOf(file)): ParsedFile {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const at = positionFinder(source);
  const result = (configuration: DynamicConfiguration, errors: FileIssue[], warnings: FileIssue[], locations: readonly KeyLocation[] = [], raw?: unknown): ParsedFile => ({
    file,
    configuration,
    errors,
    warnings,
    locate: (path) => locate(locations, path),
    raw,
  });
  if (format === undefined) return result({}, [{ file, path: [], message: 'unsupported file extension (expected .yml, .yaml, .toml or .json)' }], []);
  const template = source.indexOf('{{');
  if (template >= 0) {
    const message = 'Go templating ("{{ … }}") is not supported by Wharf: Traefik renders dynamic files as Go templates, Wharf reads them as plain data; write the values out, or generate the file before Wharf reads it';
    return result({}, [{ file, ...at(template), path: [], message }], []);
  }
  const syntax = parseSyntax(source, format, at);
  if (syntax.error) return result({}, [{ file, ...syntax.error.position, path: [], message: syntax.error.message }], [], syntax.locations);
  const decoded = decodeDynamicConfiguration(syntax.value);
  const position = (issue: DecodeIssue): FileIssue => ({ file, ...(locate(syntax.locations, issue.path) ?? {}), path: issue.path, message: issue.message });
  return result(decoded.configuration, decoded.errors.map(position), decoded.warnings.map(position), syntax.locations, syntax.value);
}

function parseSyntax(text: string, format: FileFormat, at: (offset: number) => Position): Syntax {
  if (text.trim() === '') return { value: undefined, locations: [] };
  switch (format) {
    case 'yaml':
      return parseYaml(text, at);
    case 'toml':
      return parseTomlText(text);
    case 'json':
      return parseJson(text, at);
  }
}

function parseYaml(text: string, at: (offset: number) => Position): Syntax {
  // Merge keys (`<<: *defaults`) are common in hand-written Traefik files and Go's YAML reads them.
  const document = parseDocument(text, { prettyErrors: false, merge: true, uniqueKeys: true });
  const locations = locateYamlKeys(document, at);
  const error = document.errors[0];
  if (error) return { locations, error: { position: at(error.pos[0]), message: `invalid YAML: ${error.message}` } };
  try {
    return { value: document.toJS({ maxAliasCount: 1000 }) as unknown, locations };
  } catch (err) {
    return { locations, error: { message: `invalid YAML: ${errorMessage(err)}` } };
  }
}

function parseTomlText(text: string): Syntax {
  try {
    return { value: parseToml(text), locations: locateTomlKeys(text) };
  } catch (err) {
    if (!(err instanceof TomlError)) throw err;
    const reason = err.message.split('\n')[0]!.replace(/^Invalid TOML document:\s*/, '');
    return { locations: [], error: { position: { line: err.line, column: err.column }, message: `invalid TOML: ${reason}` } };
  }
}

function parseJson(text: string, at: (offset: number) => Position): Syntax {
  const scan = scanJson(text);
  try {
    return { value: JSON.parse(text) as unknown, locations: scan.locations };
  } catch (err) {
    // V8 gives an offset for most errors ("… in JSON at position 42") but not for a bad token.
    const v8 = errorMessage(err);
    const offset = /at position (\d+)/.exec(v8)?.[1];
    if (offset !== undefined) {
      return { locations: scan.locations, error: { position: at(Number(offset)), message: `invalid JSON: ${v8.replace(/\s+in JSON at position.*$/s, '')}` } };
    }
    if (scan.error) return { locations: scan.locations, error: { position: scan.error.position, message: `invalid JSON: ${scan.error.message}` } };
    return { locations: scan.locations, error: { message: `invalid JSON: ${v8.slice(0, 200)}` } };
  }
}
