/**
 * What the kubelet decoders share: their signature, result and error. A decoder is a pure
 * function from the bytes a kubelet answered to one node's batch (metrics-server
 * `decodeBatch(b, defaultTime, nodeName)`); time comes in as a parameter (design habit 5).
 * @module
 */
import type { DropCounts, MetricsBatch } from '../../src/store/index.js';

/** One node's answer: the batch of complete points, and what was left out, by reason. */
export interface DecodedNode {
  batch: MetricsBatch;
  dropped: DropCounts;
}

/**
 * Turns one kubelet answer into a batch. `defaultTimeMs` stamps samples that carry no time of
 * their own (upstream passes the scrape start). Throws {@link DecodeError} for a body that is
 * malformed, truncated or of the wrong shape; the caller then drops the node whole.
 */
export type KubeletDecoder = (body: Buffer, defaultTimeMs: number, nodeName: string) => DecodedNode;

/** A kubelet body that cannot be decoded at all. */
export class DecodeError extends Error {
  readonly code = 'DecodeError';
  /** The node whose answer failed. */
  readonly node: string;
  /** Byte offset of the failure in the body, when known. */
  readonly offset: number | undefined;

  constructor(node: string, message: string, options: { offset?: number; cause?: unknown } = {}) {
    super(`failed decoding metrics of node ${node}: ${message}`, { cause: options.cause });
    this.name = 'DecodeError';
    this.node = node;
    this.offset = options.offset;
  }
}
