/**
 * The scrape loop's seams (design habit 2): what it scrapes (one target per node, from a static
 * file or the Nodes informer) and how one node is fetched and decoded.
 * @module
 */
import type { DecodedNode } from './decode.js';

/** One kubelet to scrape in a tick. */
export interface KubeletTarget {
  /** The node name the decoded points are filed under. */
  nodeName: string;
  /**
   * Absolute URL of the kubelet endpoint; undefined when the node has no address of a preferred
   * type, which the loop counts as a failure with reason `no_address`.
   */
  url: string | undefined;
  /** Why `url` is undefined, for the log line. */
  unresolvedReason?: string;
  /**
   * False when the node's Ready condition is not True. metrics-server logs such nodes' failures
   * at a debug level only (pkg/scraper/scraper.go Scrape, `nodeIsReady`).
   */
  ready: boolean;
}

/** A source of scrape targets, read once at the start of every tick. */
export interface ScrapeTargets {
  targets(): readonly KubeletTarget[];
}

/**
 * Fetches and decodes one node's metrics (metrics-server client.KubeletMetricsGetter). Rejects
 * with a `KubeletScrapeError`; must honour `signal`, though the loop does not rely on it.
 */
export interface NodeMetricsGetter {
  getNodeMetrics(
    target: KubeletTarget & { url: string },
    signal: AbortSignal,
  ): Promise<DecodedNode>;
}
