import { isIP, isIPv6 } from 'node:net';
import { ConfigError, parseAddress, parseDuration } from '@wharf/core';

/**
 * The implementation of a named format of the static schema, in the shape
 * `convict.addFormats` takes. `coerce` turns what the user wrote (a flag or environment string,
 * or a file value) into the typed value; `validate` throws when the typed value is wrong.
 */
export interface StaticConfigFormat {
  validate(value: unknown): void;
  coerce(value: unknown): unknown;
}

function fail(message: string): never {
  throw new ConfigError('', message, { code: 'CONFIG_FORMAT' });
}

function splitList(value: unknown): unknown {
  if (typeof value === 'string') return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return value;
}

function validateStringList(value: unknown): void {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) fail('must be a list of strings');
}

function isIpOrCidr(text: string): boolean {
  const slash = text.indexOf('/');
  if (slash < 0) return isIP(text) !== 0;
  const version = isIP(text.slice(0, slash));
  const bits = text.slice(slash + 1);
  if (version === 0 || !/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (version === 4 ? 32 : 128);
}

/** Static durations are timeouts and periods: Traefik's syntax, but never negative. */
function coerceDuration(value: unknown): unknown {
  if (typeof value === 'number' && !Number.isInteger(value)) fail(`must be a duration such as "10s" or whole seconds, got ${value}`);
  const ms = parseDuration(value as string | number);
  if (ms < 0) fail(`must not be negative, got ${JSON.stringify(value)}`);
  return ms;
}

function modeMap(modes: readonly string[]): StaticConfigFormat {
  const isMap = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
  return {
    coerce: (value) => (isMap(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? v.toLowerCase() : v])) : value),
    validate: (value) => {
      if (!isMap(value)) fail('must be a map of name → mode');
      for (const [name, mode] of Object.entries(value)) {
        if (typeof mode !== 'string' || !modes.includes(mode)) fail(`${name} must be one of ${modes.join(', ')}, got ${JSON.stringify(mode)}`);
      }
    },
  };
}

/**
 * Implementations of core's `StaticFormat` names (`duration`, `address`, …), registered with
 * convict once; provider fragments may use the same names.
 */
export const staticConfigFormats: Readonly<Record<string, StaticConfigFormat>> = {
  duration: {
    coerce: coerceDuration,
    validate: (value) => {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) fail('must be a duration in milliseconds');
    },
  },
  address: {
    // Traefik allows a `/tcp` suffix; the configuration holds the plain `[host]:port`.
    coerce: (value) => (typeof value === 'string' ? value.trim().replace(/\/tcp$/i, '') : value),
    validate: (value) => {
      if (typeof value === 'number') fail(`must be an address "[host]:port", e.g. ":${value}"`);
      if (typeof value !== 'string') fail('must be an address "[host]:port"');
      if (/\/udp$/i.test(value)) fail(`UDP entry points are not supported: ${JSON.stringify(value)}`);
      parseAddress(value, '');
      // core's parser takes anything in brackets; only an IPv6 address (maybe with a zone) belongs there.
      const bracketed = /^\[([^\]]*)\]/.exec(value.trim());
      if (bracketed && !isIPv6(bracketed[1].replace(/%.*$/, ''))) fail(`[${bracketed[1]}] is not an IPv6 address`);
    },
  },
  'string-list': {
    coerce: (value) => (Array.isArray(value) ? value.map((v) => (typeof v === 'number' ? String(v) : v)) : splitList(value)),
    validate: validateStringList,
  },
  'number-list': {
    coerce: (value) => {
      const list = splitList(value);
      return Array.isArray(list) ? list.map((v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v)) : list;
    },
    validate: (value) => {
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'number' || !Number.isFinite(v))) fail('must be a list of numbers');
    },
  },
  'ip-list': {
    coerce: splitList,
    validate: (value) => {
      validateStringList(value);
      const bad = (value as string[]).find((v) => !isIpOrCidr(v));
      if (bad !== undefined) fail(`must be IP addresses or CIDR ranges, got ${JSON.stringify(bad)}`);
    },
  },
  'status-code': {
    coerce: (value) => (typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value),
    validate: (value) => {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 100 || value > 599) fail('must be an HTTP status code (100-599)');
    },
  },
  'field-modes': modeMap(['keep', 'drop']),
  'header-modes': modeMap(['keep', 'drop', 'redact']),
  workers: {
    coerce: (value) => {
      if (typeof value !== 'string') return value;
      const text = value.trim().toLowerCase();
      return text === 'auto' ? 'auto' : /^\d+$/.test(text) ? Number(text) : value;
    },
    validate: (value) => {
      if (value !== 'auto' && !(Number.isInteger(value) && (value as number) >= 1)) fail(`must be "auto" or a whole number of at least 1, got ${JSON.stringify(value)}`);
    },
  },
};
