import { RE2JS } from 're2js';
import { compileRe2, GoRegexpError, quoteMeta, translateGoRegexp, type LinearRegexp } from './go-regexp.js';

/** What a gorilla/mux template is matched against; decides the default variable pattern and anchoring. */
export type TemplateKind = 'host' | 'path' | 'prefix' | 'query';

const defaultPatterns: Record<TemplateKind, string> = { host: '[^.]+', path: '[^/]+', prefix: '[^/]+', query: '.*' };

/**
 * Compiles a gorilla/mux template (v2 rules): text outside `{}` is literal, `{name}` takes the
 * default pattern of the kind, `{name:re}` a Go regexp. Anchored at both ends except `prefix`.
 * Host templates match case-insensitively; a `query` template with an empty value (`k=`)
 * matches any value of a present key.
 * @throws GoRegexpError with an offset in the template
 */
export function compileGorillaTemplate(template: string, kind: TemplateKind): LinearRegexp {
  const braces = braceIndices(template);
  let source = '^';
  let end = 0;
  for (let n = 0; n < braces.length; n += 2) {
    const [open, close] = [braces[n], braces[n + 1]];
    source += quoteMeta(template.slice(end, open));
    const inner = template.slice(open + 1, close - 1);
    const colon = inner.indexOf(':');
    const name = colon < 0 ? inner : inner.slice(0, colon);
    const pattern = colon < 0 ? defaultPatterns[kind] : inner.slice(colon + 1);
    if (name === '' || pattern === '') throw new GoRegexpError(open, `missing name or pattern in ${JSON.stringify(inner)}`);
    source += `(?:${colon < 0 ? pattern : fragment(pattern, open + 1 + colon + 1)})`;
    end = close;
  }
  source += quoteMeta(template.slice(end));
  if (kind === 'query' && template.slice(template.indexOf('=') + 1) === '') source += defaultPatterns.query;
  if (kind !== 'prefix') source += '$';
  // RE2 syntax throughout, matched in linear time like every rule regexp (see compileGoRegexp).
  return compileRe2(source, kind === 'host' ? RE2JS.CASE_INSENSITIVE : 0, template, 'template');
}

/** A variable's Go regexp, validated (errors located in the template), kept in RE2 syntax. */
function fragment(pattern: string, offset: number): string {
  try {
    const { flags } = translateGoRegexp(pattern);
    if (flags !== 'u') throw new GoRegexpError(0, 'flags are not supported inside a template variable');
    return pattern;
  } catch (err) {
    if (err instanceof GoRegexpError) throw new GoRegexpError(offset + err.offset, err.message);
    throw err;
  }
}

/** Offsets of balanced top-level `{`…`}` pairs: [open, closeExclusive, …]. */
function braceIndices(template: string): number[] {
  const out: number[] = [];
  let level = 0;
  let start = 0;
  for (let i = 0; i < template.length; i++) {
    if (template[i] === '{') {
      if (level++ === 0) start = i;
    } else if (template[i] === '}') {
      if (--level === 0) out.push(start, i + 1);
      else if (level < 0) throw new GoRegexpError(i, `unbalanced braces in ${JSON.stringify(template)}`);
    }
  }
  if (level !== 0) throw new GoRegexpError(start, `unbalanced braces in ${JSON.stringify(template)}`);
  return out;
}
