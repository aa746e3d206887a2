import { RuntimeConfiguration } from './runtime-configuration.js';

/** What happened on a reload, for listeners such as metrics. */
export interface ReloadEvent {
  readonly runtime: RuntimeConfiguration;
  readonly success: boolean;
  readonly at: Date;
}

/**
 * The live state that readers (API, dashboard, ping, metrics) share with the kernel: the latest
 * runtime configuration, whether Wharf is shutting down, and reload notifications.
 */
export class RuntimeState {
  private current = new RuntimeConfiguration();
  private readonly listeners: Array<(event: ReloadEvent) => void> = [];
  /** True once shutdown has begun (ping answers 503). */
  shuttingDown = false;
  readonly startDate = new Date();
  /** Bound address of each entry point once listening (`127.0.0.1:8000`). */
  readonly entryPointAddresses = new Map<string, string>();

  get runtime(): RuntimeConfiguration {
    return this.current;
  }

  publish(runtime: RuntimeConfiguration, success: boolean): void {
    if (success) this.current = runtime;
    const event: ReloadEvent = { runtime, success, at: new Date() };
    for (const listener of this.listeners) listener(event);
  }

  onReload(listener: (event: ReloadEvent) => void): void {
    this.listeners.push(listener);
  }
}
