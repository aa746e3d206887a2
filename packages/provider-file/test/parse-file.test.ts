import test from 'ava';
import { stringify as toToml } from 'smol-toml';
import { stringify as toYaml } from 'yaml';
import { formatIssue, parseConfigurationFile } from '../src/index.js';

// One configuration touching every HTTP section, written out in each format.
const everything = {
  http: {
    routers: {
      api: { rule: 'Host(`api.test`) && PathPrefix(`/v1`)', entryPoints: ['web'], middlewares: ['strip', 'headers'], service: 'split', priority: 10, tls: { certResolver: 'le' } },
    },
    services: {
      blue: { loadBalancer: { servers: [{ url: 'http://10.0.0.1:8080', weight: 3 }, { url: 'http://10.0.0.2:8080' }], serversTransport: 'slow', healthCheck: { path: '/health', interval: '5s' } } },
      green: { loadBalancer: { servers: [{ url: 'http://10.0.0.3:8080' }] } },
      split: { weighted: { services: [{ name: 'blue', weight: 9 }, { name: 'green', weight: 1 }] } },
    },
    middlewares: {
      strip: { stripPrefix: { prefixes: ['/v1'] } },
      add: { addPrefix: { prefix: '/api' } },
      headers: { headers: { customRequestHeaders: { 'X-Env': 'test' }, customResponseHeaders: { Server: '' } } },
    },
    serversTransports: { slow: { forwardingTimeouts: { dialTimeout: '5s', responseHeaderTimeout: '30s', idleConnTimeout: '90s' } } },
  },
  tls: { options: { modern: { minVersion: 'VersionTLS13' } } },
};

const writers: Array<[string, (value: object) => string]> = [
  ['dynamic.yml', (v) => toYaml(v)],
  ['dynamic.yaml', (v) => toYaml(v)],
  ['dynamic.toml', (v) => toToml(v)],
  ['dynamic.json', (v) => JSON.stringify(v, null, 2)],
];

test('YAML, TOML and JSON give identical configurations for the same content', (t) => {
  const results = writers.map(([file, write]) => parseConfigurationFile(file, write(everything)));
  for (const result of results) t.deepEqual(result.errors, [], result.file);
  for (const result of results.slice(1)) t.deepEqual(result.configuration, results[0]!.configuration, result.file);
  const http = results[0]!.configuration.http!;
  t.is(http.routers!.api!.priority, 10);
  t.deepEqual(http.services!.blue!.loadBalancer!.servers, [{ url: 'http://10.0.0.1:8080', weight: 3 }, { url: 'http://10.0.0.2:8080' }]);
  t.true(http.services!.blue!.loadBalancer!.passHostHeader, 'defaults are applied');
  t.deepEqual(http.services!.split!.weighted!.services, [{ name: 'blue', weight: 9 }, { name: 'green', weight: 1 }]);
  t.deepEqual(http.middlewares!.strip, { stripPrefix: { prefixes: ['/v1'], forceSlash: true } });
  t.is(http.serversTransports!.slow!.forwardingTimeouts!.dialTimeout, '5s');
});

// Each section on its own, hand-written, with the value that must come out.
const sections: Array<{ name: string; file: string; text: string; check: (c: any) => unknown; expected: unknown }> = [
  { name: 'router', file: 'r.yml', text: 'http:\n  routers:\n    r:\n      rule: Path(`/`)\n      service: s\n', check: (c) => c.http.routers.r, expected: { rule: 'Path(`/`)', service: 's' } },
  { name: 'router tls {}', file: 'r.toml', text: '[http.routers.r]\nrule = "Path(`/`)"\n[http.routers.r.tls]\n', check: (c) => c.http.routers.r.tls, expected: {} },
  { name: 'router field names are case-insensitive', file: 'r.json', text: '{"HTTP":{"Routers":{"r":{"Rule":"Path(`/`)","EntryPoints":["web"]}}}}', check: (c) => c.http.routers.r, expected: { rule: 'Path(`/`)', entryPoints: ['web'] } },
  { name: 'element names keep their case', file: 'r.yml', text: 'http:\n  services:\n    MyApp: {loadBalancer: {servers: [{url: "http://a"}]}}\n', check: (c) => Object.keys(c.http.services), expected: ['MyApp'] },
  { name: 'mirroring service', file: 's.yml', text: 'http:\n  services:\n    m: {mirroring: {service: a, mirrors: [{name: b, percent: 10}]}}\n', check: (c) => c.http.services.m.mirroring.mirrors, expected: [{ name: 'b', percent: 10 }] },
  { name: 'failover service', file: 's.toml', text: '[http.services.f.failover]\nservice = "a"\nfallback = "b"\n', check: (c) => [c.http.services.f.failover.service, c.http.services.f.failover.fallback], expected: ['a', 'b'] },
  { name: 'addPrefix middleware', file: 'm.json', text: '{"http":{"middlewares":{"p":{"addPrefix":{"prefix":"/api"}}}}}', check: (c) => c.http.middlewares.p, expected: { addPrefix: { prefix: '/api' } } },
  { name: 'serversTransport', file: 't.yml', text: 'http:\n  serversTransports:\n    t: {serverName: x, insecureSkipVerify: true}\n', check: (c) => [c.http.serversTransports.t.serverName, c.http.serversTransports.t.insecureSkipVerify], expected: ['x', true] },
  { name: 'tls certificates', file: 'c.yml', text: 'tls:\n  certificates:\n    - {certFile: /a.crt, keyFile: /a.key}\n', check: (c) => c.tls.certificates.map((x: any) => x.certFile), expected: ['/a.crt'] },
  { name: 'unknown top-level keys are ignored, as in Traefik', file: 'x.yml', text: 'x-defaults: {a: 1}\nhttp: {}\n', check: (c) => c, expected: { http: {} } },
  { name: 'YAML merge keys', file: 'x.yml', text: 'x: &lb {servers: [{url: "http://a"}]}\nhttp:\n  services:\n    s:\n      loadBalancer:\n        <<: *lb\n', check: (c) => c.http.services.s.loadBalancer.servers, expected: [{ url: 'http://a' }] },
  { name: 'empty file', file: 'e.toml', text: '\n', check: (c) => c, expected: {} },
];

for (const { name, file, text, check, expected } of sections) {
  test(`decodes: ${name}`, (t) => {
    const result = parseConfigurationFile(file, text);
    t.deepEqual(result.errors, []);
    t.deepEqual(check(result.configuration), expected);
  });
}

// Every error names the file, line, column and key path.
const errors: Array<{ name: string; file: string; text: string; line: number; column: number; path: string; message: RegExp }> = [
  { name: 'YAML unknown key', file: 'a.yml', text: 'http:\n  routers:\n    api:\n      rul: x\n', line: 4, column: 7, path: 'http.routers.api.rul', message: /unknown field "rul"; did you mean "rule"/ },
  { name: 'YAML wrong type', file: 'a.yml', text: 'http:\n  routers:\n    api:\n      entryPoints: {web: 1}\n', line: 4, column: 7, path: 'http.routers.api.entryPoints', message: /expected a list/ },
  { name: 'YAML wrong type, key written in another case', file: 'a.yml', text: 'http:\n  routers:\n    api:\n      Priority: high\n', line: 4, column: 7, path: 'http.routers.api.priority', message: /expected an integer/ },
  { name: 'YAML list item', file: 'a.yml', text: 'http:\n  services:\n    s:\n      loadBalancer:\n        servers:\n          - url: http://a\n          - uri: http://b\n', line: 7, column: 13, path: 'http.services.s.loadBalancer.servers.1.uri', message: /unknown field "uri"/ },
  { name: 'YAML service with two kinds', file: 'a.yml', text: 'http:\n  services:\n    s:\n      loadBalancer: {servers: [{url: "http://a"}]}\n      weighted: {services: [{name: a}]}\n', line: 3, column: 5, path: 'http.services.s', message: /only one service kind is allowed/ },
  { name: 'YAML middleware with two types', file: 'a.yml', text: 'http:\n  middlewares:\n    m:\n      addPrefix: {prefix: /a}\n      stripPrefix: {prefixes: [/b]}\n', line: 3, column: 5, path: 'http.middlewares.m', message: /only one/ },
  { name: 'YAML syntax error', file: 'a.yml', text: 'http:\n  routers: [\n', line: 3, column: 1, path: '', message: /invalid YAML/ },
  { name: 'YAML duplicate key', file: 'a.yml', text: 'http:\n  routers: {}\n  routers: {}\n', line: 3, column: 3, path: '', message: /invalid YAML: Map keys must be unique/ },
  { name: 'TOML unknown key', file: 'a.toml', text: '[http.routers.api]\nrule = "Path(`/`)"\nrul = "x"\n', line: 3, column: 1, path: 'http.routers.api.rul', message: /unknown field "rul"/ },
  { name: 'TOML wrong type', file: 'a.toml', text: '[http.routers.api]\n  priority = "ten"\n', line: 2, column: 3, path: 'http.routers.api.priority', message: /expected an integer, got the string "ten"/ },
  { name: 'TOML array of tables item', file: 'a.toml', text: '[[http.services.s.loadBalancer.servers]]\nurl = "http://a"\n[[http.services.s.loadBalancer.servers]]\nurl = "http://b"\nweight = true\n', line: 5, column: 1, path: 'http.services.s.loadBalancer.servers.1.weight', message: /expected an integer/ },
  { name: 'TOML dotted keys', file: 'a.toml', text: 'http.routers.api.rule = "Path(`/`)"\nhttp.routers.api.servce = "s"\n', line: 2, column: 1, path: 'http.routers.api.servce', message: /did you mean "service"/ },
  { name: 'TOML syntax error', file: 'a.toml', text: '[http]\nrouters = = 1\n', line: 2, column: 11, path: '', message: /invalid TOML/ },
  { name: 'JSON unknown key', file: 'a.json', text: '{\n  "http": {\n    "routers": {\n      "api": {"rule": "Path(`/`)", "middleware": ["a"]}\n    }\n  }\n}\n', line: 4, column: 36, path: 'http.routers.api.middleware', message: /did you mean "middlewares"/ },
  { name: 'JSON wrong type', file: 'a.json', text: '{"http": {"services": {"s": {"loadBalancer": {"passHostHeader": "yes"}}}}}', line: 1, column: 47, path: 'http.services.s.loadBalancer.passHostHeader', message: /expected a boolean/ },
  { name: 'JSON trailing comma', file: 'a.json', text: '{\n  "http": {},\n}\n', line: 3, column: 1, path: '', message: /invalid JSON/ },
  { name: 'JSON bad token (V8 gives no offset)', file: 'a.json', text: '{\n  "http": tru\n}\n', line: 2, column: 11, path: '', message: /invalid JSON/ },
  { name: 'JSON cut short (half-written file)', file: 'a.json', text: '{\n  "http": {\n    "routers": {', line: 3, column: 17, path: '', message: /invalid JSON/ },
  { name: 'Go template in YAML', file: 'a.yml', text: 'http:\n  routers:\n    r: {rule: "Host(`{{ env \\"HOST\\" }}`)"}\n', line: 3, column: 22, path: '', message: /Go templating .* not supported by Wharf/ },
  { name: 'Go template in TOML', file: 'a.toml', text: '{{ range $i := until 3 }}\n', line: 1, column: 1, path: '', message: /Go templating/ },
  { name: 'element name with @', file: 'a.yml', text: 'http:\n  routers:\n    api@file: {rule: x}\n', line: 3, column: 5, path: 'http.routers.api@file', message: /must not contain "@"/ },
];

for (const { name, file, text, line, column, path, message } of errors) {
  test(`error: ${name}`, (t) => {
    const result = parseConfigurationFile(file, text);
    t.true(result.errors.length >= 1, 'an error is reported');
    const issue = result.errors[0]!;
    t.like(issue, { file, line, column });
    t.is(issue.path.join('.'), path);
    t.regex(issue.message, message);
    const formatted = formatIssue(issue);
    t.true(formatted.startsWith(`${file}:${line}:${column}:${path ? ` ${path}:` : ''}`), formatted);
  });
}

test('TCP and UDP sections are accepted and reported as not supported yet', (t) => {
  const result = parseConfigurationFile('a.yml', 'tcp:\n  routers:\n    r: {rule: "HostSNI(`*`)", service: s}\nudp:\n  services:\n    u: {loadBalancer: {servers: [{address: "127.0.0.1:53"}]}}\n');
  t.deepEqual(result.errors, []);
  t.deepEqual(result.warnings.map((w) => [w.path.join('.'), w.line]), [['tcp', 1], ['udp', 4]]);
  t.regex(result.warnings[0]!.message, /not supported yet/);
  t.truthy(result.configuration.tcp);
});

test('a file with an unsupported extension is an error', (t) => {
  t.regex(parseConfigurationFile('a.ini', 'x=1').errors[0]!.message, /unsupported file extension/);
});
