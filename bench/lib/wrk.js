// Load generation with wrk, and parsing of its --latency report.
import { run } from './processes.js';

const UNIT_MS = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

/** A latency such as `1.23ms` or `850.00us` in milliseconds. */
function toMs(value, unit) {
  return Number(value) * UNIT_MS[/** @type {keyof typeof UNIT_MS} */ (unit)];
}

/**
 * Extracts the numbers we report from wrk's output. Throws when the essentials are missing, so a
 * wrk that failed silently cannot produce a row of zeros.
 * @param {string} text
 */
export function parseWrk(text) {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(text);
  const p50 = /^\s*50%\s+([\d.]+)(us|ms|s|m)\s*$/m.exec(text);
  const p99 = /^\s*99%\s+([\d.]+)(us|ms|s|m)\s*$/m.exec(text);
  if (!rps || !p50 || !p99) throw new Error(`cannot parse wrk output:\n${text}`);
  const total = /(\d+) requests in ([\d.]+)(us|ms|s|m)/.exec(text);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(text);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const socketErrors = sock ? { connect: +sock[1], read: +sock[2], write: +sock[3], timeout: +sock[4] } : { connect: 0, read: 0, write: 0, timeout: 0 };
  return {
    requestsPerSec: Number(rps[1]),
    p50Ms: toMs(p50[1], p50[2]),
    p99Ms: toMs(p99[1], p99[2]),
    requests: total ? Number(total[1]) : undefined,
    non2xx: non2xx ? Number(non2xx[1]) : 0,
    socketErrors,
    errors: (non2xx ? Number(non2xx[1]) : 0) + Object.values(socketErrors).reduce((a, b) => a + b, 0),
  };
}

/**
 * One wrk run: a single thread (wrk shares a core with the backend), `connections` keep-alive
 * connections for `seconds`, against 127.0.0.1 only.
 * @param {{ port: number, host: string, path?: string, seconds: number, connections: number, cpu?: number }} o
 */
export async function wrk(o) {
  const args = ['-t1', `-c${o.connections}`, `-d${o.seconds}s`, '--latency', '-H', `Host: ${o.host}`, `http://127.0.0.1:${o.port}${o.path ?? '/'}`];
  const raw = await run('wrk', 'wrk', args, { cpu: o.cpu });
  return { ...parseWrk(raw), raw };
}

/** wrk's version line, e.g. `wrk 4.1.0 [epoll]`. */
export async function wrkVersion() {
  // wrk -v prints its version and usage, then exits non-zero: read the output either way.
  try { return (await run('wrk', 'wrk', ['-v'])).split('\n')[0]; } catch (err) {
    return /wrk [^\n]*/.exec(String(err))?.[0] ?? 'unknown';
  }
}
