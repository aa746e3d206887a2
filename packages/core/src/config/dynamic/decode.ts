/**
 * Strict decoder for structured dynamic configuration (YAML, TOML, JSON files, KV trees).
 *
 * Rules (Traefik's, plus a few stricter checks that catch typos early):
 * - field names match case-insensitively and come out in canonical camelCase; element names
 *   (routers, services, …) and map keys keep their case;
 * - unknown nested keys are errors (with a "did you mean"); unknown top-level keys are ignored;
 *   `tcp`/`udp` are decoded but reported as not supported yet;
 * - `null` values (YAML `key:` with nothing after it) are dropped, so `tls:` is absent while
 *   `tls: {}` is present;
 * - creating a struct applies its defaults (`loadBalancer.passHostHeader: true`, …);
 * - types are checked without guessing: a quoted number where an integer or a boolean is
 *   expected is an error, because YAML, TOML and JSON all have native numbers and booleans and a
 *   quoted one is usually a slip. The reverse is harmless and common (`port: 443` for a string
 *   field), so a number where text is expected is taken as its decimal text. Durations accept
 *   both forms (Go syntax or whole seconds), as Traefik documents;
 * - at most one service kind per service and one type per middleware; element names must not
 *   contain `@` (it is the provider qualifier).
 *
 * @see spec/traefik-model.md §f
 */
import { isDuration } from './duration.js';
import { DYNAMIC_CONFIGURATION, KNOWN_MIDDLEWARE_TYPES, findField, structDefaults } from './schema.js';
import type { FieldSchema, StructSchema } from './schema.js';
import { closest, didYouMean } from './suggest.js';
import type { DynamicConfiguration } from './types.js';

export { parseDuration } from './duration.js';

/** One problem found while decoding; `path` names the key, e.g. `['http','routers','api','rule']`. */
export interface DecodeIssue {
  path: string[];
  message: string;
}

/** The decoded configuration (plain, serialisable) and what was wrong with the input. Any error fails the source. */
export interface DecodeResult {
  configuration: DynamicConfiguration;
  errors: DecodeIssue[];
  warnings: DecodeIssue[];
}

/**
 * Decodes and validates a parsed configuration document against Traefik's dynamic schema.
 *
 * @example
 * const { configuration, errors } = decodeDynamicConfiguration(YAML.parse(text));
 * if (errors.length > 0) throw new ConfigError(errors[0].path.join('.'), errors[0].message);
 */
export function decodeDynamicConfiguration(input: unknown): DecodeResult {
  const decoder = new StrictDecoder();
  let configuration: DynamicConfiguration = {};
  if (input !== null && input !== undefined) {
    if (isPlainObject(input)) configuration = decoder.struct(DYNAMIC_CONFIGURATION, input, []) as DynamicConfiguration;
    else decoder.error([], `expected an object at the top level, got ${describe(input)}`);
  }
  return { configuration, errors: decoder.errors, warnings: decoder.warnings };
}

/** True for `{}`-like objects (not arrays, dates or class instances). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}


class StrictDecoder {
  readonly errors: DecodeIssue[] = [];
  readonly warnings: DecodeIssue[] = [];

  error(path: string[], message: string): void {
    this.errors.push({ path, message });
  }

  struct(schema: StructSchema, input: Record<string, unknown>, path: string[]): Record<string, unknown> {
    const out = structDefaults(schema);
    const seen = new Map<string, string>();
    const open: string[] = [];
    for (const [key, raw] of Object.entries(input)) {
      if (raw === null || raw === undefined) continue;
      const found = findField(schema, key);
      if (found === undefined || found.field.labelOnly) {
        if (schema.ignoreUnknown) continue;
        if (schema.openFields) {
          this.openField(key, raw, [...path, key], out);
          open.push(key);
          continue;
        }
        const candidates = Object.keys(schema.fields).filter((name) => !schema.fields[name].labelOnly);
        this.error([...path, key], `unknown field "${key}"${didYouMean(key, candidates)}`);
        continue;
      }
      const fieldPath = [...path, found.name];
      const previous = seen.get(found.name);
      if (previous !== undefined) {
        this.error(fieldPath, `"${key}" and "${previous}" are the same field (names are case-insensitive)`);
        continue;
      }
      seen.set(found.name, key);
      if (found.field.unsupported !== undefined) this.warnings.push({ path: fieldPath, message: found.field.unsupported });
      const value = this.field(found.field, raw, fieldPath);
      if (value !== undefined) out[found.name] = value;
    }
    this.checkExclusive(schema, [...seen.keys(), ...open], path);
    return out;
  }

  private openField(key: string, raw: unknown, path: string[], out: Record<string, unknown>): void {
    const typo = closest(key, KNOWN_MIDDLEWARE_TYPES);
    if (typo !== undefined) {
      this.warnings.push({ path, message: `unknown middleware type "${key}" kept for plugins; did you mean "${typo}"?` });
    }
    const value = this.freeform(raw, path);
    if (value !== undefined) out[key] = value;
  }

  private checkExclusive(schema: StructSchema, present: string[], path: string[]): void {
    if (schema.exclusive === undefined) return;
    const exclusive = new Set(schema.exclusive);
    const chosen = present.filter((name) => exclusive.has(name) || !(name in schema.fields));
    if (chosen.length > 1) {
      this.error(path, `only one ${schema.exclusiveWhat ?? 'kind'} is allowed, got ${chosen.map((name) => `"${name}"`).join(', ')}`);
    }
  }

  private field(field: FieldSchema, raw: unknown, path: string[]): unknown {
    switch (field.kind) {
      case 'string':
        return this.text(raw, path);
      case 'int':
        return this.integer(raw, path);
      case 'float':
        return typeof raw === 'number' && Number.isFinite(raw) ? raw : this.mismatch('a number', raw, path);
      case 'bool':
        return typeof raw === 'boolean' ? raw : this.mismatch('a boolean (true or false)', raw, path);
      case 'duration':
        if (isDuration(raw)) return raw;
        return this.mismatch('a duration (Go syntax such as "1m30s" or "100ms", or whole seconds)', raw, path);
      case 'stringList':
        return this.list(raw, path, (item, itemPath) => this.text(item, itemPath));
      case 'intList':
        return this.list(raw, path, (item, itemPath) => this.integer(item, itemPath));
      case 'stringMap':
        return this.map(raw, path, (item, itemPath) => this.text(item, itemPath));
      case 'intMap':
        return this.map(raw, path, (item, itemPath) => this.integer(item, itemPath));
      case 'struct':
        if (isPlainObject(raw)) return this.struct(field.struct!, raw, path);
        return this.mismatch(field.allowEmpty ? 'an object ({} to enable it with no options)' : 'an object', raw, path);
      case 'structList':
        return this.list(raw, path, (item, itemPath) =>
          isPlainObject(item) ? this.struct(field.struct!, item, itemPath) : this.mismatch('an object', item, itemPath),
        );
      case 'structMap':
        return this.elements(field.struct!, raw, path);
      case 'freeform':
        return this.freeform(raw, path);
    }
  }

  private text(raw: unknown, path: string[]): string | undefined {
    if (typeof raw === 'string') return raw;
    if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
    if (typeof raw === 'bigint') return String(raw);
    return this.mismatch('a string', raw, path);
  }

  private integer(raw: unknown, path: string[]): number | undefined {
    if (typeof raw === 'number' && Number.isInteger(raw)) return raw;
    if (typeof raw === 'string' && /^\s*[+-]?\d+\s*$/.test(raw)) {
      this.error(path, `expected an integer, got the string "${raw}" (write the number without quotes)`);
      return undefined;
    }
    return this.mismatch('an integer', raw, path);
  }

  private list<T>(raw: unknown, path: string[], item: (value: unknown, path: string[]) => T | undefined): T[] | undefined {
    if (!Array.isArray(raw)) return this.mismatch('a list', raw, path);
    const out: T[] = [];
    raw.forEach((value, index) => {
      const itemPath = [...path, String(index)];
      if (value === null || value === undefined) this.error(itemPath, 'expected a value, got null');
      else {
        const decoded = item(value, itemPath);
        if (decoded !== undefined) out.push(decoded);
      }
    });
    return out;
  }

  private map<T>(raw: unknown, path: string[], item: (value: unknown, path: string[]) => T | undefined): Record<string, T> | undefined {
    if (!isPlainObject(raw)) return this.mismatch('a map', raw, path);
    const out: Record<string, T> = {};
    for (const [key, value] of Object.entries(raw)) {
      if (value === null || value === undefined) continue;
      const decoded = item(value, [...path, key]);
      if (decoded !== undefined) out[key] = decoded;
    }
    return out;
  }

  private elements(schema: StructSchema, raw: unknown, path: string[]): Record<string, unknown> | undefined {
    if (!isPlainObject(raw)) return this.mismatch('a map of named elements', raw, path);
    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(raw)) {
      const elementPath = [...path, name];
      if (name.trim() === '') this.error(elementPath, 'element name must not be empty');
      else if (name.includes('@')) this.error(elementPath, `element name "${name}" must not contain "@" (it separates the provider name)`);
      else if (value === null || value === undefined) continue;
      else if (!isPlainObject(value)) this.mismatch('an object', value, elementPath);
      else out[name] = this.struct(schema, value, elementPath);
    }
    return out;
  }

  private freeform(raw: unknown, path: string[]): unknown {
    if (raw === null || raw === undefined) return undefined;
    if (typeof raw === 'string' || typeof raw === 'boolean') return raw;
    if (typeof raw === 'number') return Number.isFinite(raw) ? raw : this.mismatch('a finite number', raw, path);
    if (typeof raw === 'bigint') return Number.isSafeInteger(Number(raw)) ? Number(raw) : String(raw);
    if (raw instanceof Date) return raw.toISOString();
    if (Array.isArray(raw)) {
      return raw.map((item, index) => this.freeform(item, [...path, String(index)])).filter((item) => item !== undefined);
    }
    if (isPlainObject(raw)) {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(raw)) {
        const decoded = this.freeform(value, [...path, key]);
        if (decoded !== undefined) out[key] = decoded;
      }
      return out;
    }
    return this.mismatch('plain data', raw, path);
  }

  private mismatch(expected: string, raw: unknown, path: string[]): undefined {
    this.error(path, `expected ${expected}, got ${describe(raw)}`);
    return undefined;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${typeof value} ${String(value)}`;
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a date';
  return typeof value === 'object' ? 'an object' : typeof value;
}
