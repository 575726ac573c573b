/**
 * Readiness as data: each part of the process reports whether it can serve, and why not, so
 * `/readyz` can name the failing check the way kube-apiserver's `[-]check failed` lines do.
 * @module
 */

export interface HealthResult {
  ok: boolean;
  /** Why the check fails; shown in `/readyz?verbose`. */
  reason?: string;
}

export interface HealthCheck {
  /** Stable name shown in the verbose output, such as `metric-collection`. */
  readonly name: string;
  /**
   * Shown in `?verbose` output but never failing the endpoint: the state of a dependency this
   * replica does not need in order to serve (Prometheus, whose absence prometheus-adapter's
   * readiness ignores too).
   */
  readonly informational?: boolean;
  check(): HealthResult;
}
