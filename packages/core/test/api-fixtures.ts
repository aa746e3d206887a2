import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EntryPointConfig } from '../src/config/static/types.js';
import { RuntimeConfiguration, type MiddlewareInfo, type RouterInfo, type ServiceInfo } from '../src/runtime/runtime-configuration.js';
import { RuntimeState } from '../src/runtime/runtime-state.js';

export function router(name: string, rule: string, service: string, extra: Partial<RouterInfo> & { middlewares?: string[]; entryPoints?: string[] } = {}): RouterInfo {
  const [, provider = 'file'] = name.split('@');
  const { middlewares, entryPoints, ...info } = extra;
  return {
    name,
    provider,
    status: 'enabled',
    using: entryPoints ?? ['web'],
    priority: rule.length,
    config: { rule, service, ...(middlewares ? { middlewares } : {}), ...(entryPoints ? { entryPoints } : {}) },
    ...info,
  };
}

export function service(name: string, urls: string[], extra: Partial<ServiceInfo> = {}): ServiceInfo {
  const [, provider = 'file'] = name.split('@');
  return { name, provider, status: 'enabled', type: 'loadbalancer', usedBy: [], config: { loadBalancer: { servers: urls.map((url) => ({ url })) } }, serverStatus: Object.fromEntries(urls.map((u) => [u, 'UP' as const])), ...extra };
}

export function middleware(name: string, config: MiddlewareInfo['config'], type: string, extra: Partial<MiddlewareInfo> = {}): MiddlewareInfo {
  const [, provider = 'file'] = name.split('@');
  return { name, provider, status: 'enabled', type, usedBy: [], config, ...extra };
}

export const entryPoint = (address: string): EntryPointConfig => ({
  address,
  asDefault: false,
  reusePort: false,
  forwardedHeaders: { trustedIPs: [], insecure: false, notAppendXForwardedFor: false, connection: [] },
  transport: { respondingTimeouts: { readTimeout: 60_000, writeTimeout: 0, idleTimeout: 180_000 }, lifeCycle: { requestAcceptGraceTimeout: 0, graceTimeOut: 10_000 }, keepAliveMaxRequests: 0, keepAliveMaxTime: 0 },
  http: {
    sanitizePath: true,
    middlewares: [],
    maxHeaderBytes: 16384,
    encodedCharacters: { allowEncodedSlash: true, allowEncodedBackSlash: true, allowEncodedNullCharacter: true, allowEncodedSemicolon: true, allowEncodedPercent: true, allowEncodedQuestionMark: true, allowEncodedHash: true },
  },
});

/** A runtime with routers of every status, two providers, a secret-bearing middleware. */
export function sampleState(): RuntimeState {
  const runtime = new RuntimeConfiguration();
  const add = <T extends { name: string }>(map: Map<string, T>, ...items: T[]): void => items.forEach((i) => map.set(i.name, i));
  add(
    runtime.routers,
    router('alpha@file', 'Host(`alpha.test`)', 'app@file', { middlewares: ['auth@file'] }),
    router('beta@file', 'Host(`beta.test`) && PathPrefix(`/api`)', 'app@file', { priority: 100 }),
    router('gamma@ecs', 'Host(`gamma.test`)', 'whoami@ecs', { status: 'warning', error: ['entryPoint "nope" doesn\'t exist'] }),
    router('delta@ecs', 'Host(`delta.test`', 'whoami@ecs', { status: 'disabled', error: ['invalid rule: missing ")"'] }),
    router('epsilon@file', 'Host(`epsilon.test`)', 'missing@file', { status: 'disabled', error: ['the service "missing@file" does not exist'], middlewares: ['auth@file', 'strip@file'] }),
  );
  add(
    runtime.services,
    service('app@file', ['http://10.0.0.1:80', 'http://10.0.0.2:80'], { usedBy: ['alpha@file', 'beta@file'], serverStatus: { 'http://10.0.0.1:80': 'UP', 'http://10.0.0.2:80': 'DOWN' } }),
    service('whoami@ecs', ['http://admin:hunter2@10.0.1.1:8080'], { usedBy: ['gamma@ecs', 'delta@ecs'] }),
    service('broken@file', [], { status: 'disabled', error: ['the service "broken@file" has no servers'] }),
  );
  add(
    runtime.middlewares,
    middleware('auth@file', { basicAuth: { users: ['alice:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/', 'bob:$apr1$d9hr9HBB$4HxwgUir3HP4EsggP/QNo0'] } }, 'basicauth', { usedBy: ['alpha@file', 'epsilon@file'] }),
    middleware('strip@file', { stripPrefix: { prefixes: ['/api'] } }, 'stripprefix', { usedBy: ['epsilon@file'] }),
    middleware('hdr@ecs', { headers: { customRequestHeaders: { Authorization: 'Bearer s3cr3t', 'X-Team': 'blue' } } }, 'headers'),
  );
  runtime.providers.push('internal', 'file', 'ecs');
  const state = new RuntimeState();
  state.publish(runtime, true);
  state.entryPointAddresses.set('web', '127.0.0.1:8000');
  return state;
}

/** Serves `handler` on a loopback port; returns its base URL and a closer. */
export async function serve(handler: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void): Promise<{ url: string; close(): Promise<void>; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
