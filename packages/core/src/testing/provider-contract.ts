import { container as rootContainer } from 'tsyringe';
import type { ConfigMessage } from '../config/dynamic/types.js';
import { decodeDynamicConfiguration } from '../config/dynamic/decode.js';
import type { Provider, ProviderPlugin } from '../provider/provider.js';
import { Tokens } from '../tokens.js';
import { silentLogger } from '../logger.js';
import { canonicalJson } from '../watcher/configuration-watcher.js';

/** What the contract kit needs to exercise a provider. */
export interface ProviderContractOptions {
  /** The package's default export. */
  readonly plugin: ProviderPlugin;
  /** Options for `plugin.register` (as the static configuration would give them). */
  readonly options: Record<string, unknown>;
  /** How long to wait for the first snapshot (default 5 s). */
  readonly firstSnapshotTimeoutMs?: number;
  /** Extra checks on the first snapshot; throw to fail. */
  readonly checkSnapshot?: (message: ConfigMessage) => void;
}

/**
 * Runs the provider contract every provider package must pass, and throws an Error listing
 * every violation. Checks: the plugin's shape and schema (every option has doc, default and
 * format); `register` registers exactly one {@link Provider} under `Tokens.Provider` on the
 * container it is given (never the global one); `init` resolves; `provide` emits a first
 * snapshot in time, tagged with the provider's name, JSON-serialisable and valid against the
 * dynamic-configuration schema; `provide` settles promptly once its signal aborts and emits
 * nothing after that.
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
export async function runProviderContract(options: ProviderContractOptions): Promise<void> {
  const problems: string[] = [];
  const { plugin } = options;
  if (!/^[a-z][a-z0-9-]*$/.test(plugin.name)) problems.push(`plugin name "${plugin.name}" must be lower-case letters, digits and dashes`);
  checkSchema(plugin.configSchema, 'configSchema', problems);

  const container = rootContainer.createChildContainer();
  container.register(Tokens.Logger, { useValue: silentLogger() });
  await plugin.register(container, options.options);
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
    const decoded = decodeDynamicConfiguration(json);
    for (const issue of decoded.errors) problems.push(`snapshot invalid at ${issue.path.join('.')}: ${issue.message}`);
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
