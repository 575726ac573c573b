import { describe, expect, it } from 'vitest';
import { NodeBackoff } from '../../scraper/backoff.js';

/** Runs `cycles` ticks in which the node fails whenever due; returns the cycles it was attempted in. */
function attempts(backoff: NodeBackoff, cycles: number): number[] {
  const tried: number[] = [];
  for (let c = 0; c < cycles; c++) {
    if (!backoff.isDue('n', c)) continue;
    tried.push(c);
    backoff.recordFailure('n', 'timeout', c);
  }
  return tried;
}

describe('NodeBackoff', () => {
  const cases = [
    // metrics-server retries every tick; we skip at most one tick, so recovery is within two
    {
      name: 'by default a persistent failure is retried every other tick, never less often',
      policy: {},
      cycles: 12,
      tried: [0, 1, 3, 5, 7, 9, 11],
    },
    {
      name: 'a wider cap doubles the skips up to it',
      policy: { maxSkipCycles: 8 },
      cycles: 40,
      tried: [0, 1, 3, 7, 15, 24, 33],
    },
    {
      name: 'cap of 2 ticks',
      policy: { maxSkipCycles: 2 },
      cycles: 14,
      tried: [0, 1, 3, 6, 9, 12],
    },
    {
      name: 'cap of 0 retries every tick',
      policy: { maxSkipCycles: 0 },
      cycles: 4,
      tried: [0, 1, 2, 3],
    },
  ];
  it.each(cases)('$name', ({ policy, cycles, tried }) => {
    expect(attempts(new NodeBackoff(policy), cycles)).toEqual(tried);
  });

  // Issue 14 item 9: a node whose fault clears after any number of failed ticks is scraped again
  // within two ticks (the old doubling backoff hid it for up to 8 more).
  const recoveries = [1, 2, 3, 4, 7, 20].map((failedTicks) => ({
    name: `recovers within two ticks after ${failedTicks} failed tick(s)`,
    failedTicks,
  }));
  it.each(recoveries)('$name', ({ failedTicks }) => {
    const b = new NodeBackoff();
    let failures = 0;
    let c = 0;
    for (; failures < failedTicks; c++) {
      if (!b.isDue('n', c)) continue;
      b.recordFailure('n', 'timeout', c);
      failures++;
    }
    // The fault clears now, before tick c: the node must be due in c or c + 1.
    expect(b.isDue('n', c) || b.isDue('n', c + 1)).toBe(true);
  });

  it('a success resets the schedule and reports the cause it recovered from', () => {
    const b = new NodeBackoff();
    b.recordFailure('n', 'http_500', 0);
    b.recordFailure('n', 'http_500', 1);
    expect(b.isDue('n', 2)).toBe(false);
    expect(b.recordSuccess('n')).toEqual({ recoveredFrom: 'http_500' });
    expect(b.isDue('n', 2)).toBe(true);
    expect(b.recordFailure('n', 'http_500', 2)).toEqual({
      causeChanged: true,
      consecutiveFailures: 1,
      skipCycles: 0,
    });
  });

  it('the cause is new only when the reason changes', () => {
    const b = new NodeBackoff();
    expect(b.recordFailure('n', 'timeout', 0).causeChanged).toBe(true);
    expect(b.recordFailure('n', 'timeout', 1).causeChanged).toBe(false);
    expect(b.recordFailure('n', 'http_500', 3).causeChanged).toBe(true);
    expect(b.recordSuccess('healthy-node')).toEqual({ recoveredFrom: undefined });
  });

  it('an unpenalised failure keeps the node due', () => {
    const b = new NodeBackoff();
    const out = b.recordFailure('n', 'cycle_deadline', 0, false);
    expect(out).toEqual({ causeChanged: true, consecutiveFailures: 0, skipCycles: 0 });
    expect(b.isDue('n', 1)).toBe(true);
    expect(b.skippedIn(1)).toBe(0);
  });

  it('counts skipped nodes and forgets nodes that left', () => {
    const b = new NodeBackoff();
    for (const n of ['a', 'b']) {
      b.recordFailure(n, 'timeout', 0);
      b.recordFailure(n, 'timeout', 1);
    }
    expect(b.skippedIn(2)).toBe(2);
    b.retain(new Set(['a']));
    expect(b.skippedIn(2)).toBe(1);
    expect(b.isDue('b', 2)).toBe(true);
  });
});
