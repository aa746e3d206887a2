import { ConfigError } from '../../errors.js';
import type { Handler, MiddlewareFactory } from '../middleware-factory.js';

export interface AddPrefixConfig {
  prefix?: string;
}

/** `addPrefix`: prepends `prefix` to the request path (spec §d). */
export const addPrefixFactory = {
  type: 'addPrefix',
  create(ctx, config): Handler {
    const prefix = config.prefix;
    if (typeof prefix !== 'string' || prefix === '') throw new ConfigError(`${ctx.name}.addPrefix.prefix`, 'addPrefix needs a prefix');
    if (!prefix.startsWith('/')) throw new ConfigError(`${ctx.name}.addPrefix.prefix`, `prefix "${prefix}" must start with "/"`);
    const base = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
    return function addPrefix(req, _res, next): void {
      req.url = base + (req.url ?? '/');
      next();
    };
  },
} satisfies MiddlewareFactory<AddPrefixConfig>;
