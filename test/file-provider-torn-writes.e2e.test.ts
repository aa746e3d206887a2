import test from 'ava';
import { mkdtemp, open, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { startBackend, type Backend } from './helpers/backend.js';
import { startWharf } from './helpers/wharf-process.js';

// A generator writing the dynamic file in place (`gen > dynamic.yml`: truncate, then write in
// several write() calls) while traffic flows, with the kernel throttle off: Wharf must never
// apply the empty or half-written file it may read in between. Four kinds of rewrite:
// - a cut at a line boundary (valid YAML, but half the routers and none of the services) with a
//   30 ms pause, and with a 150 ms pause (longer than the debounce: Wharf reads the cut file):
//   the stability re-read must not publish it;
// - a bare truncation with a 250 ms pause (a slow `gen`): longer than the debounce and the
//   re-read, so only the settle window keeps the last configuration;
// - a cut inside a quoted rule with a 250 ms pause: unparsable for longer than the re-read; kept
//   back, and no error is logged since the file completes within the settle window.
const ROUTERS = 20;
const REWRITES = 20;
const PAUSE_SHORT_MS = 30;
const PAUSE_MEDIUM_MS = 150;
const PAUSE_LONG_MS = 250;
// Time between rewrites: long enough for each complete file to stay unchanged for the 200 ms
// Wharf needs to trust it, so that generations are applied while the test runs.
const GAP_MS = 350;

let backend: Backend;

test.before(async () => {
  backend = await startBackend('a');
});

test.after.always(async () => {
  await backend.close();
});

/** `ROUTERS` routers `r<i>` on `r<i>.test`, each with its own service, plus a router naming the generation. */
function dynamicYaml(generation: number): string {
  const routers = Array.from({ length: ROUTERS }, (_, i) => `    r${i}:\n      rule: "Host(\`r${i}.test\`)"\n      service: s${i}\n`);
  const services = Array.from({ length: ROUTERS }, (_, i) => `    s${i}:\n      loadBalancer:\n        servers:\n          - url: ${backend.url}\n`);
  const marker = `    generation-${generation}:\n      rule: "Host(\`generation.test\`)"\n      service: s0\n`;
  return `# generation ${generation}\nhttp:\n  routers:\n${routers.join('')}${marker}  services:\n${services.join('')}`;
}

type Rewrite = { readonly cut: (text: string) => number; readonly pauseMs: number; readonly kind: string };

const REWRITE_KINDS: readonly Rewrite[] = [
  { kind: 'line boundary, short pause', pauseMs: PAUSE_SHORT_MS, cut: (text) => text.indexOf(`    r${ROUTERS / 2}:`) },
  { kind: 'line boundary, medium pause', pauseMs: PAUSE_MEDIUM_MS, cut: (text) => text.indexOf(`    r${ROUTERS / 2}:`) },
  { kind: 'bare truncation, long pause', pauseMs: PAUSE_LONG_MS, cut: () => 0 },
  { kind: 'inside a quoted rule, long pause', pauseMs: PAUSE_LONG_MS, cut: (text) => text.indexOf(`r${ROUTERS / 2}.test`) },
];

/** Truncates `path`, writes the text up to `cut`, pauses, writes the rest: what `gen > path` does. */
async function writeInPlace(path: string, text: string, rewrite: Rewrite): Promise<void> {
  const bytes = Buffer.from(text);
  const cut = rewrite.cut(text);
  const handle = await open(path, 'w');
  try {
    if (cut > 0) await handle.write(bytes.subarray(0, cut));
    await delay(rewrite.pauseMs);
    await handle.write(bytes.subarray(cut));
  } finally {
    await handle.close();
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function status(base: string, host: string): Promise<number> {
  const res = await request(base + '/', { headers: { host } });
  await res.body.dump();
  return res.statusCode;
}

/** Clients cycling over the routers' hosts until stopped, at most `limit` requests in all. */
function steadyLoad(base: string, clients: number, limit: number): { stop(): Promise<Map<string, number>> } {
  let running = true;
  let sent = 0;
  const statuses = new Map<string, number>();
  const loops = Array.from({ length: clients }, async (_, client) => {
    for (let i = client; running && sent < limit; i += clients) {
      sent++;
      let key: string;
      try {
        key = String(await status(base, `r${i % ROUTERS}.test`));
      } catch (err) {
        key = (err as NodeJS.ErrnoException).code ?? 'error';
      }
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
    }
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      return statuses;
    },
  };
}

interface RouterView {
  readonly name: string;
  readonly provider: string;
  readonly status: string;
}

/**
 * Polls the API until stopped; records every file router ever seen not enabled, the fewest file
 * routers seen, and the generations seen.
 */
function watchRouters(api: string): { stop(): Promise<{ polls: number; fewest: number; notEnabled: Set<string>; generations: Set<string> }> } {
  let running = true;
  let polls = 0;
  let fewest = Number.POSITIVE_INFINITY;
  const notEnabled = new Set<string>();
  const generations = new Set<string>();
  const loop = (async () => {
    while (running) {
      const routers = (await (await fetch(`${api}/api/http/routers?per_page=100`)).json()) as RouterView[];
      const file = routers.filter((r) => r.provider === 'file');
      polls++;
      fewest = Math.min(fewest, file.length);
      for (const r of file) if (r.status !== 'enabled') notEnabled.add(r.name);
      for (const r of file) if (r.name.startsWith('generation-')) generations.add(r.name);
      await delay(10);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { polls, fewest, notEnabled, generations };
    },
  };
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what}: not seen within ${timeoutMs} ms`);
    await delay(10);
  }
}

test('a file rewritten in place 20 times under load: no 404, no router disabled, no error logged', async (t) => {
  t.timeout(20_000);
  const dir = await mkdtemp(join(tmpdir(), 'wharf-torn-e2e-'));
  const file = join(dir, 'dynamic.yml');
  await writeFile(`${file}.tmp`, dynamicYaml(0));
  await rename(`${file}.tmp`, file);
  const wharf = await startWharf(['web', 'traefik'], ['--api.insecure', `--providers.file.filename=${file}`, '--providers.providersThrottleDuration=0s']);
  t.teardown(async () => {
    await wharf.stop();
    await rm(dir, { recursive: true, force: true });
  });
  const web = wharf.urls.web!;
  const api = wharf.urls.traefik!;
  await until('every router served', async () => (await Promise.all(Array.from({ length: ROUTERS }, (_, i) => status(web, `r${i}.test`)))).every((s) => s === 200));

  const load = steadyLoad(web, 4, 200_000);
  const routers = watchRouters(api);
  const started = Date.now();
  for (let generation = 1; generation <= REWRITES; generation++) {
    await writeInPlace(file, dynamicYaml(generation), REWRITE_KINDS[generation % REWRITE_KINDS.length]!);
    await delay(GAP_MS);
  }
  await until('the last generation', async () => (await fetch(`${api}/api/http/routers/generation-${REWRITES}@file`)).status === 200);
  const rewritesMs = Date.now() - started;
  const statuses = await load.stop();
  const seen = await routers.stop();
  const summary = `${REWRITES} rewrites in ${rewritesMs} ms; responses ${JSON.stringify(Object.fromEntries(statuses))}; ${seen.polls} API polls, fewest file routers ${seen.fewest}, ${seen.generations.size} generations seen, not enabled: ${[...seen.notEnabled].join(', ') || 'none'}`;
  t.log(summary);

  t.is(statuses.get('404') ?? 0, 0, summary);
  t.deepEqual([...statuses.keys()], ['200'], summary);
  t.true((statuses.get('200') ?? 0) > 200, summary);
  t.deepEqual([...seen.notEnabled], [], summary);
  t.is(seen.fewest, ROUTERS + 1, summary);
  t.true(seen.polls > 20, summary);
  t.true(seen.generations.size >= REWRITES / 2, `generations are applied as they are written: ${summary}`);
  t.notRegex(wharf.output(), /cannot load the file configuration/, wharf.output());
});
