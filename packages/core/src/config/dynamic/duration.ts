import { ConfigError } from '../../errors.js';

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3, // U+00B5 micro sign, as Go accepts
  'μs': 1e-3, // U+03BC Greek mu, as Go accepts
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const INTEGER = /^[+-]?\d+$/;
const GO_DURATION = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h)(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))*$/;
const GO_COMPONENT = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;

/**
 * Converts a Traefik duration to milliseconds.
 *
 * Accepts what Traefik's configuration accepts: a Go duration string (`"1m30s"`, `"100ms"`,
 * `"1.5h"`, `"-1s"`, `"0"`), or a whole number of seconds given as a number or a string
 * (`10`, `"10"`). A non-integer number is taken as fractional seconds.
 *
 * @throws {ConfigError} with code `DURATION_INVALID` when the value is not a duration.
 * @example parseDuration('1m30s') // 90000
 */
export function parseDuration(value: string | number): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw invalid(value);
    return value * 1000;
  }
  if (typeof value !== 'string') throw invalid(value);
  const text = value.trim();
  if (INTEGER.test(text)) return Number.parseInt(text, 10) * 1000;
  if (!GO_DURATION.test(text)) throw invalid(value);
  const negative = text.startsWith('-');
  let total = 0;
  for (const [, amount, unit] of text.matchAll(GO_COMPONENT)) {
    total += Number.parseFloat(amount) * UNIT_MS[unit];
  }
  return negative ? -total : total;
}

/** True when {@link parseDuration} accepts the value. */
export function isDuration(value: unknown): value is string | number {
  if (typeof value !== 'string' && typeof value !== 'number') return false;
  try {
    parseDuration(value);
    return true;
  } catch {
    return false;
  }
}

function invalid(value: unknown): ConfigError {
  return new ConfigError('', `invalid duration ${JSON.stringify(value)}: expected Go syntax ("1m30s", "100ms") or whole seconds`, {
    code: 'DURATION_INVALID',
  });
}
