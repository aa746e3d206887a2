import type { ServerResponse } from 'node:http';
import type { WharfRequest } from '../middlewares/middleware-factory.js';

/** How a request ended, for observers. */
export interface RequestOutcome {
  /** Start of the request, `performance.now()` milliseconds. */
  readonly startedAt: number;
  readonly durationMs: number;
  /** True when the client went away before the response was complete. */
  readonly aborted: boolean;
}

/**
 * Watches traffic on every entry point: metrics and access logs plug in here, registered under
 * `Tokens.RequestObserver`. With none registered the data path does no extra work.
 */
export interface RequestObserver {
  /** Before routing: the request as received (an observer may wrap `res` to count bytes). */
  requestStarted?(req: WharfRequest, res: ServerResponse): void;
  /** Once per request, when the response has finished or the connection closed. */
  requestDone(req: WharfRequest, res: ServerResponse, outcome: RequestOutcome): void;
  connectionOpened?(entryPoint: string): void;
  connectionClosed?(entryPoint: string): void;
}
