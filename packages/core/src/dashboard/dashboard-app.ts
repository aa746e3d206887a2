import { readFileSync } from 'node:fs';
import express, { type Router } from 'express';
import { normalizeBasePath } from '../api/api-app.js';

// The page is plain HTML/CSS/JS written by hand, shipped in the package (no build step, no CDN),
// so the dashboard works on a machine without Internet access.
const ASSETS_DIR = new URL('../../assets/dashboard/', import.meta.url);
const ASSETS: ReadonlyArray<{ file: string; type: string }> = [
  { file: 'index.html', type: 'text/html; charset=utf-8' },
  { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  { file: 'style.css', type: 'text/css; charset=utf-8' },
];

/** Options of the dashboard page. */
export interface DashboardOptions {
  /** `api.dashboardName`: shown in the page title and beside the logo, as Traefik does. */
  name?: string;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function named(html: string, name: string): string {
  const safe = escapeHtml(name);
  return html.replace('<title>Wharf dashboard</title>', `<title>${safe} · Wharf dashboard</title>`)
    .replace('</span> Wharf</a>', `</span> Wharf · ${safe}</a>`);
}

/**
 * The dashboard (`dashboard@internal`): serves the page under `<basePath>dashboard/` and
 * redirects `<basePath>` there. The page reads the API at `../api/`, so both must be reachable
 * under the same base path.
 */
export function createDashboardRouter(basePath?: string, options: DashboardOptions = {}): Router {
  const prefix = normalizeBasePath(basePath) === '/' ? '' : normalizeBasePath(basePath);
  const files = new Map(ASSETS.map(({ file, type }) => [file, { type, body: readFileSync(new URL(file, ASSETS_DIR)) }]));
  const page = files.get('index.html')!;
  if (options.name) page.body = Buffer.from(named(page.body.toString('utf8'), options.name));
  const router = express.Router({ strict: true });
  router.get(`${prefix}/`, (_req, res) => void res.redirect(302, `${prefix}/dashboard/`));
  if (prefix) router.get(prefix, (_req, res) => void res.redirect(302, `${prefix}/dashboard/`));
  router.get(`${prefix}/dashboard`, (_req, res) => void res.redirect(301, `${prefix}/dashboard/`));
  router.get(`${prefix}/dashboard/{:file}`, (req, res, next) => {
    const asset = files.get(req.params.file ?? 'index.html');
    if (!asset) return next();
    res.setHeader('content-type', asset.type);
    res.setHeader('cache-control', 'no-cache');
    res.setHeader('x-content-type-options', 'nosniff');
    res.end(req.method === 'HEAD' ? undefined : asset.body);
  });
  return router;
}

/** The dashboard alone as an Express application. */
export function createDashboardApp(basePath?: string, options: DashboardOptions = {}): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(createDashboardRouter(basePath, options));
  return app;
}
