import type { ConfigMessage, DynamicConfiguration } from '../config/dynamic/types.js';
import { errorMessage } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Provider } from '../provider/provider.js';
import { decodeProviderSnapshot, ProviderSnapshots, type ElementIssue } from '../runtime/provider-snapshot.js';

/**
 * Receives the snapshot in force of every provider after each accepted change, decoded, with
 * each provider's report (bad elements, rejected snapshot).
 */
export type ConfigurationListener = (snapshots: ProviderSnapshots) => void;

interface ProviderSlot {
  /** Canonical form of the decoded snapshot in force (with its element issues). */
  last: string | undefined;
  /** Canonical form of the errors of the latest rejected snapshot; undefined once one is applied. */
  rejected: string | undefined;
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
 *
 * This is the plugin boundary: each accepted message is decoded strictly
 * ({@link decodeProviderSnapshot}). Bad elements are reported (logged once per change, and
 * disabled by the merge); a snapshot that cannot be used at all leaves that provider's last good
 * snapshot in force and marks the provider as errored. Nothing a provider sends can throw here.
 */
export class ConfigurationWatcher {
  private readonly snapshots = new ProviderSnapshots();
  private readonly slots = new Map<string, ProviderSlot>();
  private readonly listeners: ConfigurationListener[] = [];
  private pendingNotify: NodeJS.Immediate | undefined;
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
        .provide((message) => this.receive(message, provider.name), this.abort.signal)
        .catch((err: unknown) => log.error({ err: errorMessage(err) }, 'provider stopped with an error; its last configuration stays in force'));
      this.running.push(run);
    }
  }

  /**
   * Feeds a message as a provider would (providers call this through `emit`). Never throws:
   * `from` names the emitting provider when the message's own `providerName` is unusable.
   */
  receive(message: ConfigMessage, from?: string): void {
    if (this.abort.signal.aborted) return;
    const name = providerNameOf(message, from);
    if (name === undefined) {
      this.logger.error('a provider emitted a message without a providerName; ignored');
      return;
    }
    const slot = this.slot(name);
    const now = Date.now();
    if (now >= slot.mutedUntil) {
      slot.mutedUntil = now + this.throttleMs;
      this.accept(name, message);
      return;
    }
    slot.pending = message;
    slot.timer ??= setTimeout(() => {
      slot.timer = undefined;
      const pending = slot.pending;
      slot.pending = undefined;
      if (pending) this.receive(pending, name);
    }, slot.mutedUntil - now);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    for (const slot of this.slots.values()) clearTimeout(slot.timer);
    if (this.pendingNotify !== undefined) clearImmediate(this.pendingNotify);
    this.pendingNotify = undefined;
    await Promise.allSettled(this.running);
  }

  /** The latest accepted snapshots. */
  current(): ProviderSnapshots {
    return this.snapshots;
  }

  private slot(name: string): ProviderSlot {
    let slot = this.slots.get(name);
    if (!slot) {
      slot = { last: undefined, rejected: undefined, mutedUntil: 0, pending: undefined, timer: undefined };
      this.slots.set(name, slot);
    }
    return slot;
  }

  private accept(provider: string, message: ConfigMessage): void {
    const log = this.logger.child({ provider });
    const slot = this.slot(provider);
    const decoded = decodeProviderSnapshot(provider, () => message.configuration);
    if (!decoded.ok) {
      const key = decoded.errors.join('\n');
      if (slot.rejected === key) return;
      slot.rejected = key;
      for (const error of decoded.errors) log.error({ err: error }, 'snapshot rejected; the last good configuration of this provider stays in force');
      const previous = this.snapshots.reports.get(provider);
      this.snapshots.reports.set(provider, { elementIssues: previous?.elementIssues ?? [], errors: decoded.errors });
      this.notify(log);
      return;
    }
    const key = canonicalJson({ configuration: decoded.configuration, issues: decoded.elementIssues.map((issue) => issue.message), warnings: decoded.elementWarnings.map((issue) => issue.message) });
    const recovered = slot.rejected !== undefined;
    slot.rejected = undefined;
    // Traefik skips a provider's first empty snapshot; after a rejection it still clears the error.
    const firstEmpty = slot.last === undefined && isEmpty(decoded.configuration) && decoded.elementIssues.length === 0;
    if ((slot.last === key || firstEmpty) && !recovered) {
      log.debug(firstEmpty ? 'skipping empty configuration' : 'skipping unchanged configuration');
      return;
    }
    if (firstEmpty) this.snapshots.reports.set(provider, { elementIssues: [], errors: [] });
    else {
      if (slot.last !== key) this.report(log, decoded.elementIssues, [...decoded.elementWarnings.map((issue) => issue.message), ...decoded.warnings]);
      slot.last = key;
      this.snapshots.set(provider, decoded.configuration);
      this.snapshots.reports.set(provider, { elementIssues: decoded.elementIssues, elementWarnings: decoded.elementWarnings, errors: [] });
    }
    log.info('configuration received');
    this.notify(log);
  }

  /** Logs a new snapshot's findings once: each bad element at error level, with its kind, name and key path. */
  private report(log: Logger, issues: readonly ElementIssue[], warnings: readonly string[]): void {
    for (const issue of issues) {
      log.error({ [issue.kind]: issue.qualified, path: issue.path.join('.'), err: issue.message }, `${issue.kind} disabled: invalid configuration`);
    }
    for (const warning of warnings) log.warn({ err: warning }, 'configuration warning');
  }

  /**
   * Schedules one rebuild for every change accepted in this turn of the event loop: providers
   * that publish together (at start, or one discovery feeding several) cost one build, as in
   * Traefik's watcher. Listeners get the snapshots as they are when it runs.
   */
  private notify(log: Logger): void {
    if (this.pendingNotify !== undefined) return;
    this.pendingNotify = setImmediate(() => {
      this.pendingNotify = undefined;
      if (this.abort.signal.aborted) return;
      for (const listener of this.listeners) {
        try {
          listener(this.snapshots);
        } catch (err) {
          log.error({ err: errorMessage(err) }, 'applying the configuration failed');
        }
      }
    });
  }
}

/** The provider a message is from: its `providerName` when usable, else the emitting provider's. */
function providerNameOf(message: ConfigMessage, from: string | undefined): string | undefined {
  try {
    const name: unknown = message.providerName;
    if (typeof name === 'string' && name !== '') return name;
  } catch {
    // A throwing getter is treated like a missing name.
  }
  return from;
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
