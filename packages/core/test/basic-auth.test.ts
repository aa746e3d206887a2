import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { hashSync } from 'bcryptjs';
import { ConfigError } from '../src/errors.js';
import { silentLogger } from '../src/logger.js';
import { apr1Digest } from '../src/middlewares/basic-auth/apr1.js';
import { parseBasicAuthorization } from '../src/middlewares/basic-auth/credentials.js';
import { basicAuthFactory, type BasicAuthConfig } from '../src/middlewares/basic-auth/index.js';
import { parsePasswordHash, type PasswordHash, type PasswordHashKind } from '../src/middlewares/basic-auth/password-hash.js';
import { UserDirectory } from '../src/middlewares/basic-auth/user-directory.js';
import { VerificationCache } from '../src/middlewares/basic-auth/verification-cache.js';
import type { WharfRequest } from '../src/middlewares/middleware-factory.js';

// Vectors written by `htpasswd` (apache2-utils 2.4) and `openssl passwd`, hardcoded.
const LONG = 'correct horse battery staple ünïcödé';
const bcryptLow = hashSync('s3cret', 4);
const vectors: Array<{ title: string; hash: string; password: string; kind: PasswordHashKind }> = [
  { title: 'bcrypt $2y$ (htpasswd -B)', hash: '$2y$04$vyh/D7r/lL8P1RJ2jvvePOmyn8IKIqIljYsuWNW99JJVixrmV8WG6', password: 'secret', kind: 'bcrypt' },
  { title: 'bcrypt $2b$ (bcryptjs)', hash: bcryptLow, password: 's3cret', kind: 'bcrypt' },
  { title: 'bcrypt $2a$', hash: bcryptLow.replace(/^\$2b\$/, '$2a$'), password: 's3cret', kind: 'bcrypt' },
  { title: 'apr1 from the Traefik docs', hash: '$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/', password: 'test', kind: 'apr1' },
  { title: 'apr1 (htpasswd -m)', hash: '$apr1$cMTeeVJd$xsLypmAUVW23fkhK5v7n70', password: 'hunter2', kind: 'apr1' },
  { title: 'apr1 one-byte password', hash: '$apr1$ZN32JHB9$pZEVAp7Fz2hfIZ8OAr3dW/', password: 'x', kind: 'apr1' },
  { title: 'apr1 long UTF-8 password', hash: '$apr1$fPTMfpkB$cRuXDCBLyRQ5kmRc/N6N0/', password: LONG, kind: 'apr1' },
  { title: 'SHA1 (htpasswd -s)', hash: '{SHA}nU4eI71bcnBGqeO0t9tXvY1u5oQ=', password: 'pass', kind: 'sha1' },
  { title: 'SHA1 long UTF-8 password', hash: '{SHA}ldA8OiPME9ABQ+G1NgwzOpRHHCY=', password: LONG, kind: 'sha1' },
];

for (const v of vectors) {
  test(`hash: ${v.title} verifies its password and no other`, async (t) => {
    const hash = parsePasswordHash(v.hash);
    t.is(hash?.kind, v.kind);
    t.true(await hash!.verify(Buffer.from(v.password)));
    t.false(await hash!.verify(Buffer.from(v.password + 'x')));
    t.false(await hash!.verify(Buffer.alloc(0)));
  });
}

test('apr1 digest matches openssl passwd -apr1', (t) => {
  t.is(apr1Digest(Buffer.from('test'), 'H6uskkkW'), 'IgXLP6ewTrSuBkTrqE8wj/');
  t.is(apr1Digest(Buffer.from(LONG), 'fPTMfpkB'), 'cRuXDCBLyRQ5kmRc/N6N0/');
});

const unsupported = [
  ['plain text', 'plain'],
  ['DES crypt (htpasswd -d)', 'dqSW9if75fQFo'],
  ['SHA-512 crypt', '$6$abc$K4v3HcZ8yAmpRfxML6S46NCcqy9r4/KdbQpFvqSWsBf4dgySOEOo1DHJTrmn2BsJK2aNmPN8Tfb826D2o9.z51'],
  ['truncated bcrypt', '$2y$04$vyh/D7r/lL8P1RJ2jvvePOmyn8IKIqIljYsuWNW99JJVixrm'],
  ['bcrypt with unknown minor', '$2x$04$vyh/D7r/lL8P1RJ2jvvePOmyn8IKIqIljYsuWNW99JJVixrmV8WG6'],
  ['SHA1 of the wrong length', '{SHA}nU4eI71bcnBGqeO0t9tXvY1u5o=='],
  ['empty', ''],
];
for (const [title, hash] of unsupported) {
  test(`hash: ${title} is not accepted`, (t) => {
    t.is(parsePasswordHash(hash!), undefined);
  });
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const headers: Array<[string, string | undefined, { user: string; password: string } | undefined]> = [
  ['missing', undefined, undefined],
  ['another scheme', `Bearer ${b64('a:b')}`, undefined],
  ['no credentials', 'Basic ', undefined],
  ['bad base64', 'Basic a:b', undefined],
  ['base64 with junk', `Basic ${b64('a:b')}!`, undefined],
  ['no colon', `Basic ${b64('ab')}`, undefined],
  ['simple', `Basic ${b64('a:b')}`, { user: 'a', password: 'b' }],
  ['lower-case scheme', `basic ${b64('a:b')}`, { user: 'a', password: 'b' }],
  ['colon in the password', `Basic ${b64('a:b:c')}`, { user: 'a', password: 'b:c' }],
  ['empty password', `Basic ${b64('a:')}`, { user: 'a', password: '' }],
];
for (const [title, header, expected] of headers) {
  test(`authorization header: ${title}`, (t) => {
    const parsed = parseBasicAuthorization(header);
    t.deepEqual(parsed && { user: parsed.user, password: parsed.password.toString() }, expected);
  });
}

test('the verification cache is bounded and evicts the least recently used pair', (t) => {
  const cache = new VerificationCache(2);
  const [a, b, c] = ['a', 'b', 'c'].map((u) => VerificationCache.key(u, Buffer.from('pw')));
  t.not(VerificationCache.key('a', Buffer.from('pw')), VerificationCache.key('a', Buffer.from('pw2')));
  cache.add(a!);
  cache.add(b!);
  t.true(cache.has(a!)); // a is now the most recent
  cache.add(c!);
  t.is(cache.size, 2);
  t.true(cache.has(a!));
  t.false(cache.has(b!));
  t.true(cache.has(c!));
});

// --- the middleware on a real loopback server ---------------------------------------------------

function create(config: BasicAuthConfig): ReturnType<typeof basicAuthFactory.create> {
  return basicAuthFactory.create({ name: 'auth@test', provider: 'test', logger: silentLogger() }, config);
}

/** Serves `config`'s handler; a request let through answers 200 with the headers it carried on. */
async function serve(config: BasicAuthConfig): Promise<{ url: string; close: () => void }> {
  const handler = create(config);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const wreq = Object.assign(req, { wharf: {} }) as unknown as WharfRequest;
    handler(wreq, res, (err) => {
      res.statusCode = err ? 500 : 200;
      res.setHeader('x-authenticated-user', wreq.wharf.user ?? '');
      res.end(JSON.stringify(req.headers));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => server.close() };
}

async function call(url: string, authorization?: string): Promise<{ status: number; challenge: string | null; body: string }> {
  const res = await fetch(url, { headers: authorization === undefined ? {} : { authorization } });
  return { status: res.status, challenge: res.headers.get('www-authenticate'), body: await res.text() };
}

const USERS = ['test:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/', `bea:${bcryptLow}`, 'carol:{SHA}nU4eI71bcnBGqeO0t9tXvY1u5oQ='];
const requests: Array<[string, string | undefined, number]> = [
  ['apr1 user, right password', `Basic ${b64('test:test')}`, 200],
  ['bcrypt user, right password', `Basic ${b64('bea:s3cret')}`, 200],
  ['SHA1 user, right password', `Basic ${b64('carol:pass')}`, 200],
  ['wrong password', `Basic ${b64('test:nope')}`, 401],
  ['password of another user', `Basic ${b64('test:pass')}`, 401],
  ['unknown user', `Basic ${b64('mallory:test')}`, 401],
  ['no header', undefined, 401],
  ['not Basic', `Digest ${b64('test:test')}`, 401],
  ['bad base64', 'Basic %%%', 401],
  ['no colon', `Basic ${b64('testtest')}`, 401],
];

test('requests are let through only with the right credentials, with Traefik\'s 401 otherwise', async (t) => {
  const server = await serve({ users: USERS });
  try {
    for (const [title, header, status] of requests) {
      const res = await call(server.url, header);
      t.is(res.status, status, title);
      if (status === 401) {
        t.is(res.challenge, 'Basic realm="traefik"', title);
        t.is(res.body, '401 Unauthorized\n', title);
      } else {
        t.is(res.challenge, null, title);
        t.is((JSON.parse(res.body) as Record<string, string | undefined>).authorization, header, `${title}: Authorization is kept by default`);
      }
    }
    // A cached success must not open the door to other passwords of the same user.
    t.is((await call(server.url, `Basic ${b64('bea:s3cret')}`)).status, 200);
    t.is((await call(server.url, `Basic ${b64('bea:s3cret2')}`)).status, 401);
  } finally {
    server.close();
  }
});

test('a correct bcrypt password is verified once, then answered from the cache', async (t) => {
  // bcrypt runs asynchronously; a cached success is answered synchronously, before the handler
  // returns — which shows without timing that the second request did not run bcrypt again.
  const handler = create({ users: [`slow:${hashSync('pw', 4)}`] });
  const attempt = (password: string): { sync: boolean; done: Promise<void> } => {
    let called = false;
    let resolve!: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    const req = { headers: { authorization: `Basic ${b64(`slow:${password}`)}` }, wharf: {} } as unknown as WharfRequest;
    const res = { setHeader: () => undefined, writeHead: () => undefined, end: () => resolve(), statusCode: 0 } as unknown as ServerResponse;
    handler(req, res, () => {
      called = true;
      resolve();
    });
    return { sync: called, done };
  };
  const first = attempt('pw');
  t.false(first.sync, 'the first success needs bcrypt');
  await first.done;
  const second = attempt('pw');
  t.true(second.sync, 'the second success comes from the cache');
  const wrong = attempt('nope');
  t.false(wrong.sync, 'another password is verified again');
  await wrong.done;
});

// Issue 12, bug 10: an unknown user must cost a hash verification, like a wrong password, or
// response times tell which users exist. Deterministic: counted calls, not a stopwatch.
function countingHash(kind: PasswordHashKind, work: number, matches = false): PasswordHash & { calls: number } {
  const hash = {
    kind,
    work,
    calls: 0,
    verify: async (): Promise<boolean> => {
      hash.calls++;
      return matches;
    },
  };
  return hash;
}

test('an unknown user is verified against the costliest configured hash, and refused', async (t) => {
  const sha1 = countingHash('sha1', 1, true);
  const bcrypt = countingHash('bcrypt', 1000 * 2 ** 10, true);
  const apr1 = countingHash('apr1', 1000, true);
  const directory = new UserDirectory(new Map<string, PasswordHash>([['s', sha1], ['b', bcrypt], ['a', apr1]]));
  t.false(await directory.check('mallory', Buffer.from('whatever')), 'refused even though the decoy matches');
  t.deepEqual([sha1.calls, bcrypt.calls, apr1.calls], [0, 1, 0], 'one verification, against bcrypt');
  t.true(await directory.check('a', Buffer.from('pw')));
  t.deepEqual([sha1.calls, bcrypt.calls, apr1.calls], [0, 1, 1], 'a known user: its own hash only');
});

test('the bcrypt cost sets the work of a hash', (t) => {
  t.true(parsePasswordHash(hashSync('x', 5))!.work > parsePasswordHash(hashSync('x', 4))!.work);
  t.true(parsePasswordHash(hashSync('x', 4))!.work > parsePasswordHash('$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/')!.work);
  t.true(parsePasswordHash('$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/')!.work > parsePasswordHash('{SHA}nU4eI71bcnBGqeO0t9tXvY1u5oQ=')!.work);
});

test('the middleware refuses an unknown user only after hash work, as a wrong password', async (t) => {
  // A refusal without hash work is written before the handler returns; one after bcrypt is not.
  const handler = create({ users: [`known:${hashSync('pw', 4)}`] });
  const attempt = (user: string, password: string): { sync: boolean; done: Promise<number> } => {
    let answered = false;
    let resolve!: (status: number) => void;
    const done = new Promise<number>((r) => (resolve = r));
    const res = { statusCode: 0, setHeader: () => undefined, end: () => ((answered = true), resolve(res.statusCode)) } as unknown as ServerResponse;
    const req = { headers: { authorization: `Basic ${b64(`${user}:${password}`)}` }, wharf: {} } as unknown as WharfRequest;
    handler(req, res, () => resolve(200));
    return { sync: answered, done };
  };
  const unknown = attempt('mallory', 'pw');
  t.false(unknown.sync, 'an unknown user is not refused at once');
  t.is(await unknown.done, 401);
  const wrong = attempt('known', 'nope');
  t.false(wrong.sync);
  t.is(await wrong.done, 401);
});

test('realm, headerField and removeHeader', async (t) => {
  const server = await serve({ users: USERS.join(','), realm: 'my "zone"', headerField: 'X-WebAuth-User', removeHeader: true });
  try {
    const denied = await call(server.url, `Basic ${b64('carol:wrong')}`);
    t.is(denied.challenge, 'Basic realm="my \\"zone\\""');
    const ok = await call(server.url, `Basic ${b64('carol:pass')}`);
    t.is(ok.status, 200);
    const seen = JSON.parse(ok.body) as Record<string, string>;
    t.is(seen['x-webauth-user'], 'carol');
    t.false('authorization' in seen);
  } finally {
    server.close();
  }
});

test('headerField replaces a user name the client sent itself', async (t) => {
  const handler = create({ users: USERS, headerField: 'X-User' });
  const req = { headers: { authorization: `Basic ${b64('test:test')}`, 'x-user': 'admin' }, wharf: {} } as unknown as WharfRequest;
  await new Promise<void>((resolve) => handler(req, {} as ServerResponse, () => resolve()));
  t.is(req.headers['x-user'], 'test');
  t.is(req.wharf.user, 'test', 'the user is recorded for the access log');
});

test('usersFile: comments and blank lines are skipped, and its users win over users', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'wharf-basic-auth-'));
  const file = join(dir, 'htpasswd');
  await writeFile(file, ['# admins', '', '  carol:{SHA}ldA8OiPME9ABQ+G1NgwzOpRHHCY=  ', '#test:{SHA}nU4eI71bcnBGqeO0t9tXvY1u5oQ=', 'one:$apr1$ZN32JHB9$pZEVAp7Fz2hfIZ8OAr3dW/', ''].join('\r\n'));
  const server = await serve({ users: USERS, usersFile: file });
  try {
    t.is((await call(server.url, `Basic ${b64(`carol:${LONG}`)}`)).status, 200);
    t.is((await call(server.url, `Basic ${b64('carol:pass')}`)).status, 401, 'the file redefines carol');
    t.is((await call(server.url, `Basic ${b64('one:x')}`)).status, 200);
    t.is((await call(server.url, `Basic ${b64('test:test')}`)).status, 200, 'users not in the file are kept');
  } finally {
    server.close();
  }
});

const configErrors: Array<{ title: string; config: BasicAuthConfig; path: string; message: RegExp; secret?: string }> = [
  { title: 'an entry without a colon', config: { users: ['test:{SHA}nU4eI71bcnBGqeO0t9tXvY1u5oQ=', 'hunter2'] }, path: 'auth@test.basicAuth.users[1]', message: /users\[1\] is not "user:hash"/, secret: 'hunter2' },
  { title: 'an empty user', config: { users: [':{SHA}nU4eI71bcnBGqeO0t9tXvY1u5oQ='] }, path: 'auth@test.basicAuth.users[0]', message: /empty user name/, secret: 'nU4eI71' },
  { title: 'a plain-text password', config: { users: ['alice:opensesame'] }, path: 'auth@test.basicAuth.users[0]', message: /user "alice".*unsupported password hash.*bcrypt.*\$apr1\$.*\{SHA\}/, secret: 'opensesame' },
  { title: 'a crypt hash', config: { users: 'bob:dqSW9if75fQFo' }, path: 'auth@test.basicAuth.users[0]', message: /user "bob"/, secret: 'dqSW9if75fQFo' },
  { title: 'no users at all', config: { users: [] }, path: 'auth@test.basicAuth.users', message: /at least one user/ },
  { title: 'users not strings', config: { users: [1] as never }, path: 'auth@test.basicAuth.users', message: /list of strings/ },
  { title: 'a missing usersFile', config: { usersFile: '/nonexistent/wharf/htpasswd' }, path: 'auth@test.basicAuth.usersFile', message: /cannot read usersFile.*ENOENT/ },
  { title: 'a bad headerField', config: { users: USERS, headerField: 'X User' }, path: 'auth@test.basicAuth.headerField', message: /not a valid header name/ },
  { title: 'a realm with a newline', config: { users: USERS, realm: 'a\nb' }, path: 'auth@test.basicAuth.realm', message: /control characters/ },
  { title: 'a non-boolean removeHeader', config: { users: USERS, removeHeader: 'yes' as never }, path: 'auth@test.basicAuth.removeHeader', message: /boolean/ },
];
for (const c of configErrors) {
  test(`config error: ${c.title}`, (t) => {
    const err = t.throws(() => create(c.config), { instanceOf: ConfigError });
    t.is(err?.path, c.path);
    t.regex(err?.message ?? '', c.message);
    if (c.secret) t.false(err?.message.includes(c.secret), 'the error must not quote the password or hash');
  });
}

test('config error: a bad line of usersFile names the line, not its content', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'wharf-basic-auth-'));
  const file = join(dir, 'htpasswd');
  await writeFile(file, '# users\nok:{SHA}nU4eI71bcnBGqeO0t9tXvY1u5oQ=\nzed:letmein\n');
  const err = t.throws(() => create({ usersFile: file }), { instanceOf: ConfigError });
  t.regex(err?.message ?? '', /user "zed" \(usersFile line 3\)/);
  t.false(err?.message.includes('letmein'));
});
