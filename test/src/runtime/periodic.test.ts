import { describe, expect, it } from 'vitest';
import { forEachBounded, runEvery } from '../../../src/runtime/periodic.js';
import { FakeTime } from '../../support/fake-time.js';

describe('runEvery: should pass', () => {
  const cases = [
    { name: 'instant ticks fall on the period', tickMs: 0, want: [0, 15, 30, 45] },
    { name: 'ticks that take time do not drift', tickMs: 4, want: [0, 15, 30, 45] },
    { name: 'a tick longer than the period skips the ticks it overran', tickMs: 20, want: [0, 30] },
  ];
  it.each(cases)('$name', async ({ tickMs, want }) => {
    const time = new FakeTime(0);
    const stop = new AbortController();
    const starts: number[] = [];
    const loop = runEvery(15_000, time, time.sleep, stop.signal, async () => {
      starts.push(time.now() / 1000);
      if (tickMs > 0) await time.sleep(tickMs * 1000);
    });
    await time.advance(50_000);
    stop.abort();
    await time.advance(100_000);
    await loop;
    expect(starts).toEqual(want);
  });
});

describe('runEvery: should recover', () => {
  it('a clock set back an hour during a tick does not make the loop sleep an hour', async () => {
    const time = new FakeTime(3_600_000);
    const stop = new AbortController();
    const starts: number[] = [];
    const loop = runEvery(15_000, time, time.sleep, stop.signal, async () => {
      starts.push(time.now() / 1000);
      if (starts.length === 2) await time.advance(-3_600_000);
    });
    await time.advance(15_000);
    await time.advance(15_000);
    stop.abort();
    await loop;
    expect(starts).toEqual([3600, 3615, 30]);
  });
});

describe('forEachBounded: should pass', () => {
  const cases = [
    { name: 'never more than the limit in flight', items: 10, limit: 3, wantMax: 3 },
    { name: 'fewer items than the limit', items: 2, limit: 5, wantMax: 2 },
    { name: 'no items', items: 0, limit: 5, wantMax: 0 },
  ];
  it.each(cases)('$name', async ({ items, limit, wantMax }) => {
    let inFlight = 0;
    let max = 0;
    const done: number[] = [];
    await forEachBounded(
      Array.from({ length: items }, (_, i) => i),
      limit,
      async (i) => {
        inFlight++;
        max = Math.max(max, inFlight);
        await new Promise((r) => setTimeout(r, 1));
        inFlight--;
        done.push(i);
      },
    );
    expect(max).toBe(wantMax);
    expect(done.sort((a, b) => a - b)).toEqual(Array.from({ length: items }, (_, i) => i));
  });
});
