import { AggregatorRegistry, type Registry } from 'prom-client';

/** One worker's metrics, as `Registry.getMetricsAsJSON()` gives them (plain data, sent over IPC). */
export type WorkerMetrics = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

// Each worker applies every configuration and runs its own health checks: summing these would
// count one reload N times and add up timestamps, so the largest value stands for all.
const NOT_SUMMED = [/config_reloads_total$/, /config_last_reload_success$/, /service_server_up$/];

/**
 * The Prometheus exposition of several workers' metrics: counters and histograms are summed
 * (requests, bytes, open connections), the configuration gauges take the largest value.
 */
export async function aggregateWorkerMetrics(workers: ReadonlyArray<WorkerMetrics>): Promise<{ text: string; contentType: string }> {
  const adjusted = workers.map((metrics) => metrics.map((metric) => (NOT_SUMMED.some((re) => re.test(metric.name)) ? { ...metric, aggregator: 'max' as const } : metric)));
  const registry = AggregatorRegistry.aggregate(adjusted);
  return { text: await registry.metrics(), contentType: registry.contentType };
}
