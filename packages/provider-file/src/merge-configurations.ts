import type { DynamicConfiguration } from '@wharf/core';
import type { FileIssue } from './file-issue.js';
import type { ParsedFile } from './parse-file.js';

/** The merged configuration of several files, and the names defined more than once. */
export interface MergeResult {
  readonly configuration: DynamicConfiguration;
  readonly errors: FileIssue[];
}

type Section = Record<string, unknown>;

/**
 * Merges decoded files, in the order given, into one configuration. Element maps (routers,
 * services, middlewares, transports, TLS options and stores) are joined; lists
 * (`tls.certificates`) are concatenated.
 *
 * A name defined in two files is an error naming both, unlike Traefik, which keeps the first
 * definition met and logs a warning (spec/traefik-model.md §f): which one wins then depends on
 * file names, and a copy-pasted file silently shadows or is shadowed by another.
 */
export function mergeConfigurations(files: readonly ParsedFile[]): MergeResult {
  const merged: Record<string, Section> = { http: { routers: {}, services: {}, middlewares: {}, serversTransports: {} } };
  const owners = new Map<string, ParsedFile>();
  const errors: FileIssue[] = [];
  for (const file of files) {
    for (const [sectionName, section] of Object.entries(file.configuration as Record<string, Section | undefined>)) {
      if (!section) continue;
      const target = (merged[sectionName] ??= {});
      for (const [kind, value] of Object.entries(section)) {
        if (Array.isArray(value)) {
          target[kind] = [...((target[kind] as unknown[] | undefined) ?? []), ...(value as unknown[])];
          continue;
        }
        const elements = (target[kind] ??= {}) as Record<string, unknown>;
        for (const [name, element] of Object.entries(value as Record<string, unknown>)) {
          const path = [sectionName, kind, name];
          const key = path.join('\u0000');
          const owner = owners.get(key);
          if (owner) {
            errors.push(duplicate(path, owner, file));
            continue;
          }
          owners.set(key, file);
          elements[name] = element;
        }
      }
    }
  }
  return { configuration: merged as DynamicConfiguration, errors };
}

function duplicate(path: string[], first: ParsedFile, second: ParsedFile): FileIssue {
  const firstAt = first.locate(path);
  const where = firstAt ? `${first.file}:${firstAt.line}:${firstAt.column}` : first.file;
  const kind = path[1]!.replace(/s$/, '').replace(/^serversTransport$/, 'servers transport');
  return {
    file: second.file,
    ...(second.locate(path) ?? {}),
    path,
    message: `${path[0]} ${kind} "${path[2]}" is already defined in ${where}; names must be unique across the files of the directory`,
  };
}
