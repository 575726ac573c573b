/**
 * Validation issues in zod's shape: every problem found, each with the path of the offending field
 * (`rules[2].seriesQuery`, `--metric-resolution`), never only the first (metrics-server's
 * `Validate() []error`).
 * @module
 */

export interface ConfigIssue {
  path: string;
  message: string;
  /** 1-based line of `path` in the file it came from, when it came from one (yaml-locate.ts). */
  line?: number;
  /** 1-based column, with `line`. */
  column?: number;
}

export type Parsed<T> =
  { config: T; issues?: undefined } | { config?: undefined; issues: ConfigIssue[] };

/** `rules[0].metricsQuery (line 30, column 70): message`: the one place an issue becomes text. */
export function formatIssue(issue: ConfigIssue): string {
  const at =
    issue.line === undefined
      ? ''
      : ` (line ${issue.line}${issue.column === undefined ? '' : `, column ${issue.column}`})`;
  return `${issue.path}${at}: ${issue.message}`;
}

/** One line per issue, as the CLI prints them before exiting 2. */
export function formatIssues(issues: readonly ConfigIssue[]): string {
  return issues.map(formatIssue).join('\n');
}
