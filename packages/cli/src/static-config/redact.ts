import { forEachProperty } from './assemble.js';
import { isPlainObject } from './schema-tree.js';

/** What `wharf check`, logs and the API show instead of a secret. */
export const REDACTED = '<redacted>';

/**
 * A copy of `config` with every `sensitive` property (plugin fragments included) replaced by
 * {@link REDACTED}, set or not: showing which secrets are empty would reveal something too.
 */
export function redact(config: unknown, schema: Record<string, unknown>): unknown {
  const copy: unknown = structuredClone(config);
  forEachProperty(schema, (path, spec) => {
    if (spec?.sensitive !== true) return;
    let node: unknown = copy;
    for (const segment of path.slice(0, -1)) node = isPlainObject(node) ? node[segment] : undefined;
    if (isPlainObject(node)) node[path[path.length - 1]] = REDACTED;
  });
  return copy;
}
