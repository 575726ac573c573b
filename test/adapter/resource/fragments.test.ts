import { describe, expect, it } from 'vitest';
import { FragmentCache } from '../../../adapter/resource/fragments.js';
import { Writer, type PodItem } from '../../../adapter/resource/serialize.js';

function item(
  cpuNanoCores: number,
  labels: Record<string, string> | undefined = { app: 'web' },
): PodItem {
  return {
    namespace: 'default',
    name: 'web-1',
    labels,
    metrics: {
      namespace: 'default',
      name: 'web-1',
      timestampMs: 0,
      windowMs: 15_000,
      containers: [{ name: 'app', usage: { cpuNanoCores, memoryBytes: 1024 } }],
    },
  };
}

const text = (w: Writer, f: { pre: string; post: string }) =>
  `${f.pre}${w.creationTimestamp}${f.post}`;

describe('FragmentCache: should pass', () => {
  it('equal inputs in fresh objects reuse the text', () => {
    const cache = new FragmentCache(() => 0);
    const w = new Writer(0);
    const a = cache.pod(w, item(5));
    expect(cache.pod(w, item(5))).toBe(a);
    expect(text(w, a)).toBe(
      '{"metadata":{"name":"web-1","namespace":"default","creationTimestamp":"1970-01-01T00:00:00Z","labels":{"app":"web"}},"timestamp":"1970-01-01T00:00:00Z","window":"15s","containers":[{"name":"app","usage":{"cpu":"5n","memory":"1Ki"}}]}',
    );
  });

  const changes = [
    { name: 'a new usage value', change: () => item(6), want: '"cpu":"6n"' },
    {
      name: 'labels edited in place',
      change: () => item(5, { app: 'api' }),
      want: '"labels":{"app":"api"}',
    },
    {
      name: 'labels removed',
      change: () => item(5, {}),
      want: '"creationTimestamp":"1970-01-01T00:00:00Z"},',
    },
    {
      name: 'a label value that needs escaping',
      change: () => item(5, { note: 'say "hi"' }),
      want: '"labels":{"note":"say \\"hi\\""}',
    },
  ];
  it.each(changes)('$name rewrites the text', ({ change, want }) => {
    const cache = new FragmentCache(() => 0);
    const w = new Writer(0);
    const labels = { app: 'web' };
    cache.pod(w, item(5, labels));
    expect(text(w, cache.pod(w, change()))).toContain(want);
  });

  it('a label mutated in the same object is seen', () => {
    const cache = new FragmentCache(() => 0);
    const w = new Writer(0);
    const labels: Record<string, string> = { app: 'web' };
    cache.pod(w, item(5, labels));
    labels.app = 'db';
    expect(text(w, cache.pod(w, item(5, labels)))).toContain('"labels":{"app":"db"}');
  });

  it('entries idle for two minutes are swept', () => {
    let now = 0;
    const cache = new FragmentCache(() => now);
    const w = new Writer(0);
    cache.pod(w, item(5));
    cache.sweep();
    expect(cache.size).toBe(1);
    now = 121_000;
    cache.sweep();
    expect(cache.size).toBe(0);
  });
});
