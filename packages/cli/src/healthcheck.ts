import type { StaticConfiguration } from '@wharf/core';
import { parseAddress } from '@wharf/core';
import type { CliIo } from './main.js';

/**
 * `wharf healthcheck`: asks this configuration's own `/ping` (on `ping.entryPoint`) and exits
 * 0 when it answers 200 `OK`, 1 otherwise — for a container `HEALTHCHECK`.
 */
export async function healthcheck(config: StaticConfiguration, io: CliIo): Promise<number> {
  if (!config.ping.enabled) {
    io.err('wharf healthcheck: ping is not enabled (add --ping)');
    return 1;
  }
  const ep = config.entryPoints[config.ping.entryPoint];
  if (!ep) {
    io.err(`wharf healthcheck: ping entry point "${config.ping.entryPoint}" is not configured`);
    return 1;
  }
  const { host, port } = parseAddress(ep.address, `entryPoints.${config.ping.entryPoint}.address`);
  const target = !host || host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host;
  // /ping is not under api.basePath (Traefik serves it from ping@internal, apart from the API).
  const url = `http://${target}:${port}/ping`;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    const body = await res.text();
    if (res.status === 200) {
      io.out(`OK: ${url}`);
      return 0;
    }
    io.err(`Bad healthcheck status: ${res.status} ${body.trim()}`);
    return 1;
  } catch (err) {
    io.err(`Error calling healthcheck: ${(err as Error).message}`);
    return 1;
  }
}
