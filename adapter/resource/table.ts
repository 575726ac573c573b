/**
 * The meta.k8s.io Table form of node and pod metrics, for `kubectl get nodemetrics`-style clients
 * that send `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`. Columns follow metrics-server
 * pkg/api/table.go addNodeMetricsToTable / addPodMetricsToTable (Name, one quantity column per
 * resource in sorted order, Window; a pod's usage is the sum over its containers); the row objects
 * follow apiserver handlers/response.go asTable for each includeObject policy.
 * @module
 */
import type { IncludeObject } from '../request.js';
import { formatBytes, formatNanoCores } from './format.js';
import type { FragmentCache } from './fragments.js';
import {
  nodeMetricsJson,
  partialMetadataJson,
  podMetricsJson,
  type NodeItem,
  type PodItem,
  type Writer,
} from './serialize.js';

/** The column definitions, fixed because every served item has both cpu and memory. */
const COLUMNS_JSON = JSON.stringify([
  {
    name: 'Name',
    type: 'string',
    format: 'name',
    description: 'Name of the resource',
    priority: 0,
  },
  { name: 'cpu', type: 'string', format: 'quantity', description: '', priority: 0 },
  { name: 'memory', type: 'string', format: 'quantity', description: '', priority: 0 },
  { name: 'Window', type: 'string', format: 'duration', description: '', priority: 0 },
]);

export interface TableOptions {
  /** meta.k8s.io version the client asked for; the rows' PartialObjectMetadata use it too. */
  version: 'v1' | 'v1beta1';
  includeObject: IncludeObject;
}

function rowJson(cells: readonly string[], object: string): string {
  return `{"cells":${JSON.stringify(cells)},"object":${object}}`;
}

function tableJson(opts: TableOptions, rows: readonly string[]): string {
  return `{"kind":"Table","apiVersion":"meta.k8s.io/${opts.version}","metadata":{},"columnDefinitions":${COLUMNS_JSON},"rows":[${rows.join(',')}]}`;
}

function partialObject(opts: TableOptions, metadata: string): string {
  return `{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/${opts.version}","metadata":${metadata}}`;
}

/** A Table of NodeMetrics rows. */
export function nodeTableJson(
  w: Writer,
  cache: FragmentCache,
  items: readonly NodeItem[],
  opts: TableOptions,
): string {
  const rows = items.map((item) => {
    const u = item.metrics.usage;
    const cells = [
      item.name,
      formatNanoCores(u.cpuNanoCores),
      formatBytes(u.memoryBytes),
      w.window(item.metrics.windowMs),
    ];
    let object = 'null';
    if (opts.includeObject === 'Object') object = nodeMetricsJson(w, cache, item);
    else if (opts.includeObject === 'Metadata')
      object = partialObject(opts, partialMetadataJson(w, item.name, undefined, item.labels));
    return rowJson(cells, object);
  });
  return tableJson(opts, rows);
}

/** A Table of PodMetrics rows, usage summed over containers before formatting (Quantity.Add). */
export function podTableJson(
  w: Writer,
  cache: FragmentCache,
  items: readonly PodItem[],
  opts: TableOptions,
): string {
  const rows = items.map((item) => {
    let cpuNanoCores = 0;
    let memoryBytes = 0;
    for (const c of item.metrics.containers) {
      // Each container's usage is truncated to whole units before the sum, as the stored Quantities are.
      cpuNanoCores += Math.max(0, Math.trunc(c.usage.cpuNanoCores));
      memoryBytes += Math.max(0, Math.trunc(c.usage.memoryBytes));
    }
    const cells = [
      item.name,
      formatNanoCores(cpuNanoCores),
      formatBytes(memoryBytes),
      w.window(item.metrics.windowMs),
    ];
    let object = 'null';
    if (opts.includeObject === 'Object') object = podMetricsJson(w, cache, item);
    else if (opts.includeObject === 'Metadata')
      object = partialObject(opts, partialMetadataJson(w, item.name, item.namespace, item.labels));
    return rowJson(cells, object);
  });
  return tableJson(opts, rows);
}
