import { describe, expect, it } from 'vitest';
import {
  mergeBatchInto,
  newestTimestampMs,
  type MetricsBatch,
  type MetricsPoint,
} from '../../../src/store/index.js';

const p = (timestampMs: number, cpu = 1): MetricsPoint => ({
  startTimeMs: 0,
  timestampMs,
  cpuUsageCoreSeconds: cpu,
  memoryWorkingSetBytes: 1,
});
const pod = (...ts: number[]) => ({ containers: new Map(ts.map((t, i) => [`c${i}`, p(t)])) });
const batchOf = (nodes: Record<string, number>, pods: Record<string, number[]>): MetricsBatch => ({
  nodes: new Map(Object.entries(nodes).map(([n, t]) => [n, p(t)])),
  pods: new Map(Object.entries(pods).map(([k, ts]) => [k, pod(...ts)])),
});

describe('mergeBatchInto', () => {
  it.each([
    {
      name: 'disjoint answers are united without drops',
      into: batchOf({ a: 1 }, { 'ns/x': [1] }),
      from: batchOf({ b: 2 }, { 'ns/y': [2] }),
      nodeTs: { a: 1, b: 2 },
      podTs: { 'ns/x': 1, 'ns/y': 2 },
      dropped: {},
    },
    {
      name: 'the same pod from two nodes keeps the newer and counts duplicate_pod',
      into: batchOf({}, { 'ns/x': [10, 20] }),
      from: batchOf({}, { 'ns/x': [30] }),
      nodeTs: {},
      podTs: { 'ns/x': 30 },
      dropped: { duplicate_pod: 1 },
      winner: 'from',
    },
    {
      name: 'an older duplicate pod is the one dropped',
      into: batchOf({}, { 'ns/x': [30] }),
      from: batchOf({}, { 'ns/x': [10, 20] }),
      nodeTs: {},
      podTs: { 'ns/x': 30 },
      dropped: { duplicate_pod: 1 },
      winner: 'into',
    },
    {
      name: 'on a tie the pod already merged stays',
      into: batchOf({}, { 'ns/x': [30] }),
      from: batchOf({}, { 'ns/x': [30, 5] }),
      nodeTs: {},
      podTs: { 'ns/x': 30 },
      dropped: { duplicate_pod: 1 },
      winner: 'into',
    },
    {
      name: 'a duplicate node keeps the newer and counts duplicate_node',
      into: batchOf({ a: 5 }, {}),
      from: batchOf({ a: 9 }, {}),
      nodeTs: { a: 9 },
      podTs: {},
      dropped: { duplicate_node: 1 },
    },
  ])('$name', ({ into, from, nodeTs, podTs, dropped, winner }) => {
    const expectedPod = (winner === 'from' ? from : into).pods.get('ns/x');
    expect(mergeBatchInto(into, from)).toEqual(dropped);
    expect(Object.fromEntries([...into.nodes].map(([n, pt]) => [n, pt.timestampMs]))).toEqual(
      nodeTs,
    );
    expect(Object.fromEntries([...into.pods].map(([k, v]) => [k, newestTimestampMs(v)]))).toEqual(
      podTs,
    );
    if (winner !== undefined) expect(into.pods.get('ns/x')).toBe(expectedPod);
  });

  it('newestTimestampMs of a pod without containers is -Infinity', () => {
    expect(newestTimestampMs({ containers: new Map() })).toBe(-Infinity);
  });
});
