/**
 * The one decoder for structured dynamic configuration: files (YAML, TOML, JSON), KV trees, and
 * every snapshot a provider emits (the kernel decodes each one where it enters, see
 * `runtime/provider-snapshot.ts`).
 *
 * Rules (Traefik's: its decoder turns every source into a tree of text leaves, then parses each
 * leaf by its field's type; spec/traefik-model.md §e, §f):
 * - field names match case-insensitively and come out in canonical camelCase; element names
 *   (routers, services, …) and map keys keep their case. Spellings of one field that differ only
 *   by case are merged (objects key by key); two different scalar values for one field are an
 *   error, since nothing says which was meant;
 * - scalars are text until their field's type reads them: `"10"` is an integer, `"true"`, `"1"`
 *   and `"t"` are booleans (Go's `strconv.ParseBool`), `443` or `true` is text where text is
 *   expected; a comma-separated string is a list (`"/api,/v1"`), `{}` is an empty list, and an
 *   allow-empty struct (`tls`, `sticky`) may be switched on by `true`;
 * - unknown nested keys are errors (with a "did you mean"); unknown top-level keys are ignored;
 *   `tcp`/`udp` are decoded but reported as not supported yet;
 * - `null` values (YAML `key:` with nothing after it) are dropped, so `tls:` is absent while
 *   `tls: {}` is present;
 * - creating a struct applies its defaults (`loadBalancer.passHostHeader: true`, …);
 * - at most one service kind per service and one type per middleware; element names must not
 *   contain `@` (it is the provider qualifier).
 *
 * @see spec/traefik-model.md §f
 */
import { isDeepStrictEqual } from 'node:util';
import { isDuration } from './duration.js';
import { DYNAMIC_CONFIGURATION, KNOWN_MIDDLEWARE_TYPES, findField, structDefaults } from './schema.js';
import type { FieldSchema, StructSchema } from './schema.js';
import { parseLabelBool, parseLabelFloat, parseLabelInt, splitLabelList, type ParsedValue } from './scalars.js';
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
    const present: string[] = [];
    for (const [key, spellings] of groupByField(schema, input)) {
      const found = findField(schema, key);
      if (found === undefined || found.field.labelOnly) {
        if (schema.ignoreUnknown) continue;
        if (schema.openFields) {
          this.openField(key, spellings[0]![1], [...path, key], out);
          present.push(key);
          continue;
        }
        const candidates = Object.keys(schema.fields).filter((name) => !schema.fields[name]!.labelOnly);
        this.error([...path, key], `unknown field "${key}"${didYouMean(key, candidates)}`);
        continue;
      }
      const fieldPath = [...path, found.name];
      const raw = this.mergeSpellings(spellings, fieldPath);
      if (raw === undefined) continue;
      present.push(found.name);
      if (found.field.unsupported !== undefined) this.warnings.push({ path: fieldPath, message: found.field.unsupported });
      if (found.field.ignored !== undefined) this.warnings.push({ path: fieldPath, message: found.field.ignored });
      const value = this.field(found.field, raw, fieldPath);
      if (value !== undefined) out[found.name] = value;
    }
    this.checkExclusive(schema, present, path);
    return out;
  }

  /** One value for a field written in several cases: objects merge key by key, equal values collapse. */
  private mergeSpellings(spellings: Array<[string, unknown]>, path: string[]): unknown {
    let merged = spellings[0]![1];
    for (const [key, value] of spellings.slice(1)) {
      const next = mergeRaw(merged, value);
      if (next === CONFLICT) {
        this.error(path, `"${spellings[0]![0]}" and "${key}" are the same field (names are case-insensitive) with different values`);
        return undefined;
      }
      merged = next;
    }
    return merged;
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
        return this.scalar(raw, path, 'an integer', (value) => Number.isSafeInteger(value), parseLabelInt);
      case 'float':
        return this.scalar(raw, path, 'a number', (value) => Number.isFinite(value), parseLabelFloat);
      case 'bool':
        if (typeof raw === 'boolean') return raw;
        return this.scalar(raw, path, 'a boolean (true or false)', () => false, parseLabelBool);
      case 'duration':
        if (isDuration(raw)) return raw;
        return this.mismatch('a duration (Go syntax such as "1m30s" or "100ms", or whole seconds)', raw, path);
      case 'stringList':
        return this.list(raw, path, (item, itemPath) => this.text(item, itemPath));
      case 'intList':
        return this.list(raw, path, (item, itemPath) => this.field({ kind: 'int' }, item, itemPath) as number | undefined);
      case 'stringMap':
        return this.map(raw, path, (item, itemPath) => this.text(item, itemPath));
      case 'intMap':
        return this.map(raw, path, (item, itemPath) => this.field({ kind: 'int' }, item, itemPath) as number | undefined);
      case 'struct':
        return this.structField(field, raw, path);
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

  private structField(field: FieldSchema, raw: unknown, path: string[]): Record<string, unknown> | undefined {
    if (isPlainObject(raw)) return this.struct(field.struct!, raw, path);
    if (field.allowEmpty && (typeof raw === 'boolean' || typeof raw === 'string')) {
      // Traefik's allowEmpty: `true` switches the struct on with its defaults, `false` leaves it off.
      const on = typeof raw === 'boolean' ? ({ ok: true, value: raw } as const) : parseLabelBool(raw);
      if (on.ok) return on.value ? this.struct(field.struct!, {}, path) : undefined;
    }
    return this.mismatch(field.allowEmpty ? 'an object ({} or true to enable it with no options)' : 'an object', raw, path);
  }

  /** A leaf as text: strings as they are, numbers and booleans as they print (Traefik reads every leaf as text). */
  private text(raw: unknown, path: string[]): string | undefined {
    return asText(raw) ?? this.mismatch('a string', raw, path);
  }

  /** A typed scalar: a native value that passes `native`, or text that `parse` reads. */
  private scalar<T>(raw: unknown, path: string[], expected: string, native: (value: number) => boolean, parse: (text: string) => ParsedValue<T>): T | undefined {
    if (typeof raw === 'number' && native(raw)) return raw as T;
    const text = asText(raw);
    const parsed = text === undefined ? undefined : parse(text);
    if (parsed?.ok === true) return parsed.value;
    return this.mismatch(expected, raw, path);
  }

  private list<T>(raw: unknown, path: string[], item: (value: unknown, path: string[]) => T | undefined): T[] | undefined {
    if (isPlainObject(raw) && Object.keys(raw).length === 0) return [];
    // A comma-separated string is a list of its trimmed items, as in labels; an object keyed by
    // indexes (`servers/0/url` in a KV store) is a list in index order.
    const values = typeof raw === 'string' ? splitLabelList(raw) : typeof raw === 'number' || typeof raw === 'boolean' ? [raw] : raw;
    const entries: Array<[string, unknown]> | undefined = Array.isArray(values)
      ? values.map((value, index) => [String(index), value])
      : isPlainObject(values)
        ? indexedEntries(values)
        : undefined;
    if (entries === undefined) return this.mismatch('a list', raw, path);
    const out: T[] = [];
    entries.forEach(([index, value]) => {
      const itemPath = [...path, index];
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

const CONFLICT = Symbol('conflict');

/** Input entries by field: known keys under their canonical name (all spellings), unknown keys alone. */
function groupByField(schema: StructSchema, input: Record<string, unknown>): Map<string, Array<[string, unknown]>> {
  const groups = new Map<string, Array<[string, unknown]>>();
  for (const [key, raw] of Object.entries(input)) {
    if (raw === null || raw === undefined) continue;
    const id = findField(schema, key)?.name ?? key;
    const group = groups.get(id);
    if (group === undefined) groups.set(id, [[key, raw]]);
    else group.push([key, raw]);
  }
  return groups;
}

/** Merges two raw values of one field: objects key by key (recursively), equal values collapse. */
function mergeRaw(a: unknown, b: unknown): unknown {
  if (isPlainObject(a) && isPlainObject(b)) {
    const out: Record<string, unknown> = { ...a };
    for (const [key, value] of Object.entries(b)) {
      if (!(key in out) || out[key] === null || out[key] === undefined) out[key] = value;
      else if (value !== null && value !== undefined) {
        const merged = mergeRaw(out[key], value);
        if (merged === CONFLICT) return CONFLICT;
        out[key] = merged;
      }
    }
    return out;
  }
  return isDeepStrictEqual(a, b) ? a : CONFLICT;
}

/** The entries of an object whose keys are all list indexes (`0`, `1`, …), in index order; else undefined. */
function indexedEntries(value: Record<string, unknown>): Array<[string, unknown]> | undefined {
  const keys = Object.keys(value);
  if (!keys.every((key) => /^(0|[1-9]\d{0,5})$/.test(key))) return undefined;
  return keys.sort((a, b) => Number(a) - Number(b)).map((key) => [key, value[key]]);
}

/** A scalar leaf as the text Traefik's decoder sees: strings as they are, numbers and booleans as they print. */
function asText(raw: unknown): string | undefined {
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number') return Number.isFinite(raw) ? String(raw) : undefined;
  if (typeof raw === 'bigint' || typeof raw === 'boolean') return String(raw);
  return undefined;
}
