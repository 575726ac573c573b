/**
 * The kubelet loop's `metric-collection` readiness check. metrics-server fails its
 * metric-collection check when 1.5 × `--metric-resolution` pass without a tick, and its storage
 * check when the last tick stored nothing (pkg/server/server.go probeMetricCollectionTimely,
 * probeMetricStorageReady). We fail when no tick has *succeeded* (stored what at least one node
 * answered, or had no node to ask) for 1.5 resolutions: a loop that runs but collects nothing is as
 * useless to the HPA as one that stopped. A tick still in flight within its own deadline (one
 * resolution from its start) is given its chance before the check fails, so a tick slowed by one
 * hanging kubelet does not flap readiness; the reason names the time since the last success and
 * what the last tick saw.
 * @module
 */
import type { Clock, HealthCheck, HealthResult } from '../src/observability/index.js';

/** What the check needs from a finished tick. */
export interface TickSummary {
  targets: number;
  /** Nodes sitting out a backoff, not asked. */
  skipped: number;
  succeeded: number;
  failures: Record<string, number>;
  stored: boolean;
}

/** metrics-server's factor: 1.5 resolutions without a successful collection is stale. */
export const staleAfterResolutions = 1.5;

export class CollectionHealth implements HealthCheck {
  readonly name = 'metric-collection';
  private lastSuccessMs: number | undefined;
  private inFlightSinceMs: number | undefined;
  private last: TickSummary | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly resolutionMs: number,
  ) {}

  tickStarted(nowMs: number): void {
    this.inFlightSinceMs = nowMs;
  }

  /** Records a finished tick; `success` when it stored what at least one node answered (or none was asked). */
  tickFinished(summary: TickSummary, success: boolean, nowMs: number): void {
    this.inFlightSinceMs = undefined;
    this.last = summary;
    if (success) this.lastSuccessMs = nowMs;
  }

  check(): HealthResult {
    const now = this.clock.now();
    const maxMs = staleAfterResolutions * this.resolutionMs;
    if (this.lastSuccessMs !== undefined && now - this.lastSuccessMs <= maxMs) return { ok: true };
    // The tick in flight may still succeed: wait for it, but never past its own deadline.
    const pending =
      this.inFlightSinceMs !== undefined && now - this.inFlightSinceMs < this.resolutionMs;
    if (this.lastSuccessMs !== undefined && pending) return { ok: true };
    const since =
      this.lastSuccessMs === undefined
        ? 'no kubelet metrics stored yet'
        : `no kubelet scrape succeeded for ${seconds(now - this.lastSuccessMs)} (more than ${staleAfterResolutions} × the ${seconds(this.resolutionMs)} resolution)`;
    return { ok: false, reason: `${since}${this.describeLast()}` };
  }

  private describeLast(): string {
    const t = this.last;
    if (t === undefined) return '';
    if (!t.stored && t.targets > 0 && t.succeeded > 0)
      return '; last tick: its batch was not stored';
    const entries = Object.entries(t.failures).sort(([a], [b]) => a.localeCompare(b));
    const failed = entries.reduce((sum, [, n]) => sum + n, 0);
    const reasons = entries.map(([reason, n]) => `${reason}: ${n}`).join(', ');
    const skipped = t.skipped > 0 ? `, ${t.skipped} sitting out a backoff` : '';
    return `; last tick: ${failed} of ${t.targets} nodes failed${reasons ? ` (${reasons})` : ''}${skipped}`;
  }
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10}s`;
}
