import { container as rootContainer } from 'tsyringe';
import type { ConfigMessage } from '../config/dynamic/types.js';
import { silentLogger } from '../logger.js';
import type { Provider, ProviderPlugin } from '../provider/provider.js';
import { Forwarder } from '../proxy/forwarder.js';
import { PoolRegistry } from '../proxy/pool-registry.js';
import { builtinMiddlewareFactories } from '../register.js';
import { mergeSnapshots } from '../runtime/merge.js';
import { decodeProviderSnapshot, ProviderSnapshots } from '../runtime/provider-snapshot.js';
import { RouterFactory } from '../server/router-factory.js';
import { HealthCheckRegistry } from '../services/health-check/health-check-registry.js';
import { Tokens } from '../tokens.js';
import { canonicalJson } from '../watcher/configuration-watcher.js';

/** What the contract kit needs to exercise a provider. */
export interface ProviderContractOptions<O extends object = Record<string, unknown>> {
  /** The package's default export. */
  readonly plugin: ProviderPlugin<O>;
  /** Options for `plugin.register` (as the static configuration would give them). */
  readonly options: O;
  /** How long to wait for the first snapshot (default 5 s). */
  readonly firstSnapshotTimeoutMs?: number;
  /** Extra checks on the first snapshot; throw to fail. */
  readonly checkSnapshot?: (message: ConfigMessage) => void;
  /**
   * Qualified names (`name@provider`) of elements that may be disabled in the kernel, e.g. a
   * router that uses a middleware another provider defines (`auth@file`). Any other disabled
   * element fails the contract.
   */
  readonly allowDisabled?: readonly string[];
  /** The configuration section the plugin is registered for (default: the plugin's name). */
  readonly section?: string;
  /** The entry points the kernel has when the snapshot is built (default `web`, `websecure`). */
  readonly entryPoints?: readonly string[];
}

/**
 * Runs the provider contract every provider package must pass, and throws an Error listing
 * every violation. Checks: the plugin's shape and schema (every option has doc, default and
 * format); `register` registers exactly one {@link Provider} under `Tokens.Provider` on the
 * container it is given (never the global one); `init` resolves; `provide` emits a first
 * snapshot in time, tagged with the provider's name, JSON-serialisable; the snapshot goes through
 * the kernel as in a running Wharf (decoded at the plugin boundary, merged, every router, service
 * and middleware built) and every element comes out enabled; `provide` settles promptly once its
 * signal aborts and emits nothing after that. Kit-green means Wharf-green.
 *
 * @example
 * ```ts
 * import plugin from '../src/index.js';
 * import { runProviderContract } from '@wharf/core/testing';
 * test('passes the provider contract', async (t) => {
 *   await t.notThrowsAsync(runProviderContract({ plugin, options: { filename: file } }));
 * });
 * ```
 */
export async function runProviderContract<O extends object = Record<string, unknown>>(options: ProviderContractOptions<O>): Promise<void> {
  const problems: string[] = [];
  const { plugin } = options;
  if (!/^[a-z][a-z0-9-]*$/.test(plugin.name)) problems.push(`plugin name "${plugin.name}" must be lower-case letters, digits and dashes`);
  checkSchema(plugin.configSchema, 'configSchema', problems);

  const container = rootContainer.createChildContainer();
  container.register(Tokens.Logger, { useValue: silentLogger() });
  await plugin.register(container, options.options, { section: options.section ?? plugin.name });
  const providers = container.isRegistered(Tokens.Provider) ? container.resolveAll<Provider>(Tokens.Provider) : [];
  if (rootContainer.isRegistered(Tokens.Provider, false)) problems.push('register() registered a provider on the global container; use the container it receives');
  if (providers.length !== 1) {
    problems.push(`register() must register exactly one Provider under Tokens.Provider, found ${providers.length}`);
    throw contractError(plugin.name, problems);
  }
  const provider = providers[0]!;
  if (provider.name !== plugin.name) problems.push(`provider.name "${provider.name}" differs from plugin.name "${plugin.name}"`);

  await provider.init();
  const abort = new AbortController();
  const messages: ConfigMessage[] = [];
  let afterAbort = 0;
  let firstResolve: (() => void) | undefined;
  const first = new Promise<void>((resolve) => (firstResolve = resolve));
  const running = provider.provide((message) => {
    if (abort.signal.aborted) afterAbort++;
    messages.push(structuredClone(message));
    firstResolve?.();
  }, abort.signal);
  let runError: unknown;
  running.catch((err: unknown) => (runError = err));
  const timeout = options.firstSnapshotTimeoutMs ?? 5_000;
  const timedOut = await within(first, timeout).then((done) => !done);
  if (timedOut) problems.push(`provide() emitted no snapshot within ${timeout} ms`);
  if (runError) problems.push(`provide() rejected: ${String(runError)}`);
  const message = messages[0];
  if (message) {
    if (message.providerName !== provider.name) problems.push(`snapshot providerName "${message.providerName}" differs from provider.name "${provider.name}"`);
    const json = JSON.parse(JSON.stringify(message.configuration)) as unknown;
    if (canonicalJson(json) !== canonicalJson(message.configuration)) problems.push('snapshot is not plain JSON-serialisable data');
    problems.push(...throughKernel(provider.name, json, options));
    try {
      options.checkSnapshot?.(message);
    } catch (err) {
      problems.push(`checkSnapshot: ${(err as Error).message}`);
    }
  }
  abort.abort();
  const settled = await within(running.then(() => undefined, () => undefined), 2_000);
  if (!settled) problems.push('provide() did not settle within 2 s of its signal aborting');
  await delay(50);
  if (afterAbort > 0) problems.push(`provide() emitted ${afterAbort} snapshot(s) after its signal aborted`);
  if (problems.length > 0) throw contractError(plugin.name, problems);
}

const KIT_TRANSPORT = { name: 'default@internal', dialTimeout: 30_000, responseHeaderTimeout: 0, idleConnTimeout: 90_000, maxIdleConnsPerHost: 200 };

/**
 * The snapshot as a running Wharf takes it: decoded at the plugin boundary, merged and built with
 * the built-in middlewares. Returns one problem per rejection or disabled element.
 */
function throughKernel(providerName: string, payload: unknown, options: ProviderContractOptions<object>): string[] {
  const decoded = decodeProviderSnapshot(providerName, () => payload);
  if (!decoded.ok) return decoded.errors.map((error) => `the kernel rejects the snapshot: ${error}`);
  const snapshots = new ProviderSnapshots([[providerName, decoded.configuration]]);
  snapshots.reports.set(providerName, { elementIssues: decoded.elementIssues, errors: [] });
  const logger = silentLogger();
  const pools = new PoolRegistry(logger);
  const health = new HealthCheckRegistry(logger);
  const entryPoints = (options.entryPoints ?? ['web', 'websecure']).map((name) => ({ name, asDefault: false, middlewares: [] as string[] }));
  const settings = { entryPoints, defaultRuleSyntax: 'v3' as const, precedence: [], defaultTransport: KIT_TRANSPORT };
  const factory = new RouterFactory(settings, builtinMiddlewareFactories, new Map(), new Forwarder(pools, logger), health, logger);
  const problems: string[] = [];
  try {
    const build = factory.build(mergeSnapshots(snapshots));
    for (const service of build.services) service.close?.();
    const allowed = new Set(options.allowDisabled ?? []);
    const sections = [
      ['router', build.runtime.routers],
      ['service', build.runtime.services],
      ['middleware', build.runtime.middlewares],
      ['serversTransport', build.runtime.serversTransports],
    ] as const;
    for (const [kind, elements] of sections) {
      for (const element of elements.values()) {
        if (element.status !== 'disabled' || allowed.has(element.name)) continue;
        problems.push(`${kind} "${element.name}" is disabled in Wharf: ${(element.error ?? []).join('; ')}`);
      }
    }
  } finally {
    health.close();
    void pools.close();
  }
  return problems;
}

function checkSchema(schema: Record<string, unknown>, path: string, problems: string[]): void {
  for (const [key, value] of Object.entries(schema)) {
    if (!value || typeof value !== 'object') {
      problems.push(`${path}.${key} must be a convict property or section`);
      continue;
    }
    const prop = value as Record<string, unknown>;
    if ('default' in prop) {
      if (typeof prop.doc !== 'string' || prop.doc === '') problems.push(`${path}.${key} has no doc`);
      if (!('format' in prop)) problems.push(`${path}.${key} has no format`);
    } else checkSchema(prop, `${path}.${key}`, problems);
  }
}

function contractError(name: string, problems: string[]): Error {
  return new Error(`provider "${name}" breaks the provider contract:\n- ${problems.join('\n- ')}`);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Whether `promise` settles within `ms`; the timer is cleared either way. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), expired]);
  } finally {
    clearTimeout(timer);
  }
}
