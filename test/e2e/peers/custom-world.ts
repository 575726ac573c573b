/**
 * The world of the custom and external metrics parity test: generated series on an exporter that
 * one real Prometheus scrapes, one prometheus-adapter rules file for both peers, the Kubernetes
 * objects the series describe, and the generated request set (every metric × object × selector,
 * both custom-metrics versions, the external API, and requests that must 404).
 * @module
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { ControlPlane } from '../control-plane.js';
import { waitFor } from '../harness/wait.js';

export const NAMESPACES = ['cm-a', 'cm-b'] as const;
/** Pods by namespace: name → app label. `lonely` has no series at all. */
export const PODS: Record<string, Record<string, string>> = {
  'cm-a': { 'web-0': 'web', 'web-1': 'web', 'web-2': 'web', 'db-0': 'db', lonely: 'lonely' },
  'cm-b': { 'web-0': 'web', 'db-0': 'db' },
};
export const SERVICES: Record<string, Record<string, string>> = {
  'cm-a': { frontend: 'edge', backend: 'core' },
  'cm-b': { frontend: 'edge' },
};
export const DEPLOYMENTS: Record<string, string[]> = { 'cm-a': ['api', 'worker'], 'cm-b': ['api'] };
export const NODES: Record<string, string> = { 'cm-node-1': 'r1', 'cm-node-2': 'r2' };
const QUEUES = ['q1', 'q2'];
const PATHS = ['a', 'b'];
const TOPICS = ['t1', 't2', 't3'];

const t0 = Date.now();
/** A value per key, distinct and with fractional milli parts to exercise the quantity format. */
function gauge(i: number): number {
  return (
    [2.5, 0.0015, 1234.5678, 7, 0.25, 99.999, 3.0004, 42, 1e-4, 12.5][i % 10]! + Math.floor(i / 10)
  );
}

/** The exporter's body: every series, counters growing at a constant, distinct rate. */
export function renderSeries(): string {
  const lines: string[] = [];
  let i = 0;
  const elapsedS = (Date.now() - t0) / 1000;
  lines.push('# TYPE http_requests_total counter');
  for (const [ns, pods] of Object.entries(PODS))
    for (const pod of Object.keys(pods)) {
      if (pod === 'lonely') continue;
      for (const path of PATHS) {
        const ratePerS = 0.5 + (i++ % 7) * 0.75;
        lines.push(
          `http_requests_total{namespace="${ns}",pod="${pod}",path="${path}"} ${1000 + ratePerS * elapsedS}`,
        );
      }
    }
  lines.push('# TYPE queue_length gauge');
  for (const [ns, pods] of Object.entries(PODS))
    for (const pod of Object.keys(pods)) {
      if (pod === 'lonely') continue;
      for (const queue of QUEUES)
        lines.push(`queue_length{namespace="${ns}",pod="${pod}",queue="${queue}"} ${gauge(i++)}`);
    }
  lines.push('# TYPE broken_ratio gauge');
  lines.push('broken_ratio{namespace="cm-a",pod="web-0"} NaN');
  lines.push('broken_ratio{namespace="cm-a",pod="web-1"} 0.5');
  // ±Inf beside NaN: their namespace's sum is NaN (+Inf + -Inf).
  lines.push('broken_ratio{namespace="cm-b",pod="web-0"} +Inf');
  lines.push('broken_ratio{namespace="cm-b",pod="db-0"} -Inf');
  // The scrape's own time: a value read from Prometheus tells when its sample was taken.
  lines.push('# TYPE sample_clock_seconds gauge');
  lines.push(
    `sample_clock_seconds{namespace="cm-a",pod="web-1"} ${(Date.now() / 1000).toFixed(3)}`,
  );
  lines.push('# TYPE jobs_running gauge');
  for (const [ns, pods] of Object.entries(PODS))
    for (const pod of Object.keys(pods))
      if (pod !== 'lonely')
        lines.push(`jobs_running{namespace="${ns}",pod="${pod}"} ${(i++ % 5) + 1}`);
  lines.push('# TYPE service_latency_seconds gauge');
  for (const [ns, services] of Object.entries(SERVICES))
    for (const svc of Object.keys(services))
      lines.push(`service_latency_seconds{namespace="${ns}",service="${svc}"} ${gauge(i++)}`);
  lines.push('# TYPE deployment_backlog gauge');
  for (const [ns, deployments] of Object.entries(DEPLOYMENTS))
    for (const d of deployments)
      lines.push(`deployment_backlog{namespace="${ns}",deployment="${d}"} ${gauge(i++)}`);
  lines.push('# TYPE namespace_budget gauge');
  for (const ns of NAMESPACES) lines.push(`namespace_budget{namespace="${ns}"} ${gauge(i++)}`);
  lines.push('# TYPE node_temperature_celsius gauge');
  for (const node of Object.keys(NODES))
    lines.push(`node_temperature_celsius{node="${node}"} ${gauge(i++)}`);
  lines.push('# TYPE queue_messages_ready gauge');
  lines.push(
    `queue_messages_ready{queue="jobs"} 17`,
    `queue_messages_ready{queue="other"} 0.375`,
    `queue_messages_ready{queue="idle"} 0`,
  );
  lines.push('# TYPE topic_lag gauge');
  for (const ns of NAMESPACES)
    for (const topic of TOPICS)
      lines.push(`topic_lag{namespace="${ns}",topic="${topic}"} ${gauge(i++)}`);
  return `${lines.join('\n')}\n`;
}

const sumBy = 'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)';
const podResources = {
  overrides: { namespace: { resource: 'namespace' }, pod: { resource: 'pod' } },
};

/** The prometheus-adapter config both peers read. */
export const RULES = {
  rules: [
    {
      seriesQuery: 'http_requests_total{namespace!="",pod!=""}',
      resources: podResources,
      name: { matches: '^(.*)_total$', as: '${1}_per_second' },
      metricsQuery: 'sum(rate(<<.Series>>{<<.LabelMatchers>>}[30s])) by (<<.GroupBy>>)',
    },
    {
      seriesQuery: 'queue_length{namespace!="",pod!=""}',
      resources: podResources,
      metricsQuery: sumBy,
    },
    {
      seriesQuery: 'broken_ratio{namespace!="",pod!=""}',
      resources: podResources,
      metricsQuery: sumBy,
    },
    {
      seriesQuery: 'sample_clock_seconds{namespace!="",pod!=""}',
      resources: podResources,
      metricsQuery: 'max(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)',
    },
    {
      seriesQuery: 'jobs_running{namespace!="",pod!=""}',
      resources: { template: '<<.Resource>>' },
      metricsQuery: sumBy,
    },
    {
      seriesQuery: 'service_latency_seconds{namespace!="",service!=""}',
      resources: {
        overrides: { namespace: { resource: 'namespace' }, service: { resource: 'service' } },
      },
      metricsQuery: 'max(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)',
    },
    {
      seriesQuery: 'deployment_backlog{namespace!="",deployment!=""}',
      resources: {
        overrides: {
          namespace: { resource: 'namespace' },
          deployment: { group: 'apps', resource: 'deployment' },
        },
      },
      metricsQuery: sumBy,
    },
    {
      seriesQuery: 'namespace_budget{namespace!=""}',
      resources: { overrides: { namespace: { resource: 'namespace' } } },
      metricsQuery: sumBy,
    },
    {
      seriesQuery: 'node_temperature_celsius{node!=""}',
      resources: { overrides: { node: { resource: 'node' } } },
      name: { matches: '^node_(.*)$', as: '$1' },
      metricsQuery: 'max(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)',
    },
  ],
  externalRules: [
    {
      seriesQuery: '{__name__="queue_messages_ready",queue!=""}',
      resources: { namespaced: false },
      name: { matches: '^queue_messages_ready$', as: 'queue_depth' },
      metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (queue)',
    },
    {
      seriesQuery: 'topic_lag{namespace!="",topic!=""}',
      resources: { overrides: { namespace: { resource: 'namespace' } } },
      metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (topic)',
    },
  ],
};

/** Writes the rules file (or `rules`, under `name`) into the cluster directory. */
export function writeRules(cluster: ControlPlane, rules: unknown = RULES, name = 'parity'): string {
  const file = join(cluster.dir, `${name}-rules.yaml`);
  writeFileSync(file, stringify(rules));
  return file;
}

/** One pod rule as the world writes them, with `extra` merged in. */
function podRule(seriesQuery: string, extra: Record<string, unknown> = {}): unknown {
  return { seriesQuery, resources: podResources, metricsQuery: sumBy, ...extra };
}

/**
 * Configs both peers are started with once, for the intended differences at start-up: rules whose
 * series do not exist (no metric to list yet), a template naming a field that does not exist (Go
 * parses it and fails only when executing it), and an unknown key.
 */
export const STARTUP_RULES = {
  noMetrics: { rules: [podRule('parity_absent_series{namespace!="",pod!=""}')] },
  badTemplateField: {
    rules: [
      podRule('queue_length{namespace!="",pod!=""}', {
        metricsQuery: 'sum(<<.Seires>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)',
      }),
    ],
  },
  unknownKey: {
    rules: [podRule('queue_length{namespace!="",pod!=""}', { metricsQuerry: sumBy })],
  },
};

/** Namespaces, pods (never scheduled: no kubelet), services, scaled-to-zero deployments, nodes. */
export async function createObjects(cluster: ControlPlane): Promise<void> {
  const { kube } = cluster;
  await kube.apply(
    NAMESPACES.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })),
  );
  await Promise.all(
    NAMESPACES.map((ns) =>
      waitFor(
        `the ${ns} default ServiceAccount`,
        async () =>
          (await kube.run(['get', 'serviceaccount', 'default', '-n', ns])).code === 0
            ? true
            : undefined,
        { timeoutMs: 60_000 },
      ),
    ),
  );
  const objects: unknown[] = [];
  for (const [name, rack] of Object.entries(NODES))
    objects.push({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { rack } } });
  for (const [ns, pods] of Object.entries(PODS))
    for (const [name, app] of Object.entries(pods))
      objects.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: ns, labels: { app } },
        spec: {
          automountServiceAccountToken: false,
          nodeSelector: { 'parity.invalid/never': 'true' },
          containers: [{ name: 'app', image: 'registry.invalid/app:1' }],
        },
      });
  for (const [ns, services] of Object.entries(SERVICES))
    for (const [name, tier] of Object.entries(services))
      objects.push({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name, namespace: ns, labels: { tier } },
        spec: { ports: [{ port: 80 }], selector: { app: name } },
      });
  for (const [ns, deployments] of Object.entries(DEPLOYMENTS))
    for (const name of deployments)
      objects.push({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, namespace: ns, labels: { team: name === 'api' ? 'x' : 'z' } },
        spec: {
          replicas: 0,
          selector: { matchLabels: { deploy: name } },
          template: {
            metadata: { labels: { deploy: name } },
            spec: { containers: [{ name: 'app', image: 'registry.invalid/app:1' }] },
          },
        },
      });
  await kube.apply(objects);
}

/** How a metric's values compare: gauges exactly (the served string), rates within 1%. */
export type ValueKind = 'exact' | 'rate';

export interface ParityRequest {
  name: string;
  path: string;
  kind: ValueKind;
  /** The request names a NaN series (README: NaN dropped instead of served as 0). */
  nan?: boolean;
  /**
   * The metricLabelSelector has `!=`, which prometheus-adapter fails with 500 when writing it back
   * as a LabelSelector; scaleplane's answer must equal the adapter's for this `notin` twin.
   */
  notEqualsTwin?: string;
}

const enc = encodeURIComponent;
const podSelectors = ['', 'app=web', 'app in (web,db)', 'app!=web', 'app=nothing', 'app=lonely'];

/** Every request both peers answer, generated from the world above. */
export function requests(): ParityRequest[] {
  const out: ParityRequest[] = [];
  const add = (name: string, path: string, kind: ValueKind = 'exact', nan = false): void => {
    const twin = /metricLabelSelector=([a-z]+)!%3D([a-z0-9]+)/.exec(path);
    out.push({
      name,
      path,
      kind,
      ...(nan ? { nan } : {}),
      ...(twin
        ? {
            notEqualsTwin: path.replace(
              twin[0],
              `metricLabelSelector=${enc(`${twin[1]} notin (${twin[2]})`)}`,
            ),
          }
        : {}),
    });
  };
  const q = (params: Record<string, string>): string => {
    const s = Object.entries(params)
      .filter(([, v]) => v !== '')
      .map(([k, v]) => `${k}=${enc(v)}`)
      .join('&');
    return s ? `?${s}` : '';
  };
  for (const version of ['v1beta1', 'v1beta2']) {
    const base = `/apis/custom.metrics.k8s.io/${version}`;
    const podMetrics: [string, ValueKind, string[]][] = [
      ['http_requests_per_second', 'rate', ['', 'path=a', 'path in (a,b)', 'path=zzz']],
      ['queue_length', 'exact', ['', 'queue=q1', 'queue!=q1']],
      ['jobs_running', 'exact', ['']],
      ['broken_ratio', 'exact', ['']],
    ];
    for (const [metric, kind, metricSelectors] of podMetrics)
      for (const ns of [...NAMESPACES, 'cm-empty']) {
        for (const sel of podSelectors)
          for (const msel of metricSelectors)
            add(
              `${version} ${metric} pods in ${ns} by selector "${sel}" metric selector "${msel}"`,
              `${base}/namespaces/${ns}/pods/*/${metric}${q({ labelSelector: sel, metricLabelSelector: msel })}`,
              kind,
              metric === 'broken_ratio',
            );
        for (const pod of [...Object.keys(PODS[ns] ?? {}), 'no-such-pod'])
          add(
            `${version} ${metric} pod ${ns}/${pod}`,
            `${base}/namespaces/${ns}/pods/${pod}/${metric}`,
            kind,
            metric === 'broken_ratio',
          );
        add(
          `${version} ${metric} for the namespace ${ns}`,
          `${base}/namespaces/${ns}/metrics/${metric}`,
          kind,
          metric === 'broken_ratio',
        );
      }
    for (const ns of NAMESPACES) {
      for (const sel of ['', 'tier=edge', 'tier=nothing'])
        add(
          `${version} services in ${ns} by "${sel}"`,
          `${base}/namespaces/${ns}/services/*/service_latency_seconds${q({ labelSelector: sel })}`,
        );
      for (const svc of [...Object.keys(SERVICES[ns] ?? {}), 'no-such-service'])
        add(
          `${version} service ${ns}/${svc}`,
          `${base}/namespaces/${ns}/services/${svc}/service_latency_seconds`,
        );
      for (const sel of ['', 'team=x'])
        add(
          `${version} deployments in ${ns} by "${sel}"`,
          `${base}/namespaces/${ns}/deployments.apps/*/deployment_backlog${q({ labelSelector: sel })}`,
        );
      for (const d of DEPLOYMENTS[ns] ?? [])
        add(
          `${version} deployment ${ns}/${d}`,
          `${base}/namespaces/${ns}/deployments.apps/${d}/deployment_backlog`,
        );
      add(
        `${version} namespace_budget of ${ns}`,
        `${base}/namespaces/${ns}/metrics/namespace_budget`,
      );
      add(`${version} unknown metric in ${ns}`, `${base}/namespaces/${ns}/pods/*/no_such_metric`);
      add(
        `${version} unknown metric by name in ${ns}`,
        `${base}/namespaces/${ns}/pods/web-0/no_such_metric`,
      );
      add(
        `${version} metric of another resource in ${ns}`,
        `${base}/namespaces/${ns}/services/*/queue_length`,
      );
      add(
        `${version} unknown resource in ${ns}`,
        `${base}/namespaces/${ns}/widgets/*/queue_length`,
      );
    }
    add(
      `${version} namespace_budget of a namespace without series`,
      `${base}/namespaces/default/metrics/namespace_budget`,
    );
    add(
      `${version} namespace_budget listed over namespaces`,
      `${base}/namespaces/*/namespace_budget`,
    );
    add(`${version} namespace_budget as a root object`, `${base}/namespaces/cm-a/namespace_budget`);
    for (const sel of ['', 'rack=r1', 'rack=none'])
      add(
        `${version} nodes by "${sel}"`,
        `${base}/nodes/*/temperature_celsius${q({ labelSelector: sel })}`,
      );
    for (const node of [...Object.keys(NODES), 'no-such-node'])
      add(`${version} node ${node}`, `${base}/nodes/${node}/temperature_celsius`);
    add(`${version} unknown root metric`, `${base}/nodes/*/no_such_metric`);
  }
  const ext = '/apis/external.metrics.k8s.io/v1beta1';
  for (const ns of ['default', 'cm-a'])
    for (const sel of ['', 'queue=jobs', 'queue in (jobs,other)', 'queue!=jobs', 'queue=none'])
      add(
        `external queue_depth in ${ns} by "${sel}"`,
        `${ext}/namespaces/${ns}/queue_depth${q({ labelSelector: sel })}`,
      );
  for (const ns of [...NAMESPACES, 'default'])
    for (const sel of ['', 'topic=t1', 'topic notin (t1)'])
      add(
        `external topic_lag in ${ns} by "${sel}"`,
        `${ext}/namespaces/${ns}/topic_lag${q({ labelSelector: sel })}`,
      );
  add('external unknown metric in default', `${ext}/namespaces/default/no_such_metric`);
  add('external unknown metric in cm-a', `${ext}/namespaces/cm-a/no_such_metric`);
  return out;
}
