import { describe, expect, it } from 'vitest';
import { formatTime } from '../../../src/k8s/index.js';

describe('formatTime (metav1.Time marshalling)', () => {
  const t = Date.UTC(2026, 0, 1, 12, 0, 0);
  const cases = [
    { name: 'whole seconds print without a fraction', ms: t, expected: '2026-01-01T12:00:00Z' },
    { name: 'a fraction is truncated, not rounded', ms: t + 999, expected: '2026-01-01T12:00:00Z' },
    {
      name: 'the next second starts at its first millisecond',
      ms: t + 1000,
      expected: '2026-01-01T12:00:01Z',
    },
    {
      name: 'before 1970 truncates toward the earlier second, as Go does',
      ms: -1,
      expected: '1969-12-31T23:59:59Z',
    },
  ];
  it.each(cases)('$name', ({ ms, expected }) => expect(formatTime(ms)).toBe(expected));
});
