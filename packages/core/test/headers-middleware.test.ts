import test from 'ava';
import { ConfigError } from '../src/errors.js';
import { silentLogger } from '../src/logger.js';
import { headersFactory, type HeadersConfig } from '../src/middlewares/headers/index.js';

const ctx = { name: 'secure@file', provider: 'file', logger: silentLogger() };

// Node refuses to send these (ERR_INVALID_CHAR / ERR_INVALID_HTTP_TOKEN): accepted at build time,
// they turned every response of the router into a 500 (issue 12, bug 2).
const invalid: ReadonlyArray<readonly [string, HeadersConfig, RegExp]> = [
  ['a line feed in a response header value', { customResponseHeaders: { 'X-Test': 'a\nb' } }, /secure@file\.headers\.customResponseHeaders\.X-Test: .*"X-Test".*\\n/],
  ['CR LF in a request header value', { customRequestHeaders: { 'X-Up': 'a\r\nInjected: 1' } }, /customRequestHeaders\.X-Up: .*"X-Up".*\\r/],
  ['a NUL byte in a value', { customResponseHeaders: { 'X-Nul': 'a\u0000' } }, /"X-Nul".*\\u0000/],
  ['a space in a header name', { customResponseHeaders: { 'X Bad': 'v' } }, /customResponseHeaders\.X Bad: "X Bad" is not a valid header name/],
  ['a colon in a header name', { customRequestHeaders: { 'X-A:': 'v' } }, /"X-A:" is not a valid header name/],
  ['a line feed in contentSecurityPolicy', { contentSecurityPolicy: "default-src 'self'\nscript-src *" }, /secure@file\.headers\.contentSecurityPolicy: .*"Content-Security-Policy"/],
  ['a line feed in customFrameOptionsValue', { customFrameOptionsValue: 'DENY\n' }, /headers\.customFrameOptionsValue: .*"X-Frame-Options"/],
];

for (const [title, config, message] of invalid) {
  test(`headers: ${title} is refused when the middleware is built`, (t) => {
    const err = t.throws(() => headersFactory.create(ctx, config), { instanceOf: ConfigError });
    t.regex(`${err.path}: ${err.message}`, message);
  });
}

test('headers: values with tabs, spaces and non-ASCII text are accepted', (t) => {
  t.notThrows(() => headersFactory.create(ctx, { customResponseHeaders: { 'X-Ok': 'a\tb c', 'X-Latin': 'caf\u00e9' }, referrerPolicy: 'no-referrer', customRequestHeaders: { 'X-Empty': '' } }));
});
