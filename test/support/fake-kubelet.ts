/**
 * Hand-written fakes for the kubelet scraper's seams: a scripted NodeMetricsGetter driven by fake
 * time, a recording MetricsSink, and builders for decoded node answers.
 */
import type { DecodedNode } from '../../scraper/kubelet/decode.js';
import { KubeletScrapeError, type ScrapeFailureReason } from '../../scraper/kubelet/errors.js';
import type { KubeletTarget, NodeMetricsGetter } from '../../scraper/kubelet/targets.js';
import {
  podKey,
  type DropCounts,
  type MetricsBatch,
  type MetricsPoint,
  type MetricsSink,
} from '../../src/store/index.js';
import type { FakeTime } from './fake-time.js';

export type FakeBehaviour =
  | { kind: 'ok'; decoded?: DecodedNode }
  | { kind: 'fail'; reason: ScrapeFailureReason }
  /** Never answers; rejects with the abort reason when aborted, as the real client does. */
  | { kind: 'hang' }
  /** Never answers and ignores aborts: the loop must not depend on the getter honouring them. */
  | { kind: 'deaf' }
  /** Answers after `ms` of fake time. */
  | { kind: 'slow'; ms: number };

export function point(
  timestampMs: number,
  cpuUsageCoreSeconds = 1,
  startTimeMs = timestampMs - 3_600_000,
): MetricsPoint {
  return { startTimeMs, timestampMs, cpuUsageCoreSeconds, memoryWorkingSetBytes: 1024 * 1024 };
}

export interface FakePod {
  namespace: string;
  name: string;
  containers?: string[];
  timestampMs?: number;
}

/** A decoded answer of node `nodeName` holding the given pods (one container `c0` by default). */
export function decodedNode(
  nodeName: string,
  pods: FakePod[] = [],
  timestampMs = 1_800_000_000_000,
  dropped: DropCounts = {},
): DecodedNode {
  const batch: MetricsBatch = { nodes: new Map([[nodeName, point(timestampMs)]]), pods: new Map() };
  for (const p of pods) {
    const containers = new Map(
      (p.containers ?? ['c0']).map((c) => [c, point(p.timestampMs ?? timestampMs)]),
    );
    batch.pods.set(podKey(p.namespace, p.name), { containers });
  }
  return { batch, dropped };
}

/** A NodeMetricsGetter whose answers are scripted per node; records calls and concurrency. */
export class FakeNodeGetter implements NodeMetricsGetter {
  readonly behaviours = new Map<string, FakeBehaviour>();
  /** Node names in call order, with the fake time of each call. */
  readonly calls: { node: string; atMs: number }[] = [];
  inFlight = 0;
  maxInFlight = 0;

  constructor(private readonly time: FakeTime) {}

  callsOf(node: string): number {
    return this.calls.filter((c) => c.node === node).length;
  }

  async getNodeMetrics(
    target: KubeletTarget & { url: string },
    signal: AbortSignal,
  ): Promise<DecodedNode> {
    this.calls.push({ node: target.nodeName, atMs: this.time.now() });
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      return await this.answer(target.nodeName, signal);
    } finally {
      this.inFlight -= 1;
    }
  }

  private async answer(node: string, signal: AbortSignal): Promise<DecodedNode> {
    const b = this.behaviours.get(node) ?? { kind: 'ok' };
    switch (b.kind) {
      case 'ok':
        return b.decoded ?? decodedNode(node, [], this.time.now());
      case 'fail':
        throw new KubeletScrapeError(b.reason, `scripted ${b.reason}`);
      case 'hang':
        return new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }),
        );
      case 'deaf':
        return new Promise(() => {});
      case 'slow':
        await this.time.sleep(b.ms, signal);
        if (signal.aborted) throw signal.reason as Error;
        return decodedNode(node, [], this.time.now());
    }
  }
}

/** A sink that keeps every batch and returns scripted drops. */
export class RecordingSink implements MetricsSink {
  readonly batches: MetricsBatch[] = [];
  drops: DropCounts = {};

  store(batch: MetricsBatch): DropCounts {
    this.batches.push(batch);
    return { ...this.drops };
  }

  get last(): MetricsBatch | undefined {
    return this.batches.at(-1);
  }
}

/** Static targets for `n` fake nodes named node-0..node-(n-1). */
export function fakeTargets(n: number, ready = true): KubeletTarget[] {
  return Array.from({ length: n }, (_, i) => ({
    nodeName: `node-${i}`,
    url: `http://127.0.0.1:1/nodes/node-${i}`,
    ready,
  }));
}
