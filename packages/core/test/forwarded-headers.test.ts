import test from 'ava';
import type { IncomingHttpHeaders } from 'node:http';
import { downstreamHeaders, stripForwardedHeaders, upstreamHeaders } from '../src/proxy/forwarded-headers.js';
import type { WharfRequest } from '../src/middlewares/middleware-factory.js';

function req(headers: IncomingHttpHeaders, trusted: boolean, clientIp = '10.1.2.3', scheme = 'http'): WharfRequest {
  return { headers, wharf: { entryPoint: 'web', scheme, peerAddress: clientIp, trustForwardedHeaders: trusted, facts: { clientIp } } } as unknown as WharfRequest;
}

const cases: Array<{ title: string; headers: IncomingHttpHeaders; trusted: boolean; passHost?: boolean; expect: Record<string, string | undefined> }> = [
  {
    title: 'an untrusted peer cannot forge forwarded headers',
    headers: { host: 'app.test', 'x-forwarded-for': '6.6.6.6', 'x-forwarded-host': 'evil.test', 'x-real-ip': '6.6.6.6', 'x-forwarded-proto': 'https' },
    trusted: false,
    expect: { 'x-forwarded-for': '10.1.2.3', 'x-forwarded-host': 'app.test', 'x-real-ip': '10.1.2.3', 'x-forwarded-proto': 'http', 'x-forwarded-port': '80', host: 'app.test' },
  },
  {
    title: 'a trusted peer keeps its values and X-Forwarded-For is appended to',
    headers: { host: 'app.test:8443', 'x-forwarded-for': '1.1.1.1', 'x-forwarded-proto': 'https', 'x-real-ip': '1.1.1.1' },
    trusted: true,
    expect: { 'x-forwarded-for': '1.1.1.1, 10.1.2.3', 'x-forwarded-proto': 'https', 'x-real-ip': '1.1.1.1', 'x-forwarded-host': 'app.test:8443', 'x-forwarded-port': '8443' },
  },
  {
    title: 'hop-by-hop headers and those named by Connection are removed',
    headers: { host: 'a', connection: 'keep-alive, x-secret', 'keep-alive': 'timeout=5', 'x-secret': '1', te: 'gzip', 'proxy-authorization': 'x', 'transfer-encoding': 'chunked', upgrade: 'h2c', 'x-kept': 'yes' },
    trusted: false,
    expect: { connection: undefined, 'keep-alive': undefined, 'x-secret': undefined, te: undefined, 'proxy-authorization': undefined, 'transfer-encoding': undefined, upgrade: undefined, 'x-kept': 'yes' },
  },
  {
    title: 'an untrusted peer cannot send any managed X- header, in dash or underscore spelling',
    headers: {
      host: 'app.test',
      'x-forwarded-prefix': '/evil',
      'x-forwarded-uri': '/evil',
      'x-forwarded-method': 'DELETE',
      'x-forwarded-tls-client-cert': 'forged',
      'x-forwarded-tls-client-cert-info': 'forged',
      'x-scheme': 'https',
      'x-forwarded-scheme': 'https',
      x_forwarded_for: '6.6.6.6',
      'x-real_ip': '6.6.6.6',
      'x_forwarded_prefix': '/evil',
      'x-other_thing': 'kept',
    },
    trusted: false,
    expect: {
      'x-forwarded-prefix': undefined,
      'x-forwarded-uri': undefined,
      'x-forwarded-method': undefined,
      'x-forwarded-tls-client-cert': undefined,
      'x-forwarded-tls-client-cert-info': undefined,
      'x-scheme': undefined,
      'x-forwarded-scheme': undefined,
      x_forwarded_for: undefined,
      'x-real_ip': undefined,
      x_forwarded_prefix: undefined,
      'x-other_thing': 'kept',
      'x-forwarded-for': '10.1.2.3',
    },
  },
  {
    title: 'a trusted peer keeps the underscore spellings and X-Forwarded-Prefix',
    headers: { host: 'app.test', 'x-forwarded-prefix': '/app', x_forwarded_for: '1.1.1.1' },
    trusted: true,
    expect: { 'x-forwarded-prefix': '/app', x_forwarded_for: '1.1.1.1' },
  },
  {
    title: 'Connection cannot remove Host nor the managed X- headers',
    headers: { host: 'app.test', connection: 'host, x-forwarded-host, x-real-ip, x-gone', 'x-gone': '1' },
    trusted: false,
    expect: { host: 'app.test', 'x-forwarded-host': 'app.test', 'x-real-ip': '10.1.2.3', 'x-gone': undefined },
  },
  {
    title: 'passHostHeader false sends the server host',
    headers: { host: 'app.test' },
    trusted: false,
    passHost: false,
    expect: { host: '10.0.0.5:8080', 'x-forwarded-host': 'app.test' },
  },
];

for (const c of cases) {
  test(c.title, (t) => {
    // The entry point strips an untrusted peer's forwarded headers before any middleware runs.
    const headers = { ...c.headers };
    if (!c.trusted) stripForwardedHeaders(headers);
    const out = upstreamHeaders(req(headers, c.trusted), c.passHost ?? true, '10.0.0.5:8080', false);
    for (const [name, value] of Object.entries(c.expect)) t.is(out[name] as string | undefined, value, name);
    t.truthy(out['x-forwarded-server']);
  });
}

test('response hop-by-hop headers are removed, the rest kept', (t) => {
  const out = downstreamHeaders({ connection: 'close, x-hop', 'x-hop': '1', 'keep-alive': 'timeout=5', 'transfer-encoding': 'chunked', 'set-cookie': ['a=1', 'b=2'], 'content-type': 'text/plain' });
  t.deepEqual(out, { 'set-cookie': ['a=1', 'b=2'], 'content-type': 'text/plain' });
});
