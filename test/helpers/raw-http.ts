import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A backend that speaks just enough HTTP/1.1 by hand and records every byte it receives, so a
 * test can prove what was (and was not) forwarded. Requests have no body. Paths:
 * `/slow` never answers; `/big` answers 64 KiB; `/stream/<chunks>` answers `<chunks>` × 64 KiB
 * slowly (one chunk every 10 ms, with Content-Length); `/delay/<ms>` answers after a delay;
 * `/switch/<protocol>` answers `101` with `Upgrade: <protocol>`; anything else answers
 * `200` with `path=<path>` as the body. Every answer keeps the connection alive.
 */
export interface RawBackend {
  readonly port: number;
  readonly url: string;
  /** Everything received, all connections together, as latin1 text. */
  received(): string;
  /** Connections currently open. */
  open(): number;
  /** Request lines seen (`GET /x HTTP/1.1`). */
  requestLines(): string[];
  close(): Promise<void>;
}

export async function startRawBackend(): Promise<RawBackend> {
  const sockets = new Set<Socket>();
  const lines: string[] = [];
  let all = '';
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffer = '';
    let tunnel = false;
    socket.on('data', (chunk: Buffer) => {
      const text = chunk.toString('latin1');
      all += text;
      if (tunnel) {
        socket.write(`echo:${text}`);
        return;
      }
      buffer += text;
      for (let end = buffer.indexOf('\r\n\r\n'); end !== -1 && !tunnel; end = buffer.indexOf('\r\n\r\n')) {
        const head = buffer.slice(0, end);
        buffer = buffer.slice(end + 4);
        const requestLine = head.split('\r\n')[0] ?? '';
        lines.push(requestLine);
        tunnel = answer(socket, requestLine.split(' ')[1] ?? '/', head);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    received: () => all,
    open: () => sockets.size,
    requestLines: () => [...lines],
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Answers one request; returns true when the connection became a tunnel. */
function answer(socket: Socket, path: string, head: string): boolean {
  const reply = (status: string, body: string | Buffer, extra = ''): void => {
    socket.write(Buffer.concat([Buffer.from(`HTTP/1.1 ${status}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n`, 'latin1'), Buffer.from(body)]));
  };
  if (path === '/slow') return false;
  if (path.startsWith('/big')) {
    reply('200 OK', Buffer.alloc(64 * 1024, 'b'));
    return false;
  }
  const stream = /^\/stream\/(\d+)$/.exec(path);
  if (stream) {
    const chunks = Number(stream[1]);
    socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${chunks * 64 * 1024}\r\n\r\n`);
    let sent = 0;
    const timer = setInterval(() => {
      if (socket.destroyed || sent === chunks) {
        clearInterval(timer);
        return;
      }
      socket.write(Buffer.alloc(64 * 1024, 's'));
      sent++;
    }, 10);
    return false;
  }
  const delay = /^\/delay\/(\d+)$/.exec(path);
  if (delay) {
    setTimeout(() => !socket.destroyed && reply('200 OK', 'delayed'), Number(delay[1]));
    return false;
  }
  const upgrade = /^\/switch\/(.+)$/.exec(path);
  if (upgrade) {
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: ${upgrade[1]}\r\n\r\n`);
    return true;
  }
  const host = /\r\nhost: *([^\r]*)/i.exec(head)?.[1] ?? '';
  reply('200 OK', `path=${path} host=${host}`);
  return false;
}

/**
 * Opens a raw connection, writes `data` (a string or parts written `gapMs` apart), and collects
 * everything until the server closes or `timeoutMs` passes. `closed` says whether the server
 * closed the connection.
 */
export async function rawRequest(port: number, data: string | string[], options: { timeoutMs?: number; gapMs?: number } = {}): Promise<{ text: string; closed: boolean }> {
  const socket = connect({ host: '127.0.0.1', port });
  socket.on('error', () => undefined);
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const parts = Array.isArray(data) ? data : [data];
  for (const [i, part] of parts.entries()) {
    if (i > 0) await new Promise((r) => setTimeout(r, options.gapMs ?? 50));
    if (!socket.destroyed) socket.write(part);
  }
  const closed = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), options.timeoutMs ?? 3_000);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
  socket.destroy();
  return { text: Buffer.concat(chunks).toString('latin1'), closed };
}

/** The status codes of the responses in a raw response stream, in order. */
export function statuses(text: string): number[] {
  return [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
}
