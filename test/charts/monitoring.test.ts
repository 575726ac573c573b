/**
 * The chart's Grafana dashboard and PrometheusRule (issue 14, "ship what operators watch"): both
 * render only when enabled; every metric name they use is one scaleplane exports (or, for the
 * APIService alert, kube-apiserver's aggregator_unavailable_apiservice), so they cannot drift from
 * the self-metric list; the rules pass `promtool check rules`, and `promtool test rules` shows each
 * alert firing on its fault and staying quiet when healthy.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { V1ConfigMap } from '@kubernetes/client-node';
import { Registry } from 'prom-client';
import { stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { collectProcessMetrics, createSelfMetrics } from '../../src/observability/index.js';
import {
  buildTool,
  chartDir,
  ensureHelm,
  getObject,
  helmTemplate,
  ofKind,
  TOOL_BUILD_TIMEOUT_MS,
  type K8sObject,
} from '../support/helm.js';

const execFileAsync = promisify(execFile);

beforeAll(async () => {
  await ensureHelm();
}, TOOL_BUILD_TIMEOUT_MS);

interface RuleGroup {
  name: string;
  rules: { alert: string; expr: string; for?: string; labels?: Record<string, string> }[];
}
interface Dashboard {
  uid: string;
  title: string;
  panels: { type: string; title: string; targets?: { expr: string }[] }[];
  templating: { list: { name: string; query?: unknown; definition?: string }[] };
}

const enabled = { grafanaDashboard: { enabled: true }, prometheusRule: { enabled: true } };

async function render(values: unknown = enabled): Promise<K8sObject[]> {
  return helmTemplate({ values });
}

function groupsOf(objects: K8sObject[]): RuleGroup[] {
  return (getObject<K8sObject>(objects, 'PrometheusRule').spec as { groups: RuleGroup[] }).groups;
}

function dashboardOf(objects: K8sObject[]): Dashboard {
  const map = getObject<V1ConfigMap>(objects, 'ConfigMap', 'sp-scaleplane-dashboard');
  return JSON.parse(map.data!['scaleplane.json']!) as Dashboard;
}

/** Every name the running process exports, with the series names a histogram adds. */
async function exportedNames(): Promise<Set<string>> {
  const metrics = createSelfMetrics(new Registry());
  collectProcessMetrics(metrics, { version: '0.0.0' });
  const names = new Set<string>();
  for (const m of await metrics.registry.getMetricsAsJSON()) {
    names.add(m.name);
    const type = String(m.type);
    if (type === 'histogram' || type === 'summary')
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${m.name}${suffix}`);
  }
  return names;
}

/** Names from other components that alerts may use, with where they come from. */
const external = new Map([['aggregator_unavailable_apiservice', 'kube-apiserver aggregator']]);

/**
 * Metric names in a PromQL expression: what is left once strings, label matchers and grouping
 * label lists and range selectors are removed, and function calls (a name before `(`) are skipped.
 */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '{}')
    .replace(/\[[^\]]*\]/g, '[]')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const keywords = new Set(['and', 'or', 'unless', 'bool', 'offset']);
  return [...bare.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()/g)]
    .map((m) => m[1]!)
    .filter((n) => !keywords.has(n) && !/^\d/.test(n) && !/^(e|Inf|NaN)$/i.test(n))
    .filter((n, i, all) => all.indexOf(n) === i);
}

describe('monitoring objects', () => {
  it('are absent by default', async () => {
    const objects = await render({});
    expect(ofKind(objects, 'PrometheusRule')).toEqual([]);
    expect(objects.filter((o) => o.metadata.name === 'sp-scaleplane-dashboard')).toEqual([]);
  });

  it('render a dashboard ConfigMap for the Grafana sidecar and a PrometheusRule', async () => {
    const objects = await render({
      ...enabled,
      grafanaDashboard: {
        enabled: true,
        namespace: 'grafana',
        annotations: { grafana_folder: 'k8s' },
      },
      prometheusRule: {
        enabled: true,
        additionalLabels: { release: 'kps' },
        alertLabels: { team: 'platform' },
      },
    });
    const map = getObject<V1ConfigMap>(objects, 'ConfigMap', 'sp-scaleplane-dashboard');
    expect(map.metadata).toMatchObject({
      namespace: 'grafana',
      labels: { grafana_dashboard: '1' },
      annotations: { grafana_folder: 'k8s' },
    });
    const dashboard = dashboardOf(objects);
    expect(dashboard).toMatchObject({ uid: 'scaleplane', title: 'scaleplane' });
    expect(dashboard.templating.list.map((v) => v.name)).toEqual([
      'datasource',
      'namespace',
      'job',
    ]);
    const rule = getObject<K8sObject>(objects, 'PrometheusRule');
    expect(rule.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(rule.metadata).toMatchObject({ namespace: 'monitoring', labels: { release: 'kps' } });
    const alerts = groupsOf(objects).flatMap((g) => g.rules);
    expect(alerts.map((a) => a.alert)).toEqual([
      'ScaleplaneScrapeFailures',
      'ScaleplaneCollectionStale',
      'ScaleplanePrometheusDown',
      'ScaleplaneAPIServiceUnavailable',
      'ScaleplaneAPIErrors',
      'ScaleplaneAPILatencyHigh',
      'ScaleplaneHPADisagreement',
    ]);
    for (const a of alerts) expect(a.labels).toMatchObject({ team: 'platform' });
  });

  it('the APIService alert names exactly the APIServices the release serves', async () => {
    const objects = await render({
      ...enabled,
      apiServices: { metrics: { enabled: false }, custom: { versions: ['v1beta2'] } },
    });
    const expr = groupsOf(objects)
      .flatMap((g) => g.rules)
      .find((r) => r.alert === 'ScaleplaneAPIServiceUnavailable')!.expr;
    expect(expr).toContain(
      'name=~"v1beta2\\\\.custom\\\\.metrics\\\\.k8s\\\\.io|v1beta1\\\\.external\\\\.metrics\\\\.k8s\\\\.io"',
    );
  });

  it('the selector and thresholds come from the values', async () => {
    const objects = await render({
      ...enabled,
      prometheusRule: {
        enabled: true,
        selector: 'job="scaleplane",cluster="a"',
        collectionStaleSeconds: 120,
        apiLatencySeconds: 0.5,
        disagreementFor: '1h',
      },
    });
    const rules = new Map(groupsOf(objects).flatMap((g) => g.rules.map((r) => [r.alert, r])));
    expect(rules.get('ScaleplaneCollectionStale')!.expr).toBe(
      'time() - max by (namespace, pod, source) (scaleplane_last_successful_cycle_timestamp_seconds{job="scaleplane",cluster="a"}) > 120',
    );
    expect(rules.get('ScaleplaneAPILatencyHigh')!.expr).toMatch(/\) > 0\.5$/);
    expect(rules.get('ScaleplaneHPADisagreement')!.for).toBe('1h');
  });
});

describe('monitoring objects use only metrics that exist', () => {
  it('every metric in the dashboard and the rules is exported (or named as external)', async () => {
    const objects = await render();
    const exported = await exportedNames();
    const used = new Map<string, string>();
    const dashboard = dashboardOf(objects);
    for (const panel of dashboard.panels)
      for (const t of panel.targets ?? [])
        for (const n of metricNames(t.expr)) used.set(n, `dashboard panel "${panel.title}"`);
    for (const v of dashboard.templating.list) {
      // label_values(series, label): the label is not a metric.
      const series = (v.definition ?? '').replace(/,\s*[a-zA-Z_]\w*\s*\)\s*$/, ')');
      for (const n of metricNames(series)) used.set(n, `dashboard variable ${v.name}`);
    }
    for (const rule of groupsOf(objects).flatMap((g) => g.rules))
      for (const n of metricNames(rule.expr)) used.set(n, `alert ${rule.alert}`);
    const unknown = [...used].filter(([n]) => !exported.has(n) && !external.has(n));
    expect(unknown, 'metrics used but not exported').toEqual([]);
    expect(used.size).toBeGreaterThan(20);
  });

  it('the dashboard shows every scaleplane self-metric', async () => {
    const dashboard = dashboardOf(await render());
    const text = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)).join('\n');
    const own = [...(await exportedNames())].filter(
      (n) => n.startsWith('scaleplane_') && !/_(bucket|sum|count)$/.test(n),
    );
    expect(own.filter((n) => !text.includes(n))).toEqual([]);
  });

  it('the name extraction finds names and ignores functions, labels and strings', () => {
    expect(
      metricNames(
        'histogram_quantile(0.99, sum by (group, le) (rate(a_b_bucket{job="x_y"}[5m]))) > 1 and on (pod) up_down or count by (version) (c)',
      ),
    ).toEqual(['a_b_bucket', 'up_down', 'c']);
  });
});

describe('promtool', () => {
  let dir: string;
  let promtool: string;
  beforeAll(async () => {
    // Built beside the pinned Prometheus by test/tools/build-tools.sh: no system package needed.
    promtool = await buildTool('prometheus', 'promtool');
    dir = mkdtempSync(join(tmpdir(), 'scaleplane-rules-'));
    writeFileSync(join(dir, 'rules.yaml'), stringify({ groups: groupsOf(await render()) }));
  }, TOOL_BUILD_TIMEOUT_MS);

  it('check rules accepts the rendered rules', async () => {
    const { stdout } = await execFileAsync(promtool, ['check', 'rules', join(dir, 'rules.yaml')]);
    expect(stdout).toMatch(/SUCCESS: 7 rules found/);
  });

  it('test rules: each alert fires on its fault and not when healthy', async () => {
    const tests = readFileSync(
      join(chartDir, '..', '..', 'test', 'charts', 'testdata', 'alerts.test.yaml'),
      'utf8',
    );
    writeFileSync(join(dir, 'alerts.test.yaml'), tests);
    const result = await execFileAsync(promtool, [
      'test',
      'rules',
      join(dir, 'alerts.test.yaml'),
    ]).then(
      (r) => ({ code: 0, out: r.stdout + r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({
        code: e.code,
        out: e.stdout + e.stderr,
      }),
    );
    expect(result.out).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });
});
