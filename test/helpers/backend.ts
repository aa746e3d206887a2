import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A test upstream on loopback that says who it is and echoes what it received. */
export interface Backend {
  readonly name: string;
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  /** Requests currently open on this backend (not yet finished or aborted). */
  open(): number;
  /** Requests seen so far. */
  count(): number;
  close(): Promise<void>;
}

export type BackendHandler = (req: IncomingMessage, res: ServerResponse) => boolean | void;

/**
 * Starts a backend. `/slow` never answers until the client goes away (for abort tests); `/delay/<ms>`
 * answers after a delay; everything else answers JSON `{name, method, url, headers}` with the
 * request body echoed in `body`. `extra` may handle a request first (return true when it did).
 */
export async function startBackend(name: string, extra?: BackendHandler, host = '127.0.0.1'): Promise<Backend> {
  let open = 0;
  let count = 0;
  const server = createServer((req, res) => {
    count++;
    open++;
    let closed = false;
    const done = (): void => {
      if (!closed) {
        closed = true;
        open--;
      }
    };
    res.once('close', done);
    if (extra?.(req, res)) return;
    const url = req.url ?? '/';
    if (url.startsWith('/slow')) return;
    const delayMatch = /^\/delay\/(\d+)/.exec(url);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = (): void => {
        const body = JSON.stringify({ name, method: req.method, url, headers: req.headers, body: Buffer.concat(chunks).toString() });
        res.writeHead(200, { 'content-type': 'application/json', 'x-backend': name });
        res.end(body);
      };
      if (delayMatch) setTimeout(answer, Number(delayMatch[1]));
      else answer();
    });
  });
  server.keepAliveTimeout = 30_000;
  // Node 24 refuses a head of more than 1,000 header lines with 431 (Node 20 dropped the rest);
  // Wharf adds X-Forwarded-* to a client's 1,000 lines, so the test backend takes any number.
  server.maxHeadersCount = 0;
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    name,
    url: `http://${host}:${port}`,
    port,
    server,
    open: () => open,
    count: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
