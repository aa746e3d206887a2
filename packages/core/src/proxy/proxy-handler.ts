import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import type { OriginExchange, WharfRequest } from '../middlewares/middleware-factory.js';
import { downstreamHeaders } from './forwarded-headers.js';

/**
 * Called when an exchange ends without a complete response. Shared by every request (the
 * forwarder passes one bound function), so that no closure is allocated per request.
 */
export type ProxyFailure = (req: WharfRequest, res: ServerResponse, serverUrl: string, err: Error & { code?: string }, clientGone: boolean) => void;

class ClientGoneError extends Error {
  override readonly name = 'ClientGoneError';
  readonly code = 'WHARF_CLIENT_GONE';
}

class HeadersTimeoutError extends Error {
  override readonly name = 'HeadersTimeoutError';
  readonly code = 'UND_ERR_HEADERS_TIMEOUT';
}

/**
 * Streams one upstream response into the client's `ServerResponse` (undici dispatch handler).
 * Back-pressure: when the client socket is full the upstream read is paused until `drain`.
 * `abort()` (the client went away) cancels the upstream request without an `AbortSignal`, which
 * measurably costs less than one `AbortController` per request on the hot path.
 */
export class ProxyHandler implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined;
  private clientGone = false;
  /** Created only when the client socket actually fills up. */
  private resume: (() => void) | undefined;

  constructor(
    private readonly req: WharfRequest,
    private readonly res: ServerResponse,
    private readonly serverUrl: string,
    private readonly origin: OriginExchange,
    private readonly onFailure: ProxyFailure,
    /** Told whether the exchange failed (5xx or transport error): passive health checks. */
    private readonly onOutcome: ((failed: boolean) => void) | undefined,
    /** The transport's responseHeaderTimeout in ms (0: none). */
    private readonly headerTimeout = 0,
  ) {}

  private headerTimer: NodeJS.Timeout | undefined;
  private responded = false;

  /**
   * Starts the response-header deadline (called once the request body has been sent). undici's
   * own `headersTimeout` runs on a coarse 500 ms timer wheel; a native timer keeps it to the ms.
   */
  readonly startHeaderTimer = (): void => {
    if (this.responded || this.clientGone || this.headerTimeout <= 0) return;
    this.headerTimer = setTimeout(() => {
      if (!this.responded) this.controller?.abort(new HeadersTimeoutError(`no response header within ${this.headerTimeout} ms`));
    }, this.headerTimeout);
  };

  /** The client closed before the response was complete. */
  abort(): void {
    this.clientGone = true;
    if (this.headerTimer) clearTimeout(this.headerTimer);
    this.controller?.abort(new ClientGoneError('client closed the connection'));
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.clientGone) controller.abort(new ClientGoneError('client closed the connection'));
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    // 1xx informational responses (100 Continue, 103 Early Hints) are not relayed.
    if (statusCode < 200) return;
    this.responded = true;
    if (this.headerTimer) clearTimeout(this.headerTimer);
    const origin = this.origin;
    origin.durationMs = performance.now() - origin.startedAt;
    origin.status = statusCode;
    origin.headers = headers;
    this.onOutcome?.(statusCode >= 500);
    const relayed = downstreamHeaders(headers);
    origin.relayed = relayed;
    this.res.writeHead(statusCode, relayed);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (!this.res.write(chunk)) {
      controller.pause();
      this.res.once('drain', (this.resume ??= () => this.controller?.resume()));
    }
  }

  onResponseEnd(): void {
    this.res.end();
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    this.responded = true;
    if (this.headerTimer) clearTimeout(this.headerTimer);
    if (this.resume) this.res.removeListener('drain', this.resume);
    if (!this.clientGone) this.onOutcome?.(true);
    this.onFailure(this.req, this.res, this.serverUrl, err, this.clientGone);
  }
}
