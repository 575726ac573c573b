import { describe, expect, it } from 'vitest';
import { milliQuantity, rfc3339 } from '../../../src/runtime/index.js';

const T = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('metric values: should pass', () => {
  const valueCases = [
    { name: 'an integer', value: 42, want: '42' },
    { name: 'a fraction keeps milli precision', value: 0.5, want: '500m' },
    { name: 'below a milli truncates to zero', value: 0.0004, want: '0' },
    { name: 'a negative value', value: -1.25, want: '-1250m' },
  ];
  it.each(valueCases)('milliQuantity: $name', ({ value, want }) => {
    expect(milliQuantity(value)).toBe(want);
  });

  it('timestamps keep sub-second precision only when present', () => {
    expect(rfc3339(T)).toBe('2026-01-01T12:00:00Z');
    expect(rfc3339(T + 250)).toBe('2026-01-01T12:00:00.250Z');
  });
});

describe('metric values: should fail', () => {
  const bad = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  it.each(bad)('%s is not a servable value', (value) => {
    expect(milliQuantity(value)).toBeUndefined();
  });
});
