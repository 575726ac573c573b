/**
 * One node's scrape: GET the kubelet endpoint, then decode the bytes with the source's decoder,
 * stamping samples without a timestamp with the request's start time (metrics-server
 * pkg/scraper/client/resource/client.go passes `requestTime` to `decodeBatch`).
 * @module
 */
import type { Clock } from '../../src/observability/index.js';
import type { KubeletHttpClient } from './client.js';
import type { DecodedNode, KubeletDecoder } from './decode.js';
import { KubeletScrapeError } from './errors.js';
import type { KubeletTarget, NodeMetricsGetter } from './targets.js';

export interface KubeletMetricsGetterOptions {
  client: Pick<KubeletHttpClient, 'get'>;
  decoder: KubeletDecoder;
  clock: Clock;
  /** Observes each request's duration (fetch and decode), in seconds. */
  observeSeconds?: (seconds: number) => void;
}

/** The production {@link NodeMetricsGetter}: HTTP client plus decoder. */
export class KubeletMetricsGetter implements NodeMetricsGetter {
  constructor(private readonly o: KubeletMetricsGetterOptions) {}

  async getNodeMetrics(
    target: KubeletTarget & { url: string },
    signal: AbortSignal,
  ): Promise<DecodedNode> {
    const startMs = this.o.clock.now();
    try {
      const body = await this.o.client.get(target.url, { signal });
      try {
        return this.o.decoder(body, startMs, target.nodeName);
      } catch (err) {
        throw new KubeletScrapeError(
          'decode',
          `cannot decode the response from ${target.url}: ${(err as Error).message}`,
          target.url,
          { cause: err },
        );
      }
    } finally {
      this.o.observeSeconds?.((this.o.clock.now() - startMs) / 1000);
    }
  }
}
