/**
 * Decoder for the kubelet's `/stats/summary` JSON (`--kubelet-source summary`), after
 * metrics-server pkg/scraper/client/summary/decode.go `decodeBatch`. The top-level shape
 * (an object with a `node` object and a `pods` array) is required; below it, a container with a
 * missing or odd field is dropped with a reason and takes its pod with it, as upstream discards
 * pods with partial results because the HPA treats a missing pod specially but a zero as real.
 * @module
 */
import {
  DropReason,
  addDrop,
  newestTimestampMs,
  podKey,
  type DropCounts,
  type MetricsBatch,
  type MetricsPoint,
  type PodMetricsPoint,
} from '../../src/store/index.js';
import { DecodeError, type DecodedNode, type KubeletDecoder } from './decode.js';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Decodes a `/stats/summary` body; see {@link KubeletDecoder}. Summary samples carry their own times. */
export const decodeSummary: KubeletDecoder = (body, _defaultTimeMs, nodeName) => {
  let root: unknown;
  try {
    root = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new DecodeError(nodeName, 'summary is not valid JSON', { cause: err });
  }
  if (!isObject(root)) throw new DecodeError(nodeName, 'summary is not a JSON object');
  if (!isObject(root.node)) throw new DecodeError(nodeName, 'summary has no node object');
  const pods = root.pods ?? [];
  if (!Array.isArray(pods)) throw new DecodeError(nodeName, 'summary pods is not an array');

  const dropped: DropCounts = {};
  const batch: MetricsBatch = { nodes: new Map(), pods: new Map() };
  // Node start time stays unknown (0): upstream decodeNodeStats does not read it and
  // /metrics/resource has none, so both sources give the same point; a reboot still shows
  // as a counter reset.
  const node = decodePoint(root.node, 0);
  if (typeof node === 'string') addDrop(dropped, node);
  else batch.nodes.set(nodeName, node);
  for (const entry of pods) decodePod(entry, batch, dropped);
  return { batch, dropped } satisfies DecodedNode;
};

function decodePod(entry: unknown, batch: MetricsBatch, dropped: DropCounts): void {
  const ref = isObject(entry) ? entry.podRef : undefined;
  const containers = isObject(entry) ? (entry.containers ?? []) : undefined;
  if (!isObject(ref) || !isName(ref.namespace) || !isName(ref.name) || !Array.isArray(containers)) {
    addDrop(dropped, DropReason.malformedEntry);
    return;
  }
  if (containers.length === 0) {
    addDrop(dropped, DropReason.emptyPod);
    return;
  }
  const pod: PodMetricsPoint = { containers: new Map() };
  let complete = true;
  for (const container of containers) {
    const decoded = decodeContainer(container);
    if (typeof decoded === 'string') {
      addDrop(dropped, decoded);
      complete = false;
      continue;
    }
    if (pod.containers.has(decoded.name)) addDrop(dropped, DropReason.duplicateSeries);
    pod.containers.set(decoded.name, decoded.point);
  }
  if (!complete) {
    addDrop(dropped, DropReason.incompletePod);
    return;
  }
  const key = podKey(ref.namespace, ref.name);
  const existing = batch.pods.get(key);
  if (existing !== undefined) {
    addDrop(dropped, DropReason.duplicatePod);
    if (newestTimestampMs(pod) <= newestTimestampMs(existing)) return;
  }
  batch.pods.set(key, pod);
}

function isName(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

function decodeContainer(value: unknown): { name: string; point: MetricsPoint } | DropReason {
  if (!isObject(value) || !isName(value.name)) return DropReason.malformedEntry;
  const startTimeMs = timeOf(value.startTime, DropReason.missingStartTime);
  const point = decodePoint(value, startTimeMs);
  return typeof point === 'string' ? point : { name: value.name, point };
}

/**
 * A node's or container's point from its `cpu` and `memory` stats (upstream decodeCPU and
 * decodeMemory), timed by the CPU sample. `startTimeMs` may already be a reason.
 */
function decodePoint(
  stats: JsonObject,
  startTimeMs: number | DropReason,
): MetricsPoint | DropReason {
  const cpu = stats.cpu;
  const memory = stats.memory;
  if (!isObject(cpu) || cpu.usageCoreNanoSeconds == null) return DropReason.missingCpu;
  const timestampMs = timeOf(cpu.time, DropReason.missingTimestamp);
  if (typeof timestampMs === 'string') return timestampMs;
  if (!isObject(memory) || memory.workingSetBytes == null) return DropReason.missingMemory;
  if (typeof startTimeMs === 'string') return startTimeMs;
  const cpuNanoSeconds = cpu.usageCoreNanoSeconds;
  const memoryBytes = memory.workingSetBytes;
  if (typeof cpuNanoSeconds !== 'number' || typeof memoryBytes !== 'number') {
    return DropReason.malformedEntry;
  }
  if (cpuNanoSeconds < 0 || memoryBytes < 0) return DropReason.negativeValue;
  if (cpuNanoSeconds === 0) return DropReason.zeroCpu;
  if (memoryBytes === 0) return DropReason.zeroMemory;
  return {
    startTimeMs,
    timestampMs,
    cpuUsageCoreSeconds: cpuNanoSeconds / 1e9,
    memoryWorkingSetBytes: memoryBytes,
  };
}

/** An RFC 3339 time in ms; `missing` when absent, `invalid_timestamp` when not a real time. */
function timeOf(value: unknown, missing: DropReason): number | DropReason {
  if (typeof value !== 'string' || value === '') return missing;
  const ms = Date.parse(value);
  return Number.isFinite(ms) && ms > 0 ? ms : DropReason.invalidTimestamp;
}
