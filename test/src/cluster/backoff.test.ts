import { describe, expect, it } from 'vitest';
import { RestartBackoff, type BackoffOptions } from '../../../src/cluster/index.js';
import { FakeTime } from '../../support/fake-time.js';

describe('RestartBackoff: should pass', () => {
  const cases: Array<{
    name: string;
    options: BackoffOptions;
    random: number;
    gapsMs: number[];
    want: number[];
  }> = [
    {
      name: 'doubles from 800 ms and caps at 30 s (no jitter drawn)',
      options: {},
      random: 0,
      gapsMs: [0, 0, 0, 0, 0, 0, 0, 0],
      want: [800, 1600, 3200, 6400, 12800, 25600, 30000, 30000],
    },
    {
      name: 'jitter adds up to the delay itself',
      options: {},
      random: 0.5,
      gapsMs: [0, 0, 0],
      want: [1200, 2400, 4800],
    },
    {
      name: 'no jitter when disabled',
      options: { jitter: 0 },
      random: 0.9,
      gapsMs: [0, 0],
      want: [800, 1600],
    },
    {
      name: 'starts over after a quiet spell longer than 2 min',
      options: {},
      random: 0,
      gapsMs: [0, 1000, 120_001],
      want: [800, 1600, 800],
    },
    {
      name: 'custom initial, factor and cap',
      options: { initialMs: 100, factor: 3, maxMs: 500, jitter: 0 },
      random: 0,
      gapsMs: [0, 0, 0, 0],
      want: [100, 300, 500, 500],
    },
  ];
  it.each(cases)('$name', async ({ options, random, gapsMs, want }) => {
    const time = new FakeTime();
    const b = new RestartBackoff(options, time, () => random);
    const got: number[] = [];
    for (const gap of gapsMs) {
      await time.advance(gap);
      got.push(b.next());
    }
    expect(got).toEqual(want);
  });
});
