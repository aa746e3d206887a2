/**
 * Typed errors. Branch on `instanceof` or `code`, never on message text.
 */

/** Base class: every Wharf error has a stable `code`. */
export class WharfError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/**
 * A static or dynamic configuration value is wrong. `path` names the key (`entryPoints.web.address`,
 * `http.routers.api.rule`); `source` names where it came from (a file, `env WHARF_…`, `flag --…`).
 */
export class ConfigError extends WharfError {
  readonly path: string;
  readonly source: string | undefined;
  constructor(path: string, message: string, options?: { cause?: unknown; source?: string; code?: string }) {
    super(options?.code ?? 'CONFIG_INVALID', message, options);
    this.path = path;
    this.source = options?.source;
  }
}

/** A provider failed. `transient` errors are retried with backoff and keep the last snapshot. */
export class ProviderError extends WharfError {
  readonly provider: string;
  readonly transient: boolean;
  constructor(provider: string, message: string, options?: { cause?: unknown; transient?: boolean; code?: string }) {
    super(options?.code ?? 'PROVIDER_FAILED', message, options);
    this.provider = provider;
    this.transient = options?.transient ?? true;
  }
}

/** An error that maps to an HTTP status on the data path. */
export class HttpError extends WharfError {
  readonly status: number;
  constructor(status: number, message: string, options?: { cause?: unknown; code?: string }) {
    super(options?.code ?? `HTTP_${status}`, message, options);
    this.status = status;
  }
}

/** A rule could not be parsed or compiled. `column` is 1-based, counted in characters. */
export class RuleSyntaxError extends WharfError {
  readonly rule: string;
  readonly column: number;
  constructor(rule: string, column: number, message: string) {
    super('RULE_SYNTAX', `${message} (column ${column})`);
    this.rule = rule;
    this.column = column;
  }
}

/** The message of anything thrown, for logs and the runtime model. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
