import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { MetricError } from '../../../src/hpa/errors.js';
import { ParseCache } from '../../../src/hpa/parse-cache.js';
import { calculatePodRequests } from '../../../src/hpa/requests.js';
import { container, pod } from '../../support/hpa-builders.js';

interface PassCase {
  name: string;
  pods: V1Pod[];
  container?: string;
  resource?: string;
  expected: Record<string, number>;
}

// Ported from replica_calculator_test.go TestCalculateRequests.
const passCases: PassCase[] = [
  { name: 'void', pods: [], expected: {} },
  {
    name: 'sums container requests',
    pods: [
      pod({
        name: 'p',
        containers: [container('c1', { cpu: '100m' }), container('c2', { cpu: '50m' })],
      }),
    ],
    expected: { p: 150 },
  },
  {
    name: 'pod-level requests override container requests',
    pods: [
      pod({
        name: 'p',
        podRequests: { cpu: '800m' },
        containers: [container('c1', { cpu: '100m' }), container('c2', { cpu: '50m' })],
      }),
    ],
    expected: { p: 800 },
  },
  {
    name: 'pod-level requests cover containers without requests',
    pods: [
      pod({
        name: 'p',
        podRequests: { cpu: '800m' },
        containers: [container('c1'), container('c2', { cpu: '50m' })],
      }),
    ],
    expected: { p: 800 },
  },
  {
    name: 'pod-level requests of another resource: containers aggregate this one',
    pods: [
      pod({
        name: 'p',
        podRequests: { memory: '1Gi' },
        containers: [container('c1', { cpu: '100m' }), container('c2', { cpu: '50m' })],
      }),
    ],
    expected: { p: 150 },
  },
  {
    name: 'container: only the named container counts',
    pods: [
      pod({
        name: 'p',
        containers: [container('c1', { cpu: '100m' }), container('c2', { cpu: '50m' })],
      }),
    ],
    container: 'c1',
    expected: { p: 100 },
  },
  {
    name: 'container: a named container wins over pod-level requests',
    pods: [
      pod({
        name: 'p',
        podRequests: { cpu: '800m' },
        containers: [container('c1', { cpu: '100m' }), container('c2', { cpu: '50m' })],
      }),
    ],
    container: 'c2',
    expected: { p: 50 },
  },
  {
    name: 'container: other containers may lack requests',
    pods: [pod({ name: 'p', containers: [container('c1'), container('c2', { cpu: '50m' })] })],
    container: 'c2',
    expected: { p: 50 },
  },
  {
    name: 'restartable init containers (sidecars) add their requests',
    pods: [
      pod({
        name: 'p',
        containers: [container('c1', { cpu: '100m' })],
        initContainers: [
          container('sidecar', { cpu: '20m' }, 'Always'),
          container('init', { cpu: '1' }),
        ],
      }),
    ],
    expected: { p: 120 },
  },
  {
    name: 'container: a sidecar can be the named container',
    pods: [
      pod({
        name: 'p',
        containers: [container('c1', { cpu: '100m' })],
        initContainers: [container('sidecar', { cpu: '20m' }, 'Always')],
      }),
    ],
    container: 'sidecar',
    expected: { p: 20 },
  },
  {
    name: 'memory in milli-bytes',
    pods: [pod({ name: 'p', containers: [container('c1', { memory: '1Mi' })] })],
    resource: 'memory',
    expected: { p: 1048576000 },
  },
  {
    name: 'one entry per pod',
    pods: [pod({ name: 'a', cpuRequest: '1' }), pod({ name: 'b', cpuRequest: '250m' })],
    expected: { a: 2000, b: 500 },
  },
];

interface FailCase {
  name: string;
  pods: V1Pod[];
  container?: string;
  error: string;
}

const failCases: FailCase[] = [
  {
    name: 'missing request: upstream message names resource, container and pod',
    pods: [
      pod({
        name: 'test-pod',
        containers: [container('container1'), container('container2', { cpu: '50m' })],
      }),
    ],
    error: 'missing request for cpu in container container1 of Pod test-pod',
  },
  {
    name: 'missing request in a restartable init container',
    pods: [
      pod({
        name: 'p',
        containers: [container('c1', { cpu: '1' })],
        initContainers: [container('sidecar', undefined, 'Always')],
      }),
    ],
    error: 'missing request for cpu in container sidecar of Pod p',
  },
  {
    name: 'named container missing from the pod',
    pods: [pod({ name: 'p', cpuRequest: '1' })],
    container: 'nope',
    error: 'container nope not found in Pod p',
  },
  {
    name: 'pod-level requests set but neither pod nor containers request the resource',
    pods: [pod({ name: 'p', podRequests: { memory: '1Gi' }, containers: [container('c1')] })],
    error: 'missing pod-level request for cpu in Pod p',
  },
];

describe('calculatePodRequests', () => {
  describe('should pass', () => {
    it.each(passCases)('$name', (c) => {
      const requests = calculatePodRequests(
        c.pods,
        c.container ?? '',
        c.resource ?? 'cpu',
        new ParseCache(),
      );
      expect(Object.fromEntries(requests)).toEqual(c.expected);
    });
  });
  describe('should fail', () => {
    it.each(failCases)('$name', (c) => {
      expect(() =>
        calculatePodRequests(c.pods, c.container ?? '', 'cpu', new ParseCache()),
      ).toThrow(new MetricError(c.error));
    });
  });
});
