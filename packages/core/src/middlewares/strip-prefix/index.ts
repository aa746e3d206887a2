import { ConfigError } from '../../errors.js';
import type { Handler, MiddlewareFactory } from '../middleware-factory.js';
import { splitUrl, stringList } from '../url.js';

export interface StripPrefixConfig {
  prefixes?: string[];
  /** Deprecated in Traefik; accepted and ignored (a stripped path always starts with `/`). */
  forceSlash?: boolean;
}

/**
 * `stripPrefix`: removes the first matching prefix from the path and records it in
 * `X-Forwarded-Prefix`, so the backend can build absolute links (spec §d).
 */
export const stripPrefixFactory = {
  type: 'stripPrefix',
  create(ctx, config): Handler {
    let prefixes: string[];
    try {
      prefixes = stringList(config as Record<string, unknown>, 'prefixes');
    } catch (err) {
      throw new ConfigError(`${ctx.name}.stripPrefix.prefixes`, (err as Error).message);
    }
    if (prefixes.length === 0) throw new ConfigError(`${ctx.name}.stripPrefix.prefixes`, 'stripPrefix needs at least one prefix');
    return function stripPrefix(req, _res, next): void {
      const { path, query } = splitUrl(req.url ?? '/');
      for (const prefix of prefixes) {
        if (!path.startsWith(prefix)) continue;
        const rest = path.slice(prefix.length);
        req.url = (rest.startsWith('/') ? rest : '/' + rest) + query;
        req.headers['x-forwarded-prefix'] = prefix;
        break;
      }
      next();
    };
  },
} satisfies MiddlewareFactory<StripPrefixConfig>;
