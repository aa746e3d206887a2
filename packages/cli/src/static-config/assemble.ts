import { ConfigError, coreStaticSchema, entryPointSchema, errorMessage, type ConfigSchemaFragment } from '@wharf/core';
import convict from 'convict';
import { coerceValue } from './coerce.js';
import { staticConfigFormats } from './formats.js';
import { effectiveValue, keyOf, PRESENT, type Entries } from './entries.js';
import { DEFAULT_ORIGIN, invalidValue, type LoadReport, type Origin } from './origin.js';
import { isPlainObject, isProperty, MIDDLEWARE_PLUGIN_FRAGMENT, PLUGIN_PACKAGE_PROPERTY, type LeafSpec, type SectionNode } from './schema-tree.js';

convict.addFormats(staticConfigFormats as unknown as Record<string, convict.Format>);

/** The provider sections to join into the schema, with the fragment of each plugin. */
export interface ProviderFragments {
  readonly providers: ReadonlyArray<{ readonly name: string; readonly fragment: ConfigSchemaFragment }>;
  readonly plugins: ReadonlyArray<{ readonly name: string; readonly fragment: ConfigSchemaFragment }>;
}

/** Traefik's names: the entry point it creates when none is defined, and its internal one. */
const DEFAULT_ENTRY_POINT = { name: 'http', address: ':80' };
const INTERNAL_ENTRY_POINT = { name: 'traefik', address: ':8080' };

export function entryPointNames(entries: Entries): Set<string> {
  const names = new Set<string>();
  for (const { path } of entries.values()) if (path[0] === 'entryPoints' && path.length > 1) names.add(path[1]);
  return names;
}

/**
 * Traefik's implicit entry points: `http` on `:80` when none is configured, and `traefik` on
 * `:8080` when `api.insecure`, or ping or Prometheus on their default entry point, need it.
 */
export function addImplicitEntryPoints(entries: Entries, root: SectionNode): void {
  const add = ({ name, address }: { name: string; address: string }): void => {
    const path = ['entryPoints', name, 'address'];
    entries.set(keyOf(path), { path, value: address, origin: DEFAULT_ORIGIN });
  };
  if (entryPointNames(entries).size === 0) add(DEFAULT_ENTRY_POINT);
  const value = (...path: string[]): unknown => effectiveValue(entries, root, path);
  const onInternal = (...section: string[]): boolean =>
    value(...section, 'enabled') === true && value(...section, 'manualRouting') !== true && value(...section, 'entryPoint') === INTERNAL_ENTRY_POINT.name;
  const wanted = (value('api', 'enabled') === true && value('api', 'insecure') === true) || onInternal('ping') || onInternal('metrics', 'prometheus');
  if (wanted && !entryPointNames(entries).has(INTERNAL_ENTRY_POINT.name)) add(INTERNAL_ENTRY_POINT);
}

/** Convict's schema with the concrete keys of this configuration: entry points and providers. */
export function concreteSchema(entries: Entries, fragments: ProviderFragments): Record<string, unknown> {
  const schema = coreStaticSchema();
  schema.entryPoints = Object.fromEntries([...entryPointNames(entries)].map((name) => [name, entryPointSchema()]));
  const providers = schema.providers as Record<string, unknown>;
  providers.plugins = Object.fromEntries(fragments.plugins.map(({ name, fragment }) => [name, { package: PLUGIN_PACKAGE_PROPERTY, ...fragment }]));
  for (const { name, fragment } of fragments.providers) providers[name] = fragment;
  const middlewarePlugins = new Set<string>();
  for (const { path } of entries.values()) if (path[0] === 'experimental' && path[1] === 'plugins' && path.length > 2) middlewarePlugins.add(path[2]);
  if (middlewarePlugins.size > 0) schema.experimental = { plugins: Object.fromEntries([...middlewarePlugins].map((name) => [name, { ...MIDDLEWARE_PLUGIN_FRAGMENT }])) };
  return schema;
}

/** Visits every property of a convict schema (an empty section counts: convict reads `{}` as one). */
export function forEachProperty(schema: Record<string, unknown>, visit: (path: string[], spec: LeafSpec | undefined) => void, path: string[] = []): void {
  for (const [name, node] of Object.entries(schema)) {
    if (isProperty(node)) visit([...path, name], node);
    else if (isPlainObject(node) && Object.keys(node).length > 0) forEachProperty(node, visit, [...path, name]);
    else visit([...path, name], undefined);
  }
}

function originNear(entries: Entries, path: readonly string[]): Origin {
  const parent = keyOf(path.slice(0, -1)).slice(0, -1);
  for (const [key, entry] of entries) if (key.startsWith(parent)) return entry.origin;
  return DEFAULT_ORIGIN;
}

/** Properties nobody set must have a valid default: an entry point without `address` is an error. */
export function checkUnsetProperties(entries: Entries, schema: Record<string, unknown>, report: LoadReport): void {
  forEachProperty(schema, (path, spec) => {
    if (!spec || entries.has(keyOf(path))) return;
    try {
      coerceValue(spec, spec.default);
    } catch (err) {
      const missing = spec.default === '' || spec.default === null || spec.default === undefined;
      report.errors.push(invalidValue(path, originNear(entries, path), missing ? 'is required' : errorMessage(err), err));
    }
  });
}

function toTree(entries: Entries): Record<string, unknown> {
  const tree: Record<string, unknown> = {};
  for (const { path, value } of entries.values()) {
    let node = tree;
    for (const segment of path.slice(0, -1)) {
      if (!isPlainObject(node[segment])) node[segment] = {};
      node = node[segment] as Record<string, unknown>;
    }
    const last = path[path.length - 1];
    if (value !== PRESENT) node[last] = value;
    else if (!isPlainObject(node[last])) node[last] = {};
  }
  return tree;
}

/**
 * Hands the merged values to convict, which fills in defaults and validates the whole. Every value
 * was already coerced and checked with its source, so a failure here is a schema mistake (a plugin
 * fragment whose default breaks its own format) rather than a user's.
 */
export function validateWithConvict(entries: Entries, schema: Record<string, unknown>): Record<string, unknown> {
  try {
    const config = convict(schema as convict.Schema<Record<string, unknown>>, { args: [], env: {} });
    config.load(toTree(entries));
    config.validate({ allowed: 'strict' });
    return config.getProperties();
  } catch (err) {
    throw new ConfigError('', `Invalid static configuration: ${errorMessage(err)}`, { source: 'schema', cause: err });
  }
}
