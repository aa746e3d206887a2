import type { ServerResponse } from 'node:http';
import type { Pool } from 'undici';
import type { Logger } from '../logger.js';
import type { WharfRequest } from '../middlewares/middleware-factory.js';
import { upstreamHeaders } from './forwarded-headers.js';
import type { PoolRegistry, TransportSettings } from './pool-registry.js';
import { ProxyHandler, type ProxyFailure } from './proxy-handler.js';
import { forwardUpgrade } from './upgrade.js';
import { sendError } from './send-error.js';

/** One server of a load balancer, parsed once at build time. */
export interface ForwardTarget {
  /** As configured, for logs and the API. */
  readonly url: string;
  /** `scheme://host:port`. */
  readonly origin: string;
  /** `host:port` for the Host header when `passHostHeader` is false. */
  readonly hostPort: string;
  readonly hostname: string;
  readonly port: number;
  /** Path prefix to keep (only with `preservePath`), without trailing slash; '' otherwise. */
  readonly basePath: string;
}

export interface ForwardOptions {
  readonly passHostHeader: boolean;
  readonly transport: TransportSettings;
  /** Told whether the exchange failed (5xx or transport error; not a client abort): passive health checks. */
  readonly onOutcome?: (failed: boolean) => void;
}

const NO_BODY_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'DELETE', 'TRACE']);

/**
 * Forwards a request to one server through a keep-alive undici pool, streaming both bodies with
 * back-pressure. Maps transport failures to Traefik's statuses: refused/reset → 502, timeout →
 * 504, client gone → the upstream request is cancelled and nothing is answered (logged as 499).
 */
export class Forwarder {
  /** One function for every request's failure path (no closure per request). */
  private readonly onFailure: ProxyFailure = (req, res, serverUrl, err, clientGone) => {
    if (clientGone) this.logger.debug({ service: req.wharf.service, server: serverUrl }, 'client closed the connection (499)');
    else this.fail(req, res, serverUrl, err);
  };

  constructor(
    private readonly pools: PoolRegistry,
    private readonly logger: Logger,
  ) {}

  /** The keep-alive pool for a server; called when services are built, never per request. */
  poolFor(target: ForwardTarget, transport: TransportSettings): Pool {
    return this.pools.get(target.origin, transport);
  }

  forward(req: WharfRequest, res: ServerResponse, target: ForwardTarget, pool: Pool, options: ForwardOptions): void {
    req.wharf.serverUrl = target.url;
    if (req.wharf.upgrade) {
      forwardUpgrade(req, res, target, options, this.logger);
      return;
    }
    const method = req.method ?? 'GET';
    const hasBody = !NO_BODY_METHODS.has(method) || req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
    const origin = { startedAt: performance.now() };
    req.wharf.origin = origin;
    const handler = new ProxyHandler(req, res, target.url, origin, this.onFailure, options.onOutcome, options.transport.responseHeaderTimeout);
    // The entry point aborts it when the client goes away before the response is complete.
    req.wharf.upstream = handler;
    if (options.transport.responseHeaderTimeout > 0) {
      // Go's ResponseHeaderTimeout counts from the end of the request body.
      if (hasBody && !req.complete) req.once('end', handler.startHeaderTimer);
      else handler.startHeaderTimer();
    }
    pool.dispatch(
      {
        path: target.basePath + (req.url ?? '/'),
        method,
        headers: upstreamHeaders(req, options.passHostHeader, target.hostPort, false),
        body: hasBody ? req : null,
      },
      handler,
    );
  }

  private fail(req: WharfRequest, res: ServerResponse, serverUrl: string, err: Error & { code?: string }): void {
    const status = statusForError(err);
    this.logger.debug({ service: req.wharf.service, server: serverUrl, code: err.code, err: err.message }, `upstream error, answering ${status}`);
    if (res.headersSent) {
      res.destroy(err);
      return;
    }
    sendError(res, status);
  }
}

/** Traefik's mapping of a transport error to a status (spec §c.1). */
function statusForError(err: Error & { code?: string }): number {
  switch (err.code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'ETIMEDOUT':
      return 504;
    case 'ECONNREFUSED':
    case 'ECONNRESET':
    case 'EPIPE':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
    case 'UND_ERR_INFO':
      return 502;
    default:
      return err.name === 'SocketError' ? 502 : 500;
  }
}
