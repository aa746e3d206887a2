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

/**
 * The dashboard (`dashboard@internal`): serves the page under `<basePath>dashboard/` and
 * redirects `<basePath>` there. The page reads the API at `../api/`, so both must be reachable
 * under the same base path.
 */
export function createDashboardRouter(basePath?: string): Router {
  const prefix = normalizeBasePath(basePath) === '/' ? '' : normalizeBasePath(basePath);
  const files = new Map(ASSETS.map(({ file, type }) => [file, { type, body: readFileSync(new URL(file, ASSETS_DIR)) }]));
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
export function createDashboardApp(basePath?: string): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(createDashboardRouter(basePath));
  return app;
}
