import { describe, expect, it } from 'vitest';
import { clusterHealthCheck, type InformerState } from '../../../src/cluster/index.js';
import { FakeTime } from '../../support/fake-time.js';

const time = new FakeTime(1_000_000);
const now = time.now();
const ok = (resource: string): InformerState => ({ resource, listed: true });

const check = (states: InformerState[], graceMs?: number) =>
  clusterHealthCheck({ sources: [{ states: () => states }], clock: time, graceMs }).check();

describe('cluster-view health: should pass', () => {
  const cases = [
    { name: 'every informer listed and watching', states: [ok('nodes'), ok('pods')] },
    {
      name: 'a watch broken within the grace period',
      states: [
        ok('nodes'),
        { ...ok('pods'), brokenSinceMs: now - 90_000, lastError: 'ECONNREFUSED' },
      ],
    },
  ];
  it.each(cases)('$name', ({ states }) => {
    expect(check(states)).toEqual({ ok: true });
  });

  it('is named cluster-view', () => {
    expect(clusterHealthCheck({ sources: [], clock: time }).name).toBe('cluster-view');
  });
});

describe('cluster-view health: should fail', () => {
  const cases = [
    {
      name: 'before the initial list',
      states: [ok('nodes'), { resource: 'pods', listed: false }],
      reason: 'waiting for the initial list of pods',
    },
    {
      name: 'initial list failing says why',
      states: [{ resource: 'nodes', listed: false, brokenSinceMs: now, lastError: 'Unauthorized' }],
      reason: 'waiting for the initial list of nodes: Unauthorized',
    },
    {
      name: 'a watch broken beyond the grace period',
      states: [
        ok('nodes'),
        { ...ok('pods'), brokenSinceMs: now - 90_001, lastError: 'connect ECONNREFUSED' },
      ],
      reason: 'watch of pods broken for 90s: connect ECONNREFUSED',
    },
  ];
  it.each(cases)('$name', ({ states, reason }) => {
    expect(check(states)).toEqual({ ok: false, reason });
  });

  it('a shorter grace period fails sooner', () => {
    expect(check([{ ...ok('pods'), brokenSinceMs: now - 10_001 }], 10_000).ok).toBe(false);
  });
});
