import { ConfigError } from '@wharf/core';

/**
 * One problem found in a configuration file. `line` and `column` are 1-based and present when
 * the position is known (syntax errors always; decode issues best-effort); `path` is the key path
 * (`['http', 'routers', 'api', 'rule']`), empty for file-level problems.
 */
export interface FileIssue {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly path: readonly string[];
  readonly message: string;
}

/** `dynamic.yml:3:7: http.routers.api.rule: expected a string, got a list`. */
export function formatIssue(issue: FileIssue): string {
  const where = issue.line === undefined ? issue.file : `${issue.file}:${issue.line}:${issue.column ?? 1}`;
  const key = issue.path.length > 0 ? ` ${issue.path.join('.')}:` : '';
  return `${where}:${key} ${issue.message}`;
}

/**
 * The file provider's configuration could not be loaded: a syntax error, a decode error, a
 * duplicate name across files, an unreadable file. Carries every issue found, positioned.
 */
export class FileConfigurationError extends ConfigError {
  readonly issues: readonly FileIssue[];
  constructor(issues: readonly FileIssue[], options?: { cause?: unknown }) {
    const first = issues[0];
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more: ${issues.slice(1).map(formatIssue).join('; ')})` : '';
    super(first && first.path.length > 0 ? first.path.join('.') : 'providers.file', `${first ? formatIssue(first) : 'invalid configuration'}${more}`, {
      ...options,
      source: first?.file,
      code: 'FILE_CONFIG_INVALID',
    });
    this.issues = issues;
  }
}
