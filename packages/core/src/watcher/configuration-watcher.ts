import type { ConfigMessage, DynamicConfiguration } from '../config/dynamic/types.js';
import { errorMessage } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Provider } from '../provider/provider.js';

/** Receives the latest snapshot of every provider after each accepted change. */
export type ConfigurationListener = (snapshots: ReadonlyMap<string, DynamicConfiguration>) => void;

interface ProviderSlot {
  last: string | undefined;
  mutedUntil: number;
  pending: ConfigMessage | undefined;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Runs providers and turns their messages into configuration changes, as Traefik's watcher does
 * (spec §i): per provider, the first message passes at once and the provider is then muted for
 * `throttleMs`, keeping only its newest message of that period; a snapshot deep-equal to the
 * provider's previous one, or empty in every section, is ignored. Listeners receive the latest
 * snapshot of every provider.
 */
export class ConfigurationWatcher {
  private readonly snapshots = new Map<string, DynamicConfiguration>();
  private readonly slots = new Map<string, ProviderSlot>();
  private readonly listeners: ConfigurationListener[] = [];
  private readonly abort = new AbortController();
  private readonly running: Array<Promise<void>> = [];

  constructor(
    private readonly providers: readonly Provider[],
    private readonly throttleMs: number,
    private readonly logger: Logger,
  ) {}

  onChange(listener: ConfigurationListener): void {
    this.listeners.push(listener);
  }

  /** Initialises every provider; a failure is fatal, with the provider named. */
  async init(): Promise<void> {
    for (const provider of this.providers) {
      try {
        await provider.init();
      } catch (err) {
        throw new Error(`provider "${provider.name}" failed to start: ${errorMessage(err)}`, { cause: err });
      }
    }
  }

  /** Starts every (initialised) provider's `provide` loop. */
  start(): void {
    for (const provider of this.providers) {
      const log = this.logger.child({ provider: provider.name });
      const run = provider
        .provide((message) => this.receive(message), this.abort.signal)
        .catch((err: unknown) => log.error({ err: errorMessage(err) }, 'provider stopped with an error; its last configuration stays in force'));
      this.running.push(run);
    }
  }

  /** Feeds a message as a provider would (providers call this through `emit`). */
  receive(message: ConfigMessage): void {
    if (this.abort.signal.aborted) return;
    const slot = this.slot(message.providerName);
    const now = Date.now();
    if (now >= slot.mutedUntil) {
      slot.mutedUntil = now + this.throttleMs;
      this.accept(message);
      return;
    }
    slot.pending = message;
    slot.timer ??= setTimeout(() => {
      slot.timer = undefined;
      const pending = slot.pending;
      slot.pending = undefined;
      if (pending) this.receive(pending);
    }, slot.mutedUntil - now);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    for (const slot of this.slots.values()) clearTimeout(slot.timer);
    await Promise.allSettled(this.running);
  }

  /** The latest accepted snapshots. */
  current(): ReadonlyMap<string, DynamicConfiguration> {
    return this.snapshots;
  }

  private slot(name: string): ProviderSlot {
    let slot = this.slots.get(name);
    if (!slot) {
      slot = { last: undefined, mutedUntil: 0, pending: undefined, timer: undefined };
      this.slots.set(name, slot);
    }
    return slot;
  }

  private accept(message: ConfigMessage): void {
    const log = this.logger.child({ provider: message.providerName });
    const key = canonicalJson(message.configuration);
    const slot = this.slot(message.providerName);
    if (slot.last === key) {
      log.debug('skipping unchanged configuration');
      return;
    }
    if (slot.last === undefined && isEmpty(message.configuration)) {
      log.debug('skipping empty configuration');
      return;
    }
    slot.last = key;
    this.snapshots.set(message.providerName, message.configuration);
    log.info('configuration received');
    for (const listener of this.listeners) {
      try {
        listener(this.snapshots);
      } catch (err) {
        log.error({ err: errorMessage(err) }, 'applying the configuration failed');
      }
    }
  }
}

/** JSON with object keys sorted, so that equal configurations give equal strings. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
      return sorted;
    }
    return v;
  });
}

function isEmpty(c: DynamicConfiguration): boolean {
  const http = c.http;
  const httpEmpty = !http || [http.routers, http.services, http.middlewares, http.serversTransports].every((m) => !m || Object.keys(m).length === 0);
  return httpEmpty && !c.tcp && !c.udp && !c.tls;
}
