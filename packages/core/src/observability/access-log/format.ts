import type { AccessLogConfig } from '../../config/static/types.js';
import type { AccessLogEntry } from './entry.js';
import { commonField, commonHeader, selectFields, type FieldsConfig } from './fields.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `02/Jan/2006:15:04:05 +0000`, the time of the Common Log Format (in UTC). */
export function clfTime(date: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${p(date.getUTCHours())}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())} +0000`;
}

function quoted(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * Traefik's `common` line:
 * `<ClientHost> - <ClientUsername> [<time>] "<method> <path> <proto>" <status> <size> "<referer>" "<ua>" <RequestCount> "<RouterName>" "<ServiceURL>" <ms>ms`;
 * `genericCLF` stops after the user agent.
 */
export function formatCommon(entry: AccessLogEntry, fields: FieldsConfig, generic = false): string {
  const f = (name: string): string => commonField(entry, fields, name);
  const request = `${f('RequestMethod')} ${f('RequestPath')} ${f('RequestProtocol')}`;
  const head = `${f('ClientHost')} - ${f('ClientUsername')} [${clfTime(entry.start)}] ${quoted(request)} ${f('DownstreamStatus')} ${f('DownstreamContentSize')} ${quoted(commonHeader(entry, fields, 'Referer'))} ${quoted(commonHeader(entry, fields, 'User-Agent'))}`;
  if (generic) return head;
  const ms = f('Duration') === '-' ? '-' : `${Math.round(entry.durationMs)}ms`;
  return `${head} ${f('RequestCount')} ${quoted(f('RouterName'))} ${quoted(f('ServiceURL'))} ${ms}`;
}

/** A JSON line with Traefik's field names, plus `level`, `msg` and `time` as Traefik writes them. */
export function formatJson(entry: AccessLogEntry, fields: FieldsConfig, now = new Date()): string {
  return JSON.stringify({ ...selectFields(entry, fields), level: 'info', msg: '', time: now.toISOString() });
}

/** The line formatter for `accessLog.format`. */
export function lineFormatter(format: AccessLogConfig['format'], fields: FieldsConfig): (entry: AccessLogEntry) => string {
  if (format === 'json') return (entry) => formatJson(entry, fields);
  const generic = format === 'genericCLF';
  return (entry) => formatCommon(entry, fields, generic);
}
