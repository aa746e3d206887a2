import type { InternalService } from '../internal/internal-service.js';
import type { RuntimeState } from '../runtime/runtime-state.js';
import type { PingConfig } from '../config/static/types.js';
import { STATUS_CODES } from 'node:http';

/**
 * `ping@internal`: `GET`/`HEAD /ping` answers `200 OK`, and `ping.terminatingStatusCode` (503)
 * once shutdown has begun, so a load balancer stops sending traffic while Wharf drains.
 */
export function createPingService(config: PingConfig, state: RuntimeState): InternalService {
  return {
    name: 'ping@internal',
    ...(config.manualRouting ? {} : { routes: [{ name: 'ping', entryPoint: config.entryPoint, rule: 'Path(`/ping`)', priority: Number.MAX_SAFE_INTEGER - 1 }] }),
    handle(req, res): void {
      const status = state.shuttingDown ? config.terminatingStatusCode : req.method === 'GET' || req.method === 'HEAD' ? 200 : 405;
      const body = status === 200 ? 'OK' : (STATUS_CODES[status] ?? String(status));
      res.statusCode = status;
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      res.setHeader('content-length', Buffer.byteLength(body));
      if (status === 405) res.setHeader('allow', 'GET, HEAD');
      res.end(req.method === 'HEAD' ? undefined : body);
    },
  };
}
