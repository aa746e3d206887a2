/**
 * The ECS provider's lifecycle (spec/ecs-provider.md §9, §11): resolve region and clients once,
 * then scan every `refreshSeconds` and emit a full snapshot. A failed cycle emits nothing (the
 * last snapshot stays in force) and is retried with backoff; a failed cluster keeps its own last
 * tasks while the other clusters update.
 */
import { errorMessage, ProviderError, type EmitConfiguration, type Logger, type Provider } from '@wharf/core';
import { compileConstraints, type LabelConstraint } from './constraints.js';
import { compileRuleTemplate, type RuleTemplate } from './default-rule.js';
import { EcsClient } from './ecs-client.js';
import { buildConfiguration, type BuildResult } from './build-configuration.js';
import { selectInstances } from './instances.js';
import type { EcsTask } from './model.js';
import { resolveEcsOptions, type EcsProviderOptions } from './options.js';
import { resolveRegion } from './region.js';

/** Seams for tests; production uses the defaults. */
export interface EcsProviderSettings {
  /** Environment read for the region (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
  /** Whether to try EC2 instance metadata for the region. */
  readonly isEc2?: () => boolean;
  /** SDK attempts per call (default: the SDK's, 3). */
  readonly maxAttempts?: number;
  /** First retry delay after a failed cycle (default 500 ms; ×1.5 per failure, capped at 60 s). */
  readonly retryBaseMs?: number;
}

/** Outcome of one scan. */
export interface RefreshResult extends BuildResult {
  /** Clusters whose scan failed this cycle; their previous tasks were used. */
  readonly failedClusters: ReadonlyArray<{ cluster: string; error: string }>;
}

const CLUSTER_CONCURRENCY = 4;

/** Traefik's ECS provider. */
export class EcsProvider implements Provider {
  readonly name = 'ecs';
  readonly options: EcsProviderOptions;
  private client: EcsClient | undefined;
  private template: RuleTemplate | undefined;
  private constraint: LabelConstraint | undefined;
  private readonly lastTasks = new Map<string, EcsTask[]>();
  private warned = new Set<string>();

  constructor(
    options: Partial<EcsProviderOptions>,
    private readonly logger: Logger,
    private readonly settings: EcsProviderSettings = {},
  ) {
    this.options = resolveEcsOptions(options);
  }

  /** Compiles the rule template and constraints, resolves the region, creates the clients. Failures are start-up errors. */
  async init(): Promise<void> {
    this.template = compileRuleTemplate(this.options.defaultRule);
    this.constraint = compileConstraints(this.options.constraints);
    const env = this.settings.env ?? process.env;
    const { region, source } = await resolveRegion(this.options.region, { env, ...(this.settings.isEc2 ? { isEc2: this.settings.isEc2 } : {}) });
    const { accessKeyID, secretAccessKey } = this.options;
    const staticKeys = accessKeyID !== '' && secretAccessKey !== '';
    if (!staticKeys && (accessKeyID !== '' || secretAccessKey !== '')) {
      this.logger.warn('only one of providers.ecs.accessKeyID and secretAccessKey is set; using the default AWS credential chain');
    }
    this.logger.info({ region, regionSource: source, credentials: staticKeys ? 'static keys' : 'default chain' }, 'ECS provider configured');
    this.client = new EcsClient({
      region,
      ...(this.options.endpoint ? { endpoint: this.options.endpoint } : {}),
      ...(staticKeys ? { credentials: { accessKeyId: accessKeyID, secretAccessKey } } : {}),
      ...(this.settings.maxAttempts ? { maxAttempts: this.settings.maxAttempts } : {}),
    });
  }

  async provide(emit: EmitConfiguration, signal: AbortSignal): Promise<void> {
    if (!this.client) await this.init();
    const periodMs = this.options.refreshSeconds * 1000;
    let failures = 0;
    try {
      while (!signal.aborted) {
        let delayMs: number;
        try {
          const result = await untilAborted(this.refresh(), signal);
          if (result === undefined) break;
          emit({ providerName: this.name, configuration: result.configuration });
          if (failures > 0) this.logger.info('ECS discovery recovered');
          failures = 0;
          // ±10 % so several Wharf replicas do not poll AWS in lockstep.
          delayMs = periodMs * (0.9 + Math.random() * 0.2);
        } catch (err) {
          if (signal.aborted) break;
          failures++;
          const base = Math.min((this.settings.retryBaseMs ?? 500) * 1.5 ** (failures - 1), 60_000);
          delayMs = base * (0.5 + Math.random());
          this.logger.warn({ err: errorMessage(err), code: (err as ProviderError).code, attempt: failures }, `ECS discovery failed; keeping the last configuration, retrying in ${(delayMs / 1000).toFixed(1)}s`);
        }
        await sleep(delayMs, signal);
      }
    } finally {
      this.client?.destroy();
      this.client = undefined;
    }
  }

  /**
   * One scan of every cluster. Throws when nothing could be read (no snapshot should be emitted);
   * a cluster that fails alone contributes its previous tasks.
   */
  async refresh(): Promise<RefreshResult> {
    const client = this.client;
    if (!client || !this.template || !this.constraint) throw new ProviderError('ecs', 'the ECS provider is not initialised', { transient: false });
    const clusters = this.options.autoDiscoverClusters ? await client.listClusters() : [...this.options.clusters];
    const failedClusters: Array<{ cluster: string; error: string }> = [];
    await forEachLimited(clusters, CLUSTER_CONCURRENCY, async (cluster) => {
      try {
        this.lastTasks.set(cluster, await client.discoverCluster(cluster, { ecsAnywhere: this.options.ecsAnywhere }));
      } catch (err) {
        failedClusters.push({ cluster, error: errorMessage(err) });
      }
    });
    if (clusters.length > 0 && failedClusters.length === clusters.length) {
      throw new ProviderError('ecs', failedClusters.map((f) => f.error).join('; '), { cause: failedClusters, transient: true });
    }
    for (const failed of failedClusters) this.logger.warn({ cluster: failed.cluster, err: failed.error }, 'ECS cluster scan failed; keeping its last routes');
    for (const known of this.lastTasks.keys()) if (!clusters.includes(known)) this.lastTasks.delete(known);
    client.pruneCache();
    const tasks = clusters.flatMap((c) => this.lastTasks.get(c) ?? []);
    const { instances, skipped } = selectInstances(tasks, { exposedByDefault: this.options.exposedByDefault, healthyTasksOnly: this.options.healthyTasksOnly, constraint: this.constraint, labelPrefix: this.options.labelPrefix });
    const built = buildConfiguration(instances, { defaultRule: this.template, labelPrefix: this.options.labelPrefix });
    const seen = new Set<string>();
    for (const skip of skipped) this.report(seen, skip.level, `${skip.taskArn}/${skip.container}: ${skip.reason}`, { task: skip.taskArn, container: skip.container });
    for (const issue of built.issues) this.report(seen, issue.level === 'info' ? 'debug' : 'warn', `${issue.instance ?? ''}: ${issue.message}`, {});
    this.warned = seen;
    this.logger.debug({ clusters: clusters.length, tasks: tasks.length, instances: instances.length }, 'ECS scan done');
    return { ...built, failedClusters };
  }

  /** Warnings repeat every cycle while their cause lasts; log each once until it goes away. */
  private report(seen: Set<string>, level: 'debug' | 'warn', message: string, fields: object): void {
    seen.add(message);
    if (level === 'warn' && !this.warned.has(message)) this.logger.warn(fields, message);
    else this.logger.debug(fields, message);
  }
}

function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise<T | undefined>((resolve, reject) => {
    const onAbort = (): void => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

async function forEachLimited<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await run(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
