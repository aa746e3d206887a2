import type { InternalService } from './internal-service.js';

/**
 * `noop@internal`: the service of routers whose middlewares always answer (a redirect-only router,
 * such as Traefik's entry point redirections). Should a request reach it, it answers
 * `418 I'm a teapot` with no body, as Traefik's does.
 */
export const noopService: InternalService = {
  name: 'noop@internal',
  handle(_req, res): void {
    res.statusCode = 418;
    res.end();
  },
};
