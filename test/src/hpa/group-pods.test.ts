import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { groupPods, removeMetricsForPods } from '../../../src/hpa/group-pods.js';
import type { PodMetricsInfo } from '../../../src/hpa/metrics-client.js';
import { NOW_MS, pod } from '../../support/hpa-builders.js';

const timing = {
  nowMs: NOW_MS,
  cpuInitializationPeriodMs: 120_000,
  delayOfInitialReadinessStatusMs: 10_000,
};

/** A sample taken `secondsAgo` before NOW over `windowSeconds`. */
function sample(
  secondsAgo = 0,
  windowSeconds = 60,
): PodMetricsInfo extends Map<string, infer V> ? V : never {
  return { value: 1, timestampMs: NOW_MS - secondsAgo * 1000, windowMs: windowSeconds * 1000 };
}

interface Case {
  name: string;
  pods: V1Pod[];
  metrics: Record<string, ReturnType<typeof sample>>;
  resource: string;
  ready: number;
  unready?: string[];
  missing?: string[];
  ignored?: string[];
}

// Ported from replica_calculator_test.go TestGroupPods (pods there are mostly Succeeded; Succeeded
// pods are ignored since kubernetes#141302, so these use Running).
const cases: Case[] = [
  { name: 'void', pods: [], metrics: {}, resource: 'cpu', ready: 0 },
  {
    name: 'count in a ready pod - memory (readiness is not considered)',
    pods: [pod({ name: 'bentham', ready: 'False', startedSecondsAgo: 0 })],
    metrics: { bentham: sample() },
    resource: 'memory',
    ready: 1,
  },
  {
    name: 'unready a pod without ready condition - CPU',
    pods: [pod({ name: 'lucretius', ready: 'none', startedSecondsAgo: 0 })],
    metrics: { lucretius: sample() },
    resource: 'cpu',
    ready: 0,
    unready: ['lucretius'],
  },
  {
    name: 'unready a pod without start time - CPU',
    pods: [pod({ name: 'lucretius', startedSecondsAgo: null })],
    metrics: { lucretius: sample() },
    resource: 'cpu',
    ready: 0,
    unready: ['lucretius'],
  },
  {
    name: 'count in a ready pod with fresh metrics during initialization period - CPU',
    pods: [pod({ name: 'bentham', startedSecondsAgo: 60, readySinceSecondsAgo: 30 })],
    metrics: { bentham: sample(0, 30) },
    resource: 'cpu',
    ready: 1,
  },
  {
    name: 'unready a ready pod without fresh metrics during initialization period - CPU',
    pods: [pod({ name: 'bentham', startedSecondsAgo: 60, readySinceSecondsAgo: 30 })],
    metrics: { bentham: sample(0, 60) },
    resource: 'cpu',
    ready: 0,
    unready: ['bentham'],
  },
  {
    name: 'unready an unready pod during initialization period - CPU',
    pods: [
      pod({ name: 'lucretius', ready: 'False', startedSecondsAgo: 60, readySinceSecondsAgo: 54 }),
    ],
    metrics: { lucretius: sample() },
    resource: 'cpu',
    ready: 0,
    unready: ['lucretius'],
  },
  {
    name: 'count in a ready pod without fresh metrics after initialization period - CPU',
    pods: [pod({ name: 'bentham', startedSecondsAgo: 180, readySinceSecondsAgo: 180 })],
    metrics: { bentham: sample(120, 60) },
    resource: 'cpu',
    ready: 1,
  },
  {
    name: 'count in an unready pod that was ready after initialization period - CPU',
    pods: [
      pod({ name: 'lucretius', ready: 'False', startedSecondsAgo: 600, readySinceSecondsAgo: 540 }),
    ],
    metrics: { lucretius: sample() },
    resource: 'cpu',
    ready: 1,
  },
  {
    name: 'unready an unready pod that has never been ready after initialization period - CPU',
    pods: [
      pod({ name: 'lucretius', ready: 'False', startedSecondsAgo: 600, readySinceSecondsAgo: 594 }),
    ],
    metrics: { lucretius: sample() },
    resource: 'cpu',
    ready: 0,
    unready: ['lucretius'],
  },
  {
    name: 'count in an unready pod whose transition is exactly the readiness delay after start - CPU',
    pods: [
      pod({ name: 'lucretius', ready: 'False', startedSecondsAgo: 600, readySinceSecondsAgo: 590 }),
    ],
    metrics: { lucretius: sample() },
    resource: 'cpu',
    ready: 1,
  },
  {
    name: 'a missing pod',
    pods: [pod({ name: 'epicurus', startedSecondsAgo: 180 })],
    metrics: {},
    resource: 'cpu',
    ready: 0,
    missing: ['epicurus'],
  },
  {
    name: 'several pods',
    pods: [
      pod({ name: 'lucretius', ready: 'none', startedSecondsAgo: 0 }),
      pod({ name: 'niccolo', startedSecondsAgo: 180, readySinceSecondsAgo: 180 }),
      pod({ name: 'epicurus', startedSecondsAgo: 180 }),
    ],
    metrics: { lucretius: sample(), niccolo: sample() },
    resource: 'cpu',
    ready: 1,
    unready: ['lucretius'],
    missing: ['epicurus'],
  },
  {
    name: 'pending pods are unready, even without metrics',
    pods: [pod({ name: 'unscheduled', phase: 'Pending' })],
    metrics: {},
    resource: 'cpu',
    ready: 0,
    unready: ['unscheduled'],
  },
  {
    name: 'pending pods are unready for custom metrics too',
    pods: [pod({ name: 'unscheduled', phase: 'Pending' })],
    metrics: { unscheduled: sample() },
    resource: '',
    ready: 0,
    unready: ['unscheduled'],
  },
  {
    name: 'ignore pods with deletion timestamps',
    pods: [pod({ name: 'deleted', phase: 'Pending', deleted: true })],
    metrics: { deleted: sample() },
    resource: 'cpu',
    ready: 0,
    ignored: ['deleted'],
  },
  {
    name: 'ignore pods in a failed state',
    pods: [pod({ name: 'failed', phase: 'Failed' })],
    metrics: { failed: sample() },
    resource: 'cpu',
    ready: 0,
    ignored: ['failed'],
  },
  {
    name: 'ignore pods in a succeeded state (kubernetes#141302)',
    pods: [pod({ name: 'done', phase: 'Succeeded' })],
    metrics: {},
    resource: 'memory',
    ready: 0,
    ignored: ['done'],
  },
];

describe('groupPods', () => {
  it.each(cases)('$name', (c) => {
    const groups = groupPods(c.pods, new Map(Object.entries(c.metrics)), c.resource, timing);
    expect(groups.readyPodCount).toBe(c.ready);
    expect([...groups.unreadyPods].sort()).toEqual((c.unready ?? []).sort());
    expect([...groups.missingPods].sort()).toEqual((c.missing ?? []).sort());
    expect([...groups.ignoredPods].sort()).toEqual((c.ignored ?? []).sort());
  });
});

describe('groupPods: the rule that set each pod aside (a decision fact)', () => {
  const reasons: Array<{ name: string; pod: V1Pod; metric?: boolean; reason: string }> = [
    { name: 'deleted', pod: pod({ name: 'p', deleted: true }), reason: 'deleted' },
    { name: 'Failed', pod: pod({ name: 'p', phase: 'Failed' }), reason: 'phase-failed' },
    { name: 'Succeeded', pod: pod({ name: 'p', phase: 'Succeeded' }), reason: 'phase-succeeded' },
    { name: 'Pending', pod: pod({ name: 'p', phase: 'Pending' }), reason: 'pending' },
    { name: 'no value', pod: pod({ name: 'p' }), metric: false, reason: 'no-metrics' },
    {
      name: 'no Ready condition',
      pod: pod({ name: 'p', ready: 'none' }),
      reason: 'no-readiness',
    },
    {
      name: 'not Ready while initializing',
      pod: pod({ name: 'p', ready: 'False', startedSecondsAgo: 30 }),
      reason: 'not-ready',
    },
    {
      name: 'sampled within a window of becoming Ready while initializing',
      pod: pod({ name: 'p', startedSecondsAgo: 30, readySinceSecondsAgo: 20 }),
      reason: 'sampled-too-soon',
    },
    {
      name: 'never Ready after initializing',
      pod: pod({ name: 'p', ready: 'False', startedSecondsAgo: 600, readySinceSecondsAgo: 595 }),
      reason: 'never-ready',
    },
  ];
  it.each(reasons)('$name', (c) => {
    const metrics = new Map(c.metric === false ? [] : [['p', sample()] as const]);
    expect(groupPods([c.pod], metrics, 'cpu', timing).reasons.get('p')).toBe(c.reason);
  });
});

describe('removeMetricsForPods', () => {
  it('deletes exactly the named pods', () => {
    const metrics: PodMetricsInfo = new Map([
      ['a', sample()],
      ['b', sample()],
      ['c', sample()],
    ]);
    removeMetricsForPods(metrics, new Set(['a', 'c', 'zz']));
    expect([...metrics.keys()]).toEqual(['b']);
  });
});
