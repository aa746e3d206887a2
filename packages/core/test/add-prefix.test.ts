import test from 'ava';
import { addPrefixFactory } from '../src/middlewares/add-prefix/index.js';
import type { WharfRequest } from '../src/middlewares/middleware-factory.js';

function run(prefix: string, url: string): string {
  const handler = addPrefixFactory.create({ name: 'm@file' } as never, { prefix });
  const req = { url } as WharfRequest;
  let called = false;
  handler(req, {} as never, () => (called = true));
  if (!called) throw new Error('next() was not called');
  return req.url!;
}

const cases: Array<{ prefix: string; url: string; expected: string }> = [
  { prefix: '/api', url: '/users?x=1', expected: '/api/users?x=1' },
  { prefix: '/api/', url: '/users', expected: '/api/users' },
  // Traefik: ensureLeadingSlash(prefix + path), so a prefix without "/" still yields a rooted path.
  { prefix: 'api', url: '/users', expected: '/api/users' },
  { prefix: 'v1/api', url: '/', expected: '/v1/api/' },
];
for (const c of cases) {
  test(`addPrefix ${JSON.stringify(c.prefix)} on ${c.url} → ${c.expected}`, (t) => {
    t.is(run(c.prefix, c.url), c.expected);
  });
}

test('addPrefix refuses an empty prefix, as Traefik does', (t) => {
  t.throws(() => addPrefixFactory.create({ name: 'm@file' } as never, { prefix: '' }), { message: /addPrefix needs a prefix/ });
});
