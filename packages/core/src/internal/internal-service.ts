import type { ServerResponse } from 'node:http';
import type { WharfRequest } from '../middlewares/middleware-factory.js';

/**
 * A service Wharf itself provides, referenced as `<name>@internal` (`api@internal`,
 * `dashboard@internal`, `ping@internal`, `prometheus@internal`, `noop@internal`). Registered
 * under `Tokens.InternalService`; an Express application fits through {@link fromExpress}.
 */
export interface InternalService {
  /** Qualified name, e.g. `api@internal`. */
  readonly name: string;
  /**
   * Routers the internal provider publishes for this service when it is enabled without manual
   * routing (e.g. `api@internal` on entry point `traefik` with ``PathPrefix(`/api`)``).
   */
  readonly routes?: ReadonlyArray<{ name: string; entryPoint: string; rule: string; priority: number }>;
  handle(req: WharfRequest, res: ServerResponse): void;
}

/** Wraps an Express application (or any `(req, res, next)` handler) as an internal service. */
export function fromExpress(name: string, app: (req: WharfRequest, res: ServerResponse, next: (err?: unknown) => void) => void): InternalService {
  return {
    name,
    handle(req, res): void {
      app(req, res, (err?: unknown) => {
        if (res.headersSent) return;
        res.statusCode = err ? 500 : 404;
        res.setHeader('content-type', 'text/plain; charset=utf-8');
        res.end(err ? 'Internal Server Error' : '404 page not found\n');
      });
    },
  };
}
