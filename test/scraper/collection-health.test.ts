import { describe, expect, it } from 'vitest';
import { CollectionHealth, type TickSummary } from '../../scraper/collection-health.js';

const ok: TickSummary = { targets: 3, skipped: 0, succeeded: 3, failures: {}, stored: true };
const allFailed: TickSummary = {
  targets: 3,
  skipped: 1,
  succeeded: 0,
  failures: { timeout: 2 },
  stored: true,
};

type Step =
  | { at: number; start: true }
  | { at: number; finish: TickSummary; success: boolean }
  | { at: number; expect: boolean };

/** Resolution 10 s; times in seconds from a fixed origin. */
const cases: { name: string; steps: Step[] }[] = [
  { name: 'unready before any tick', steps: [{ at: 0, expect: false }] },
  {
    name: 'ready right after a successful tick',
    steps: [
      { at: 0, start: true },
      { at: 1, finish: ok, success: true },
      { at: 1, expect: true },
    ],
  },
  {
    name: 'ready up to 1.5 resolutions after the last success, unready after',
    steps: [
      { at: 0, start: true },
      { at: 1, finish: ok, success: true },
      { at: 10, start: true },
      { at: 11, finish: allFailed, success: false },
      { at: 16, expect: true },
      { at: 16.1, expect: false },
    ],
  },
  {
    name: 'a tick in flight within its deadline gets its chance (a hanging kubelet slows it)',
    steps: [
      { at: 0, start: true },
      { at: 0.1, finish: ok, success: true },
      { at: 10, start: true },
      { at: 17, expect: true },
      { at: 19.9, finish: ok, success: true },
      { at: 19.9, expect: true },
    ],
  },
  {
    name: 'a tick in flight past its own deadline no longer counts',
    steps: [
      { at: 0, start: true },
      { at: 0.1, finish: ok, success: true },
      { at: 10, start: true },
      { at: 20.1, expect: false },
    ],
  },
  {
    name: 'a tick that never started fails at 1.5 resolutions (stalled loop)',
    steps: [
      { at: 0, start: true },
      { at: 1, finish: ok, success: true },
      { at: 16.1, expect: false },
    ],
  },
];

describe('CollectionHealth', () => {
  it.each(cases)('$name', ({ steps }) => {
    const time = { nowMs: 0, now: () => time.nowMs };
    const health = new CollectionHealth(time, 10_000);
    for (const step of steps) {
      const ms = step.at * 1000;
      time.nowMs = ms;
      if ('start' in step) health.tickStarted(ms);
      else if ('finish' in step) health.tickFinished(step.finish, step.success, ms);
      else expect(health.check().ok, `at ${step.at}s`).toBe(step.expect);
    }
  });

  it('says how long, against what, and what the last tick saw', () => {
    const time = { nowMs: 0, now: () => time.nowMs };
    const health = new CollectionHealth(time, 10_000);
    health.tickStarted(0);
    health.tickFinished(ok, true, 0);
    health.tickStarted(10_000);
    health.tickFinished(allFailed, false, 10_500);
    time.nowMs = 20_000;
    expect(health.check()).toEqual({
      ok: false,
      reason:
        'no kubelet scrape succeeded for 20s (more than 1.5 × the 10s resolution); last tick: 2 of 3 nodes failed (timeout: 2), 1 sitting out a backoff',
    });
    expect(health.name).toBe('metric-collection');
  });
});
