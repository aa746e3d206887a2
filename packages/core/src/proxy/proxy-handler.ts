import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import type { OriginExchange } from '../middlewares/middleware-factory.js';
import { downstreamHeaders } from './forwarded-headers.js';

/** Why a proxied exchange ended without a complete response. */
export type ProxyFailure = (err: Error & { code?: string }, clientGone: boolean) => void;

class ClientGoneError extends Error {
  override readonly name = 'ClientGoneError';
  readonly code = 'WHARF_CLIENT_GONE';
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
  private readonly resume = (): void => this.controller?.resume();

  constructor(
    private readonly res: ServerResponse,
    private readonly origin: OriginExchange,
    private readonly onFailure: ProxyFailure,
    /** Told the final status as soon as the response head arrives (passive health checks). */
    private readonly onStatus?: (status: number) => void,
  ) {}

  /** The client closed before the response was complete. */
  abort(): void {
    this.clientGone = true;
    this.controller?.abort(new ClientGoneError('client closed the connection'));
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.clientGone) controller.abort(new ClientGoneError('client closed the connection'));
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    // 1xx informational responses (100 Continue, 103 Early Hints) are not relayed.
    if (statusCode < 200) return;
    this.origin.durationMs = performance.now() - this.origin.startedAt;
    this.origin.status = statusCode;
    this.onStatus?.(statusCode);
    this.origin.headers = headers;
    const relayed = downstreamHeaders(headers);
    this.origin.relayed = relayed;
    this.res.writeHead(statusCode, relayed);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (!this.res.write(chunk)) {
      controller.pause();
      this.res.once('drain', this.resume);
    }
  }

  onResponseEnd(): void {
    this.res.end();
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    this.res.removeListener('drain', this.resume);
    this.onFailure(err, this.clientGone);
  }
}
