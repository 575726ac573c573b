import { describe, expect, it } from 'vitest';
import { mergeNodeParts } from '../../scraper/merge.js';
import { podKey } from '../../src/store/index.js';
import { decodedNode } from '../support/fake-kubelet.js';

const t0 = 1_800_000_000_000;

describe('mergeNodeParts', () => {
  it('unions nodes and pods of every part', () => {
    const { batch, dropped } = mergeNodeParts([
      {
        nodeName: 'a',
        decoded: decodedNode('a', [{ namespace: 'ns', name: 'p1', containers: ['c0', 'c1'] }]),
      },
      { nodeName: 'b', decoded: decodedNode('b', [{ namespace: 'ns', name: 'p2' }]) },
    ]);
    expect([...batch.nodes.keys()].sort()).toEqual(['a', 'b']);
    expect([...batch.pods.keys()].sort()).toEqual(['ns/p1', 'ns/p2']);
    expect(batch.pods.get(podKey('ns', 'p1'))!.containers.size).toBe(2);
    expect(dropped).toEqual({});
  });

  it('sums the decoders drop counts', () => {
    const { dropped } = mergeNodeParts([
      { nodeName: 'a', decoded: decodedNode('a', [], t0, { missing_cpu: 2 }) },
      { nodeName: 'b', decoded: decodedNode('b', [], t0, { missing_cpu: 1, zero_memory: 4 }) },
    ]);
    expect(dropped).toEqual({ missing_cpu: 3, zero_memory: 4 });
  });

  const duplicateCases = [
    { name: 'the newer sample wins, whichever node answered first', order: ['old', 'new'] },
    { name: 'the newer sample wins regardless of part order', order: ['new', 'old'] },
  ];
  it.each(duplicateCases)('duplicate pod across nodes: $name', ({ order }) => {
    const parts = {
      old: {
        nodeName: 'node-a',
        decoded: decodedNode('node-a', [{ namespace: 'ns', name: 'web-0', timestampMs: t0 }]),
      },
      new: {
        nodeName: 'node-b',
        decoded: decodedNode('node-b', [
          { namespace: 'ns', name: 'web-0', timestampMs: t0 + 5000 },
        ]),
      },
    } as const;
    const { batch, dropped } = mergeNodeParts(order.map((k) => parts[k as 'old' | 'new']));
    expect(batch.pods.get('ns/web-0')!.containers.get('c0')!.timestampMs).toBe(t0 + 5000);
    expect(dropped).toEqual({ duplicate_pod: 1 });
  });

  it('on a tie the node first by name wins, independent of answer order', () => {
    const a = {
      nodeName: 'node-a',
      decoded: decodedNode('node-a', [{ namespace: 'ns', name: 'p', containers: ['from-a'] }]),
    };
    const b = {
      nodeName: 'node-b',
      decoded: decodedNode('node-b', [{ namespace: 'ns', name: 'p', containers: ['from-b'] }]),
    };
    for (const parts of [
      [a, b],
      [b, a],
    ]) {
      const { batch } = mergeNodeParts(parts);
      expect([...batch.pods.get('ns/p')!.containers.keys()]).toEqual(['from-a']);
    }
  });
});
