/**
 * Traefik's router rule language (v3 and v2 syntaxes): parsing, compilation to closures and the
 * per-request facts matchers read.
 */
export { compileRule, type CompiledRule, type RuleSyntax } from './compile-rule.js';
export { RequestFacts, canonicalHost } from './request-facts.js';
export { normalizePath, routingPath, sanitizePath } from './request-path.js';
export { parseRequestTarget, type RequestTargetOptions } from './request-target.js';
