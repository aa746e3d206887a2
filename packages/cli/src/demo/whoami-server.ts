import { createServer, type Server } from 'node:http';
import { hostname } from 'node:os';

/**
 * A stand-in for `traefik/whoami`: answers every request with the task's hostname and IP, the
 * request line and headers, as plain text, so `curl` shows which task answered.
 */
export async function startWhoami(ip: string, port: number, name: string): Promise<Server> {
  const server = createServer((req, res) => {
    const lines = [`Hostname: ${name}`, `IP: ${ip}`, `RemoteAddr: ${req.socket.remoteAddress}:${req.socket.remotePort}`, `${req.method} ${req.url} HTTP/${req.httpVersion}`];
    for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
    const body = lines.join('\n') + '\n';
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body), 'x-whoami-host': hostname() });
    res.end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, ip, () => resolve());
  });
  return server;
}
