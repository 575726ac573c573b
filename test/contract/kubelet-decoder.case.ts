/**
 * The contract every kubelet decoder meets (design habit 9, after Hono's common.case.test.ts):
 * run by test/scraper/kubelet/decode-resource.test.ts and decode-summary.test.ts with
 * `runDecoderContract(decoder, fixtureFor, encode)`. The shared 1.35 fixture pair (the same node
 * at the same instant, as Summary JSON and as /metrics/resource text) must give the same batch;
 * synthetic nodes, written in each decoder's format by its `encode`, must give the same points
 * and drop reasons; and hostile bytes must only ever raise DecodeError.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError, type KubeletDecoder } from '../../scraper/kubelet/decode.js';
import type { MetricsBatch, MetricsPoint, PodMetricsPoint } from '../../src/store/index.js';
import { suiteUnavailable } from '../support/promised-suites.js';

/** Fixtures a decoder can be given; `undefined` from `fixtureFor` skips the cases that need it. */
export type FixtureRole = 'pair135' | 'summary131' | 'summaryOld';

export interface SyntheticContainer {
  name: string;
  startTimeMs: number;
  timestampMs: number;
  cpuCoreSeconds?: number;
  memoryBytes?: number;
}

export interface SyntheticPod {
  namespace: string;
  name: string;
  containers: SyntheticContainer[];
}

/** A node as a test describes it; absent fields are absent from the encoded body. */
export interface SyntheticNode {
  timestampMs: number;
  cpuCoreSeconds?: number;
  memoryBytes?: number;
  pods: SyntheticPod[];
}

/** Writes a synthetic node in one decoder's wire format. */
export type Encoder = (node: SyntheticNode) => Buffer;

const nodeName = 'node-a';
const t0 = Date.parse('2026-06-26T10:14:35Z');
const s = (iso: string): number => Date.parse(iso);

/** Compares two batches point by point: CPU within float epsilon, everything else exact. */
export function expectSameBatch(actual: MetricsBatch, expected: MetricsBatch): void {
  expect([...actual.nodes.keys()].sort()).toEqual([...expected.nodes.keys()].sort());
  for (const [name, point] of expected.nodes) expectSamePoint(actual.nodes.get(name), point, name);
  expect([...actual.pods.keys()].sort()).toEqual([...expected.pods.keys()].sort());
  for (const [key, pod] of expected.pods) {
    const got = actual.pods.get(key);
    expect([...(got?.containers.keys() ?? [])].sort(), key).toEqual(
      [...pod.containers.keys()].sort(),
    );
    for (const [name, point] of pod.containers) {
      expectSamePoint(got?.containers.get(name), point, `${key}/${name}`);
    }
  }
}

function expectSamePoint(
  actual: MetricsPoint | undefined,
  expected: MetricsPoint,
  where: string,
): void {
  expect(actual, where).toBeDefined();
  expect(actual?.cpuUsageCoreSeconds, where).toBeCloseTo(expected.cpuUsageCoreSeconds, 9);
  expect(actual?.memoryWorkingSetBytes, where).toBe(expected.memoryWorkingSetBytes);
  expect(actual?.timestampMs, where).toBe(expected.timestampMs);
  expect(actual?.startTimeMs, where).toBe(expected.startTimeMs);
}

/** The expected batch of a synthetic node whose every field is present. */
function batchOf(node: SyntheticNode): MetricsBatch {
  const batch: MetricsBatch = { nodes: new Map(), pods: new Map() };
  if (node.cpuCoreSeconds !== undefined && node.memoryBytes !== undefined) {
    batch.nodes.set(nodeName, point(0, node.timestampMs, node.cpuCoreSeconds, node.memoryBytes));
  }
  for (const pod of node.pods) {
    const containers = new Map<string, MetricsPoint>();
    for (const c of pod.containers) {
      containers.set(
        c.name,
        point(c.startTimeMs, c.timestampMs, c.cpuCoreSeconds ?? 0, c.memoryBytes ?? 0),
      );
    }
    batch.pods.set(`${pod.namespace}/${pod.name}`, { containers });
  }
  return batch;
}

function point(
  startTimeMs: number,
  timestampMs: number,
  cpu: number,
  memory: number,
): MetricsPoint {
  return { startTimeMs, timestampMs, cpuUsageCoreSeconds: cpu, memoryWorkingSetBytes: memory };
}

function container(name: string, overrides: Partial<SyntheticContainer> = {}): SyntheticContainer {
  return {
    name,
    startTimeMs: t0 - 600_000,
    timestampMs: t0 - 2_000,
    cpuCoreSeconds: 12.345678901,
    memoryBytes: 10_424_320,
    ...overrides,
  };
}

function syntheticNode(
  pods: SyntheticPod[],
  overrides: Partial<SyntheticNode> = {},
): SyntheticNode {
  return {
    timestampMs: t0,
    cpuCoreSeconds: 62.148052,
    memoryBytes: 917_110_784,
    pods,
    ...overrides,
  };
}

const web = (...containers: SyntheticContainer[]): SyntheticPod => ({
  namespace: 'shop',
  name: 'web-0',
  containers,
});
const api = (...containers: SyntheticContainer[]): SyntheticPod => ({
  namespace: 'shop',
  name: 'api-7f9c',
  containers,
});

interface SyntheticCase {
  name: string;
  node: SyntheticNode;
  /** The expected batch: by default the whole synthetic node. */
  expected?: MetricsBatch;
  dropped: Record<string, number>;
}

const healthy = syntheticNode([
  web(container('app'), container('sidecar', { cpuCoreSeconds: 0.5, memoryBytes: 1 })),
  api(container('api')),
]);

const syntheticCases: SyntheticCase[] = [
  { name: 'a complete node and its pods decode to the same points', node: healthy, dropped: {} },
  { name: 'a node without pods gives the node alone', node: syntheticNode([]), dropped: {} },
  {
    name: 'a container without CPU drops its pod (missing_cpu, incomplete_pod)',
    node: syntheticNode([
      web(container('app', { cpuCoreSeconds: undefined })),
      api(container('api')),
    ]),
    expected: batchOf(syntheticNode([api(container('api'))])),
    dropped: { missing_cpu: 1, incomplete_pod: 1 },
  },
  {
    name: 'a container without memory drops its whole pod, not its neighbours',
    node: syntheticNode([
      web(container('app'), container('sidecar', { memoryBytes: undefined })),
      api(container('api')),
    ]),
    expected: batchOf(syntheticNode([api(container('api'))])),
    dropped: { missing_memory: 1, incomplete_pod: 1 },
  },
  {
    name: 'zero CPU counts as not measured (zero_cpu)',
    node: syntheticNode([web(container('app', { cpuCoreSeconds: 0 }))]),
    expected: batchOf(syntheticNode([])),
    dropped: { zero_cpu: 1, incomplete_pod: 1 },
  },
  {
    name: 'zero memory counts as not measured (zero_memory)',
    node: syntheticNode([web(container('app', { memoryBytes: 0 }))]),
    expected: batchOf(syntheticNode([])),
    dropped: { zero_memory: 1, incomplete_pod: 1 },
  },
  {
    name: 'a node without memory is absent while its pods are kept',
    node: syntheticNode([api(container('api'))], { memoryBytes: undefined }),
    expected: batchOf(syntheticNode([api(container('api'))], { cpuCoreSeconds: undefined })),
    dropped: { missing_memory: 1 },
  },
  {
    name: 'a node without CPU is absent while its pods are kept',
    node: syntheticNode([api(container('api'))], { cpuCoreSeconds: undefined }),
    expected: batchOf(syntheticNode([api(container('api'))], { cpuCoreSeconds: undefined })),
    dropped: { missing_cpu: 1 },
  },
  {
    name: 'large counters and working sets stay exact',
    node: syntheticNode(
      [web(container('app', { cpuCoreSeconds: 987654.123456789, memoryBytes: 68_719_476_736 }))],
      {
        cpuCoreSeconds: 31_536_000.5,
        memoryBytes: 1_099_511_627_776,
      },
    ),
    dropped: {},
  },
];

/** The 1.35 node as both fixtures describe it (values read off the Summary JSON). */
const reference135: Array<
  [pod: string, container: string, cpuNs: number, memory: number, time: string, start: string]
> = [
  [
    'kube-system/coredns-7d764666f9-qdcxt',
    'coredns',
    165531000,
    16232448,
    '2026-06-26T10:14:32Z',
    '2026-06-26T10:12:40Z',
  ],
  [
    'kube-system/etcd-datagen-1-35',
    'etcd',
    2628368000,
    44290048,
    '2026-06-26T10:14:30Z',
    '2026-06-26T10:12:10Z',
  ],
  [
    'kube-system/kindnet-zkpn8',
    'kindnet-cni',
    128632000,
    13955072,
    '2026-06-26T10:14:40Z',
    '2026-06-26T10:12:29Z',
  ],
  [
    'kube-system/kube-apiserver-datagen-1-35',
    'kube-apiserver',
    6325726000,
    221794304,
    '2026-06-26T10:14:29Z',
    '2026-06-26T10:12:10Z',
  ],
  [
    'kube-system/kube-controller-manager-datagen-1-35',
    'kube-controller-manager',
    1877547000,
    66174976,
    '2026-06-26T10:14:29Z',
    '2026-06-26T10:12:10Z',
  ],
  [
    'kube-system/kube-proxy-8k9zt',
    'kube-proxy',
    250800000,
    18755584,
    '2026-06-26T10:14:37Z',
    '2026-06-26T10:12:19Z',
  ],
  [
    'kube-system/kube-scheduler-datagen-1-35',
    'kube-scheduler',
    1022152000,
    23756800,
    '2026-06-26T10:14:29Z',
    '2026-06-26T10:12:10Z',
  ],
  [
    'kube-system/metrics-server-9d74bb658-c6nnt',
    'metrics-server',
    901730000,
    22396928,
    '2026-06-26T10:14:36Z',
    '2026-06-26T10:12:45Z',
  ],
  [
    'kube-system/storage-provisioner',
    'storage-provisioner',
    144685000,
    11927552,
    '2026-06-26T10:14:34Z',
    '2026-06-26T10:12:40Z',
  ],
  [
    'scraper/e2e-daemonset-kb65b',
    'compute-pi-digits',
    3386871000,
    10424320,
    '2026-06-26T10:14:36Z',
    '2026-06-26T10:13:54Z',
  ],
  [
    'scraper/e2e-deployment-79967c5968-8bnn8',
    'compute-pi-digits',
    2862868000,
    10469376,
    '2026-06-26T10:14:29Z',
    '2026-06-26T10:13:53Z',
  ],
  [
    'scraper/e2e-deployment-79967c5968-zjslc',
    'compute-pi-digits',
    2727114000,
    10412032,
    '2026-06-26T10:14:29Z',
    '2026-06-26T10:13:55Z',
  ],
  [
    'scraper/e2e-hpa-6cd8d99884-tggnr',
    'php-apache',
    24455000,
    11624448,
    '2026-06-26T10:14:39Z',
    '2026-06-26T10:13:00Z',
  ],
  [
    'scraper/e2e-kube-state-metrics-75b885dc9-97mtr',
    'kube-state-metrics',
    111020000,
    18919424,
    '2026-06-26T10:14:31Z',
    '2026-06-26T10:13:04Z',
  ],
  [
    'scraper/e2e-scraper-5f97dc94d8-vkcjl',
    'e2e-scraper',
    289577000,
    1454080,
    '2026-06-26T10:14:37Z',
    '2026-06-26T10:14:08Z',
  ],
  [
    'scraper/e2e-statefulset-0',
    'compute-pi-digits',
    2181309000,
    10387456,
    '2026-06-26T10:14:31Z',
    '2026-06-26T10:14:04Z',
  ],
  [
    'scraper/e2e-statefulset-1',
    'compute-pi-digits',
    1404591000,
    10399744,
    '2026-06-26T10:14:23Z',
    '2026-06-26T10:14:06Z',
  ],
];

/** The batch the shared 1.35 pair must decode to, from either side. */
export function referenceBatch135(node = nodeName): MetricsBatch {
  const batch: MetricsBatch = { nodes: new Map(), pods: new Map() };
  batch.nodes.set(node, point(0, s('2026-06-26T10:14:35Z'), 62.148052, 917_110_784));
  for (const [key, name, cpuNs, memory, time, start] of reference135) {
    const pod: PodMetricsPoint = batch.pods.get(key) ?? { containers: new Map() };
    pod.containers.set(name, point(s(start), s(time), cpuNs / 1e9, memory));
    batch.pods.set(key, pod);
  }
  return batch;
}

const otherFixtures: Array<{ role: FixtureRole; pods: number; containers: number }> = [
  { role: 'summary131', pods: 17, containers: 17 },
  { role: 'summaryOld', pods: 8, containers: 12 },
];

function expectOnlyDecodeError(decode: () => unknown): void {
  try {
    decode();
  } catch (err) {
    expect(err).toBeInstanceOf(DecodeError);
    expect((err as DecodeError).code).toBe('DecodeError');
    expect((err as DecodeError).node).toBe(nodeName);
  }
}

/** Runs every contract case against `decoder`. */
export function runDecoderContract(
  decoder: KubeletDecoder,
  fixtureFor: (role: FixtureRole) => Buffer | undefined,
  encode: Encoder,
): void {
  const decode = (body: Buffer) => decoder(body, t0 + 60_000, nodeName);

  describe('kubelet decoder contract: should pass', () => {
    it.each(syntheticCases)('$name', ({ node, expected, dropped }) => {
      const result = decode(encode(node));
      expectSameBatch(result.batch, expected ?? batchOf(node));
      expect(result.dropped).toEqual(dropped);
    });

    it('the shared 1.35 fixture gives the reference batch (same node, same instant in both formats)', () => {
      const body = fixtureFor('pair135');
      expect(body).toBeDefined();
      const result = decode(body!);
      expectSameBatch(result.batch, referenceBatch135());
      expect(result.dropped).toEqual({});
    });

    for (const { role, pods, containers } of otherFixtures) {
      const skip = suiteUnavailable(
        'kubelet decoder contract: summary-only fixture',
        fixtureFor(role) === undefined
          ? `${role} has no body in this decoder's format (${decoder.name || 'decoder'})`
          : undefined,
        'test/contract/kubelet-decoder.case.ts',
      );
      it.skipIf(skip)(`${role} decodes with ${pods} pods and ${containers} containers`, () => {
        const result = decode(fixtureFor(role)!);
        expect(result.batch.nodes.size).toBe(1);
        expect(result.batch.pods.size).toBe(pods);
        const count = [...result.batch.pods.values()].reduce(
          (n, pod) => n + pod.containers.size,
          0,
        );
        expect(count).toBe(containers);
        expect(result.dropped).toEqual({});
      });
    }
  });

  describe('kubelet decoder contract: should fail only with DecodeError', () => {
    const fixture = fixtureFor('pair135')!;

    it('an empty body', () => {
      const empty = Buffer.alloc(0);
      expectOnlyDecodeError(() => decode(empty));
    });

    it('every truncated prefix of the 1.35 fixture', () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: fixture.length - 1 }), (length) => {
          expectOnlyDecodeError(() => decode(fixture.subarray(0, length)));
        }),
        { numRuns: 400 },
      );
    });

    it('the fixture with random bytes overwritten', () => {
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
            minLength: 1,
            maxLength: 8,
          }),
          (edits) => {
            const mutated = Buffer.from(fixture);
            for (const [at, byte] of edits) mutated[at % mutated.length] = byte;
            expectOnlyDecodeError(() => decode(mutated));
          },
        ),
        { numRuns: 300 },
      );
    });

    it('random bytes, and never a hang', () => {
      const started = performance.now();
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 4096 }), (bytes) => {
          expectOnlyDecodeError(() => decode(Buffer.from(bytes)));
        }),
        { numRuns: 500 },
      );
      expect(performance.now() - started).toBeLessThan(10_000);
    });
  });
}
