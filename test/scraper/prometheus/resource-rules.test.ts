import { describe, expect, it } from 'vitest';
import { parseRulesConfig } from '../../../src/config/index.js';
import { createLogger, createSelfMetrics } from '../../../src/observability/index.js';
import { RatedResourceStore } from '../../../src/store/index.js';
import { PrometheusError } from '../../../scraper/prometheus/errors.js';
import { PrometheusResourceCollector } from '../../../scraper/prometheus/resource-collector.js';
import { ResourceRulesPlan } from '../../../scraper/prometheus/resource-rules.js';
import { ResourceCatalog } from '../../../scraper/prometheus/resources.js';
import { FakeTime } from '../../support/fake-time.js';
import { resourceRulesCases, type RulesCase } from '../../support/resource-rules.js';
import { FakePrometheus, sample, type QueryAnswer } from './fake-prometheus.js';

const T = 1_800_000_000_000;
const MiB = 1024 * 1024;

function rulesOf(c: RulesCase) {
  const parsed = parseRulesConfig(c.yaml);
  expect(parsed.issues).toBeUndefined();
  return parsed.config!.resourceRules!;
}

describe('resourceRules queries: one per resource and target, every object at once', () => {
  it.each(resourceRulesCases)('$name', (c) => {
    const plan = new ResourceRulesPlan(rulesOf(c), new ResourceCatalog());
    const queries = plan.queries();
    expect(queries.map((q) => `${q.resource} ${q.target}`)).toEqual([
      'cpu containers',
      'cpu nodes',
      'memory containers',
      'memory nodes',
    ]);
    queries.forEach((q, i) => expect(q.query).toContain(c.queries[i]));
    expect(plan.windowMs).toBe(c.windowMs);
  });

  it('reports a rule whose namespace label cannot be built, without sending anything', () => {
    const rules = parseRulesConfig(`
resourceRules:
  cpu:
    containerQuery: sum(x{<<.LabelMatchers>>}) by (<<.GroupBy>>)
    nodeQuery: sum(y{<<.LabelMatchers>>}) by (<<.GroupBy>>)
    resources: {overrides: {pod: {resource: pod}, node: {resource: node}}}
    containerLabel: container
  memory:
    containerQuery: sum(x{<<.LabelMatchers>>}) by (<<.GroupBy>>)
    nodeQuery: sum(y{<<.LabelMatchers>>}) by (<<.GroupBy>>)
    resources: {overrides: {pod: {resource: pod}, node: {resource: node}}}
    containerLabel: container
  window: 1m
`).config!.resourceRules!;
    const [cpuContainers, cpuNodes] = new ResourceRulesPlan(rules, new ResourceCatalog()).queries();
    expect(cpuContainers!.query).toBeInstanceOf(PrometheusError);
    expect((cpuContainers!.query as PrometheusError).message).toBe(
      'unable to convert resource namespaces into label: no generic resource label form specified for this metric',
    );
    expect(cpuNodes!.query).toBe('sum(y{node=~".+"}) by (node)');
  });
});

interface CollectCase {
  name: string;
  answer: (promql: string) => QueryAnswer;
  nodes: Record<string, { cpu: string; memory: number; timestampMs: number }>;
  pods: Record<string, { timestampMs: number; containers: Record<string, [number, number]> }>;
  dropped?: Record<string, number>;
  failures?: Record<string, number>;
}

const isCpu = (q: string): boolean => q.includes('cpu');
const isNode = (q: string): boolean => q.includes('by (node)');
const pod = (ns: string, p: string, c: string) => ({ namespace: ns, pod: p, container: c });

const collectCases: CollectCase[] = [
  {
    name: 'pods and nodes at the earliest sample time, CPU truncated to millicores',
    answer: (q) =>
      isNode(q)
        ? isCpu(q)
          ? [sample({ node: 'n1' }, 0.2509, T), sample({ node: 'n2' }, 1.5, T - 1000)]
          : [sample({ node: 'n1' }, 512 * MiB, T - 2000), sample({ node: 'n2' }, MiB, T)]
        : isCpu(q)
          ? [
              sample(pod('shop', 'web-1', 'app'), 0.0509, T),
              sample(pod('shop', 'web-1', 'sidecar'), 0.001, T - 500),
              sample(pod('other', 'web-1', 'app'), 0.3, T),
            ]
          : [
              sample(pod('shop', 'web-1', 'app'), 48 * MiB, T),
              sample(pod('shop', 'web-1', 'sidecar'), 8 * MiB, T),
              sample(pod('other', 'web-1', 'app'), 16 * MiB, T - 3000),
            ],
    nodes: {
      n1: { cpu: '250', memory: 512 * MiB, timestampMs: T - 2000 },
      n2: { cpu: '1500', memory: MiB, timestampMs: T - 1000 },
    },
    pods: {
      'shop/web-1': {
        timestampMs: T - 500,
        containers: { app: [50, 48 * MiB], sidecar: [1, 8 * MiB] },
      },
      'other/web-1': { timestampMs: T - 3000, containers: { app: [300, 16 * MiB] } },
    },
  },
  {
    name: 'a container in one query only gets 0 for the other; a pod in one query only is dropped',
    answer: (q) =>
      isNode(q)
        ? []
        : isCpu(q)
          ? [sample(pod('shop', 'a', 'app'), 0.1, T), sample(pod('shop', 'b', 'app'), 0.1, T)]
          : [sample(pod('shop', 'a', 'init'), MiB, T), sample(pod('shop', 'c', 'app'), MiB, T)],
    nodes: {},
    pods: { 'shop/a': { timestampMs: T, containers: { app: [100, 0], init: [0, MiB] } } },
    dropped: { missing_memory: 1, missing_cpu: 1 },
  },
  {
    name: 'NaN dropped and counted, negative served as 0, unattributable series dropped',
    answer: (q) =>
      isNode(q)
        ? isCpu(q)
          ? [sample({ node: 'n1' }, -0.5, T), sample({ instance: 'x' }, 1, T)]
          : [sample({ node: 'n1' }, NaN, T), sample({ node: 'n1' }, MiB, T)]
        : [],
    nodes: { n1: { cpu: '0', memory: MiB, timestampMs: T } },
    pods: {},
    dropped: { non_finite_value: 1, missing_labels: 1 },
  },
  {
    name: 'a failed query fails its half only',
    answer: (q) =>
      isNode(q) && !isCpu(q)
        ? new PrometheusError('timeout', 'query timed out')
        : isNode(q)
          ? [sample({ node: 'n1' }, 1, T)]
          : [sample(pod('shop', 'a', 'app'), MiB, T)],
    nodes: {},
    pods: { 'shop/a': { timestampMs: T, containers: { app: [1_048_576_000, MiB] } } },
    failures: { timeout: 1 },
  },
];

describe('resource collection: one cycle into the rated store', () => {
  it.each(collectCases)('$name', async (c) => {
    const time = new FakeTime(T);
    const store = new RatedResourceStore({ now: () => time.now(), maxAgeMs: 60_000 });
    const fake = new FakePrometheus(c.answer);
    const collector = new PrometheusResourceCollector({
      api: fake,
      rules: rulesOf(resourceRulesCases[0]!),
      sink: store,
      periodMs: 15_000,
      clock: time,
      sleep: time.sleep,
      logger: createLogger({ stream: { write: () => true } }),
      metrics: createSelfMetrics(),
    });
    const report = await collector.collectNow();
    expect(fake.queries).toHaveLength(4);
    expect(new Set(fake.queries.map((q) => q.timeMs))).toEqual(new Set([T]));
    expect(report.dropped).toEqual(c.dropped ?? {});
    expect(report.failures).toEqual(c.failures ?? {});
    const nodes = Object.fromEntries(
      store.getNodeMetrics().map((n) => [
        n.name,
        {
          cpu: String(n.usage.cpuNanoCores / 1e6),
          memory: n.usage.memoryBytes,
          timestampMs: n.timestampMs,
        },
      ]),
    );
    expect(nodes).toEqual(c.nodes);
    const pods = Object.fromEntries(
      store.getPodMetrics(undefined).map((p) => {
        expect(p.windowMs).toBe(300_000);
        return [
          `${p.namespace}/${p.name}`,
          {
            timestampMs: p.timestampMs,
            containers: Object.fromEntries(
              p.containers.map((x) => [x.name, [x.usage.cpuNanoCores / 1e6, x.usage.memoryBytes]]),
            ),
          },
        ];
      }),
    );
    expect(pods).toEqual(c.pods);
  });

  it('keeps the half whose query failed from the previous cycle until it is stale', async () => {
    const time = new FakeTime(T);
    const store = new RatedResourceStore({ now: () => time.now(), maxAgeMs: 45_000 });
    let failNodes = false;
    const fake = new FakePrometheus((q) =>
      isNode(q)
        ? failNodes
          ? new PrometheusError('http_503', 'unavailable')
          : [sample({ node: 'n1' }, 1, time.now())]
        : [sample(pod('shop', 'a', 'app'), 1, time.now())],
    );
    const collector = new PrometheusResourceCollector({
      api: fake,
      rules: rulesOf(resourceRulesCases[0]!),
      sink: store,
      periodMs: 15_000,
      clock: time,
      sleep: time.sleep,
      logger: createLogger({ stream: { write: () => true } }),
      metrics: createSelfMetrics(),
    });
    await collector.collectNow();
    failNodes = true;
    await time.advance(30_000);
    await collector.collectNow();
    expect(store.getNodeMetrics().map((n) => n.timestampMs)).toEqual([T]);
    expect(store.getPodMetrics('shop').map((p) => p.timestampMs)).toEqual([T + 30_000]);
    await time.advance(30_000);
    await collector.collectNow();
    expect(store.getNodeMetrics()).toEqual([]);
    expect(collector.health.check()).toEqual({ ok: true });
  });
});
