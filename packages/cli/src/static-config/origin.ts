import { ConfigError } from '@wharf/core';
import type { Target } from './resolve.js';

/** Where a value came from. Higher `rank` wins: defaults < file < environment < flags. */
export interface Origin {
  readonly kind: 'default' | 'file' | 'env' | 'flag';
  /** For messages: `flag --api.insecure`, `env WHARF_LOG_LEVEL`, `file /etc/wharf/wharf.yml`. */
  readonly label: string;
}

export const RANK: Readonly<Record<Origin['kind'], number>> = { default: 0, file: 1, env: 2, flag: 3 };

export const DEFAULT_ORIGIN: Origin = { kind: 'default', label: 'defaults' };

/** One name = value the user wrote, resolved against the schema. */
export interface Assignment {
  readonly target: Target;
  /** As written: a string (flags, env), a parsed file value, or {@link BARE}. */
  readonly raw: unknown;
  readonly origin: Origin;
}

/** How a canonical path reads in the syntax of the source it came from. */
export function spell(path: readonly string[], kind: Origin['kind']): string {
  if (kind === 'flag') return `--${path.join('.')}`;
  if (kind === 'env') return `WHARF_${path.map((p) => p.toUpperCase()).join('_')}`;
  return path.join('.');
}

export function unknownOption(path: readonly string[], origin: Origin, suggestion?: readonly string[], notASection = false): ConfigError {
  const name = path.join('.');
  const why = notASection ? `${name} is not a section: nothing can be set below an option` : `Unknown option ${name}`;
  const hint = suggestion ? `; did you mean ${spell(suggestion, origin.kind)}?` : '';
  return new ConfigError(name, `${why} (${origin.label})${hint}`, { source: origin.label, code: 'CONFIG_UNKNOWN_KEY' });
}

export function invalidValue(path: readonly string[], origin: Origin, problem: string, cause?: unknown): ConfigError {
  const name = path.join('.');
  return new ConfigError(name, `Invalid value for ${name} (${origin.label}): ${problem}`, { source: origin.label, cause });
}
