/** Route selection among compiled rules. */
export { HostIndexedRouteMatcher, type RouteEntry } from './host-indexed-route-matcher.js';
export { defaultPriority } from './default-priority.js';
export { currentRequestFacts } from './current-request-facts.js';
