import 'reflect-metadata';
import test from 'ava';
import type { DynamicConfiguration } from '../src/config/dynamic/types.js';
import type { ProviderPlugin } from '../src/provider/provider.js';
import { runProviderContract } from '../src/testing/provider-contract.js';
import { Tokens } from '../src/tokens.js';

// The contract kit runs a plugin's first snapshot through the kernel (boundary decode, merge,
// build), so a plugin that passes the kit is one Wharf serves.

/** A plugin that emits `configuration` once and waits for its signal. */
function emitting(configuration: unknown): ProviderPlugin {
  return {
    name: 'fixed',
    configSchema: {},
    register(container) {
      container.register(Tokens.Provider, {
        useValue: {
          name: 'fixed',
          init: async () => {},
          provide: async (emit: (m: { providerName: string; configuration: DynamicConfiguration }) => void, signal: AbortSignal) => {
            emit({ providerName: 'fixed', configuration: configuration as DynamicConfiguration });
            await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
          },
        },
      });
    },
  };
}

const lowercase = {
  http: {
    routers: { r: { rule: 'Host(`a.test`)', entrypoints: ['web'], service: 's', priority: '10' } },
    services: { s: { loadbalancer: { servers: [{ url: 'http://127.0.0.1:9' }] } } },
  },
};

test("Traefik's lower-case spellings and text scalars pass, as Wharf serves them", async (t) => {
  await t.notThrowsAsync(runProviderContract({ plugin: emitting(lowercase), options: {} }));
});

const failures: Array<{ title: string; configuration: unknown; message: RegExp }> = [
  { title: 'an unknown key', configuration: { http: { routers: { r: { rule: 'Host(`a`)', service: 's', bogus: 1 } }, services: lowercase.http.services } }, message: /router "r@fixed" is disabled in Wharf: provider "fixed", router "r@fixed", key http\.routers\.r\.bogus: unknown field "bogus"/ },
  { title: 'a service of the wrong shape', configuration: { http: { services: { s: { loadBalancer: { servers: 'http://x' } } } } }, message: /service "s@fixed" is disabled in Wharf: .*key http\.services\.s\.loadBalancer\.servers\.0: expected an object/ },
  { title: 'an invalid rule', configuration: { http: { routers: { r: { rule: 'Host(`a`', service: 's' } }, services: lowercase.http.services } }, message: /router "r@fixed" is disabled in Wharf: invalid rule/ },
  { title: 'a missing middleware', configuration: { http: { routers: { r: { rule: 'Host(`a`)', service: 's', middlewares: ['auth@file'] } }, services: lowercase.http.services } }, message: /router "r@fixed" is disabled in Wharf: middleware "auth@file" does not exist/ },
  { title: 'not an object', configuration: 'oops', message: /the kernel rejects the snapshot: provider "fixed": expected an object at the top level/ },
];

for (const { title, configuration, message } of failures) {
  test(`the kit fails ${title} with the kernel's message`, async (t) => {
    const error = await t.throwsAsync(runProviderContract({ plugin: emitting(configuration), options: {} }));
    t.regex(error!.message, message);
  });
}

test('allowDisabled lets a router depend on another provider', async (t) => {
  const configuration = { http: { routers: { r: { rule: 'Host(`a`)', service: 's', middlewares: ['auth@file'] } }, services: lowercase.http.services } };
  await t.notThrowsAsync(runProviderContract({ plugin: emitting(configuration), options: {}, allowDisabled: ['r@fixed'] }));
});
