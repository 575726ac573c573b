/**
 * Retries of the TokenReview and SubjectAccessReview calls, as k8s.io/apiserver's webhook clients
 * do (util/webhook WithExponentialBackoff with DefaultAuthWebhookRetryBackoff and
 * DefaultShouldRetry): a few attempts with growing, jittered pauses, only for transient failures.
 * @module
 */
import type { Random, Sleep } from '../../src/observability/index.js';

/** wait.Backoff: `steps` attempts; pauses start at `initialMs` and grow by `factor`, plus up to `jitter` of themselves. */
export interface Backoff {
  steps: number;
  initialMs: number;
  factor: number;
  jitter: number;
}

/** options.DefaultAuthWebhookRetryBackoff. */
export const defaultWebhookBackoff: Backoff = {
  steps: 5,
  initialMs: 500,
  factor: 1.5,
  jitter: 0.2,
};

export interface RetryDeps {
  sleep: Sleep;
  random: Random;
}

/** Runs `attempt` until it succeeds, fails with a non-retryable error, or the steps run out. */
export async function withBackoff<T>(
  attempt: () => Promise<T>,
  shouldRetry: (err: unknown) => boolean,
  backoff: Backoff,
  deps: RetryDeps,
): Promise<T> {
  let pauseMs = backoff.initialMs;
  for (let step = 1; ; step++) {
    try {
      return await attempt();
    } catch (err) {
      if (step >= backoff.steps || !shouldRetry(err)) throw err;
    }
    await deps.sleep(pauseMs * (1 + backoff.jitter * deps.random()));
    pauseMs *= backoff.factor;
  }
}
