import { describe, expect, it } from 'vitest';
import { EventCorrelator } from '../../../src/cluster/index.js';
import type { EventInput } from '../../../src/cluster/event-correlator.js';

const hpa = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  namespace: 'shop',
  name: 'web',
  uid: 'u1',
};
const ev = (message: string, o: Partial<EventInput> = {}): EventInput => ({
  object: hpa,
  type: 'Warning',
  reason: 'RecommendationDiffers',
  message,
  ...o,
});
const T = 1_800_000_000_000;

describe('EventCorrelator: should pass', () => {
  it('a new event is created with count 1', () => {
    const c = new EventCorrelator({ component: 'scaleplane' });
    const got = c.correlate(ev('a'), T);
    expect(got).toMatchObject({ count: 1, firstTimestampMs: T, message: 'a' });
    expect(got.existingName).toBeUndefined();
  });

  it('an identical event after it was written bumps the count and keeps the first timestamp', () => {
    const c = new EventCorrelator({ component: 'scaleplane' });
    const first = c.correlate(ev('a'), T);
    c.remember(first, 'web.1');
    const second = c.correlate(ev('a'), T + 5_000);
    expect(second).toMatchObject({ count: 2, firstTimestampMs: T, existingName: 'web.1' });
    c.remember(second, 'web.1');
    expect(c.correlate(ev('a'), T + 9_000)).toMatchObject({ count: 3, firstTimestampMs: T });
  });

  const distinct = [
    { name: 'another message', other: ev('b') },
    { name: 'another type', other: ev('a', { type: 'Normal' }) },
    { name: 'another reason', other: ev('a', { reason: 'Other' }) },
    { name: 'another object', other: ev('a', { object: { ...hpa, name: 'api' } }) },
  ];
  it.each(distinct)('$name is a separate event', ({ other }) => {
    const c = new EventCorrelator({ component: 'scaleplane' });
    c.remember(c.correlate(ev('a'), T), 'web.1');
    expect(c.correlate(other, T).existingName).toBeUndefined();
  });

  it('the tenth similar message within ten minutes is combined, and repeats count up', () => {
    const c = new EventCorrelator({ component: 'scaleplane' });
    for (let i = 1; i <= 9; i++) expect(c.correlate(ev(`m${i}`), T + i).message).toBe(`m${i}`);
    const combined = c.correlate(ev('m10'), T + 10);
    expect(combined).toMatchObject({ message: '(combined from similar events): m10', count: 1 });
    c.remember(combined, 'web.agg');
    expect(c.correlate(ev('m11'), T + 11)).toMatchObject({
      message: '(combined from similar events): m11',
      count: 2,
      existingName: 'web.agg',
    });
  });

  it('similar messages spread over more than ten minutes are not combined', () => {
    const c = new EventCorrelator({ component: 'scaleplane' });
    for (let i = 1; i <= 12; i++)
      expect(c.correlate(ev(`m${i}`), T + i * 600_001).message).toBe(`m${i}`);
  });

  it('memory stays bounded by the LRU size', () => {
    const c = new EventCorrelator({ component: 'scaleplane' }, { maxEntries: 3 });
    for (let i = 0; i < 50; i++)
      c.remember(c.correlate(ev('a', { object: { ...hpa, name: `h${i}` } }), T), `h${i}.1`);
    expect(c.size).toEqual({ written: 3, aggregates: 3 });
    expect(
      c.correlate(ev('a', { object: { ...hpa, name: 'h0' } }), T).existingName,
    ).toBeUndefined();
    expect(c.correlate(ev('a', { object: { ...hpa, name: 'h49' } }), T).existingName).toBe('h49.1');
  });

  it('a forgotten key starts over', () => {
    const c = new EventCorrelator({ component: 'scaleplane' });
    const first = c.correlate(ev('a'), T);
    c.remember(first, 'web.1');
    c.forget(first.key);
    const again = c.correlate(ev('a'), T);
    expect(again.count).toBe(1);
    expect(again.existingName).toBeUndefined();
  });
});
