import type { DynamicConfiguration } from '@wharf/core';
import type { FileIssue } from './file-issue.js';
import { mergeConfigurations } from './merge-configurations.js';
import { parseConfigurationFile, type FileFormat } from './parse-file.js';

/** A configuration file as read from disk. */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
  readonly format?: FileFormat;
}

/** The file provider's configuration built from its files. Use `configuration` only when `errors` is empty. */
export interface BuildResult {
  readonly configuration: DynamicConfiguration;
  readonly errors: FileIssue[];
  readonly warnings: FileIssue[];
}

/**
 * Parses, decodes and merges the provider's files, in the order given (the client sorts them).
 * Pure. Any error in any file fails the whole build, as in Traefik: a half-updated directory
 * must not publish half a configuration.
 */
export function buildConfiguration(sources: readonly SourceFile[]): BuildResult {
  const parsed = sources.map((source) => parseConfigurationFile(source.path, source.text, source.format));
  const errors = parsed.flatMap((file) => file.errors);
  const warnings = parsed.flatMap((file) => file.warnings);
  if (errors.length > 0) return { configuration: {}, errors, warnings };
  const merged = mergeConfigurations(parsed);
  return { configuration: merged.configuration, errors: merged.errors, warnings };
}
