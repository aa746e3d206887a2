import { ConfigError } from '../../errors.js';
import type { Handler, MiddlewareFactory } from '../middleware-factory.js';

export interface AddPrefixConfig {
  prefix?: string;
}

/** `addPrefix`: prepends `prefix` to the request path (spec §d); a prefix without a leading `/` gets one, as in Traefik. */
export const addPrefixFactory = {
  type: 'addPrefix',
  create(ctx, config): Handler {
    const prefix = config.prefix;
    if (typeof prefix !== 'string' || prefix === '') throw new ConfigError(`${ctx.name}.addPrefix.prefix`, 'addPrefix needs a prefix');
    // Traefik prepends the prefix and then makes sure the path starts with "/": `api` acts as `/api`.
    const rooted = prefix.startsWith('/') ? prefix : `/${prefix}`;
    const base = rooted.endsWith('/') ? rooted.slice(0, -1) : rooted;
    return function addPrefix(req, _res, next): void {
      req.url = base + (req.url ?? '/');
      next();
    };
  },
} satisfies MiddlewareFactory<AddPrefixConfig>;
