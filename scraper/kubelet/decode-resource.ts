/**
 * Decoder for the kubelet's `/metrics/resource` endpoint (Prometheus text), the default
 * source, after metrics-server pkg/scraper/client/resource/decode.go `decodeBatch`. It reads the
 * node's and each container's cumulative CPU, working set and start time; the pod_* series are
 * ignored, as upstream does, because metrics.k8s.io serves containers and a pod's usage is their
 * sum (pod_* also counts the sandbox, which `kubectl top` never showed).
 * @module
 */
import {
  DropReason,
  addDrop,
  podKey,
  type DropCounts,
  type MetricsBatch,
  type MetricsPoint,
  type PodKey,
} from '../../src/store/index.js';
import type { DecodedNode, KubeletDecoder } from './decode.js';
import { PromTextScanner } from './decode-prom-text.js';
import { SampleKind, SampleSlot, completePoint, setSample } from './decode-resource-point.js';

const ascii = (text: string): Uint8Array => Buffer.from(text, 'latin1');

/**
 * What a sample line feeds: a container's or the node's sample of one kind, or the error flag
 * (whose `kind` is unused: one object shape keeps the lookup monomorphic).
 */
type Use = { target: 'container' | 'node' | 'scrapeError'; kind: SampleKind };

/** The series we read, by metric name; every other series is skipped. */
const uses: ReadonlyArray<readonly [Uint8Array, Use]> = [
  [ascii('container_cpu_usage_seconds_total'), { target: 'container', kind: SampleKind.cpu }],
  [ascii('container_memory_working_set_bytes'), { target: 'container', kind: SampleKind.memory }],
  [ascii('container_start_time_seconds'), { target: 'container', kind: SampleKind.start }],
  [ascii('node_cpu_usage_seconds_total'), { target: 'node', kind: SampleKind.cpu }],
  [ascii('node_memory_working_set_bytes'), { target: 'node', kind: SampleKind.memory }],
  [ascii('resource_scrape_error'), { target: 'scrapeError', kind: SampleKind.cpu }],
  // The older name of the same gauge, as in metrics-server's resource decode_test.
  [ascii('scrape_error'), { target: 'scrapeError', kind: SampleKind.cpu }],
];

const labelNames = {
  container: ascii('container'),
  pod: ascii('pod'),
  namespace: ascii('namespace'),
};

function useOf(scanner: PromTextScanner): Use | undefined {
  for (const [name, use] of uses) if (scanner.nameIs(name)) return use;
  return undefined;
}

/** Container name → samples read so far, per pod. */
type PodSamples = Map<string, SampleSlot>;

/** Decodes a `/metrics/resource` body; see {@link KubeletDecoder}. */
export const decodeResourceMetrics: KubeletDecoder = (body, defaultTimeMs, nodeName) => {
  const scanner = new PromTextScanner(body, nodeName);
  const dropped: DropCounts = {};
  const node = new SampleSlot();
  const pods = new Map<PodKey, PodSamples>();
  // The kubelet writes a container's labels identically in every family, so the label text
  // finds its slot with one lookup, and the labels are parsed and read once per container.
  const slotsByLabels = new Map<string, SampleSlot>();
  while (scanner.next()) {
    const use = useOf(scanner);
    if (use === undefined) {
      scanner.skipSample();
      continue;
    }
    scanner.readSample();
    const ts = Number.isNaN(scanner.timestampMs) ? defaultTimeMs : scanner.timestampMs;
    if (use.target === 'container') {
      // A label text seen before was checked then (containerSlot reads its labels).
      const block = scanner.labelBlock();
      const slot = slotsByLabels.get(block) ?? containerSlot(scanner, pods, slotsByLabels, block);
      if (slot === undefined) addDrop(dropped, DropReason.missingLabels);
      else setSample(slot, use.kind, scanner, ts, dropped);
      continue;
    }
    scanner.checkLabels();
    if (use.target === 'node') {
      setSample(node, use.kind, scanner, ts, dropped);
    } else if (scanner.value !== 0) {
      addDrop(dropped, DropReason.kubeletScrapeError);
    }
  }
  return { batch: toBatch(nodeName, node, pods, dropped), dropped } satisfies DecodedNode;
};

/** The slot of the container the current sample names, created on first sight. */
function containerSlot(
  scanner: PromTextScanner,
  pods: Map<PodKey, PodSamples>,
  slotsByLabels: Map<string, SampleSlot>,
  block: string,
): SampleSlot | undefined {
  const namespace = scanner.label(labelNames.namespace);
  const pod = scanner.label(labelNames.pod);
  const container = scanner.label(labelNames.container);
  if (!namespace || !pod || !container) return undefined;
  const key = podKey(namespace, pod);
  let samples = pods.get(key);
  if (samples === undefined) {
    samples = new Map();
    pods.set(key, samples);
  }
  let slot = samples.get(container);
  if (slot === undefined) {
    slot = new SampleSlot();
    samples.set(container, slot);
  }
  slotsByLabels.set(block, slot);
  return slot;
}

/** Keeps complete points only; one bad container drops its pod (upstream checkContainerMetrics). */
function toBatch(
  nodeName: string,
  node: SampleSlot,
  pods: Map<PodKey, PodSamples>,
  dropped: DropCounts,
): MetricsBatch {
  const batch: MetricsBatch = { nodes: new Map(), pods: new Map() };
  const nodePoint = completePoint(node, dropped);
  if (nodePoint !== undefined) batch.nodes.set(nodeName, nodePoint);
  for (const [key, samples] of pods) {
    const containers = new Map<string, MetricsPoint>();
    let complete = true;
    for (const [name, slot] of samples) {
      const point = completePoint(slot, dropped);
      if (point === undefined) complete = false;
      else containers.set(name, point);
    }
    if (complete) batch.pods.set(key, { containers });
    else addDrop(dropped, DropReason.incompletePod);
  }
  return batch;
}
