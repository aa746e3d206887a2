import type { ServerResponse } from 'node:http';
import type { WharfRequest } from '../middlewares/middleware-factory.js';

/**
 * A built service: answers requests and tells whether it can currently serve (used by parents
 * such as `weighted` to skip children that are down).
 */
export interface ServiceHandler {
  handle(req: WharfRequest, res: ServerResponse): void;
  available(): boolean;
  /** Per-server status for the API (`{url: 'UP' | 'DOWN'}`), load balancers only. */
  serverStatus?(): Record<string, 'UP' | 'DOWN'>;
  /** Stops timers (health checks) when the build is replaced. */
  close?(): void;
}
