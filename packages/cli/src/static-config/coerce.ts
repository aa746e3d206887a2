import { staticConfigFormats, type StaticConfigFormat } from './formats.js';
import { isPlainObject, type LeafSpec } from './schema-tree.js';

/** A flag given without a value (`--api.insecure`), or a file key with no value (`ping:` in YAML). */
export const BARE = Symbol('bare');

const TRUE = new Set(['true', 't', '1']);
const FALSE = new Set(['false', 'f', '0']);

/** Go's strconv.ParseBool spellings, which Traefik accepts; matched without case. */
export function parseBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === BARE || value === null) return true;
  if (typeof value !== 'string') return undefined;
  const lower = value.trim().toLowerCase();
  if (TRUE.has(lower)) return true;
  if (FALSE.has(lower)) return false;
  return undefined;
}

function customFormat(format: unknown): StaticConfigFormat | undefined {
  return typeof format === 'string' && Object.hasOwn(staticConfigFormats, format) ? staticConfigFormats[format] : undefined;
}

function toNumber(value: unknown, integer: boolean): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) throw new TypeError('must be a number');
  if (integer && !Number.isInteger(number)) throw new TypeError('must be an integer');
  return number;
}

function fromEnum(options: readonly unknown[], value: unknown): unknown {
  const text = typeof value === 'string' ? value.trim().toLowerCase() : value;
  const match = options.find((o) => (typeof o === 'string' ? o.toLowerCase() === text : o === value || String(o) === text));
  if (match === undefined) throw new TypeError(`must be one of ${options.map((o) => JSON.stringify(o)).join(', ')}`);
  return match;
}

function fromString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new TypeError('must be a string');
}

function fromNamed(format: string, value: unknown): unknown {
  switch (format) {
    case 'int':
    case 'integer':
      return toNumber(value, true);
    case 'nat': {
      const n = toNumber(value, true);
      if (n < 0) throw new TypeError('must be a positive integer');
      return n;
    }
    case 'port': {
      const n = toNumber(value, true);
      if (n < 0 || n > 65535) throw new TypeError('must be a port (0-65535)');
      return n;
    }
    default:
      // A format some other module registered with convict: convict validates it after loading.
      return value;
  }
}

function fromObject(value: unknown): Record<string, unknown> {
  const parsed = typeof value === 'string' ? JSON.parse(value) : value;
  if (!isPlainObject(parsed)) throw new TypeError('must be an object');
  return parsed;
}

/** The format convict infers when a property gives none: the type of its default. */
function effectiveFormat(spec: LeafSpec): unknown {
  if (spec.format !== undefined) return spec.format;
  if (typeof spec.default === 'boolean') return Boolean;
  if (typeof spec.default === 'number') return Number;
  if (typeof spec.default === 'string') return String;
  if (Array.isArray(spec.default)) return Array;
  return Object;
}

/**
 * Turns what the user wrote into the typed value of a property, and checks it, the way convict
 * will: same formats, plus Traefik's leniencies (enum values without case, Go booleans, bare
 * flags as `true`, comma-separated lists). Throws with a message that names neither key nor
 * source: the caller adds both.
 */
export function coerceValue(spec: LeafSpec, raw: unknown): unknown {
  const format = effectiveFormat(spec);
  if (raw === BARE && format !== Boolean) throw new TypeError('needs a value');
  if (raw === null && spec.nullable === true) return null;
  const custom = customFormat(format);
  if (custom) {
    const value = custom.coerce(raw);
    custom.validate(value);
    return value;
  }
  if (format === Boolean || format === 'Boolean') {
    const value = parseBoolean(raw);
    if (value === undefined) throw new TypeError('must be true or false');
    return value;
  }
  if (format === Number || format === 'Number') return toNumber(raw, false);
  if (format === String || format === 'String') return fromString(raw);
  if (format === Array || format === 'Array') return typeof raw === 'string' ? raw.split(',').map((s) => s.trim()) : raw;
  if (format === Object || format === 'Object' || format === 'object') return fromObject(raw);
  if (Array.isArray(format)) return fromEnum(format, raw);
  if (typeof format === 'string') return fromNamed(format, raw);
  if (typeof format === 'function') (format as (value: unknown) => void)(raw);
  return raw;
}

/** True when the property holds a list, so repeated flags add up instead of replacing. */
export function isListProperty(spec: LeafSpec): boolean {
  return Array.isArray(spec.default);
}
