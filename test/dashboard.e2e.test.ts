import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startBackend, type Backend } from './helpers/backend.js';
import { waitFor } from './helpers/net.js';
import { ExampleConfig, startWharf, testDir, type WharfProcess } from './helpers/wharf-process.js';

// A real wharf process with --api.insecure and Debian's headless chromium (never a downloaded browser).
const CHROMIUM = '/usr/bin/chromium';
const artifacts = join(testDir, 'artifacts');
let wharf: WharfProcess;
let config: ExampleConfig;
let backend: Backend;
let browser: Browser;
let dashboard: string;

function configuration(extraRouters: Record<string, unknown> = {}): unknown {
  return {
    http: {
      routers: {
        shop: { rule: 'Host(`shop.test`) && PathPrefix(`/cart`)', service: 'shop', middlewares: ['strip'], entryPoints: ['web'], priority: 50 },
        blog: { rule: 'Host(`blog.test`)', service: 'shop', entryPoints: ['web'] },
        broken: { rule: 'Host(`broken.test`', service: 'shop', entryPoints: ['web'] },
        ...extraRouters,
      },
      services: { shop: { loadBalancer: { servers: [{ url: backend.url }, { url: 'http://127.0.0.1:9' }] } } },
      middlewares: { strip: { stripPrefix: { prefixes: ['/cart'] } } },
    },
  };
}

test.before(async () => {
  await mkdir(artifacts, { recursive: true });
  backend = await startBackend('shop');
  config = await ExampleConfig.create(configuration());
  wharf = await startWharf(['web', 'traefik'], ['--api.insecure', '--metrics.prometheus', ...config.args()]);
  dashboard = wharf.urls.traefik + '/dashboard/';
  await waitFor(async () => (await fetch(wharf.urls.traefik + '/api/http/routers/shop@example')).status === 200, 10_000, 'configuration in the API');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // Playwright gives each launch a fresh temporary profile (--user-data-dir) of its own.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

test.after.always(async () => {
  await browser?.close();
  await wharf?.stop();
  await backend?.close();
});

/** A page that records console errors, failed requests and any request leaving Wharf. */
async function open(t: { teardown(fn: () => unknown): void }): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  t.teardown(() => context.close());
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`failed: ${r.url()}`));
  page.on('request', (r) => !r.url().startsWith(wharf.urls.traefik!) && !r.url().startsWith('data:') && problems.push(`external: ${r.url()}`));
  return { page, problems };
}

test.serial('the root redirects to the overview, which shows entry points, counts and providers', async (t) => {
  const { page, problems } = await open(t);
  await page.goto(wharf.urls.traefik + '/');
  t.is(new URL(page.url()).pathname, '/dashboard/');
  await page.waitForSelector('[data-testid="count-routers"]');
  // shop, blog, broken + api@internal, dashboard@internal, prometheus@internal
  t.regex(await page.textContent('[data-testid="count-routers"] .big') ?? '', /^6$/);
  t.regex(await page.textContent('[data-testid="errors-routers"]') ?? '', /1 errors/);
  t.deepEqual((await page.$$eval('[data-testid="entrypoint"] h3', (els) => els.map((e) => e.textContent))).sort(), ['traefik', 'web']);
  t.deepEqual(await page.$$eval('[data-testid="provider"]', (els) => els.map((e) => e.textContent)), ['Example']);
  await page.screenshot({ path: join(artifacts, 'dashboard-overview.png'), fullPage: true });
  t.deepEqual(problems, []);
});

test.serial('a provider whose latest snapshot was rejected shows as errored on the overview, and recovers', async (t) => {
  const { page, problems } = await open(t);
  await config.write('oops');
  await waitFor(async () => ((await (await fetch(wharf.urls.traefik + '/api/providers/example')).json()) as { status: string }).status === 'error', 10_000, 'the provider errored');
  await page.goto(dashboard);
  await page.waitForSelector('[data-testid="provider-error"]', { timeout: 10_000 });
  t.regex(await page.textContent('[data-testid="provider-error"]') ?? '', /previous one still serves: provider "example": expected an object at the top level, got the string "oops"/);
  await page.screenshot({ path: join(artifacts, 'dashboard-provider-error.png'), fullPage: true });
  await config.write(configuration());
  await page.waitForSelector('[data-testid="provider-error"]', { state: 'detached', timeout: 10_000 });
  t.deepEqual(await page.$$eval('[data-testid="provider"]', (els) => els.map((e) => e.textContent)), ['Example']);
  t.deepEqual(problems, []);
});

test.serial('the routers list shows the configuration, the search box filters, a click opens the detail', async (t) => {
  const { page, problems } = await open(t);
  await page.goto(dashboard + '#/routers');
  await page.waitForSelector('[data-testid="routers-table"]');
  const names = await page.$$eval('tbody tr', (rows) => rows.map((r) => r.getAttribute('data-name')));
  t.deepEqual(names, ['api@internal', 'blog@example', 'broken@example', 'dashboard@internal', 'prometheus@internal', 'shop@example']);
  const shopRow = await page.textContent('tr[data-name="shop@example"]');
  t.regex(shopRow ?? '', /Host\(`shop\.test`\) && PathPrefix\(`\/cart`\)/);
  t.regex(shopRow ?? '', /web.*shop@example.*example.*50/s);
  t.is(await page.getAttribute('tr[data-name="broken@example"] [data-status]', 'data-status'), 'disabled');
  await page.screenshot({ path: join(artifacts, 'dashboard-routers.png'), fullPage: true });
  await page.fill('[data-testid="search"]', 'blog');
  t.deepEqual(await page.$$eval('tbody tr', (rows) => rows.map((r) => r.getAttribute('data-name'))), ['blog@example']);
  await page.fill('[data-testid="search"]', '');
  await page.click('tr[data-name="shop@example"]');
  await page.waitForSelector('[data-testid="service-panel"]');
  t.regex(await page.textContent('[data-testid="middlewares-panel"]') ?? '', /strip@example.*stripprefix/s);
  t.is(await page.textContent(`[data-testid="servers"] tr[data-url="${backend.url}"] .pill`), 'UP');
  await page.screenshot({ path: join(artifacts, 'dashboard-router-detail.png'), fullPage: true });
  t.deepEqual(problems, []);
});

test.serial("Traefik's dashboard paths work as bookmarked (#/http/routers, #/http/services/<name>), and the dashboard's own links use them", async (t) => {
  const { page, problems } = await open(t);
  await page.goto(dashboard + '#/http/routers');
  await page.waitForSelector('[data-testid="routers-table"]');
  t.true((await page.$$eval('tbody tr', (rows) => rows.map((r) => r.getAttribute('data-name')))).includes('shop@example'));
  await page.click('tr[data-name="shop@example"]');
  await page.waitForSelector('[data-testid="service-panel"]');
  t.is(new URL(page.url()).hash, '#/http/routers/shop%40example');
  await page.goto(dashboard + '#/http/services/shop%40example');
  await page.waitForSelector('[data-testid="service-panel"]');
  t.regex(await page.textContent('main') ?? '', /blog@example/);
  t.deepEqual(await page.$$eval('nav a[data-nav]', (links) => links.map((a) => a.getAttribute('href'))), ['#/', '#/http/routers', '#/http/services', '#/http/middlewares']);
  t.deepEqual(problems, []);
});

test.serial('a disabled router shows its error; services and middlewares have pages too', async (t) => {
  const { page, problems } = await open(t);
  await page.goto(dashboard + '#/routers/broken%40example');
  await page.waitForSelector('[data-testid="errors"]');
  t.regex(await page.textContent('[data-testid="errors"]') ?? '', /disabled/i);
  await page.screenshot({ path: join(artifacts, 'dashboard-router-error.png'), fullPage: true });
  await page.goto(dashboard + '#/services');
  await page.waitForSelector('[data-testid="services-table"]');
  const services = await page.$$eval('tbody tr', (rows) => rows.map((r) => r.getAttribute('data-name')));
  t.true(services.includes('shop@example'));
  t.true(services.includes('api@internal') && services.includes('noop@internal'), "Wharf's own services are listed, as in Traefik");
  await page.fill('[data-testid="search"]', 'noop');
  t.deepEqual(await page.$$eval('tbody tr', (rows) => rows.map((r) => r.getAttribute('data-name'))), ['noop@internal']);
  await page.fill('[data-testid="search"]', '');
  await page.screenshot({ path: join(artifacts, 'dashboard-services.png'), fullPage: true });
  await page.goto(dashboard + '#/services/shop%40example');
  await page.waitForSelector('[data-testid="service-panel"]');
  t.regex(await page.textContent('main') ?? '', /blog@example/);
  await page.screenshot({ path: join(artifacts, 'dashboard-service-detail.png'), fullPage: true });
  await page.goto(dashboard + '#/middlewares');
  await page.waitForSelector('[data-testid="middlewares-table"]');
  await page.screenshot({ path: join(artifacts, 'dashboard-middlewares.png'), fullPage: true });
  await page.click('tr[data-name="strip@example"]');
  await page.waitForSelector('pre');
  t.regex(await page.textContent('pre') ?? '', /"\/cart"/);
  await page.screenshot({ path: join(artifacts, 'dashboard-middleware-detail.png'), fullPage: true });
  t.deepEqual(problems, []);
});

test.serial('a configuration change appears without reloading the page, search text kept', async (t) => {
  const { page, problems } = await open(t);
  await page.goto(dashboard + '#/routers');
  await page.waitForSelector('[data-testid="routers-table"]');
  await page.fill('[data-testid="search"]', 'example');
  await config.write(configuration({ fresh: { rule: 'Host(`fresh.test`)', service: 'shop', entryPoints: ['web'] } }));
  await page.waitForSelector('tr[data-name="fresh@example"]', { timeout: 10_000 });
  t.is(await page.inputValue('[data-testid="search"]'), 'example');
  t.deepEqual(await page.$$eval('tbody tr', (rows) => rows.map((r) => r.getAttribute('data-name'))), ['blog@example', 'broken@example', 'fresh@example', 'shop@example']);
  await page.screenshot({ path: join(artifacts, 'dashboard-after-change.png'), fullPage: true });
  t.deepEqual(problems, []);
});
