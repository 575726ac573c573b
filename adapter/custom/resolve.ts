/**
 * From a parsed custom-metrics request to the values to serve, with prometheus-adapter's rules
 * (pkg/custom-provider/provider.go), since that is the adapter we replace:
 *
 * - a metric the store does not list for that resource and scope is `metricNotFound`;
 * - by name: no value for the object is `metricNotFoundFor` (`...ForSelector` with a metric selector);
 * - by selector (`*`): the cluster picks the objects (helpers.ListObjectNames); when it picks none
 *   the answer is `metricNotFound` (QueryForMetric refuses an empty name list), otherwise objects
 *   without a value are left out and an empty result is an empty list, not an error.
 * @module
 */
import type { ClusterView } from '../../src/cluster/index.js';
import {
  internalError,
  metricNotFound,
  metricNotFoundFor,
  metricNotFoundForSelector,
  StatusError,
} from '../../src/k8s/index.js';
import type { Selector } from '../../src/k8s/index.js';
import type {
  CustomMetricInfo,
  CustomMetricSample,
  CustomMetricsReader,
  GroupResource,
} from '../../src/store/index.js';
import { ALL_OBJECTS, type CustomMetricTarget } from './paths.js';

function infoKey(gr: GroupResource, metric: string, namespaced: boolean): string {
  return `${namespaced ? 'ns' : 'root'}\u0000${gr.group}\u0000${gr.resource}\u0000${metric}`;
}

/**
 * Finds a metric in the store's list. The index is rebuilt only when the store hands out a new
 * list, so a store that keeps its list between collections pays for one Map per collection.
 */
export class MetricInfoIndex {
  #source: readonly CustomMetricInfo[] | undefined;
  #byKey = new Map<string, CustomMetricInfo>();

  find(
    list: readonly CustomMetricInfo[],
    gr: GroupResource,
    metric: string,
    namespaced: boolean,
  ): CustomMetricInfo | undefined {
    if (list !== this.#source) {
      this.#byKey = new Map(list.map((i) => [infoKey(i.groupResource, i.metric, i.namespaced), i]));
      this.#source = list;
    }
    return this.#byKey.get(infoKey(gr, metric, namespaced));
  }
}

export interface ResolveDeps {
  reader: CustomMetricsReader;
  cluster: ClusterView;
  index: MetricInfoIndex;
}

/** ±Infinity has no quantity (Go would write an arbitrary int64); such a sample counts as absent. */
function servable(s: CustomMetricSample): boolean {
  return Number.isNaN(s.value) || Number.isFinite(s.value);
}

/** Store failures other than API errors are hidden from the client, as prometheus-adapter hides Prometheus errors. */
async function readSamples(
  deps: ResolveDeps,
  info: CustomMetricInfo,
  t: CustomMetricTarget,
  names: readonly string[],
  metricSelector: Selector,
): Promise<CustomMetricSample[]> {
  try {
    return await deps.reader.getCustomMetrics(info, t.namespace, names, metricSelector);
  } catch (err) {
    if (err instanceof StatusError) throw err;
    throw internalError(new Error('unable to fetch metrics', { cause: err }));
  }
}

async function byName(
  deps: ResolveDeps,
  info: CustomMetricInfo,
  t: CustomMetricTarget,
  metricSelector: Selector,
): Promise<CustomMetricSample[]> {
  const samples = await readSamples(deps, info, t, [t.name], metricSelector);
  // Several series may describe one object; prometheus-adapter serves the first (GetMetricByName).
  const sample = samples.find((s) => s.name === t.name && servable(s));
  if (sample) return [sample];
  if (metricSelector.empty()) throw metricNotFoundFor(t.groupResource, t.metric, t.name);
  throw metricNotFoundForSelector(t.groupResource, t.metric, t.name, metricSelector);
}

async function bySelector(
  deps: ResolveDeps,
  info: CustomMetricInfo,
  t: CustomMetricTarget,
  selector: Selector,
  metricSelector: Selector,
): Promise<CustomMetricSample[]> {
  let names: string[];
  try {
    names = await deps.cluster.listObjectNames(t.groupResource, t.namespace, selector);
  } catch (err) {
    throw internalError(new Error('unable to list matching resources', { cause: err }));
  }
  // series_registry.go QueryForMetric: "no resource names requested" → not found.
  if (names.length === 0) throw metricNotFound(t.groupResource, t.metric);
  const first = new Map<string, CustomMetricSample>();
  for (const s of await readSamples(deps, info, t, names, metricSelector)) {
    if (!first.has(s.name) && servable(s)) first.set(s.name, s);
  }
  const values: CustomMetricSample[] = [];
  for (const name of names) {
    const s = first.get(name);
    if (s) values.push(s);
  }
  return values;
}

/** The samples a request asks for, one per described object in the cluster's order, or a 404/500 StatusError. */
export async function resolveCustomValues(
  deps: ResolveDeps,
  t: CustomMetricTarget,
  selector: Selector,
  metricSelector: Selector,
): Promise<CustomMetricSample[]> {
  const info = deps.index.find(
    deps.reader.listCustomMetrics(),
    t.groupResource,
    t.metric,
    t.namespace !== undefined,
  );
  if (!info) throw metricNotFound(t.groupResource, t.metric);
  if (t.name === ALL_OBJECTS) return bySelector(deps, info, t, selector, metricSelector);
  return byName(deps, info, t, metricSelector);
}
