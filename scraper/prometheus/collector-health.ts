/**
 * The collector's `prometheus-collection` health check: ok while the last relist was complete and
 * the last collection got at least one answer. It is informational: prometheus-adapter's readiness
 * does not depend on Prometheus, and a replica without it still serves metrics.k8s.io (and its last
 * custom values until they are stale), so `/readyz?verbose` lists it without failing readiness.
 * @module
 */
import type { Clock, HealthCheck, HealthResult } from '../../src/observability/index.js';

export class CollectorHealth implements HealthCheck {
  readonly name = 'prometheus-collection';
  readonly informational = true;
  private collected = false;
  /** Why the last relist was incomplete, or why the last collection got no answer. */
  private relistProblem: string | undefined = 'no discovery yet';
  private collectProblem: string | undefined;
  private retryAtMs: number | undefined;

  constructor(private readonly clock: Clock) {}

  /** A relist finished; `problem` names a failed series query, if any. */
  relisted(problem: string | undefined): void {
    this.relistProblem = problem;
  }

  /** A collection finished; `problem` is set when every query failed. */
  collectedCycle(problem: string | undefined): void {
    this.collected = true;
    this.collectProblem = problem;
  }

  /** When the next retry of a failed first relist runs (undefined: none pending). */
  retryingAt(atMs: number | undefined): void {
    this.retryAtMs = atMs;
  }

  check(): HealthResult {
    const problem =
      this.relistProblem ??
      (this.collected ? this.collectProblem : 'no collection cycle has finished yet');
    if (problem === undefined) return { ok: true };
    const retry =
      this.retryAtMs === undefined
        ? ''
        : `; relist retried in ${Math.max(0, Math.ceil((this.retryAtMs - this.clock.now()) / 1000))}s`;
    return { ok: false, reason: `${problem}${retry}` };
  }
}
