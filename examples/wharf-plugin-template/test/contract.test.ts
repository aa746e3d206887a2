import test from 'ava';
import { runProviderContract } from '@wharf/core/testing';
import plugin from '../src/index.js';

// The contract kit runs the plugin and sends its first snapshot through Wharf's kernel: green
// here means a real Wharf serves it.
test('passes the provider contract', async (t) => {
  await t.notThrowsAsync(
    runProviderContract({
      plugin,
      options: { host: 'app.example', url: 'http://127.0.0.1:8080', intervalMs: 60_000 },
      checkSnapshot: (message) => {
        if (message.configuration.http?.routers?.app?.rule !== 'Host(`app.example`)') throw new Error('router "app" missing');
      },
    }),
  );
});

test('a missing host stops Wharf at start', async (t) => {
  await t.throwsAsync(runProviderContract({ plugin, options: { host: '', url: 'http://127.0.0.1:8080', intervalMs: 1000 } }), { message: /host is required/ });
});
