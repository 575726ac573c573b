import { describe, expect, it } from 'vitest';
import { DropReason, addDrop, mergeDropCounts } from '../../../src/store/index.js';

describe('DropReason catalogue', () => {
  it('is the pinned list of stable snake_case label values', () => {
    expect(Object.values(DropReason).sort()).toEqual([
      'container_restart',
      'counter_reset',
      'duplicate_node',
      'duplicate_pod',
      'duplicate_series',
      'empty_pod',
      'incomplete_pod',
      'invalid_timestamp',
      'kubelet_scrape_error',
      'malformed_entry',
      'missing_cpu',
      'missing_labels',
      'missing_memory',
      'missing_start_time',
      'missing_timestamp',
      'negative_value',
      'node_restart',
      'non_finite_value',
      'non_increasing_timestamp',
      'start_time_decreased',
      'zero_cpu',
      'zero_memory',
    ]);
    for (const reason of Object.values(DropReason)) expect(reason).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });

  it.each([
    {
      name: 'addDrop starts a reason at n',
      run: () => {
        const c = {};
        addDrop(c, 'zero_cpu', 3);
        return c;
      },
      expected: { zero_cpu: 3 },
    },
    {
      name: 'addDrop adds to a reason',
      run: () => {
        const c = { zero_cpu: 1 };
        addDrop(c, 'zero_cpu');
        return c;
      },
      expected: { zero_cpu: 2 },
    },
    {
      name: 'mergeDropCounts sums per reason',
      run: () => mergeDropCounts({ a: 1, b: 2 }, { b: 3, c: 4 }),
      expected: { a: 1, b: 5, c: 4 },
    },
  ])('$name', ({ run, expected }) => {
    expect(run()).toEqual(expected);
  });
});
