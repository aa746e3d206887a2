import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../src/logger.js';
import type { WharfRequest } from '../src/middlewares/middleware-factory.js';
import type { ServiceHandler } from '../src/services/service-handler.js';

/** A loopback server whose `/health` answer the test controls; other paths say its name. */
export interface FlipBackend {
  readonly name: string;
  readonly url: string;
  readonly port: number;
  /** Status `/health` answers (set to 0 to never answer). */
  status: number;
  /** Requests seen on `/health`. */
  readonly probes: IncomingMessage[];
  /** Status other paths answer. */
  appStatus: number;
  extra?: (req: IncomingMessage, res: ServerResponse) => boolean;
  close(): Promise<void>;
}

export async function flipBackend(name: string): Promise<FlipBackend> {
  const backend = { name, status: 200, appStatus: 200, probes: [] as IncomingMessage[] } as Partial<FlipBackend> & { status: number; appStatus: number; probes: IncomingMessage[]; extra?: FlipBackend['extra'] };
  const server = createServer((req, res) => {
    if (backend.extra?.(req, res)) return;
    if (req.url?.startsWith('/health')) {
      backend.probes.push(req);
      if (backend.status === 0) return;
      res.writeHead(backend.status).end();
      return;
    }
    res.writeHead(backend.appStatus, { 'x-backend': name }).end(name);
  });
  const { url, port } = await listen(server);
  return Object.assign(backend, { url, port, close: () => close(server) }) as FlipBackend;
}

export async function listen(server: Server): Promise<{ url: string; port: number }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, port };
}

export function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/** Serves a built service handler on loopback, with the request context the kernel would add. */
export async function serveHandler(handler: ServiceHandler): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    (req as WharfRequest).wharf = { entryPoint: 'web', facts: {} as never, scheme: 'http', peerAddress: '127.0.0.1', trustForwardedHeaders: false, service: 'test' };
    handler.handle(req as WharfRequest, res);
  });
  const { url } = await listen(server);
  return { url, close: () => close(server) };
}

export interface LogRecord {
  level: string;
  fields: Record<string, unknown>;
  msg: string;
}

/** A logger that keeps what it is told, to assert transition logs. */
export function recordingLogger(records: LogRecord[] = []): Logger & { records: LogRecord[] } {
  const log =
    (level: string) =>
    (a: object | string, b?: string): void => {
      if (typeof a === 'string') records.push({ level, fields: {}, msg: a });
      else records.push({ level, fields: a as Record<string, unknown>, msg: b ?? '' });
    };
  const logger = {
    records,
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: () => logger,
    isLevelEnabled: () => true,
  };
  return logger as Logger & { records: LogRecord[] };
}

/** Polls until `check` is true or `ms` passes. */
export async function eventually(check: () => boolean, ms = 2_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}
