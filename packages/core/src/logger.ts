import pino, { type Logger as PinoLogger, type LoggerOptions } from 'pino';
import { RotatingLogFile, type LogRotation } from './log-file.js';

/** Fixed field names for child loggers, so that log lines can be filtered the same way everywhere. */
export interface LogFields {
  provider?: string;
  router?: string;
  service?: string;
  middleware?: string;
  entryPoint?: string;
  requestId?: string;
  [key: string]: unknown;
}

/**
 * The one logging interface of Wharf (pino behind it). Plugins receive it through DI.
 *
 * @example
 * ```ts
 * const log = logger.child({ provider: 'ecs' });
 * log.warn({ cluster }, 'ListTasks throttled, keeping the last configuration');
 * ```
 */
export interface Logger {
  debug(fields: object, msg: string): void;
  debug(msg: string): void;
  info(fields: object, msg: string): void;
  info(msg: string): void;
  warn(fields: object, msg: string): void;
  warn(msg: string): void;
  error(fields: object, msg: string): void;
  error(msg: string): void;
  child(fields: LogFields): Logger;
  isLevelEnabled(level: LogLevel): boolean;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LoggerSettings extends LogRotation {
  /** Traefik's levels: TRACE, DEBUG, INFO, WARN, ERROR, FATAL, PANIC (any case; PANIC is FATAL). */
  level?: string;
  /** `common` (human text) or `json`. */
  format?: 'common' | 'json' | string;
  /** File to append to, rotated by size ({@link LogRotation}); standard output when absent (as Traefik). */
  filePath?: string;
}

/**
 * Traefik's level names (zerolog's) → pino's. pino has all but PANIC, which is the most severe
 * level, so FATAL's nearest. WARNING is an alias Traefik's parser does not take, kept for users.
 */
const LEVELS: Readonly<Record<string, string>> = {
  trace: 'trace',
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  warning: 'warn',
  error: 'error',
  fatal: 'fatal',
  panic: 'fatal',
};

/** Builds the process logger. `common` prints one readable line per event, as Traefik's default does. */
export function createLogger(settings: LoggerSettings = {}): Logger {
  const level = (settings.level ?? 'error').toLowerCase();
  const options: LoggerOptions = {
    level: LEVELS[level] ?? level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  const fd = settings.filePath ? new RotatingLogFile(settings.filePath, settings) : pino.destination({ fd: 1, sync: true });
  if ((settings.format ?? 'common') === 'json') return pino(options, fd) as PinoLogger as Logger;
  return pino({ ...options, hooks: {} }, commonFormatStream(fd)) as PinoLogger as Logger;
}

/** A logger that drops everything; handy in tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' }) as PinoLogger as Logger;
}

/** Turns pino's JSON lines into `2026-01-01T00:00:00Z INF message key=value` lines. */
function commonFormatStream(dest: { write(s: string): unknown }): { write(s: string): void } {
  const short: Record<string, string> = { debug: 'DBG', info: 'INF', warn: 'WRN', error: 'ERR', fatal: 'FTL', trace: 'TRC' };
  return {
    write(line: string): void {
      let rec: Record<string, unknown>;
      try {
        rec = JSON.parse(line) as Record<string, unknown>;
      } catch {
        dest.write(line);
        return;
      }
      const { time, level, msg, ...rest } = rec;
      const fields = Object.entries(rest)
        .map(([k, v]) => `${k}=${typeof v === 'string' && !/[\s"]/.test(v) ? v : JSON.stringify(v)}`)
        .join(' ');
      dest.write(`${String(time)} ${short[String(level)] ?? String(level)} ${String(msg ?? '')}${fields ? ' ' + fields : ''}\n`);
    },
  };
}
