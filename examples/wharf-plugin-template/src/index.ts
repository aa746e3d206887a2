import { setTimeout as sleep } from 'node:timers/promises';
import { Tokens, type DynamicConfiguration, type EmitConfiguration, type Logger, type Provider, type ProviderPlugin } from '@wharf/core';

/** The options under `providers.plugins.<section>` (validated by the schema below). */
export interface Options {
  /** Host the route answers for. */
  host: string;
  /** Where the requests go. */
  url: string;
  /** How often to publish again, in milliseconds (a real provider polls its source here). */
  intervalMs: number;
}

/** Publishes one router and its service. Replace `read()` with your source (an API, a store). */
export class TemplateProvider implements Provider {
  readonly name = 'template';

  constructor(
    private readonly options: Options,
    private readonly log: Logger,
  ) {}

  async init(): Promise<void> {
    // Check what the schema cannot; a throw stops Wharf at start with this message.
    if (!this.options.host) throw new Error('providers.plugins.template.host is required');
    new URL(this.options.url);
  }

  async provide(emit: EmitConfiguration, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        // A whole snapshot each time, with unqualified names: Wharf qualifies them with the section.
        emit({ providerName: this.name, configuration: await this.read() });
      } catch (err) {
        this.log.warn({ err: String(err) }, 'read failed; the last configuration stays in force');
      }
      await sleep(this.options.intervalMs, undefined, { signal }).catch(() => undefined);
    }
  }

  private async read(): Promise<DynamicConfiguration> {
    return {
      http: {
        routers: { app: { rule: `Host(\`${this.options.host}\`)`, service: 'app' } },
        services: { app: { loadBalancer: { servers: [{ url: this.options.url }] } } },
      },
    };
  }
}

const plugin: ProviderPlugin<Options> = {
  name: 'template',
  configSchema: {
    host: { doc: 'Host the route answers for', format: String, default: '' },
    url: { doc: 'URL of the server behind the route', format: String, default: 'http://127.0.0.1:8080' },
    intervalMs: { doc: 'How often to publish, in milliseconds', format: 'nat', default: 10_000 },
  },
  register(container, options, { section }) {
    const log = container.resolve<Logger>(Tokens.Logger).child({ provider: section });
    container.register(Tokens.Provider, { useValue: new TemplateProvider(options, log) });
  },
};

export default plugin;
