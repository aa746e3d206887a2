import type { AccessLogConfig } from '../../config/static/types.js';
import type { AccessLogEntry } from './entry.js';

export type FieldsConfig = AccessLogConfig['fields'];

/** Written in place of a header value whose mode is `redact`. */
export const REDACTED = 'REDACTED';

type HeaderMode = 'keep' | 'drop' | 'redact';

function headerMode(config: FieldsConfig, name: string): HeaderMode {
  const names = config.headers.names;
  const mode = names[name] ?? Object.entries(names).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  return mode ?? config.headers.defaultMode;
}

/**
 * The fields a JSON line carries after `accessLog.fields`: each Traefik field kept or dropped
 * (`defaultMode`, overridden per name), and headers as `request_<Name>` / `downstream_<Name>` / `origin_<Name>`,
 * kept, dropped or redacted (`headers.defaultMode`, `drop` by default).
 */
export function selectFields(entry: AccessLogEntry, config: FieldsConfig): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(entry.fields)) {
    if ((config.names[name] ?? config.defaultMode) === 'keep') out[name] = value;
  }
  const headers = (prefix: string, map: Record<string, string>): void => {
    for (const [name, value] of Object.entries(map)) {
      const mode = headerMode(config, name);
      if (mode !== 'drop') out[`${prefix}${name}`] = mode === 'redact' ? REDACTED : value;
    }
  };
  headers('request_', entry.requestHeaders);
  headers('downstream_', entry.downstreamHeaders);
  headers('origin_', entry.originHeaders);
  return out;
}

/**
 * A request header for the common line: Traefik prints Referer and User-Agent whatever the
 * header default, so only an explicit per-name `drop` or `redact` changes them.
 */
export function commonHeader(entry: AccessLogEntry, config: FieldsConfig, name: string): string {
  const explicit = config.headers.names[name];
  if (explicit === 'drop') return '-';
  if (explicit === 'redact') return REDACTED;
  return entry.requestHeaders[name] ?? '-';
}

/** A field for the common line, `-` when dropped or empty. */
export function commonField(entry: AccessLogEntry, config: FieldsConfig, name: string): string {
  if ((config.names[name] ?? config.defaultMode) !== 'keep') return '-';
  const value = entry.fields[name];
  return value === undefined || value === '' ? '-' : String(value);
}
