import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';
import type { RequestFacts } from '../rules/index.js';

/** What the kernel knows about a request while it travels through a router. */
export interface RequestContext {
  /** Entry point the request arrived on. */
  entryPoint: string;
  /** Facts the route matcher used (canonical host, routing path, client IP). */
  facts: RequestFacts;
  /** Qualified name of the router that matched. */
  router?: string;
  /** Qualified name of the service that answered. */
  service?: string;
  /** URL of the server the request was forwarded to. */
  serverUrl?: string;
  /** `X-Forwarded-Proto` value for this request (`http`, `https`, `ws`, `wss`). */
  scheme: string;
  /** The raw peer address of the TCP connection. */
  peerAddress: string;
  /** The peer's TCP port, read when the request started (Node forgets it once the socket closes). */
  peerPort?: number;
  /** True when forwarded headers from this peer are trusted. */
  trustForwardedHeaders: boolean;
  /** `forwardedHeaders.notAppendXForwardedFor`: forward `X-Forwarded-For` as received, without the peer's address. */
  notAppendXForwardedFor?: boolean;
  /**
   * The entry point's logger (its lines carry `entryPoint`): the middleware chain reports a
   * middleware that threw or rejected through it.
   */
  logger?: Logger;
  /** The user an authentication middleware accepted (access logs: `ClientUsername`). */
  user?: string;
  /** What the upstream server answered, set by the forwarder (access logs: OriginStatus, OriginDuration, origin_<Header>). */
  origin?: OriginExchange;
  /** Set by the forwarder while an upstream request is open; aborted when the client goes away. */
  upstream?: { abort(): void };
  /**
   * Set when the request is an HTTP Upgrade (WebSocket): the client socket, the bytes read after
   * the head (forwarded only once the server switched protocols), and `tunnel`, called by the
   * forwarder when the server answered 101 and the connection became a byte tunnel.
   */
  upgrade?: { socket: import('node:stream').Duplex; head: Buffer; tunnel?: () => void };
}

/** The forwarded exchange with the upstream server. */
export interface OriginExchange {
  /** `performance.now()` when the request was dispatched upstream. */
  readonly startedAt: number;
  /** Milliseconds until the upstream response head arrived. */
  durationMs?: number;
  status?: number;
  headers?: import('node:http').IncomingHttpHeaders;
  /** The headers relayed to the client (origin headers minus hop-by-hop ones). */
  relayed?: Record<string, string | string[]>;
}

/** A request as Wharf's handlers see it: Node's request plus Wharf's context. */
export interface WharfRequest extends IncomingMessage {
  wharf: RequestContext;
}

/** Express's `next`: call with nothing to continue, with an error to stop the chain. */
export type NextFunction = (err?: unknown) => void;

/**
 * The Express middleware signature. Any Express middleware (compression, helmet, cors, rate
 * limiters) can be wrapped as a Wharf middleware plugin.
 */
export type Handler = (req: WharfRequest, res: ServerResponse, next: NextFunction) => void;

/** What a factory gets besides the element's own configuration. */
export interface MiddlewareContext {
  /** Qualified name of the middleware (`strip@file`). */
  readonly name: string;
  /** Provider that defined it. */
  readonly provider: string;
  readonly logger: Logger;
}

/**
 * Creates handlers for one middleware type (`stripPrefix`, `headers`, or a plugin's own type).
 * `create` validates `config` and throws a `ConfigError` on bad options: the kernel then
 * disables the middleware (and the routers using it) with that message, everything else keeps
 * serving. Validation happens here, at build time, never per request.
 *
 * @example
 * ```ts
 * export const poweredBy = {
 *   type: 'poweredBy',
 *   create(_ctx, config: { value?: string }) {
 *     const value = config.value ?? 'Wharf';
 *     return function poweredByHandler(_req, res, next) {
 *       res.setHeader('X-Powered-By', value);
 *       next();
 *     };
 *   },
 * } satisfies MiddlewareFactory<{ value?: string }>;
 * ```
 */
export interface MiddlewareFactory<C = unknown> {
  /** The key used in dynamic configuration (`http.middlewares.<name>.<type>`), camelCase. */
  readonly type: string;
  create(ctx: MiddlewareContext, config: C): Handler;
}
