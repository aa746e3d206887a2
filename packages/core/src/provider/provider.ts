import type { DependencyContainer } from 'tsyringe';
import type { ConfigMessage } from '../config/dynamic/types.js';

/** Callback a provider calls with each full snapshot of its configuration. */
export type EmitConfiguration = (message: ConfigMessage) => void;

/**
 * A source of dynamic configuration. The kernel calls `init()` once at start (a failure there
 * stops Wharf with the error), then `provide(emit, signal)`, which runs until `signal` aborts.
 *
 * A provider pushes **whole snapshots**; it never touches HTTP. On a transient failure it keeps
 * its last snapshot in force (by not emitting), logs, and retries with backoff.
 *
 * @example
 * ```ts
 * export class StaticProvider implements Provider {
 *   readonly name = 'static';
 *   async init(): Promise<void> {}
 *   async provide(emit: EmitConfiguration, signal: AbortSignal): Promise<void> {
 *     emit({ providerName: this.name, configuration: { http: { routers: {}, services: {} } } });
 *     await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
 *   }
 * }
 * ```
 */
export interface Provider {
  /** Lower-case provider name; becomes the `@name` qualifier of its elements. */
  readonly name: string;
  init(): Promise<void>;
  provide(emit: EmitConfiguration, signal: AbortSignal): Promise<void>;
  /**
   * Optional, for `wharf check`: called after `init()`, checks what can be checked without
   * running (the file provider reads and decodes its files). Throws a `ConfigError` for what would
   * keep the provider from publishing; returns warnings (one sentence each) for the rest.
   */
  check?(): Promise<readonly string[]>;
}

/**
 * A convict schema fragment: the options under `providers.<name>` (or `providers.plugins.<name>`).
 * Every key needs `doc`, `default` and `format`; secrets set `sensitive: true`.
 */
export type ConfigSchemaFragment = Record<string, unknown>;

/**
 * The default export of a provider package (`@wharf/provider-<name>` or any package named by
 * `providers.plugins.<name>.package`).
 *
 * @example
 * ```ts
 * import { Tokens, type ProviderPlugin } from '@wharf/core';
 * const plugin: ProviderPlugin<{ greeting: string }> = {
 *   name: 'static',
 *   configSchema: { greeting: { doc: 'What to say', format: String, default: 'hi' } },
 *   register(container, options) {
 *     container.register(Tokens.Provider, { useValue: new StaticProvider(options.greeting) });
 *   },
 * };
 * export default plugin;
 * ```
 */
export interface ProviderPlugin<O = Record<string, unknown>> {
  /** The provider's name (the `<name>` in `providers.<name>`). */
  readonly name: string;
  /** Convict fragment for the provider's options. */
  readonly configSchema: ConfigSchemaFragment;
  /**
   * Registers the provider (under {@link Tokens.Provider}) and anything it needs on `container`,
   * the plugin's own child container of the application. `options` are the validated options of
   * the section; `context.section` is the section's name.
   */
  register(container: DependencyContainer, options: O, context: PluginContext): void | Promise<void>;
}

/** What Wharf tells a plugin about where it is configured. */
export interface PluginContext {
  /**
   * The configuration section: `ecs` for `providers.ecs`, `kv2` for `providers.plugins.kv2`. The
   * provider runs under this name, whatever its own `name` says: its elements are qualified
   * `name@<section>`, so two sections using one package never collide. Log with it.
   */
  readonly section: string;
}
