import { ConfigError, coreStaticSchema, entryPointSchema, type ConfigSchemaFragment } from '@wharf/core';
import { TRAEFIK_ONLY_PROVIDERS } from './traefik-options.js';

/**
 * The static schema as a tree the loader can walk name by name. Convict knows only fixed keys;
 * Wharf's schema also has maps whose keys the user chooses (entry point names, plugin names) and
 * provider sections that exist only once a plugin is loaded, so the loader resolves names here
 * and hands convict a schema with the concrete keys filled in.
 */
export type SchemaNode = LeafNode | SectionNode | MapNode | OpenNode;

/** A convict property: core's `StaticConfigProperty`, or whatever a plugin fragment declares. */
export interface LeafSpec {
  doc: string;
  format: unknown;
  default: unknown;
  sensitive?: boolean;
  nullable?: boolean;
  [key: string]: unknown;
}

export interface LeafNode {
  readonly kind: 'leaf';
  readonly spec: LeafSpec;
  /** A leaf whose value is a map (`accessLog.fields.names`): names below it are its keys. */
  readonly objectValued: boolean;
}

export interface Child {
  readonly name: string;
  readonly node: SchemaNode;
}

export interface SectionNode {
  readonly kind: 'section';
  /** Keyed by lower-cased name: option names are case-insensitive. */
  readonly children: ReadonlyMap<string, Child>;
  /** Names not among `children` (provider sections under `providers`, unknown plugin options). */
  readonly dynamic?: (name: string) => Child | undefined;
  /** A provider section: giving it bare (`--providers.file`) configures the provider with defaults. */
  readonly presence?: boolean;
}

export interface MapNode {
  readonly kind: 'map';
  /** Placeholder shown in help, e.g. `<name>`. */
  readonly placeholder: string;
  readonly value: (key: string) => SchemaNode;
}

/** A subtree whose schema is not known yet (a provider before its plugin is loaded). */
export interface OpenNode {
  readonly kind: 'open';
}

/** Keys of `providers` that are not provider names. */
export const PROVIDERS_FIXED_KEYS = ['providersThrottleDuration', 'precedence', 'plugins'] as const;

/** Where provider fragments come from; `undefined` means "not loaded yet" (discovery pass). */
export type FragmentLookup = (name: string, kind: 'provider' | 'plugin') => ConfigSchemaFragment | undefined;

const OPEN: OpenNode = { kind: 'open' };

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True for a convict property (it has a `default`), as opposed to a nested section. */
export function isProperty(value: unknown): value is LeafSpec {
  return isPlainObject(value) && 'default' in value;
}

/** The `package` key every `providers.plugins.<name>` section has, beside the plugin's own options. */
export const PLUGIN_PACKAGE_PROPERTY: LeafSpec = {
  doc: 'npm package of the provider plugin (required)',
  format: String,
  default: '',
};

/** The keys of `experimental.plugins.<name>`: the npm package behind `plugin.<name>` middlewares. */
export const MIDDLEWARE_PLUGIN_FRAGMENT: Record<string, LeafSpec> = {
  package: { doc: 'npm package of the middleware plugin, used as plugin.<name> in middlewares (required)', format: String, default: '' },
  export: { doc: 'Export of the package to use: default, or a named export', format: String, default: 'default' },
};

/** Builds a section from a convict fragment, checking that plugin authors gave every key doc and format. */
export function sectionFromFragment(fragment: ConfigSchemaFragment, where: string, extra: Partial<SectionNode> = {}): SectionNode {
  const children = new Map<string, Child>();
  for (const [name, value] of Object.entries(fragment)) {
    const path = where === '' ? name : `${where}.${name}`;
    if (children.has(name.toLowerCase())) throw schemaError(path, 'differs from a sibling key only by case');
    let node: SchemaNode;
    if (isProperty(value)) {
      if (typeof value.doc !== 'string' || value.format === undefined) throw schemaError(path, 'needs doc, format and default');
      node = { kind: 'leaf', spec: value, objectValued: isPlainObject(value.default) };
    } else if (isPlainObject(value)) {
      node = sectionFromFragment(value, path);
    } else {
      throw schemaError(path, 'needs doc, format and default');
    }
    children.set(name.toLowerCase(), { name, node });
  }
  return { kind: 'section', children, ...extra };
}

function schemaError(path: string, message: string): ConfigError {
  return new ConfigError(path, `Schema key ${path} ${message}`, { source: 'schema', code: 'CONFIG_SCHEMA' });
}

function withChild(section: SectionNode, name: string, node: SchemaNode): SectionNode {
  const children = new Map(section.children);
  children.set(name.toLowerCase(), { name, node });
  return { ...section, children };
}

function providerSection(fragment: ConfigSchemaFragment | undefined, where: string, plugin: boolean): SectionNode {
  const base = fragment === undefined
    ? { kind: 'section' as const, children: new Map<string, Child>(), dynamic: (name: string): Child => ({ name, node: OPEN }) }
    : sectionFromFragment(fragment, where);
  const section: SectionNode = { ...base, presence: true };
  return plugin ? withChild(section, 'package', { kind: 'leaf', spec: PLUGIN_PACKAGE_PROPERTY, objectValued: false }) : section;
}

/**
 * The whole static schema: core's fragment, `entryPoints.<name>`, `providers.<name>` and
 * `providers.plugins.<name>` with the fragments `lookup` returns.
 */
export function buildSchemaTree(lookup: FragmentLookup): SectionNode {
  const core = sectionFromFragment(coreStaticSchema(), '');
  const entryPoint = sectionFromFragment(entryPointSchema(), 'entryPoints.<name>');
  const providersChild = core.children.get('providers');
  if (providersChild?.node.kind !== 'section') throw schemaError('providers', 'must be a section');
  const plugins: MapNode = {
    kind: 'map',
    placeholder: '<name>',
    value: (name) => providerSection(lookup(name, 'plugin'), `providers.plugins.${name}`, true),
  };
  const providers: SectionNode = {
    ...withChild(providersChild.node, 'plugins', plugins),
    dynamic: (name) => {
      const lower = name.toLowerCase();
      // Traefik's other providers are Traefik options Wharf does not support yet, not packages to load.
      if (TRAEFIK_ONLY_PROVIDERS.has(lower)) return undefined;
      return { name: lower, node: providerSection(lookup(lower, 'provider'), `providers.${lower}`, false) };
    },
  };
  const entryPoints: MapNode = { kind: 'map', placeholder: '<name>', value: () => entryPoint };
  const middlewarePlugin = sectionFromFragment(MIDDLEWARE_PLUGIN_FRAGMENT, 'experimental.plugins.<name>');
  const experimental: SectionNode = { kind: 'section', children: new Map([['plugins', { name: 'plugins', node: { kind: 'map', placeholder: '<name>', value: () => middlewarePlugin } }]]) };
  return withChild(withChild(withChild(core, 'providers', providers), 'entryPoints', entryPoints), 'experimental', experimental);
}

/** The child of `section` called `name` (any case), fixed or dynamic. */
export function childOf(section: SectionNode, name: string): Child | undefined {
  return section.children.get(name.toLowerCase()) ?? section.dynamic?.(name);
}

/** A section whose presence switches it on (`api`, `ping`, …): it has a Boolean `enabled` key. */
export function isSwitchable(node: SchemaNode): boolean {
  if (node.kind !== 'section') return false;
  const enabled = node.children.get('enabled')?.node;
  return enabled?.kind === 'leaf' && enabled.spec.format === Boolean;
}
