/**
 * Validation issues in zod's shape: every problem found, each with the path of the offending field
 * (`rules[2].seriesQuery`, `--metric-resolution`), never only the first (metrics-server's
 * `Validate() []error`).
 * @module
 */

export interface ConfigIssue {
  path: string;
  message: string;
}

export type Parsed<T> =
  { config: T; issues?: undefined } | { config?: undefined; issues: ConfigIssue[] };

/** One line per issue, as the CLI prints them before exiting 2. */
export function formatIssues(issues: readonly ConfigIssue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join('\n');
}
