import test from 'ava';
import { buildConfiguration, formatIssue } from '../src/index.js';
import { routerYaml } from './helpers.js';

test('files are merged into one configuration', (t) => {
  const result = buildConfiguration([
    { path: '/d/a.yml', text: routerYaml('a') },
    { path: '/d/b.toml', text: '[http.middlewares.strip.stripPrefix]\nprefixes = ["/b"]\n[[tls.certificates]]\ncertFile = "/b.crt"\nkeyFile = "/b.key"\n' },
    { path: '/d/c.json', text: '{"tls": {"certificates": [{"certFile": "/c.crt", "keyFile": "/c.key"}]}}' },
  ]);
  t.deepEqual(result.errors, []);
  t.deepEqual(Object.keys(result.configuration.http!.routers!), ['a']);
  t.deepEqual(Object.keys(result.configuration.http!.services!), ['a']);
  t.deepEqual(Object.keys(result.configuration.http!.middlewares!), ['strip']);
  t.deepEqual(result.configuration.tls!.certificates!.map((c) => c.certFile), ['/b.crt', '/c.crt']);
});

test('an empty set of files gives empty element maps (so removing every file removes every route)', (t) => {
  const result = buildConfiguration([]);
  t.deepEqual(result.configuration, { http: { routers: {}, services: {}, middlewares: {}, serversTransports: {} } });
});

const duplicates: Array<[string, string, string, string, RegExp]> = [
  ['router', routerYaml('api'), '/d/b.yml', 'http:\n  routers:\n    api: {rule: "Path(`/`)", service: x}\n', /\/d\/b\.yml:3:5: http\.routers\.api: http router "api" is already defined in \/d\/a\.yml:3:5/],
  ['service', routerYaml('api'), '/d/b.json', '{\n  "http": {"services": {"api": {"loadBalancer": {"servers": [{"url": "http://b"}]}}}}\n}', /\/d\/b\.json:2:25: http\.services\.api: http service "api" is already defined in \/d\/a\.yml:7:5/],
  ['middleware', 'http:\n  middlewares:\n    m: {addPrefix: {prefix: /a}}\n', '/d/b.toml', '[http.middlewares.m.addPrefix]\nprefix = "/b"\n', /http middleware "m" is already defined in \/d\/a\.yml:3:5/],
  ['servers transport', 'http:\n  serversTransports:\n    t: {serverName: a}\n', '/d/b.yml', 'http:\n  serversTransports:\n    t: {serverName: b}\n', /http servers transport "t" is already defined in \/d\/a\.yml:3:5/],
];

for (const [kind, first, secondPath, second, message] of duplicates) {
  test(`a ${kind} defined in two files is an error naming both files`, (t) => {
    const result = buildConfiguration([
      { path: '/d/a.yml', text: first },
      { path: secondPath, text: second },
    ]);
    t.is(result.errors.length, 1);
    const formatted = formatIssue(result.errors[0]!);
    t.regex(formatted, message);
    t.true(formatted.startsWith(secondPath), formatted);
  });
}

test('a structural error in any file fails the whole build', (t) => {
  const result = buildConfiguration([
    { path: '/d/a.yml', text: routerYaml('a') },
    { path: '/d/b.yml', text: 'http:\n  routers: [b]\n' },
  ]);
  t.is(result.errors.length, 1);
  t.is(result.errors[0]!.file, '/d/b.yml');
  t.deepEqual(result.configuration, {});
});

test('an error inside one element keeps the build: the element goes as written, positioned in elementErrors', (t) => {
  const result = buildConfiguration([
    { path: '/d/a.yml', text: routerYaml('a') },
    { path: '/d/b.yml', text: 'http:\n  Routers:\n    b: {rulez: x}\n' },
  ]);
  t.deepEqual(result.errors, []);
  t.is(result.elementErrors.length, 1);
  t.like(result.elementErrors[0], { file: '/d/b.yml', line: 3, path: ['http', 'routers', 'b', 'rulez'] });
  t.deepEqual(result.configuration.http?.routers?.b as unknown, { rulez: 'x' });
  t.truthy(result.configuration.http?.routers?.a);
});

test('an error inside tcp, udp or tls (not served yet) is a warning, never fatal', (t) => {
  const result = buildConfiguration([{ path: '/d/a.yml', text: `${routerYaml('a')}tcp:\n  routers:\n    t: {bogus: 1}\n` }]);
  t.deepEqual(result.errors, []);
  t.truthy(result.configuration.http?.routers?.a);
  t.true(result.warnings.some((w) => w.path.join('.') === 'tcp.routers.t.bogus'), JSON.stringify(result.warnings));
});
