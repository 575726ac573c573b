/**
 * prometheus-adapter's `resourceRules` (pkg/resourceprovider provider.go), as data: the PromQL of
 * each rule's `containerQuery` and `nodeQuery`, and the conversion of their answers into one
 * {@link RatedMetricsBatch}. Upstream builds a query per request for the pods of one namespace or
 * for the nodes asked for (`Build("", resource, namespace, [containerLabel], Everything, names...)`);
 * the collector sends each query once per cycle for every object instead, which is the same
 * template with the resource matcher `=~".+"` and, for containers, every namespace
 * (`namespace=~".+"`, the namespace label added to GroupBy so pods of the same name in different
 * namespaces stay apart). The values follow upstream exactly where they matter:
 * - CPU is truncated to whole millicores (`NewMilliQuantity(int64(v*1000))`); memory is served in
 *   whole bytes (upstream keeps thousandths of a byte, which no client reads).
 * - A negative value is served as 0, as upstream does; NaN and ±Inf are dropped and counted, as
 *   everywhere in scaleplane (upstream serves NaN as 0).
 * - A pod is served when both the CPU and the memory query returned something for it; a container
 *   present in only one of them gets 0 for the other (assignForPod). Its time is the earliest
 *   sample's. A node needs both values; its time is the earlier of the two.
 * - The `window` served is the rules' `window`, whatever the queries do (upstream's `p.window`).
 * @module
 */
import { parseGoTemplate, type ResourceRule, type ResourceRules } from '../../src/config/index.js';
import { everything } from '../../src/k8s/index.js';
import {
  DropReason,
  addDrop,
  podKey,
  type DropCounts,
  type GroupResource,
  type PodKey,
  type RatedPodPoint,
  type RatedPoint,
} from '../../src/store/index.js';
import type { PromSample, QueryResult } from './decode.js';
import { PrometheusError } from './errors.js';
import { allObjects, MetricsQuery } from './query-builder.js';
import { namespacesResource, ResourceConverter, type ResourceCatalog } from './resources.js';

const podsResource: GroupResource = { group: '', resource: 'pods' };
const nodesResource: GroupResource = { group: '', resource: 'nodes' };

export type ResourceName = 'cpu' | 'memory';
export type ResourceTarget = 'containers' | 'nodes';

/** One of the four queries of a cycle. */
export interface ResourceQuery {
  resource: ResourceName;
  target: ResourceTarget;
  /** The PromQL, or why the rule cannot build it (the template or label mapping failed). */
  query: string | PrometheusError;
}

/** Samples by object for one resource: container values by pod, or node values by node. */
interface Keyed {
  containers: Map<PodKey, Map<string, PromSample>>;
  nodes: Map<string, PromSample>;
}

/** One compiled resource rule (provider.go resourceQuery). */
class CompiledRule {
  private readonly converter: ResourceConverter;
  private readonly contQuery: MetricsQuery;
  private readonly nodeQuery: MetricsQuery;

  constructor(
    private readonly rule: ResourceRule,
    catalog: ResourceCatalog,
  ) {
    this.converter = new ResourceConverter(rule.resources, catalog);
    this.contQuery = new MetricsQuery(parseGoTemplate(rule.containerQuery), this.converter, true);
    this.nodeQuery = new MetricsQuery(parseGoTemplate(rule.nodeQuery), this.converter, true);
  }

  get containerLabel(): string {
    return this.rule.containerLabel;
  }

  label(gr: GroupResource): string {
    return this.converter.labelForResource(gr);
  }

  containers(): string {
    const extra = [this.rule.containerLabel, this.label(namespacesResource)];
    return this.contQuery.build('', podsResource, allObjects, extra, everything, allObjects);
  }

  nodes(): string {
    return this.nodeQuery.build('', nodesResource, undefined, [], everything, allObjects);
  }
}

function built(fn: () => string): string | PrometheusError {
  try {
    return fn();
  } catch (err) {
    if (err instanceof PrometheusError) return err;
    throw err;
  }
}

/** The `resourceRules` of a config, compiled: the four queries and the conversion of answers. */
export class ResourceRulesPlan {
  readonly windowMs: number;
  private readonly rules: Record<ResourceName, CompiledRule>;

  constructor(rules: ResourceRules, catalog: ResourceCatalog) {
    this.windowMs = rules.windowMs;
    this.rules = {
      cpu: new CompiledRule(rules.cpu, catalog),
      memory: new CompiledRule(rules.memory, catalog),
    };
  }

  /** CPU containers, CPU nodes, memory containers, memory nodes: one query each per cycle. */
  queries(): ResourceQuery[] {
    return (['cpu', 'memory'] as const).flatMap((resource) => {
      const rule = this.rules[resource];
      return [
        { resource, target: 'containers' as const, query: built(() => rule.containers()) },
        { resource, target: 'nodes' as const, query: built(() => rule.nodes()) },
      ];
    });
  }

  /**
   * Samples of one answer keyed by object (runQuery's association by the resource label). A
   * container series lacking its pod or namespace label cannot be attributed and is dropped.
   */
  keyed(
    resource: ResourceName,
    target: ResourceTarget,
    result: QueryResult,
    dropped: DropCounts,
  ): Keyed {
    if (result.resultType !== 'vector')
      throw new PrometheusError(
        'bad_response',
        `expected a vector result, got ${result.resultType}`,
      );
    if (result.malformed > 0) addDrop(dropped, DropReason.malformedEntry, result.malformed);
    const rule = this.rules[resource];
    const out: Keyed = { containers: new Map(), nodes: new Map() };
    const objectLabel = rule.label(target === 'nodes' ? nodesResource : podsResource);
    const nsLabel = target === 'nodes' ? '' : rule.label(namespacesResource);
    for (const s of result.samples) {
      if (!Number.isFinite(s.value)) {
        addDrop(dropped, DropReason.nonFiniteValue);
        continue;
      }
      const name = s.labels[objectLabel];
      if (!name || (target === 'containers' && !s.labels[nsLabel])) {
        addDrop(dropped, DropReason.missingLabels);
        continue;
      }
      if (target === 'nodes') {
        // Upstream serves the first sample of a node (rawCPUs[0]).
        if (out.nodes.has(name)) addDrop(dropped, DropReason.duplicateSeries);
        else out.nodes.set(name, s);
        continue;
      }
      const key = podKey(s.labels[nsLabel]!, name);
      let containers = out.containers.get(key);
      if (!containers) out.containers.set(key, (containers = new Map<string, PromSample>()));
      const container = s.labels[rule.containerLabel] ?? '';
      // A later series for the same container overwrites the earlier one, as upstream's map does.
      if (containers.has(container)) addDrop(dropped, DropReason.duplicateSeries);
      containers.set(container, s);
    }
    return out;
  }
}

/** Upstream's conversions: whole millicores; negative values become 0 (runQuery). */
function cpuNanoCores(cores: number): number {
  return Math.trunc(Math.max(0, cores) * 1000) * 1_000_000;
}

function memoryBytes(bytes: number): number {
  return Math.max(0, bytes);
}

/** assignForPod for every pod that either query returned. */
export function assemblePods(
  cpu: Keyed,
  memory: Keyed,
  dropped: DropCounts,
): Map<PodKey, RatedPodPoint> {
  const pods = new Map<PodKey, RatedPodPoint>();
  for (const key of new Set([...cpu.containers.keys(), ...memory.containers.keys()])) {
    const c = cpu.containers.get(key);
    const m = memory.containers.get(key);
    if (!c || !m) {
      addDrop(dropped, c ? DropReason.missingMemory : DropReason.missingCpu);
      continue;
    }
    const containers = new Map<string, RatedPoint>();
    for (const name of new Set([...c.keys(), ...m.keys()])) {
      const cs = c.get(name);
      const ms = m.get(name);
      containers.set(name, {
        timestampMs: Math.min(cs?.timestampMs ?? Infinity, ms?.timestampMs ?? Infinity),
        cpuNanoCores: cs ? cpuNanoCores(cs.value) : 0,
        memoryBytes: ms ? memoryBytes(ms.value) : 0,
      });
    }
    pods.set(key, { containers });
  }
  return pods;
}

/** GetNodeMetrics: a node with both values, at the earlier of their times. */
export function assembleNodes(
  cpu: Keyed,
  memory: Keyed,
  dropped: DropCounts,
): Map<string, RatedPoint> {
  const nodes = new Map<string, RatedPoint>();
  for (const name of new Set([...cpu.nodes.keys(), ...memory.nodes.keys()])) {
    const c = cpu.nodes.get(name);
    const m = memory.nodes.get(name);
    if (!c || !m) {
      addDrop(dropped, c ? DropReason.missingMemory : DropReason.missingCpu);
      continue;
    }
    nodes.set(name, {
      timestampMs: Math.min(c.timestampMs, m.timestampMs),
      cpuNanoCores: cpuNanoCores(c.value),
      memoryBytes: memoryBytes(m.value),
    });
  }
  return nodes;
}

export type { Keyed as KeyedResourceSamples };
