/**
 * One tick's fetches: every due target scraped with bounded concurrency, a jittered start and its
 * own timeout, so one slow or hostile kubelet holds one slot for at most one timeout and never
 * delays the others. Time, sleep and randomness are inputs (design habit 5).
 * @module
 */
import type { Clock, Random, Sleep } from '../src/observability/index.js';
import type { DecodedNode } from './kubelet/decode.js';
import { KubeletScrapeError } from './kubelet/errors.js';
import type { KubeletTarget, NodeMetricsGetter } from './kubelet/targets.js';

/** metrics-server pkg/scraper/scraper.go: stagger starts by up to 8 ms per node, at most 4 s. */
export const jitterPerNodeMs = 8;
export const maxJitterMs = 4000;

export interface CycleDeps {
  getter: NodeMetricsGetter;
  clock: Clock;
  sleep: Sleep;
  random: Random;
  maxConcurrency: number;
  requestTimeoutMs: number;
  resolutionMs: number;
}

export type NodeOutcome =
  | { target: KubeletTarget; ok: true; decoded: DecodedNode }
  | {
      target: KubeletTarget;
      ok: false;
      error: KubeletScrapeError;
      /** False when the tick, not the node, ran out of time or was stopped: no backoff. */
      penalise: boolean;
    };

/**
 * The jitter window: scraper.go's `min(8ms × nodes, 4s)`, further capped so that jitter plus one
 * request timeout still ends within the resolution (the tick's own deadline).
 */
export function jitterWindowMs(
  nodes: number,
  d: Pick<CycleDeps, 'resolutionMs' | 'requestTimeoutMs'>,
): number {
  return Math.max(
    0,
    Math.min(jitterPerNodeMs * nodes, maxJitterMs, d.resolutionMs - d.requestTimeoutMs),
  );
}

/**
 * Start offsets are whole multiples of this step: nodes start in waves of about one
 * concurrency's worth, between 10 and 500 ms apart. Upstream draws a start per millisecond, which
 * is free for goroutines; in one event loop, responses arriving one by one cost a loop turn each,
 * and millisecond jitter doubled the CPU of bare fetching at 1,000 nodes in our benchmark, while
 * waves spread the load over the same window.
 */
export function jitterStepMs(nodes: number, windowMs: number, maxConcurrency: number): number {
  return Math.min(500, Math.max(10, Math.round((windowMs * maxConcurrency) / Math.max(1, nodes))));
}

/**
 * One tick's cancellation scope: a single listener on the tick's signal aborts every request in
 * flight, instead of one EventTarget listener per request (measurably cheaper at 5,000 nodes).
 */
export class TickScope {
  readonly requests = new Set<AbortController>();

  constructor(readonly signal: AbortSignal) {
    signal.addEventListener('abort', () => this.requests.forEach((r) => r.abort(signal.reason)), {
      once: true,
    });
  }
}

/** The reason a finished request's timeout is cancelled with; shared, because a DOMException per request is costly. */
const settledReason = new KubeletScrapeError('aborted', 'request settled');

/**
 * Scrapes `targets`, each at `cycleStartMs` + a random offset within the jitter window, at most
 * `maxConcurrency` at once. When `cycleSignal` aborts (the tick's deadline, or stop), requests in
 * flight end and targets not yet started fail without penalty. Never rejects.
 */
export async function scrapeTargets(
  targets: readonly KubeletTarget[],
  d: CycleDeps,
  cycleStartMs: number,
  cycleSignal: AbortSignal,
): Promise<NodeOutcome[]> {
  const windowMs = jitterWindowMs(targets.length, d);
  const stepMs = jitterStepMs(targets.length, windowMs, d.maxConcurrency);
  const offset = (): number => Math.floor((d.random() * windowMs) / stepMs) * stepMs;
  const queue = targets
    .map((target) => ({ target, offsetMs: offset() }))
    .sort((a, b) => a.offsetMs - b.offsetMs);
  const scope = new TickScope(cycleSignal);
  const outcomes: NodeOutcome[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < queue.length) {
      const { target, offsetMs } = queue[next++]!;
      const waitMs = cycleStartMs + offsetMs - d.clock.now();
      if (waitMs > 0) await d.sleep(waitMs, cycleSignal);
      outcomes.push(
        cycleSignal.aborted
          ? notStarted(target, cycleSignal.reason)
          : await scrapeOne(target, d, scope),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(d.maxConcurrency, queue.length) }, worker));
  return outcomes;
}

function notStarted(target: KubeletTarget, reason: unknown): NodeOutcome {
  const error =
    reason instanceof KubeletScrapeError
      ? reason
      : new KubeletScrapeError('aborted', 'scrape stopped');
  return { target, ok: false, error, penalise: false };
}

/** Scrapes one node under its own timeout, racing the getter so a getter that ignores aborts cannot stall us. */
export async function scrapeOne(
  target: KubeletTarget,
  d: CycleDeps,
  scope: TickScope,
): Promise<NodeOutcome> {
  const url = target.url;
  if (url === undefined) {
    return {
      target,
      ok: false,
      error: new KubeletScrapeError(
        'no_address',
        target.unresolvedReason ?? `node ${target.nodeName} has no usable address`,
      ),
      penalise: true,
    };
  }
  const request = new AbortController();
  let settled = false;
  scope.requests.add(request);
  // The request's own controller also cancels its timeout once it settles: one controller per node.
  const timedOut = d.sleep(d.requestTimeoutMs, request.signal).then(() => {
    if (settled) return new Promise<never>(() => {});
    // Cut by the tick (deadline or stop): end now, even if the getter ignores its signal.
    if (request.signal.aborted) throw request.signal.reason;
    const error = new KubeletScrapeError(
      'timeout',
      `no answer from node ${target.nodeName} within ${d.requestTimeoutMs} ms`,
      url,
    );
    request.abort(error);
    throw error;
  });
  try {
    const decoded = await Promise.race([
      d.getter.getNodeMetrics(target as KubeletTarget & { url: string }, request.signal),
      timedOut,
    ]);
    return { target, ok: true, decoded };
  } catch (err) {
    const error =
      err instanceof KubeletScrapeError
        ? err
        : new KubeletScrapeError('connection', String((err as Error)?.message ?? err), url, {
            cause: err,
          });
    // A request cut by the tick's deadline or by stop is not the node's fault.
    const penalise = !(scope.signal.aborted && error.reason !== 'timeout');
    return { target, ok: false, error, penalise };
  } finally {
    settled = true;
    scope.requests.delete(request);
    if (!request.signal.aborted) request.abort(settledReason);
  }
}
