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

/**
 * What loading found besides values: errors (all of them, so one run reports every mistake)
 * and notices (Traefik options Wharf ignores, dynamic sections in the static file).
 */
export class LoadReport {
  readonly errors: ConfigError[] = [];
  readonly notices: string[] = [];

  /** Runs `step`, keeping a ConfigError it throws instead of stopping. */
  attempt<T>(step: () => T): T | undefined {
    try {
      return step();
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      this.errors.push(err);
      return undefined;
    }
  }

  notice(message: string): void {
    if (!this.notices.includes(message)) this.notices.push(message);
  }

  /** Throws every error found, as one {@link StaticConfigErrors} (or the error itself when alone). */
  throwIfAny(): void {
    if (this.errors.length === 1) throw this.errors[0];
    if (this.errors.length > 1) throw new StaticConfigErrors(this.errors);
  }
}

/** Several configuration errors found in one run; `errors` holds each, in the order found. */
export class StaticConfigErrors extends ConfigError {
  constructor(readonly errors: readonly ConfigError[]) {
    super(errors[0]?.path ?? '', errors.map((e) => e.message).join('\n'), { source: errors[0]?.source, code: 'CONFIG_ERRORS' });
  }
}

/** A name Traefik knows but Wharf does not implement: a notice in the source's own spelling. */
export function traefikOnlyNotice(path: readonly string[], origin: Origin): string {
  const name = origin.kind === 'file' ? `${path.join('.')} (${origin.label})` : origin.label.replace(/^(flag|env) /, '');
  return `${name} is a Traefik option that Wharf does not support yet (ignored)`;
}
