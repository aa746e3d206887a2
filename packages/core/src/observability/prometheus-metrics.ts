import type { ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { MetricsConfig } from '../config/static/types.js';
import type { InternalService } from '../internal/internal-service.js';
import type { WharfRequest } from '../middlewares/middleware-factory.js';
import type { RuntimeState } from '../runtime/runtime-state.js';
import type { RequestObserver, RequestOutcome } from '../server/request-observer.js';
import { isInternalRouter, reportedStatus, requestBytes, responseBytes, trackRequest } from './request-tracker.js';

export type PrometheusOptions = MetricsConfig['prometheus'];

// Methods outside this set are reported as EXTENSION_METHOD so a client cannot blow up label cardinality.
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);

/** The five request families Traefik keeps per entry point, router and service. */
interface RequestFamily {
  requests: Counter<string>;
  tls: Counter<string>;
  duration: Histogram<string>;
  requestBytes: Counter<string>;
  responseBytes: Counter<string>;
}

/**
 * Traefik's Prometheus metrics on a registry of its own (never prom-client's global one, so
 * several instances can live in one process): config reloads, open connections, requests,
 * durations, bytes per entry point / router / service, retries and server state.
 *
 * @see spec/traefik-model.md §g
 */
export class PrometheusMetrics implements RequestObserver {
  readonly registry = new Registry();
  private readonly entryPointFamily: RequestFamily | undefined;
  private readonly routerFamily: RequestFamily | undefined;
  private readonly serviceFamily: RequestFamily | undefined;
  private readonly openConnections: Gauge<string>;
  private readonly retries: Counter<string> | undefined;

  private readonly addInternals: boolean;

  /** `addInternals` (`metrics.addInternals`): count requests of `*@internal` routers too. */
  constructor(options: PrometheusOptions, state: RuntimeState, { addInternals = false }: { addInternals?: boolean } = {}) {
    const p = options.prefix ? `${options.prefix}_` : '';
    const r = this.registry;
    this.addInternals = addInternals;
    // prom-client's process_* and nodejs_* families, unprefixed: Traefik's Go client exports
    // process_* and go_* the same way, so the usual process dashboards work.
    collectDefaultMetrics({ register: r });
    const reloads = new Counter({ name: `${p}config_reloads_total`, help: 'Config reloads', registers: [r] });
    const lastSuccess = new Gauge({ name: `${p}config_last_reload_success`, help: 'Last config reload success', registers: [r] });
    this.openConnections = new Gauge({ name: `${p}open_connections`, help: 'How many open connections exist, by entryPoint and protocol', labelNames: ['entrypoint', 'protocol'], registers: [r] });
    const family = (kind: string, labels: string[]): RequestFamily => ({
      requests: new Counter({ name: `${p}${kind}_requests_total`, help: `How many HTTP requests processed on a ${kind}, partitioned by status code, protocol, and method.`, labelNames: ['code', 'method', 'protocol', ...labels], registers: [r] }),
      tls: new Counter({ name: `${p}${kind}_requests_tls_total`, help: `How many HTTP requests with TLS processed on a ${kind}, partitioned by TLS version and TLS cipher.`, labelNames: ['tls_version', 'tls_cipher', ...labels], registers: [r] }),
      duration: new Histogram({ name: `${p}${kind}_request_duration_seconds`, help: `How long it took to process the request on a ${kind}, partitioned by status code, protocol, and method.`, labelNames: ['code', 'method', 'protocol', ...labels], buckets: options.buckets, registers: [r] }),
      requestBytes: new Counter({ name: `${p}${kind}_requests_bytes_total`, help: `The total size of requests in bytes handled by a ${kind}, partitioned by status code, protocol, and method.`, labelNames: ['code', 'method', 'protocol', ...labels], registers: [r] }),
      responseBytes: new Counter({ name: `${p}${kind}_responses_bytes_total`, help: `The total size of responses in bytes handled by a ${kind}, partitioned by status code, protocol, and method.`, labelNames: ['code', 'method', 'protocol', ...labels], registers: [r] }),
    });
    if (options.addEntryPointsLabels) this.entryPointFamily = family('entrypoint', ['entrypoint']);
    if (options.addRoutersLabels) this.routerFamily = family('router', ['router', 'service']);
    if (options.addServicesLabels) {
      this.serviceFamily = family('service', ['service']);
      const retries = new Counter({ name: `${p}service_retries_total`, help: 'How many request retries happened on a service.', labelNames: ['service'], registers: [r] });
      this.retries = retries;
      new Gauge({
        name: `${p}service_server_up`,
        help: 'service server is up, described by gauge value of 0 or 1.',
        labelNames: ['service', 'url'],
        registers: [r],
        // Read at scrape time, so the value follows health checks without any bookkeeping here.
        collect(this: Gauge<string>): void {
          this.reset();
          for (const service of state.runtime.services.values()) {
            for (const [url, status] of Object.entries(service.serverStatus ?? {})) this.set({ service: service.name, url }, status === 'UP' ? 1 : 0);
          }
        },
      });
    }
    state.onReload((event) => {
      reloads.inc();
      if (event.success) lastSuccess.set(Math.floor(event.at.getTime() / 1000));
      // Retries are not implemented yet; expose 0 per service, as Traefik does before the first retry.
      if (event.success && this.retries) for (const name of event.runtime.services.keys()) if (!name.endsWith('@internal')) this.retries.inc({ service: name }, 0);
    });
  }

  /** Optional hook (entry points that offer it): counts response bytes exactly. */
  requestStarted(req: WharfRequest, res: ServerResponse): void {
    trackRequest(req, res);
  }

  requestDone(req: WharfRequest, res: ServerResponse, outcome: RequestOutcome): void {
    const ctx = req.wharf;
    if (!this.addInternals && isInternalRouter(ctx.router)) return;
    const method = METHODS.has(req.method ?? '') ? req.method! : 'EXTENSION_METHOD';
    const protocol = ctx.upgrade ? 'websocket' : String(res.getHeader('content-type') ?? '').startsWith('text/event-stream') ? 'sse' : 'http';
    const base = { code: String(reportedStatus(res, outcome.aborted)), method, protocol };
    const seconds = outcome.durationMs / 1000;
    const inBytes = requestBytes(req);
    const outBytes = responseBytes(res);
    const socket = req.socket as TLSSocket | null;
    const tls = socket?.encrypted ? { tls_version: socket.getProtocol?.() ?? '', tls_cipher: socket.getCipher?.()?.name ?? '' } : undefined;
    const observe = (family: RequestFamily | undefined, extra: Record<string, string>): void => {
      if (!family) return;
      const labels = { ...base, ...extra };
      family.requests.inc(labels);
      family.duration.observe(labels, seconds);
      if (inBytes > 0) family.requestBytes.inc(labels, inBytes);
      family.responseBytes.inc(labels, outBytes);
      if (tls) family.tls.inc({ ...tls, ...extra });
    };
    observe(this.entryPointFamily, { entrypoint: ctx.entryPoint });
    if (ctx.router) observe(this.routerFamily, { router: ctx.router, service: ctx.service ?? '' });
    if (ctx.service) observe(this.serviceFamily, { service: ctx.service });
  }

  connectionOpened(entryPoint: string): void {
    this.openConnections.inc({ entrypoint: entryPoint, protocol: 'TCP' });
  }

  connectionClosed(entryPoint: string): void {
    this.openConnections.dec({ entrypoint: entryPoint, protocol: 'TCP' });
  }

  /** The exposition text. */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  /**
   * What `/metrics` answers with: this registry by default; a `--workers` worker replaces it with
   * every worker's metrics, aggregated by the primary process.
   */
  exposition: () => Promise<string> = () => this.registry.metrics();

  /** `prometheus@internal`, routed at `/metrics` on `metrics.prometheus.entryPoint` unless `manualRouting`. */
  internalService(options: PrometheusOptions): InternalService {
    return {
      name: 'prometheus@internal',
      ...(options.manualRouting ? {} : { routes: [{ name: 'prometheus', entryPoint: options.entryPoint, rule: 'PathPrefix(`/metrics`)', priority: Number.MAX_SAFE_INTEGER - 1 }] }),
      handle: (_req, res): void => {
        this.exposition().then(
          (text) => {
            res.setHeader('content-type', this.registry.contentType);
            res.end(text);
          },
          () => {
            res.statusCode = 500;
            res.end('metrics collection failed\n');
          },
        );
      },
    };
  }
}
