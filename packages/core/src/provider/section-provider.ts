import type { ConfigMessage } from '../config/dynamic/types.js';
import type { EmitConfiguration, Provider } from './provider.js';

/**
 * A provider as the kernel runs it: under the name of its configuration section
 * (`providers.<section>` or `providers.plugins.<section>`), whatever name the package gives it.
 * Two sections that load one package are two providers (`kv` and `kv2`, elements `r@kv` and
 * `r@kv2`) and never overwrite each other's snapshots; a message's own `providerName` is ignored.
 */
export class SectionProvider implements Provider {
  constructor(
    readonly name: string,
    private readonly inner: Provider,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  provide(emit: EmitConfiguration, signal: AbortSignal): Promise<void> {
    const name = this.name;
    return this.inner.provide((message: ConfigMessage) => {
      // The configuration is read where the watcher decodes it, inside its guard: a hostile
      // message whose getter throws is reported as a bad snapshot of this provider.
      emit({
        providerName: name,
        get configuration() {
          return message.configuration;
        },
      });
    }, signal);
  }

  check(): Promise<readonly string[]> {
    const inner = this.inner as Provider & { check?: () => Promise<readonly string[]> };
    return inner.check ? inner.check() : Promise.resolve([]);
  }
}
