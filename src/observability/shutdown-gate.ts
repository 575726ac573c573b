/**
 * `--shutdown-delay-duration`, with genericapiserver's meaning: on SIGTERM, /readyz fails at once
 * while the listener keeps serving for the delay, so endpoints and kube-apiserver's aggregator
 * stop sending requests before the server drains and closes (server/genericapiserver.go
 * preShutdownHooks and ShutdownDelayDuration).
 * @module
 */
import type { HealthCheck, HealthResult } from './health.js';
import type { Sleep } from './clock.js';

/** A readiness check that fails once shutdown has begun. */
export class ShutdownGate implements HealthCheck {
  readonly name = 'shutdown';
  private began = false;

  check(): HealthResult {
    return this.began ? { ok: false, reason: 'the server is shutting down' } : { ok: true };
  }

  /** Fails readiness, then waits `delayMs` with the listener still open. */
  async begin(delayMs: number, sleep: Sleep): Promise<void> {
    this.began = true;
    if (delayMs > 0) await sleep(delayMs);
  }
}
