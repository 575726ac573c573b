import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../scraper/kubelet/decode.js';
import { decodeSummary } from '../../../scraper/kubelet/decode-summary.js';
import { readFixture } from '../../support/fixtures.js';
import { runDecoderContract, type SyntheticNode } from '../../contract/kubelet-decoder.case.js';

const iso = (ms: number): string => new Date(ms).toISOString();

/** Writes a synthetic node as a kubelet's /stats/summary answer. */
function encodeSummary(node: SyntheticNode): Buffer {
  const cpu = (ms: number, coreSeconds?: number) =>
    coreSeconds === undefined
      ? undefined
      : { time: iso(ms), usageNanoCores: 1, usageCoreNanoSeconds: Math.round(coreSeconds * 1e9) };
  const memory = (ms: number, bytes?: number) =>
    bytes === undefined
      ? undefined
      : { time: iso(ms), usageBytes: bytes, workingSetBytes: bytes, rssBytes: bytes };
  return Buffer.from(
    JSON.stringify({
      node: {
        nodeName: 'ignored-the-caller-names-the-node',
        startTime: '2026-06-26T09:18:15Z',
        cpu: cpu(node.timestampMs, node.cpuCoreSeconds),
        memory: memory(node.timestampMs, node.memoryBytes),
      },
      pods: node.pods.map((pod) => ({
        podRef: { name: pod.name, namespace: pod.namespace, uid: 'uid' },
        startTime: '2026-06-26T09:18:15Z',
        containers: pod.containers.map((c) => ({
          name: c.name,
          startTime: iso(c.startTimeMs),
          cpu: cpu(c.timestampMs, c.cpuCoreSeconds),
          memory: memory(c.timestampMs, c.memoryBytes),
        })),
      })),
    }),
  );
}

runDecoderContract(
  decodeSummary,
  (role) => readFixture(role === 'pair135' ? 'summary135' : role),
  encodeSummary,
);

const t = '2026-06-26T10:14:35Z';
const goodContainer = (name = 'app'): Record<string, unknown> => ({
  name,
  startTime: '2026-06-26T10:00:00Z',
  cpu: { time: t, usageCoreNanoSeconds: 2_000_000_000 },
  memory: { time: t, workingSetBytes: 1024 },
});
const goodNode = {
  cpu: { time: t, usageCoreNanoSeconds: 5_000_000_000 },
  memory: { time: t, workingSetBytes: 4096 },
};
const pod = (name: string, ...containers: unknown[]) => ({
  podRef: { namespace: 'ns', name },
  containers,
});
const decode = (root: unknown) => decodeSummary(Buffer.from(JSON.stringify(root)), 0, 'node1');

describe('decodeSummary: should pass', () => {
  it.each([
    {
      name: 'a container without startTime (missing_start_time)',
      patch: { startTime: undefined },
      reason: 'missing_start_time',
    },
    {
      name: 'a container whose cpu has no time (missing_timestamp)',
      patch: { cpu: { usageCoreNanoSeconds: 1 } },
      reason: 'missing_timestamp',
    },
    {
      name: 'a container whose cpu time is Go zero time (invalid_timestamp)',
      patch: { cpu: { time: '0001-01-01T00:00:00Z', usageCoreNanoSeconds: 1 } },
      reason: 'invalid_timestamp',
    },
    {
      name: 'a container whose cpu time is not a time (invalid_timestamp)',
      patch: { cpu: { time: 'yesterday', usageCoreNanoSeconds: 1 } },
      reason: 'invalid_timestamp',
    },
    {
      name: 'a container with cpu: null (missing_cpu)',
      patch: { cpu: null },
      reason: 'missing_cpu',
    },
    {
      name: 'a container whose memory lacks workingSetBytes (missing_memory)',
      patch: { memory: { time: t } },
      reason: 'missing_memory',
    },
    {
      name: 'a container whose counter is a string (malformed_entry)',
      patch: { cpu: { time: t, usageCoreNanoSeconds: '7' } },
      reason: 'malformed_entry',
    },
    {
      name: 'a container with a negative working set (negative_value)',
      patch: { memory: { time: t, workingSetBytes: -1 } },
      reason: 'negative_value',
    },
    {
      name: 'a container without a name (malformed_entry)',
      patch: { name: 42 },
      reason: 'malformed_entry',
    },
  ])('$name drops its pod and keeps the others', ({ patch, reason }) => {
    const bad = { ...goodContainer(), ...patch };
    const { batch, dropped } = decode({
      node: goodNode,
      pods: [pod('bad', goodContainer('ok'), bad), pod('good', goodContainer())],
    });
    expect([...batch.pods.keys()]).toEqual(['ns/good']);
    expect(dropped).toEqual({ [reason]: 1, incomplete_pod: 1 });
  });

  it.each([
    { name: 'a pod entry that is not an object', entry: 'pod', reason: 'malformed_entry' },
    {
      name: 'a pod without podRef',
      entry: { containers: [goodContainer()] },
      reason: 'malformed_entry',
    },
    {
      name: 'a pod whose containers is not an array',
      entry: { podRef: { namespace: 'ns', name: 'x' }, containers: {} },
      reason: 'malformed_entry',
    },
    {
      name: 'a pod without containers',
      entry: { podRef: { namespace: 'ns', name: 'x' } },
      reason: 'empty_pod',
    },
  ])('$name is skipped with a reason', ({ entry, reason }) => {
    const { batch, dropped } = decode({
      node: goodNode,
      pods: [entry, pod('good', goodContainer())],
    });
    expect([...batch.pods.keys()]).toEqual(['ns/good']);
    expect(dropped).toEqual({ [reason]: 1 });
  });

  it('the node is keyed by the name the caller asked for, with start time 0', () => {
    const { batch } = decode({ node: { ...goodNode, nodeName: 'other', startTime: t }, pods: [] });
    expect([...batch.nodes.keys()]).toEqual(['node1']);
    expect(batch.nodes.get('node1')).toEqual({
      startTimeMs: 0,
      timestampMs: Date.parse(t),
      cpuUsageCoreSeconds: 5,
      memoryWorkingSetBytes: 4096,
    });
  });

  it('pods: null and a missing pods key mean no pods', () => {
    expect(decode({ node: goodNode, pods: null }).batch.pods.size).toBe(0);
    expect(decode({ node: goodNode }).batch.pods.size).toBe(0);
  });

  it('fractional-second times keep their milliseconds', () => {
    const c = {
      ...goodContainer(),
      cpu: { time: '2026-06-26T10:14:35.123456789Z', usageCoreNanoSeconds: 1 },
    };
    const { batch } = decode({ node: goodNode, pods: [pod('p', c)] });
    expect(batch.pods.get('ns/p')?.containers.get('app')?.timestampMs).toBe(Date.parse(t) + 123);
  });

  it('the same pod twice keeps the newer one and counts duplicate_pod', () => {
    const older = {
      ...goodContainer(),
      cpu: { time: '2026-06-26T10:14:00Z', usageCoreNanoSeconds: 1 },
    };
    const { batch, dropped } = decode({
      node: goodNode,
      pods: [pod('p', goodContainer()), pod('p', older)],
    });
    expect(batch.pods.get('ns/p')?.containers.get('app')?.timestampMs).toBe(Date.parse(t));
    expect(dropped).toEqual({ duplicate_pod: 1 });
  });

  it('a repeated container name keeps the later entry and counts duplicate_series', () => {
    const later = { ...goodContainer(), memory: { time: t, workingSetBytes: 2048 } };
    const { batch, dropped } = decode({ node: goodNode, pods: [pod('p', goodContainer(), later)] });
    expect(batch.pods.get('ns/p')?.containers.get('app')?.memoryWorkingSetBytes).toBe(2048);
    expect(dropped).toEqual({ duplicate_series: 1 });
  });
});

describe('decodeSummary: should fail', () => {
  it.each([
    { name: 'invalid JSON', body: '{"node":' },
    { name: 'a JSON array', body: '[]' },
    { name: 'JSON null', body: 'null' },
    { name: 'no node object', body: '{"pods":[]}' },
    { name: 'a node that is an array', body: '{"node":[],"pods":[]}' },
    { name: 'pods that is an object', body: '{"node":{},"pods":{}}' },
  ])('$name', ({ body }) => {
    expect(() => decodeSummary(Buffer.from(body), 0, 'node1')).toThrow(DecodeError);
  });

  it('invalid JSON keeps the parser error as cause', () => {
    try {
      decodeSummary(Buffer.from('{"node":'), 0, 'node1');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(DecodeError);
      expect((err as DecodeError).cause).toBeInstanceOf(SyntaxError);
      expect((err as DecodeError).message).toBe(
        'failed decoding metrics of node node1: summary is not valid JSON',
      );
    }
  });
});
