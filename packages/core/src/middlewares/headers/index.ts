import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { ConfigError } from '../../errors.js';
import type { Handler, MiddlewareContext, MiddlewareFactory } from '../middleware-factory.js';
import { onResponseHead } from '../response-head.js';

/** The subset of Traefik's `headers` middleware that Wharf implements (spec §d). */
export interface HeadersConfig {
  customRequestHeaders?: Record<string, string>;
  customResponseHeaders?: Record<string, string>;
  frameDeny?: boolean;
  customFrameOptionsValue?: string;
  contentTypeNosniff?: boolean;
  browserXssFilter?: boolean;
  customBrowserXSSValue?: string;
  contentSecurityPolicy?: string;
  contentSecurityPolicyReportOnly?: string;
  referrerPolicy?: string;
  permissionsPolicy?: string;
  stsSeconds?: number;
  stsIncludeSubdomains?: boolean;
  stsPreload?: boolean;
  forceSTSHeader?: boolean;
  [option: string]: unknown;
}

const SUPPORTED = new Set([
  'customRequestHeaders', 'customResponseHeaders', 'frameDeny', 'customFrameOptionsValue', 'contentTypeNosniff',
  'browserXssFilter', 'customBrowserXSSValue', 'contentSecurityPolicy', 'contentSecurityPolicyReportOnly',
  'referrerPolicy', 'permissionsPolicy', 'stsSeconds', 'stsIncludeSubdomains', 'stsPreload', 'forceSTSHeader',
]);
/** Removed in Traefik v3: accepted, no effect (as Traefik does). */
const REMOVED_IN_V3 = new Set(['sslRedirect', 'sslTemporaryRedirect', 'sslHost', 'sslForceHost', 'featurePolicy']);

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// RFC 9110 §5.5 field-value: visible characters, obs-text, spaces and tabs; no CR, LF or NUL.
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** What a character looks like in an error message (`\n`, `\u0000`), so that the message stays on one line. */
function showInvalid(value: string): string {
  const bad = /[^\t\x20-\x7e\x80-\xff]/.exec(value)![0];
  return bad === '\n' ? '\\n' : bad === '\r' ? '\\r' : `\\u${bad.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * Checks one header the middleware would write, now rather than per request: Node refuses to
 * send an invalid name or value, which would turn every response of the router into a 500.
 */
function checkHeader(ctx: MiddlewareContext, option: string, name: string, value: string): void {
  const path = `${ctx.name}.headers.${option}`;
  if (!TOKEN.test(name)) throw new ConfigError(path, `"${name}" is not a valid header name (RFC 9110 token)`);
  if (!FIELD_VALUE.test(value)) {
    throw new ConfigError(path, `the value of header "${name}" contains an invalid character (${showInvalid(value)}); a header value cannot hold line breaks or control characters`);
  }
}

function headerMap(ctx: MiddlewareContext, config: HeadersConfig, key: 'customRequestHeaders' | 'customResponseHeaders'): Array<[string, string]> {
  const map = config[key];
  if (map === undefined) return [];
  if (typeof map !== 'object' || map === null || Array.isArray(map)) throw new ConfigError(`${ctx.name}.headers.${key}`, `${key} must be a map of header names to values`);
  return Object.entries(map).map(([name, value]) => {
    if (typeof value !== 'string') throw new ConfigError(`${ctx.name}.headers.${key}.${name}`, `value of ${name} must be a string`);
    checkHeader(ctx, `${key}.${name}`, name, value);
    return [name, value];
  });
}

/** The option that sets each security header, for error paths. */
const OPTION_OF: Record<string, string> = {
  'X-Frame-Options': 'customFrameOptionsValue',
  'X-XSS-Protection': 'customBrowserXSSValue',
  'Content-Security-Policy': 'contentSecurityPolicy',
  'Content-Security-Policy-Report-Only': 'contentSecurityPolicyReportOnly',
  'Referrer-Policy': 'referrerPolicy',
  'Permissions-Policy': 'permissionsPolicy',
};

/** Security headers as fixed name/value pairs, computed once. */
function securityHeaders(ctx: MiddlewareContext, config: HeadersConfig): { always: Array<[string, string]>; sts: string | undefined } {
  const always: Array<[string, string]> = [];
  if (config.customFrameOptionsValue) always.push(['X-Frame-Options', config.customFrameOptionsValue]);
  else if (config.frameDeny) always.push(['X-Frame-Options', 'DENY']);
  if (config.contentTypeNosniff) always.push(['X-Content-Type-Options', 'nosniff']);
  if (config.customBrowserXSSValue) always.push(['X-XSS-Protection', config.customBrowserXSSValue]);
  else if (config.browserXssFilter) always.push(['X-XSS-Protection', '1; mode=block']);
  if (config.contentSecurityPolicy) always.push(['Content-Security-Policy', config.contentSecurityPolicy]);
  if (config.contentSecurityPolicyReportOnly) always.push(['Content-Security-Policy-Report-Only', config.contentSecurityPolicyReportOnly]);
  if (config.referrerPolicy) always.push(['Referrer-Policy', config.referrerPolicy]);
  if (config.permissionsPolicy) always.push(['Permissions-Policy', config.permissionsPolicy]);
  let sts: string | undefined;
  if (typeof config.stsSeconds === 'number' && config.stsSeconds > 0) {
    sts = `max-age=${config.stsSeconds}${config.stsIncludeSubdomains ? '; includeSubDomains' : ''}${config.stsPreload ? '; preload' : ''}`;
  }
  for (const [name, value] of always) {
    if (typeof value !== 'string') throw new ConfigError(`${ctx.name}.headers`, `the value of header "${name}" must be a string`);
    checkHeader(ctx, OPTION_OF[name] ?? name, name, value);
  }
  return { always, sts };
}

/**
 * `headers`: custom request and response headers (an empty value removes the header) and the
 * fixed security headers. CORS options are not implemented yet: they are rejected with a clear
 * error rather than silently ignored, so that a router never runs without the policy it asked for.
 */
export const headersFactory = {
  type: 'headers',
  create(ctx, config): Handler {
    for (const key of Object.keys(config)) {
      if (SUPPORTED.has(key)) continue;
      if (REMOVED_IN_V3.has(key)) {
        ctx.logger.warn({ middleware: ctx.name }, `headers.${key} was removed in Traefik v3 and has no effect`);
        continue;
      }
      throw new ConfigError(`${ctx.name}.headers.${key}`, `headers option "${key}" is not supported by Wharf yet`);
    }
    const request = headerMap(ctx, config, 'customRequestHeaders').map(([n, v]) => [n.toLowerCase(), v] as const);
    const response = headerMap(ctx, config, 'customResponseHeaders');
    const { always, sts } = securityHeaders(ctx, config);
    const forceSts = config.forceSTSHeader === true;
    const editResponse = response.length > 0 || always.length > 0 || sts !== undefined;

    return function headers(req, res, next): void {
      const h: IncomingHttpHeaders = req.headers;
      for (const [name, value] of request) {
        if (value === '') delete h[name];
        else h[name] = value;
      }
      if (editResponse) {
        const tls = req.wharf.scheme === 'https' || req.wharf.scheme === 'wss';
        onResponseHead(res, (r: ServerResponse) => {
          for (const [name, value] of always) r.setHeader(name, value);
          if (sts !== undefined && (tls || forceSts)) r.setHeader('Strict-Transport-Security', sts);
          for (const [name, value] of response) {
            if (value === '') r.removeHeader(name);
            else r.setHeader(name, value);
          }
        });
      }
      next();
    };
  },
} satisfies MiddlewareFactory<HeadersConfig>;
