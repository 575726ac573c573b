import { describe, expect, it } from 'vitest';
import { BodyCache } from '../../../adapter/resource/body-cache.js';

const f1 = { pre: '{"a":"', post: '"}' };
const f2 = { pre: '{"b":"', post: '"}' };

describe('BodyCache: should pass', () => {
  it('the same fragments in the same second reuse the encoded body', () => {
    const cache = new BodyCache();
    let builds = 0;
    const build = () => `${++builds}`;
    const a = cache.body('k', 't1', [f1, f2], build);
    const b = cache.body('k', 't1', [f1, f2], build);
    expect(b).toBe(a);
    expect(builds).toBe(1);
  });

  const misses = [
    { name: 'a new second', ct: 't2', fragments: [f1, f2] },
    { name: 'an item rebuilt', ct: 't1', fragments: [f1, { ...f2 }] },
    { name: 'an item gone', ct: 't1', fragments: [f1] },
    { name: 'items reordered', ct: 't1', fragments: [f2, f1] },
  ];
  it.each(misses)('$name builds again', ({ ct, fragments }) => {
    const cache = new BodyCache();
    cache.body('k', 't1', [f1, f2], () => 'old');
    expect(cache.body('k', ct, fragments, () => 'new').toString()).toBe('new');
  });

  it('keeps at most maxEntries bodies, dropping the least recently used', () => {
    const cache = new BodyCache(2);
    cache.body('a', 't', [f1], () => 'a');
    cache.body('b', 't', [f1], () => 'b');
    cache.body('a', 't', [f1], () => 'a2');
    cache.body('c', 't', [f1], () => 'c');
    expect(cache.size).toBe(2);
    expect(cache.body('a', 't', [f1], () => 'rebuilt').toString()).toBe('a');
    expect(cache.body('b', 't', [f1], () => 'rebuilt').toString()).toBe('rebuilt');
  });
});
