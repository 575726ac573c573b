/**
 * Scrape targets from the cluster view's Nodes. The process already watches Nodes once, in
 * src/cluster (a restarted informer that keeps its last good list); reading targets from it at
 * every tick avoids a second watch on the API server, as metrics-server's scraper reads its
 * node lister rather than watching on its own (pkg/scraper/scraper.go Scrape: nodeLister.List).
 * @module
 */
import type { ClusterView } from '../../src/cluster/index.js';
import type { Selector } from '../../src/k8s/index.js';
import { targetForNode, type NodeAddressingOptions } from './address.js';
import type { KubeletTarget, ScrapeTargets } from './targets.js';

export class ClusterViewTargets implements ScrapeTargets {
  constructor(
    private readonly view: Pick<ClusterView, 'listNodes'>,
    private readonly addressing: NodeAddressingOptions,
    /** `--node-selector`: only matching nodes are scraped. */
    private readonly nodeSelector: Selector,
  ) {}

  targets(): readonly KubeletTarget[] {
    return this.view
      .listNodes(this.nodeSelector)
      .map((node) => targetForNode(node, this.addressing));
  }
}
