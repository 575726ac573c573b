/**
 * Merges the per-node results of one tick into the single batch the store swaps in (design
 * habit 3; metrics-server pkg/scraper/scraper.go `Scrape` builds one `MetricsBatch` from every
 * node that answered). Collisions are decided by src/store's `mergeBatchInto` (the newer sample
 * wins, the loser is counted); here we only fix the order and gather the decoders' drops.
 * @module
 */
import {
  emptyBatch,
  mergeBatchInto,
  mergeDropCounts,
  type DropCounts,
  type MetricsBatch,
} from '../src/store/index.js';
import type { DecodedNode } from './kubelet/decode.js';

/** One node's decoded answer. */
export interface NodePart {
  nodeName: string;
  decoded: DecodedNode;
}

export interface MergedBatch {
  batch: MetricsBatch;
  /** Points left out by the decoders or by the merge, by reason. */
  dropped: DropCounts;
}

/**
 * One batch from many nodes. Parts are merged in node-name order, so on a tie the outcome does
 * not depend on which kubelet answered first (upstream keeps whichever goroutine reported first).
 */
export function mergeNodeParts(parts: readonly NodePart[]): MergedBatch {
  const sorted = [...parts].sort((a, b) =>
    a.nodeName < b.nodeName ? -1 : a.nodeName > b.nodeName ? 1 : 0,
  );
  const batch = emptyBatch();
  const dropped: DropCounts = {};
  for (const { decoded } of sorted) {
    mergeDropCounts(dropped, decoded.dropped);
    mergeDropCounts(dropped, mergeBatchInto(batch, decoded.batch));
  }
  return { batch, dropped };
}
