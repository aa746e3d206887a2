// nginx configurations for the backend and for the reference proxy. Each nginx runs in the
// foreground with its own prefix directory (pid, logs and temp files there), one worker, and
// listens on 127.0.0.1 only: the system nginx service is never touched.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { get, start, waitUntil } from './processes.js';

/** Shared head: one worker, everything under `dir`, no access log (Wharf logs nothing either). */
function head(dir) {
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((t) => `  ${t}_temp_path ${join(dir, `${t}_temp`)};`).join('\n');
  return `worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
${temp}
  # nginx closes a client connection after 1000 requests by default; Node never does. Raise it
  # so that wrk reconnects to neither proxy during a run.
  keepalive_requests 1000000;
`;
}

/** The backend: a fixed 200 "ok\n", the cheapest response nginx can produce. */
export function backendConf(dir, port) {
  return `${head(dir)}
  server {
    listen 127.0.0.1:${port};
    default_type text/plain;
    location / { return 200 "ok\\n"; }
  }
}
`;
}

/**
 * The reference proxy. One server block per host is nginx's own form of host routing (a hash of
 * server_names), the honest counterpart of one Wharf router per Host() rule; an unknown host falls
 * to a default server answering 404, as Wharf does. The headers mirror what Wharf sends upstream
 * (original Host, X-Forwarded-*, X-Real-Ip), and the upstream keeps connections alive.
 * @param {string} dir @param {number} port @param {number} backendPort @param {string[]} hosts
 */
export function proxyConf(dir, port, backendPort, hosts, paths) {
  // With `paths`: one server whose `location` prefix blocks (nginx's prefix tree) each proxy one path.
  const servers = paths
    ? `  server { listen 127.0.0.1:${port}; server_name ${hosts[0]}; location / { return 404; }\n${paths.map((p) => `    location ${p} { proxy_pass http://backend; }`).join('\n')}\n  }`
    : hosts.map((h) => `  server { listen 127.0.0.1:${port}; server_name ${h}; location / { proxy_pass http://backend; } }`).join('\n');
  return `${head(dir)}
  server_names_hash_max_size ${Math.max(512, hosts.length * 2)};
  server_names_hash_bucket_size 64;
  upstream backend {
    server 127.0.0.1:${backendPort};
    keepalive 64;
    keepalive_requests 1000000;
  }
  proxy_http_version 1.1;
  proxy_set_header Connection "";
  proxy_set_header Host $http_host;
  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
  proxy_set_header X-Forwarded-Host $http_host;
  proxy_set_header X-Forwarded-Port $server_port;
  proxy_set_header X-Forwarded-Proto $scheme;
  proxy_set_header X-Forwarded-Server $hostname;
  proxy_set_header X-Real-Ip $remote_addr;
  server { listen 127.0.0.1:${port} default_server; return 404; }
${servers}
}
`;
}

/**
 * Writes `conf` into a fresh prefix directory and starts nginx in the foreground on `cpu`; resolves
 * once `host` on `port` answers 200.
 * @param {{ name: string, dir: string, conf: string, port: number, host: string, cpu?: number }} o
 */
export async function startNginx(o) {
  mkdirSync(o.dir, { recursive: true });
  const confFile = join(o.dir, 'nginx.conf');
  writeFileSync(confFile, o.conf);
  // -e: nginx opens its error log before reading the conf; keep even that one in our directory.
  const args = ['-p', `${o.dir}/`, '-c', confFile, '-e', join(o.dir, 'error.log'), '-g', 'daemon off;'];
  const proc = start(o.name, 'nginx', args, { logFile: join(o.dir, 'stdout.log'), cpu: o.cpu });
  try {
    await waitUntil(`${o.name} to answer on 127.0.0.1:${o.port}`, async () => (await get(o.port, o.host, o.path)).status === 200, proc, 30_000);
  } catch (err) {
    throw new Error(`${err instanceof Error ? err.message : err}\n${tail(join(o.dir, 'error.log'))}`);
  }
  return proc;
}

/** The version line nginx prints (on stderr). */
export function nginxVersion(output) {
  return /nginx version: (\S+)/.exec(output)?.[1] ?? 'unknown';
}

function tail(file) {
  try { return readFileSync(file, 'utf8').split('\n').slice(-15).join('\n'); } catch { return ''; }
}
