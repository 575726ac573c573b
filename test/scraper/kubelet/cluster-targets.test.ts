import type { V1Node } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { ClusterViewTargets } from '../../../scraper/kubelet/cluster-targets.js';
import { everything, parseSelector } from '../../../src/k8s/index.js';
import { FakeClusterView } from '../../support/fake-cluster.js';

function kubeletNode(
  name: string,
  address: string,
  labels: Record<string, string> = {},
  ready = 'True',
): V1Node {
  return {
    metadata: { name, labels },
    status: {
      addresses: [{ type: 'InternalIP', address }],
      conditions: [{ type: 'Ready', status: ready }],
    },
  };
}

const addressing = {
  source: 'resource' as const,
  preferredAddressTypes: ['InternalIP'],
  port: 10250,
  useNodeStatusPort: false,
};

describe('ClusterViewTargets', () => {
  const view = new FakeClusterView({
    nodes: [
      kubeletNode('a', '127.0.0.1', { role: 'worker' }),
      kubeletNode('b', '127.0.0.2', { role: 'infra' }, 'False'),
    ],
  });

  const cases = [
    { name: 'every node when no --node-selector', selector: everything, expected: ['a', 'b'] },
    {
      name: '--node-selector keeps only matching nodes',
      selector: parseSelector('role=worker'),
      expected: ['a'],
    },
    {
      name: 'a selector matching nothing scrapes nothing',
      selector: parseSelector('role=gpu'),
      expected: [],
    },
  ];
  it.each(cases)('$name', ({ selector, expected }) => {
    expect(
      new ClusterViewTargets(view, addressing, selector).targets().map((t) => t.nodeName),
    ).toEqual(expected);
  });

  it('addresses each node as metrics-server does and keeps its readiness', () => {
    const targets = new ClusterViewTargets(view, addressing, everything).targets();
    expect(targets).toEqual([
      { nodeName: 'a', url: 'https://127.0.0.1:10250/metrics/resource', ready: true },
      { nodeName: 'b', url: 'https://127.0.0.2:10250/metrics/resource', ready: false },
    ]);
  });

  it('reads the view at every tick, so node changes show up without a restart', () => {
    const nodes: V1Node[] = [kubeletNode('a', '127.0.0.1')];
    const targets = new ClusterViewTargets({ listNodes: () => nodes }, addressing, everything);
    expect(targets.targets()).toHaveLength(1);
    nodes.push(kubeletNode('c', '127.0.0.3'));
    expect(targets.targets().map((t) => t.nodeName)).toEqual(['a', 'c']);
  });
});
