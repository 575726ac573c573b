import { describe, expect, it } from 'vitest';
import { ExpiringCache } from '../../../adapter/auth/cache.js';
import { FakeTime } from '../../support/fake-time.js';

describe('ExpiringCache', () => {
  it('should pass: an entry lives exactly its TTL', async () => {
    const time = new FakeTime();
    const cache = new ExpiringCache<string>(10, time);
    cache.set('a', 'A', 100);
    await time.advance(99);
    expect(cache.get('a')).toBe('A');
    await time.advance(1);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('should pass: when full, the least recently used entry leaves', () => {
    const cache = new ExpiringCache<number>(2, new FakeTime());
    cache.set('a', 1, 1000);
    cache.set('b', 2, 1000);
    cache.get('a');
    cache.set('c', 3, 1000);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([1, undefined, 3]);
  });

  it('should fail: a zero TTL stores nothing', () => {
    const cache = new ExpiringCache<number>(2, new FakeTime());
    cache.set('a', 1, 0);
    expect(cache.get('a')).toBeUndefined();
  });
});
