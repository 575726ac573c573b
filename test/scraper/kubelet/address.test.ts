import type { V1Node } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import {
  kubeletUrl,
  preferredNodeAddress,
  resourceMetricsPathAnnotation,
  targetForNode,
  type NodeAddressingOptions,
} from '../../../scraper/kubelet/address.js';
import { defaultPreferredAddressTypes } from '../../../scraper/kubelet/options.js';

interface NodeSpec {
  addresses?: { type: string; address: string }[];
  statusPort?: number;
  annotations?: Record<string, string>;
  ready?: 'True' | 'False' | 'Unknown';
}

function node({
  addresses = [{ type: 'InternalIP', address: '127.0.0.1' }],
  statusPort,
  annotations,
  ready = 'True',
}: NodeSpec): V1Node {
  return {
    metadata: { name: 'n1', annotations },
    status: {
      addresses,
      conditions: [{ type: 'Ready', status: ready }],
      daemonEndpoints:
        statusPort === undefined ? undefined : { kubeletEndpoint: { Port: statusPort } },
    },
  };
}

const defaults: NodeAddressingOptions = {
  source: 'resource',
  preferredAddressTypes: defaultPreferredAddressTypes,
  port: 10250,
  useNodeStatusPort: false,
};

describe('targetForNode: should pass', () => {
  const cases: {
    name: string;
    node: V1Node;
    o?: Partial<NodeAddressingOptions>;
    url: string;
    ready?: boolean;
  }[] = [
    {
      name: 'Hostname preferred over InternalIP by default',
      node: node({
        addresses: [
          { type: 'InternalIP', address: '127.0.0.2' },
          { type: 'Hostname', address: 'localhost' },
        ],
      }),
      url: 'https://localhost:10250/metrics/resource',
    },
    {
      name: 'custom preference order',
      node: node({
        addresses: [
          { type: 'ExternalIP', address: '127.0.0.3' },
          { type: 'InternalIP', address: '127.0.0.2' },
        ],
      }),
      o: { preferredAddressTypes: ['ExternalIP', 'InternalIP'] },
      url: 'https://127.0.0.3:10250/metrics/resource',
    },
    {
      name: 'first address of a type wins (status order)',
      node: node({
        addresses: [
          { type: 'InternalIP', address: '127.0.0.1' },
          { type: 'InternalIP', address: '127.0.0.9' },
        ],
      }),
      url: 'https://127.0.0.1:10250/metrics/resource',
    },
    {
      name: 'status port ignored without --kubelet-use-node-status-port',
      node: node({ statusPort: 10255 }),
      url: 'https://127.0.0.1:10250/metrics/resource',
    },
    {
      name: 'status port used with the flag',
      node: node({ statusPort: 10255 }),
      o: { useNodeStatusPort: true },
      url: 'https://127.0.0.1:10255/metrics/resource',
    },
    {
      name: 'zero status port falls back to --kubelet-port',
      node: node({ statusPort: 0 }),
      o: { useNodeStatusPort: true, port: 4443 },
      url: 'https://127.0.0.1:4443/metrics/resource',
    },
    {
      name: 'summary source path',
      node: node({}),
      o: { source: 'summary' },
      url: 'https://127.0.0.1:10250/stats/summary',
    },
    {
      name: 'resource-metrics-path annotation (metrics-server 0.7+)',
      node: node({
        annotations: { [resourceMetricsPathAnnotation]: '/metrics/nodes/n1/metrics/resource' },
      }),
      url: 'https://127.0.0.1:10250/metrics/nodes/n1/metrics/resource',
    },
    {
      name: 'annotation without leading slash',
      node: node({ annotations: { [resourceMetricsPathAnnotation]: 'custom/path' } }),
      url: 'https://127.0.0.1:10250/custom/path',
    },
    {
      name: 'annotation ignored for the summary source',
      node: node({ annotations: { [resourceMetricsPathAnnotation]: '/custom' } }),
      o: { source: 'summary' },
      url: 'https://127.0.0.1:10250/stats/summary',
    },
    {
      name: 'empty annotation ignored',
      node: node({ annotations: { [resourceMetricsPathAnnotation]: '' } }),
      url: 'https://127.0.0.1:10250/metrics/resource',
    },
    {
      name: 'IPv6 literal is bracketed',
      node: node({ addresses: [{ type: 'InternalIP', address: '::1' }] }),
      url: 'https://[::1]:10250/metrics/resource',
    },
    {
      name: 'http scheme for simulated kubelets',
      node: node({}),
      o: { scheme: 'http' },
      url: 'http://127.0.0.1:10250/metrics/resource',
    },
    {
      name: 'not-ready node is still a target, marked not ready',
      node: node({ ready: 'False' }),
      url: 'https://127.0.0.1:10250/metrics/resource',
      ready: false,
    },
  ];
  it.each(cases)('$name', ({ node: n, o, url, ready }) => {
    const target = targetForNode(n, { ...defaults, ...o });
    expect(target).toEqual({ nodeName: 'n1', url, ready: ready ?? true });
  });
});

describe('targetForNode: should fail', () => {
  const cases = [
    {
      name: 'no address of a preferred type',
      node: node({ addresses: [{ type: 'Hostname', address: 'n1' }] }),
      types: ['InternalDNS'],
    },
    { name: 'no addresses at all', node: node({ addresses: [] }), types: ['InternalIP'] },
    {
      name: 'empty address skipped',
      node: node({ addresses: [{ type: 'InternalIP', address: '' }] }),
      types: ['InternalIP'],
    },
    {
      name: 'unparseable host',
      node: node({ addresses: [{ type: 'InternalIP', address: 'bad host' }] }),
      types: ['InternalIP'],
    },
  ];
  it.each(cases)('$name', ({ node: n, types }) => {
    const target = targetForNode(n, { ...defaults, preferredAddressTypes: types });
    expect(target.url).toBeUndefined();
    expect(target.unresolvedReason).toContain('n1');
  });
});

describe('kubeletUrl and preferredNodeAddress', () => {
  it('escapes ? and # in a path, as Go url.URL.Path does', () => {
    expect(kubeletUrl('https', '127.0.0.1', 1, '/a?b#c')).toBe('https://127.0.0.1:1/a%3Fb%23c');
  });
  it('returns undefined for a node without status', () => {
    expect(preferredNodeAddress({ metadata: { name: 'x' } }, ['InternalIP'])).toBeUndefined();
  });
});
