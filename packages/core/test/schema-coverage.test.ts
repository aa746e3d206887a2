import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { decodeDynamicConfiguration } from '../src/config/dynamic/decode.js';
import { DYNAMIC_CONFIGURATION } from '../src/config/dynamic/schema.js';
import type { FieldSchema, StructSchema } from '../src/config/dynamic/schema-types.js';
import { builtinMiddlewareFactories } from '../src/register.js';
import { TRAEFIK_DYNAMIC_OPTIONS } from './traefik-dynamic-options.js';

// Nothing is dropped silently (issue 17): every leaf of the dynamic-configuration schema is
// either applied, with a test that exercises it, or reported when it is written (a warning or an
// error naming it). Adding a field to the schema fails this test until it is placed here.

const root = fileURLToPath(new URL('../../../', import.meta.url));

interface Leaf {
  path: string;
  /** `ignored` / `unsupported` of the leaf or of a section above it. */
  reported?: string;
  /** Where the marker is, for the decode check. */
  markedAt?: string[];
}

function leaves(schema: StructSchema, path: string[], inherited?: { message: string; at: string[] }): Leaf[] {
  const out: Leaf[] = [];
  for (const [name, field] of Object.entries(schema.fields) as Array<[string, FieldSchema]>) {
    const here = [...path, name];
    const marker = field.ignored ?? field.unsupported;
    const mark = inherited ?? (marker === undefined ? undefined : { message: marker, at: here });
    if (field.struct && Object.keys(field.struct.fields).length > 0) {
      const next = field.kind === 'structMap' ? [...here, '*'] : field.kind === 'structList' ? [...here, '0'] : here;
      out.push(...leaves(field.struct, next, mark));
    } else out.push({ path: here.join('.'), reported: mark?.message, markedAt: mark?.at });
  }
  return out;
}

/** Applied leaves (by path prefix) and the tests that show their effect (each must mention the field). */
const APPLIED: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['http.routers.*.entryPoints', ['packages/core/test/router-factory.test.ts', 'test/kernel.e2e.test.ts']],
  ['http.routers.*.middlewares', ['packages/core/test/router-factory.test.ts', 'test/kernel.e2e.test.ts']],
  ['http.routers.*.service', ['packages/core/test/router-factory.test.ts']],
  ['http.routers.*.rule', ['packages/core/test/router-factory.test.ts', 'packages/core/test/rules-v3.test.ts']],
  ['http.routers.*.ruleSyntax', ['packages/core/test/rules-v3.test.ts']],
  ['http.routers.*.priority', ['packages/core/test/router-factory.test.ts', 'test/kernel.e2e.test.ts']],
  ['http.routers.*.parentRefs', ['test/multi-layer-routing.e2e.test.ts']],
  ['http.services.*.loadBalancer.sticky.cookie.', ['packages/core/test/sticky.test.ts']],
  ['http.services.*.loadBalancer.servers.0.url', ['test/kernel.e2e.test.ts']],
  ['http.services.*.loadBalancer.servers.0.weight', ['packages/core/test/smooth-wrr.test.ts', 'packages/core/test/router-factory.test.ts']],
  ['http.services.*.loadBalancer.servers.0.preservePath', ['test/kernel.e2e.test.ts']],
  // Label-only: the ECS provider resolves them against the task's address.
  ['http.services.*.loadBalancer.servers.0.port', ['packages/core/test/labels.test.ts', 'packages/provider-ecs/test/build-configuration.test.ts']],
  ['http.services.*.loadBalancer.servers.0.scheme', ['packages/core/test/labels.test.ts', 'packages/provider-ecs/test/build-configuration.test.ts']],
  ['http.services.*.loadBalancer.healthCheck.', ['packages/core/test/health-check.test.ts', 'packages/core/test/health-check-service.test.ts', 'test/health-check.e2e.test.ts', 'test/https-backends.e2e.test.ts']],
  ['http.services.*.loadBalancer.passiveHealthCheck.', ['packages/core/test/health-check-service.test.ts']],
  ['http.services.*.loadBalancer.passHostHeader', ['test/kernel.e2e.test.ts']],
  ['http.services.*.loadBalancer.serversTransport', ['test/https-backends.e2e.test.ts']],
  ['http.services.*.weighted.services.0.', ['packages/core/test/router-factory.test.ts', 'test/kernel.e2e.test.ts']],
  ['http.services.*.middlewares', ['packages/core/test/used-by.test.ts', 'packages/core/test/router-factory.test.ts']],
  ['http.middlewares.*.addPrefix.', ['packages/core/test/add-prefix.test.ts']],
  ['http.middlewares.*.basicAuth.', ['packages/core/test/basic-auth.test.ts', 'test/basic-auth.e2e.test.ts']],
  ['http.middlewares.*.chain.', ['packages/core/test/router-factory.test.ts', 'test/kernel.e2e.test.ts']],
  ['http.middlewares.*.stripPrefix.', ['packages/core/test/router-factory.test.ts', 'test/kernel.e2e.test.ts']],
  ['http.middlewares.*.plugin', ['test/express-middleware.e2e.test.ts', 'test/middleware-plugin.e2e.test.ts']],
  ['http.serversTransports.*.serverName', ['test/https-backends.e2e.test.ts']],
  ['http.serversTransports.*.insecureSkipVerify', ['test/https-backends.e2e.test.ts']],
  ['http.serversTransports.*.rootCAs', ['test/https-backends.e2e.test.ts']],
  ['http.serversTransports.*.certificates.', ['test/https-backends.e2e.test.ts']],
  ['http.serversTransports.*.minVersion', ['test/https-backends.e2e.test.ts']],
  ['http.serversTransports.*.maxVersion', ['test/https-backends.e2e.test.ts']],
  ['http.serversTransports.*.peerCertURI', ['test/https-backends.e2e.test.ts', 'packages/core/test/transport-tls.test.ts']],
  ['http.serversTransports.*.forwardingTimeouts.responseHeaderTimeout', ['test/connection-handling.e2e.test.ts']],
];

/**
 * Applied, but no test shows the effect yet (each reaches the connection pool's settings, which
 * unit tests check): a known gap, listed so that it stays visible.
 */
const APPLIED_UNTESTED: ReadonlyArray<readonly [string, string]> = [
  ['http.serversTransports.*.forwardingTimeouts.dialTimeout', 'a connect that never completes cannot be produced on loopback'],
  ['http.serversTransports.*.forwardingTimeouts.idleConnTimeout', 'idle upstream connections closing after the timeout has no request-level test'],
];

/** Leaves reported by the builders (an error or warning on the element naming them), and where. */
const REPORTED_BY_BUILDERS: ReadonlyArray<readonly [string, string, string]> = [
  ['http.routers.*.tls', 'packages/core/src/server/router-factory.ts', 'TLS routers are not supported yet'],
  ['http.services.*.loadBalancer.strategy', 'packages/core/src/services/service-builder.ts', 'is not supported yet (supported: wrr)'],
  ['http.services.*.mirroring', 'packages/core/src/services/service-builder.ts', 'services are not supported yet'],
  ['http.services.*.failover', 'packages/core/src/services/service-builder.ts', 'services are not supported yet'],
  ['http.services.*.highestRandomWeight', 'packages/core/src/services/service-builder.ts', 'services are not supported yet'],
  ['http.serversTransports.*.maxIdleConnsPerHost', 'packages/core/src/services/servers-transport.ts', 'maxIdleConnsPerHost is not supported yet'],
  ['http.serversTransports.*.forwardingTimeouts.readIdleTimeout', 'packages/core/src/services/servers-transport.ts', 'readIdleTimeout is not supported yet'],
  ['http.serversTransports.*.forwardingTimeouts.pingTimeout', 'packages/core/src/services/servers-transport.ts', 'pingTimeout is not supported yet'],
  ['http.serversTransports.*.spiffe', 'packages/core/src/services/servers-transport.ts', 'spiffe is not supported yet'],
  // Middleware types without a factory disable the middleware: "unknown middleware type".
  ['http.middlewares.*.', 'packages/core/src/middlewares/middleware-builder.ts', 'unknown middleware type'],
];

/** The headers middleware: the options it applies, the rest disable it with an error naming them. */
const HEADERS_APPLIED = ['customRequestHeaders', 'customResponseHeaders', 'frameDeny', 'customFrameOptionsValue', 'contentTypeNosniff', 'browserXssFilter', 'customBrowserXSSValue', 'contentSecurityPolicy', 'contentSecurityPolicyReportOnly', 'referrerPolicy', 'permissionsPolicy', 'stsSeconds', 'stsIncludeSubdomains', 'stsPreload', 'forceSTSHeader'];

const all = leaves(DYNAMIC_CONFIGURATION, []);
const implementedTypes = new Set(['chain', 'plugin', ...builtinMiddlewareFactories.map((f) => f.type)]);

function placed(leaf: Leaf): string | undefined {
  if (leaf.reported) return 'marked';
  const applied = APPLIED.find(([prefix]) => leaf.path === prefix || (prefix.endsWith('.') && leaf.path.startsWith(prefix)));
  if (applied) return 'applied';
  if (APPLIED_UNTESTED.some(([path]) => leaf.path === path)) return 'applied, effect untested';
  const headers = /^http\.middlewares\.\*\.headers\.(\w+)$/.exec(leaf.path);
  if (headers) return 'headers';
  const type = /^http\.middlewares\.\*\.(\w+)/.exec(leaf.path)?.[1];
  if (type !== undefined && !implementedTypes.has(type)) return 'unknown type';
  if (REPORTED_BY_BUILDERS.some(([prefix]) => leaf.path === prefix || leaf.path.startsWith(`${prefix}.`))) return 'builder';
  return undefined;
}

test('every leaf of the dynamic schema is applied with a test, or reported when written', (t) => {
  t.true(all.length > 250, `${all.length} leaves`);
  const unplaced = all.filter((leaf) => placed(leaf) === undefined).map((l) => l.path);
  t.deepEqual(unplaced, [], 'leaves neither applied nor reported');
  const counts: Record<string, number> = {};
  for (const leaf of all) counts[placed(leaf)!] = (counts[placed(leaf)!] ?? 0) + 1;
  t.log(JSON.stringify(counts));
});

test('each applied leaf is named by one of the tests that show its effect', (t) => {
  for (const leaf of all.filter((l) => placed(l) === 'applied')) {
    const [, files] = APPLIED.find(([prefix]) => leaf.path === prefix || (prefix.endsWith('.') && leaf.path.startsWith(prefix)))!;
    const field = leaf.path.split('.').filter((s) => s !== '*' && s !== '0').at(-1)!;
    const texts = files.map((f) => {
      t.true(existsSync(join(root, f)), `${f} exists`);
      return readFileSync(join(root, f), 'utf8');
    });
    t.true(texts.some((text) => text.toLowerCase().includes(field.toLowerCase())), `${leaf.path}: none of ${files.join(', ')} mentions "${field}"`);
  }
});

test('each builder-reported leaf has its message in the builder', (t) => {
  for (const [prefix, file, message] of REPORTED_BY_BUILDERS) {
    t.true(readFileSync(join(root, file), 'utf8').includes(message), `${prefix}: "${message}" not found in ${file}`);
  }
  // The headers middleware applies SUPPORTED, warns on REMOVED_IN_V3 and disables itself with any other option named.
  const source = readFileSync(join(root, 'packages/core/src/middlewares/headers/index.ts'), 'utf8');
  const supported = /const SUPPORTED = new Set\(\[([^\]]*)\]/.exec(source)?.[1] ?? '';
  for (const option of HEADERS_APPLIED) t.true(supported.includes(`'${option}'`), `headers.${option} is applied by the headers middleware`);
  t.true(source.includes('if (SUPPORTED.has(key)) continue;') && source.includes('REMOVED_IN_V3.has(key)'), 'other headers options are reported');
});

test('a written option that is not applied is a warning at its path', (t) => {
  const cases: Array<[unknown, string]> = [
    [{ http: { routers: { r: { rule: 'Path(`/`)', service: 's', observability: { accessLogs: false } } } } }, 'http.routers.r.observability'],
    [{ http: { services: { s: { loadBalancer: { servers: [{ url: 'http://a' }], responseForwarding: { flushInterval: '1s' } } } } } }, 'http.services.s.loadBalancer.responseForwarding'],
    [{ http: { services: { s: { weighted: { services: [{ name: 'a' }], sticky: { cookie: {} } } } } } }, 'http.services.s.weighted.sticky'],
    [{ tls: { certificates: [{ certFile: 'c', keyFile: 'k' }] } }, 'tls'],
    [{ tcp: { routers: {} } }, 'tcp'],
  ];
  for (const [input, path] of cases) {
    const decoded = decodeDynamicConfiguration(input);
    t.deepEqual(decoded.errors, []);
    t.true(decoded.warnings.some((w) => w.path.join('.') === path && /not/.test(w.message)), `${path}: ${JSON.stringify(decoded.warnings)}`);
  }
  const marked = new Set(all.filter((l) => l.markedAt).map((l) => l.markedAt!.join('.').replaceAll('.*', '').replaceAll('.0', '')));
  t.true(marked.size >= 5, [...marked].join(', '));
});

/** The schema leaf a Traefik key path lands on: element names and list items consumed, map keys are data. */
function leafOf(path: string): string | undefined {
  let schema: StructSchema | undefined = DYNAMIC_CONFIGURATION;
  const segments = path.split('.');
  const out: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    if (!schema) return undefined;
    const name = Object.keys(schema.fields).find((f) => f.toLowerCase() === segments[i]!.toLowerCase());
    if (name === undefined) return undefined;
    const field: FieldSchema = schema.fields[name]!;
    out.push(name);
    if (field.kind === 'structMap' || field.kind === 'structList') {
      out.push(segments[i + 1] ?? '');
      i++;
    }
    if (!field.struct || Object.keys(field.struct.fields).length === 0) return out.join('.');
    schema = field.struct;
  }
  return out.join('.');
}

test("every key of Traefik's reference dynamic configuration is known, and applied or reported", (t) => {
  t.true(TRAEFIK_DYNAMIC_OPTIONS.length >= 290, `${TRAEFIK_DYNAMIC_OPTIONS.length} reference keys`);
  const byPath = new Map(all.map((leaf) => [leaf.path, leaf]));
  const unknown: string[] = [];
  const unplaced: string[] = [];
  const counts: Record<string, number> = {};
  for (const option of TRAEFIK_DYNAMIC_OPTIONS) {
    const leaf = leafOf(option);
    if (leaf === undefined || !byPath.has(leaf)) unknown.push(`${option} → ${leaf ?? '?'}`);
    else if (placed(byPath.get(leaf)!) === undefined) unplaced.push(option);
    else {
      const where = placed(byPath.get(leaf)!)!;
      const kind = where === 'headers' ? (HEADERS_APPLIED.includes(leaf.split('.').at(-1)!) ? 'applied' : 'reported') : where.startsWith('applied') ? 'applied' : 'reported';
      counts[kind] = (counts[kind] ?? 0) + 1;
    }
  }
  t.log(`Traefik's reference: ${JSON.stringify(counts)}`);
  t.deepEqual(unknown, [], 'keys of the reference that Wharf does not know');
  t.deepEqual(unplaced, []);
});
