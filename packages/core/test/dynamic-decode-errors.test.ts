import test from 'ava';
import { decodeDynamicConfiguration } from '../src/config/dynamic/decode.js';

interface ErrorCase {
  name: string;
  input: unknown;
  path: string[];
  message: RegExp;
}

const router = (fields: Record<string, unknown>): unknown => ({ http: { routers: { api: fields } } });
const ROUTER = ['http', 'routers', 'api'];
const lb = (fields: Record<string, unknown>): unknown => ({ http: { services: { s: { loadBalancer: fields } } } });
const LB = ['http', 'services', 's', 'loadBalancer'];

const cases: ErrorCase[] = [
  { name: 'top level is not an object', input: ['http'], path: [], message: /expected an object at the top level, got a list/ },
  { name: 'unknown nested key, with a suggestion', input: router({ rulle: 'x' }), path: [...ROUTER, 'rulle'], message: /unknown field "rulle"; did you mean "rule"\?/ },
  { name: 'unknown nested key, nothing close', input: router({ zzzzzz: 1 }), path: [...ROUTER, 'zzzzzz'], message: /^unknown field "zzzzzz"$/ },
  { name: 'unknown key in a section', input: { http: { routes: {} } }, path: ['http', 'routes'], message: /did you mean "routers"/ },
  { name: 'label-only server field in a file', input: lb({ servers: [{ port: '80' }] }), path: [...LB, 'servers', '0', 'port'], message: /unknown field "port"/ },
  { name: 'text that is not an integer', input: router({ priority: 'ten' }), path: [...ROUTER, 'priority'], message: /expected an integer, got the string "ten"/ },
  { name: 'fraction for an int', input: router({ priority: 1.5 }), path: [...ROUTER, 'priority'], message: /expected an integer, got number 1\.5/ },
  { name: 'text that is not a boolean', input: lb({ passHostHeader: 'yes' }), path: [...LB, 'passHostHeader'], message: /expected a boolean \(true or false\), got the string "yes"/ },
  { name: 'object for a string', input: router({ rule: { host: 'a' } }), path: [...ROUTER, 'rule'], message: /expected a string, got an object/ },
  { name: 'list for a string', input: router({ service: ['a'] }), path: [...ROUTER, 'service'], message: /expected a string, got a list/ },
  { name: 'object for a list', input: router({ entryPoints: { web: true } }), path: [...ROUTER, 'entryPoints'], message: /expected a list, got an object/ },
  { name: 'bad list item', input: router({ entryPoints: ['web', { a: 1 }] }), path: [...ROUTER, 'entryPoints', '1'], message: /expected a string, got an object/ },
  { name: 'null list item', input: router({ middlewares: ['a', null] }), path: [...ROUTER, 'middlewares', '1'], message: /expected a value, got null/ },
  { name: 'list for a map', input: lb({ healthCheck: { path: '/', headers: ['X'] } }), path: [...LB, 'healthCheck', 'headers'], message: /expected a map, got a list/ },
  { name: 'bad map value', input: lb({ healthCheck: { path: '/', headers: { X: ['a'] } } }), path: [...LB, 'healthCheck', 'headers', 'X'], message: /expected a string/ },
  { name: 'text for an allow-empty struct', input: router({ tls: 'maybe' }), path: [...ROUTER, 'tls'], message: /expected an object \(\{\} or true to enable it with no options\), got the string "maybe"/ },
  { name: 'string for a struct', input: lb({ sticky: { cookie: 'yes' } }), path: [...LB, 'sticky', 'cookie'], message: /expected an object/ },
  { name: 'bad struct list item', input: lb({ servers: ['http://a'] }), path: [...LB, 'servers', '0'], message: /expected an object, got the string "http:\/\/a"/ },
  { name: 'bad duration', input: lb({ healthCheck: { path: '/', interval: '10 seconds' } }), path: [...LB, 'healthCheck', 'interval'], message: /expected a duration/ },
  { name: 'duration of the wrong type', input: lb({ healthCheck: { path: '/', timeout: true } }), path: [...LB, 'healthCheck', 'timeout'], message: /expected a duration/ },
  { name: 'element map is a list', input: { http: { routers: [{ rule: 'x' }] } }, path: ['http', 'routers'], message: /expected a map of named elements, got a list/ },
  { name: 'element is not an object', input: { http: { routers: { api: 'Host(`a`)' } } }, path: ROUTER, message: /expected an object, got the string/ },
  { name: '@ in an element name', input: { http: { middlewares: { 'auth@file': { basicAuth: {} } } } }, path: ['http', 'middlewares', 'auth@file'], message: /must not contain "@"/ },
  { name: 'empty element name', input: { http: { services: { '': { loadBalancer: {} } } } }, path: ['http', 'services', ''], message: /must not be empty/ },
  {
    name: 'service with two kinds',
    input: { http: { services: { s: { loadBalancer: {}, mirroring: { service: 'a' } } } } },
    path: ['http', 'services', 's'],
    message: /only one service kind is allowed, got "loadBalancer", "mirroring"/,
  },
  {
    name: 'middleware with two known types',
    input: { http: { middlewares: { m: { stripPrefix: { prefixes: ['/a'] }, addPrefix: { prefix: '/b' } } } } },
    path: ['http', 'middlewares', 'm'],
    message: /only one middleware type is allowed, got "stripPrefix", "addPrefix"/,
  },
  {
    name: 'middleware with a known and a plugin type',
    input: { http: { middlewares: { m: { headers: {}, myPlugin: {} } } } },
    path: ['http', 'middlewares', 'm'],
    message: /only one middleware type is allowed, got "headers", "myPlugin"/,
  },
  { name: 'same field twice in different case', input: router({ rule: 'a', Rule: 'b' }), path: [...ROUTER, 'rule'], message: /"rule" and "Rule" are the same field \(names are case-insensitive\) with different values/ },
  { name: 'unknown option of a known middleware', input: { http: { middlewares: { m: { stripPrefix: { prefix: '/a' } } } } }, path: ['http', 'middlewares', 'm', 'stripPrefix', 'prefix'], message: /did you mean "prefixes"/ },
  { name: 'errors inside tcp are reported too', input: { tcp: { routers: { t: { rule: 1.5, bogus: 1 } } } }, path: ['tcp', 'routers', 't', 'bogus'], message: /unknown field "bogus"/ },
  { name: 'non-finite number in plugin config', input: { http: { middlewares: { m: { plugin: { p: { x: Number.POSITIVE_INFINITY } } } } } }, path: ['http', 'middlewares', 'm', 'plugin', 'p', 'x'], message: /expected a finite number/ },
];

for (const { name, input, path, message } of cases) {
  test(`error: ${name}`, (t) => {
    const { errors } = decodeDynamicConfiguration(input);
    const match = errors.find((issue) => message.test(issue.message));
    t.truthy(match, `no error matching ${String(message)} in ${JSON.stringify(errors)}`);
    t.deepEqual(match?.path, path);
  });
}

test('all errors are collected, not just the first', (t) => {
  const { errors } = decodeDynamicConfiguration({ http: { routers: { a: { priority: 'x' }, b: { rulle: 'y' } }, services: { 'c@d': {} } } });
  t.deepEqual(
    errors.map((issue) => issue.path.join('.')),
    ['http.routers.a.priority', 'http.routers.b.rulle', 'http.services.c@d'],
  );
});

test('tcp and udp are decoded with a "not supported yet" warning', (t) => {
  const result = decodeDynamicConfiguration({
    tcp: { routers: { t: { rule: 'HostSNI(`*`)', service: 's' } }, services: { s: { loadBalancer: { servers: [{ address: '10.0.0.1:5432' }] } } } },
    udp: { services: { u: { loadBalancer: { servers: [{ address: '10.0.0.1:53' }] } } } },
  });
  t.deepEqual(result.errors, []);
  t.deepEqual(result.warnings, [
    { path: ['tcp'], message: 'TCP/UDP configuration is not supported yet' },
    { path: ['udp'], message: 'TCP/UDP configuration is not supported yet' },
  ]);
  t.deepEqual(result.configuration.tcp, {
    routers: { t: { rule: 'HostSNI(`*`)', service: 's' } },
    services: { s: { loadBalancer: { servers: [{ address: '10.0.0.1:5432' }] } } },
  });
});

test('an unknown middleware type close to a known one is kept, with a warning', (t) => {
  const result = decodeDynamicConfiguration({ http: { middlewares: { m: { stripPrefx: { prefixes: ['/a'] } } } } });
  t.deepEqual(result.errors, []);
  t.deepEqual(result.configuration.http?.middlewares?.m, { stripPrefx: { prefixes: ['/a'] } });
  t.deepEqual(result.warnings, [
    { path: ['http', 'middlewares', 'm', 'stripPrefx'], message: 'unknown middleware type "stripPrefx" kept for plugins; did you mean "stripPrefix"?' },
  ]);
});

test('a plugin type far from every known type gives no warning', (t) => {
  const result = decodeDynamicConfiguration({ http: { middlewares: { m: { geoblockPlugin: { countries: ['FR'] } } } } });
  t.deepEqual(result.warnings, []);
  t.deepEqual(result.errors, []);
});
