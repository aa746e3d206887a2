/**
 * The plugin boundary: every snapshot a provider emits is decoded here, by the same decoder the
 * file provider uses, before anything in the kernel reads it. First-party or third-party, a
 * provider's data is untrusted until it has been through this step.
 */
import { decodeDynamicConfiguration, type DecodeIssue } from '../config/dynamic/decode.js';
import type { DynamicConfiguration } from '../config/dynamic/types.js';
import { errorMessage } from '../errors.js';

/** Sections decoded and carried, not served yet (issue: TLS, TCP, UDP): an error inside is a warning. */
export const UNSERVED_SECTIONS: ReadonlySet<string> = new Set(['tcp', 'udp', 'tls']);

/** The named-element sections of `http`. */
export type ElementSection = 'routers' | 'services' | 'middlewares' | 'serversTransports';

/** The kind of element each section of `http` holds, as log fields and messages name it. */
export const ELEMENT_KIND: Readonly<Record<ElementSection, string>> = {
  routers: 'router',
  services: 'service',
  middlewares: 'middleware',
  serversTransports: 'serversTransport',
};

/** One element of a snapshot that failed to decode; the rest of the snapshot still applies. */
export interface ElementIssue {
  readonly section: ElementSection;
  /** The element's name as the provider wrote it. */
  readonly name: string;
  /** `name@provider`; a name that already holds `@` gets the suffix too, so it never shadows another provider's element. */
  readonly qualified: string;
  /** `router`, `service`, `middleware` or `serversTransport`, as log field names. */
  readonly kind: string;
  /** The key path from the root, e.g. `['http', 'routers', 'r', 'priority']`. */
  readonly path: readonly string[];
  /** The whole message: provider, element, key path and reason. */
  readonly message: string;
}

/** What {@link decodeProviderSnapshot} makes of a provider's payload. */
export type SnapshotDecoding =
  | {
      readonly ok: true;
      /** Decoded, canonical configuration (bad elements are left out or hold only their valid fields). */
      readonly configuration: DynamicConfiguration;
      readonly elementIssues: readonly ElementIssue[];
      /** Options of one element that are accepted and not applied: the element serves, with status `warning`. */
      readonly elementWarnings: readonly ElementIssue[];
      /** Decoder warnings outside elements (unsupported sections, unknown middleware types), as whole messages. */
      readonly warnings: readonly string[];
    }
  | {
      readonly ok: false;
      /** Why the snapshot as a whole cannot be used: not an object, a section of the wrong type, a throw. */
      readonly errors: readonly string[];
    };

/**
 * Decodes one provider snapshot strictly. An issue inside a named `http` element
 * (`http.routers.<name>…`) is that element's; an issue inside `tcp`, `udp` or `tls` (not served
 * yet) is a warning; any other issue (the top level, a section that is not a map) makes the
 * snapshot unusable as a whole. `read` is called inside
 * a guard, so a payload whose getters throw is reported like any other bad snapshot.
 *
 * @example
 * const decoded = decodeProviderSnapshot('example', () => message.configuration);
 * if (!decoded.ok) log.error(decoded.errors.join('; '));
 */
export function decodeProviderSnapshot(provider: string, read: () => unknown): SnapshotDecoding {
  try {
    const payload = read();
    if (payload === null || payload === undefined) {
      return { ok: false, errors: [issueMessage(provider, undefined, [], `expected an object at the top level, got ${String(payload)}`)] };
    }
    const decoded = decodeDynamicConfiguration(payload);
    const errors: string[] = [];
    const elementIssues: ElementIssue[] = [];
    const warnings: string[] = [];
    const elementWarnings: ElementIssue[] = [];
    for (const issue of decoded.warnings) {
      const element = elementOf(provider, issue);
      if (element !== undefined) elementWarnings.push(element);
      else warnings.push(issueMessage(provider, undefined, issue.path, issue.message));
    }
    for (const issue of decoded.errors) {
      const element = elementOf(provider, issue);
      if (element !== undefined) elementIssues.push(element);
      // Sections Wharf does not serve yet: reported, never a reason to drop the HTTP routes.
      else if (UNSERVED_SECTIONS.has(issue.path[0] ?? '')) warnings.push(issueMessage(provider, undefined, issue.path, `${issue.message} (ignored: this section is not served yet)`));
      else errors.push(issueMessage(provider, undefined, issue.path, issue.message));
    }
    if (errors.length > 0) return { ok: false, errors };
    return { ok: true, configuration: decoded.configuration, elementIssues, elementWarnings, warnings };
  } catch (err) {
    return { ok: false, errors: [issueMessage(provider, undefined, [], `the snapshot could not be read: ${errorMessage(err)}`)] };
  }
}

/** `provider "p", router "r@p", key http.routers.r.priority: expected an integer, got …`. */
export function issueMessage(provider: string, element: { kind: string; qualified: string } | undefined, path: readonly string[], reason: string): string {
  const parts = [`provider "${provider}"`];
  if (element !== undefined) parts.push(`${element.kind} "${element.qualified}"`);
  if (path.length > 0) parts.push(`key ${path.join('.')}`);
  return `${parts.join(', ')}: ${reason}`;
}

function elementOf(provider: string, issue: DecodeIssue): ElementIssue | undefined {
  const [root, section, name] = issue.path;
  if (root !== 'http' || name === undefined || section === undefined || !Object.hasOwn(ELEMENT_KIND, section)) return undefined;
  const kind = ELEMENT_KIND[section as ElementSection];
  const qualified = `${name}@${provider}`;
  return { section: section as ElementSection, name, qualified, kind, path: issue.path, message: issueMessage(provider, { kind, qualified }, issue.path, issue.message) };
}

/** What the kernel knows about one provider besides its snapshot in force. */
export interface ProviderReport {
  /** The element issues of the snapshot in force. */
  readonly elementIssues: readonly ElementIssue[];
  /** Options accepted and not applied, per element, in the snapshot in force (absent in older reports). */
  readonly elementWarnings?: readonly ElementIssue[];
  /** Why the provider's latest snapshot was rejected (its previous one stays in force); empty once one is applied. */
  readonly errors: readonly string[];
}

/**
 * The decoded snapshot in force for each provider, plus a report per provider. The watcher hands
 * this to its listeners; `mergeSnapshots` turns the reports into element and provider statuses.
 */
export class ProviderSnapshots extends Map<string, DynamicConfiguration> {
  /** Per provider, including providers whose every snapshot so far was rejected. */
  readonly reports = new Map<string, ProviderReport>();
}
