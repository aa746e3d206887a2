import { ELEMENT_KIND, UNSERVED_SECTIONS, type DynamicConfiguration } from '@wharf/core';
import type { FileIssue } from './file-issue.js';
import { mergeConfigurations } from './merge-configurations.js';
import { parseConfigurationFile, type FileFormat, type ParsedFile } from './parse-file.js';

/** A configuration file as read from disk. */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
  readonly format?: FileFormat;
}

/** The file provider's configuration built from its files. Use `configuration` only when `errors` is empty. */
export interface BuildResult {
  readonly configuration: DynamicConfiguration;
  /** What fails the whole build: syntax errors, a section of the wrong type, a name defined twice. */
  readonly errors: FileIssue[];
  readonly warnings: FileIssue[];
  /**
   * Errors inside one named `http` element (`http.routers.<name>…`): the element is published as
   * written and the kernel disables it alone, with the key path; the rest of the files serve.
   */
  readonly elementErrors: FileIssue[];
}


/** An error inside a named element of `http`, which disables that element only. */
export function isElementIssue(issue: FileIssue): boolean {
  return issue.path.length >= 3 && issue.path[0] === 'http' && Object.hasOwn(ELEMENT_KIND, issue.path[1]!);
}

/**
 * Parses, decodes and merges the provider's files, in the order given (the client sorts them).
 * Pure. An error in a named `http` element (an unknown key, a wrong type) disables that element
 * only, as the kernel does for any provider: the element is published as written, and the kernel
 * decodes it, disables it and shows the key path. An error inside `tcp`, `udp` or `tls` (sections
 * Wharf does not serve yet) is a warning. Any other error (syntax, a section of the wrong type, a
 * name defined in two files) fails the whole build: a half-updated directory must not publish
 * half a configuration.
 */
export function buildConfiguration(sources: readonly SourceFile[]): BuildResult {
  const parsed = sources.map((source) => parseConfigurationFile(source.path, source.text, source.format));
  const issues = parsed.flatMap((file) => file.errors);
  const errors = issues.filter((issue) => !isElementIssue(issue) && !UNSERVED_SECTIONS.has(issue.path[0] ?? ''));
  const elementErrors = issues.filter(isElementIssue);
  const warnings = [...parsed.flatMap((file) => file.warnings), ...issues.filter((issue) => UNSERVED_SECTIONS.has(issue.path[0] ?? ''))];
  if (errors.length > 0) return { configuration: {}, errors, warnings, elementErrors: [] };
  const merged = mergeConfigurations(parsed.map(withRawElements));
  return { configuration: merged.configuration, errors: merged.errors, warnings, elementErrors };
}

/** The file's configuration with each element that failed to decode replaced by the element as written. */
function withRawElements(file: ParsedFile): ParsedFile {
  const bad = file.errors.filter(isElementIssue);
  if (bad.length === 0) return file;
  const http = { ...(file.configuration.http ?? {}) } as Record<string, Record<string, unknown> | undefined>;
  for (const issue of bad) {
    const [, section, name] = issue.path as [string, string, string];
    const raw = child(child(child(file.raw, 'http'), section), name, true);
    http[section] = { ...(http[section] ?? {}), [name]: raw ?? {} };
  }
  return { ...file, configuration: { ...file.configuration, http } as DynamicConfiguration };
}

/** A key of a parsed document: field names in any case (as the decoder reads them), element names exactly. */
function child(value: unknown, key: string, exact = false): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  if (key in record || exact) return record[key];
  const found = Object.keys(record).find((k) => k.toLowerCase() === key.toLowerCase());
  return found === undefined ? undefined : record[found];
}
