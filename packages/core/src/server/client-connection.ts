import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { WharfRequest } from '../middlewares/middleware-factory.js';
import { refuse } from '../proxy/upgrade.js';

/** One request of a connection: handled now, or waiting behind the one in progress. */
export interface Exchange {
  readonly req: WharfRequest;
  readonly res: ServerResponse;
  /** Set for an HTTP Upgrade request: the bytes Node read after its head. */
  readonly upgradeHead?: Buffer;
}

/** Runs an exchange (routing, middlewares, forwarding); called once per exchange, in arrival order. */
export type ExchangeRunner = (conn: ClientConnection, exchange: Exchange) => void;

/**
 * Requests a connection may have parsed and waiting behind the one in progress; past it the
 * socket is not read until the queue shrinks (Node's parser would otherwise parse every pipelined
 * request of a large write at once).
 */
export const MAX_WAITING = 32;

/** How long a connection with no request in progress is kept once shutdown has begun. */
export const IDLE_GRACE_MS = 250;

/**
 * The life of one client connection, so that every upstream exchange is owned by the connection
 * it serves (STYLE.md, lessons from the first release):
 *
 * - **One exchange at a time.** A pipelined request waits, unforwarded, until the response
 *   before it has finished (as nginx and HAProxy do); when the connection closes, the exchange
 *   in progress is cancelled upstream and the waiting ones are dropped, never dispatched.
 * - **A parse error never writes into a response in flight.** The error status is kept until
 *   every request parsed before it has been answered, then written, and the connection closed.
 * - **A tunnel only after 101.** `tunnel` is set by the upgrade path once the upstream switched
 *   protocols; until then the connection is HTTP.
 * - **Shutdown.** Once `beginClosing()` is called, the last response says `Connection: close`,
 *   and a connection with nothing in progress is closed after `IDLE_GRACE_MS` of quiet (at once
 *   when it has been quiet that long already; a brand-new connection gets the grace too).
 */
export class ClientConnection {
  private active: Exchange | undefined;
  private readonly waiting: Exchange[] = [];
  private pendingError: number | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly openedAt = performance.now();
  private quietSince = this.openedAt;
  private closing = false;
  private paused = false;
  /** Set by the upgrade path once the upstream answered 101: the connection is a byte tunnel. */
  tunnel = false;
  /** Node's parser handed the socket over (an upgrade request): no further request will be parsed. */
  detached = false;
  closed = false;
  /** Requests dispatched on this connection. */
  served = 0;

  constructor(
    readonly socket: Socket,
    private readonly run: ExchangeRunner,
    /** Told when the connection closed or became a tunnel. */
    private readonly onSettled: (conn: ClientConnection) => void,
  ) {
    socket.once('close', () => this.onSocketClose());
    // Node stops listening for socket errors once it reported a parse error to `clientError`,
    // and Wharf may keep the socket open after that to finish the response in flight.
    socket.on('error', ignore);
  }

  /** A request was parsed: run it now, or queue it behind the one in progress. */
  submit(exchange: Exchange): void {
    if (this.closed) return;
    clearTimeout(this.idleTimer);
    if (this.active || this.pendingError !== undefined) {
      this.waiting.push(exchange);
      if (this.waiting.length >= MAX_WAITING && !this.paused) {
        this.paused = true;
        this.socket.pause();
      }
      return;
    }
    this.start(exchange);
  }

  /** The exchange in progress has finished (its response ended or was destroyed). */
  finished(exchange: Exchange): void {
    if (this.active !== exchange) return;
    this.active = undefined;
    this.quietSince = performance.now();
    if (this.closed) return;
    const next = this.waiting.shift();
    if (this.paused && this.waiting.length < MAX_WAITING / 2) {
      this.paused = false;
      this.socket.resume();
    }
    if (next) {
      this.start(next);
      return;
    }
    if (this.pendingError !== undefined) {
      refuse(this.socket, this.pendingError);
      return;
    }
    if (this.detached && !this.tunnel) {
      // An upgrade refused by the server or a middleware: Node no longer parses this socket.
      this.socket.end();
      return;
    }
    if (this.closing) this.checkIdle();
  }

  /**
   * Node's parser failed (malformed request, timeout, oversized head): answer `status` after the
   * requests parsed before it, then close. When the request in progress is itself incomplete it
   * can never be answered: the connection closes at once.
   */
  parseError(status: number): void {
    if (this.pendingError !== undefined || this.closed) return;
    const active = this.active;
    if (active && !active.req.complete) {
      // The broken bytes belong to the request in progress: it can never be completed.
      if (!active.res.headersSent) refuse(this.socket, status);
      else this.socket.destroy();
      return;
    }
    if (!active && this.waiting.length === 0) {
      refuse(this.socket, status);
      return;
    }
    this.pendingError = status;
  }

  /** Shutdown began: no more keep-alive; close once nothing is in progress. */
  beginClosing(): void {
    this.closing = true;
    if (this.tunnel || this.closed) return;
    const last = this.waiting.at(-1) ?? this.active;
    if (last && !last.res.headersSent) last.res.shouldKeepAlive = false;
    if (!this.active) this.checkIdle();
  }

  /** Shutdown has begun. */
  get isClosing(): boolean {
    return this.closing;
  }

  /** True when no request is in progress or waiting (tunnels are never idle). */
  get idle(): boolean {
    return !this.active && this.waiting.length === 0 && !this.tunnel;
  }

  /** The upgrade path switched this connection to a tunnel (the upstream answered 101). */
  becameTunnel(): void {
    this.tunnel = true;
    this.onSettled(this);
  }

  private start(exchange: Exchange): void {
    this.active = exchange;
    this.served++;
    if (this.closing && this.waiting.length === 0 && !exchange.res.headersSent) exchange.res.shouldKeepAlive = false;
    this.run(this, exchange);
  }

  private checkIdle(): void {
    if (!this.idle || this.closed) return;
    const quiet = performance.now() - this.quietSince;
    if (quiet >= IDLE_GRACE_MS) {
      this.socket.destroy();
      return;
    }
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.checkIdle(), IDLE_GRACE_MS - quiet + 1);
    this.idleTimer.unref();
  }

  private onSocketClose(): void {
    this.closed = true;
    clearTimeout(this.idleTimer);
    // Requests waiting behind the one in progress were never forwarded: drop them.
    this.waiting.length = 0;
    // The exchange in progress is cancelled by its response's 'close' (the entry point aborts the
    // upstream request when the response did not finish).
    this.onSettled(this);
  }
}

function ignore(): void {}
