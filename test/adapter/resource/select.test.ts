import { describe, expect, it } from 'vitest';
import { getPodItem, listNodeItems, listPodItems } from '../../../adapter/resource/select.js';
import {
  everything,
  parseFieldSelector,
  parseSelector,
  StatusError,
} from '../../../src/k8s/index.js';
import type { PodMetricsValue } from '../../../src/store/index.js';
import { FakeClusterView, node, pod } from '../../support/fake-cluster.js';
import { FakeResourceMetrics } from '../../support/fake-readers.js';

const pm = (namespace: string, name: string, cpu: number): PodMetricsValue => ({
  namespace,
  name,
  timestampMs: 0,
  windowMs: 1000,
  containers: [{ name: 'c', usage: { cpuNanoCores: cpu, memoryBytes: 1 } }],
});
const cluster = new FakeClusterView({
  nodes: [node('b'), node('a')],
  pods: [pod('ns2', 'same', { app: 'x' }), pod('ns1', 'same', { app: 'x' }), pod('ns1', 'other')],
});
const reader = new FakeResourceMetrics(
  [
    { name: 'a', timestampMs: 0, windowMs: 1, usage: { cpuNanoCores: 1, memoryBytes: 1 } },
    { name: 'ghost', timestampMs: 0, windowMs: 1, usage: { cpuNanoCores: 1, memoryBytes: 1 } },
  ],
  [pm('ns1', 'same', 1), pm('ns2', 'same', 2), pm('ns1', 'other', 3), pm('ns3', 'same', 4)],
);
const all = { labelSelector: everything, fieldSelector: parseFieldSelector('') };

describe('select: should pass', () => {
  it('all namespaces joins on namespace and name, not name alone', () => {
    const items = listPodItems(cluster, reader, undefined, all);
    expect(
      items.map((i) => `${i.namespace}/${i.name}=${i.metrics.containers[0]!.usage.cpuNanoCores}`),
    ).toEqual(['ns1/other=3', 'ns1/same=1', 'ns2/same=2']);
  });

  it('metrics for objects the cluster does not have are not served', () => {
    expect(listNodeItems(cluster, reader, all).map((i) => i.name)).toEqual(['a']);
  });

  it('label and field selectors combine', () => {
    const items = listPodItems(cluster, reader, undefined, {
      labelSelector: parseSelector('app=x'),
      fieldSelector: parseFieldSelector('metadata.namespace=ns2'),
    });
    expect(items.map((i) => `${i.namespace}/${i.name}`)).toEqual(['ns2/same']);
  });
});

describe('select: pods that are not Running (metrics-server lists status.phase=Running only)', () => {
  const phases = ['Pending', 'Succeeded', 'Failed', 'Unknown', undefined];
  it.each(phases)('phase %s is neither listed nor served by name', (phase) => {
    const view = new FakeClusterView({
      pods: [{ ...pod('ns1', 'same'), status: phase ? { phase } : {} }, pod('ns1', 'other')],
    });
    expect(listPodItems(view, reader, 'ns1', all).map((i) => i.name)).toEqual(['other']);
    expect(listPodItems(view, reader, undefined, all).map((i) => i.name)).toEqual(['other']);
    expect(() => getPodItem(view, reader, 'ns1', 'same')).toThrow('pods "same" not found');
  });
});

describe('select: should fail', () => {
  const cases = [
    {
      name: 'pod in a namespace it is not in',
      ns: 'ns3',
      pod: 'same',
      message: 'pods "same" not found',
    },
    {
      name: 'pod without a namespace match',
      ns: 'nsX',
      pod: 'other',
      message: 'pods "other" not found',
    },
  ];
  it.each(cases)('$name', ({ ns, pod: name, message }) => {
    expect(() => getPodItem(cluster, reader, ns, name)).toThrow(StatusError);
    expect(() => getPodItem(cluster, reader, ns, name)).toThrow(message);
  });
});
