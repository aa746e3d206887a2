// Wharf under test: its dynamic configuration, and how it is started. The file provider is used
// when it can be resolved from the workspace; otherwise the example third-party provider from the
// end-to-end fixtures, which reads the same Traefik-format JSON.
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { get, start, waitUntil } from './processes.js';

/**
 * One router per host (`Host(`h`)`), or with `paths` one router per path on the first host
 * (`Host(`h`) && PathPrefix(`/p<i>/`)`), all to one load-balanced service on the backend.
 * @param {string[]} hosts @param {number} backendPort @param {string[]} [paths]
 */
export function dynamicConfiguration(hosts, backendPort, paths) {
  /** @type {Record<string, { rule: string, service: string }>} */
  const routers = {};
  if (paths) paths.forEach((p, i) => { routers[`r${i}`] = { rule: `Host(\`${hosts[0]}\`) && PathPrefix(\`${p}\`)`, service: 'backend' }; });
  else hosts.forEach((h, i) => { routers[`r${i}`] = { rule: `Host(\`${h}\`)`, service: 'backend' }; });
  return {
    http: {
      routers,
      services: { backend: { loadBalancer: { servers: [{ url: `http://127.0.0.1:${backendPort}` }] } } },
    },
  };
}

/** Which provider feeds Wharf its routes: 'file' when @wharf/provider-file resolves from `root`. */
export function pickProvider(root) {
  try {
    createRequire(join(root, 'package.json')).resolve('@wharf/provider-file');
    return 'file';
  } catch {
    return 'example';
  }
}

/** @param {'file' | 'example'} provider @param {string} configFile @param {string} root */
function providerArgs(provider, configFile, root) {
  if (provider === 'file') {
    return { cwd: root, args: [`--providers.file.filename=${configFile}`, '--providers.file.watch=false'] };
  }
  return {
    cwd: join(root, 'test'),
    args: ['--providers.plugins.example.package=wharf-provider-example', `--providers.plugins.example.file=${configFile}`],
  };
}

/**
 * Writes the configuration, starts Wharf on `cpu` and resolves once `host` answers 200 through it
 * (not merely once the port is open: 10,000 routers take a moment to build).
 * @param {{ root: string, dir: string, provider: 'file' | 'example', hosts: string[], host: string,
 *           port: number, backendPort: number, cpu?: number, extraArgs?: string[], nodeArgs?: string[],
 *           paths?: string[], path?: string }} o
 */
export async function startWharf(o) {
  const configFile = join(o.dir, `wharf-${o.hosts.length}-${o.paths?.length ?? 0}.json`);
  writeFileSync(configFile, JSON.stringify(dynamicConfiguration(o.hosts, o.backendPort, o.paths)));
  const { cwd, args } = providerArgs(o.provider, configFile, o.root);
  const bin = join(o.root, 'packages/cli/dist/bin.js');
  const logFile = join(o.dir, `wharf-${o.hosts.length}-${o.paths?.length ?? 0}-${o.port}.log`);
  // The same V8 flag the `wharf` launcher's shebang sets (packages/cli/src/bin.ts).
  const argv = ['--max-semi-space-size=64', ...(o.nodeArgs ?? []), bin, `--entryPoints.web.address=127.0.0.1:${o.port}`, ...args, ...(o.extraArgs ?? [])];
  const startedAt = Date.now();
  const proc = start('wharf', process.execPath, argv, { cwd, logFile, cpu: o.cpu });
  try {
    await waitUntil(`Wharf to route ${o.host}${o.path ?? ''} on 127.0.0.1:${o.port}`, async () => (await get(o.port, o.host, o.path)).status === 200, proc, 120_000);
  } catch (err) {
    const log = (() => { try { return readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n'); } catch { return ''; } })();
    throw new Error(`${err instanceof Error ? err.message : err} (log: ${logFile})\n${log}`);
  }
  return { proc, logFile, readyMs: Date.now() - startedAt };
}
