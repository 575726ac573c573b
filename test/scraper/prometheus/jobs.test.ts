import { describe, expect, it } from 'vitest';
import { parseRulesConfig } from '../../../src/config/index.js';
import { parseSelector } from '../../../src/k8s/index.js';
import { customKey, externalKey } from '../../../src/store/index.js';
import type { QueryResult } from '../../../scraper/prometheus/decode.js';
import { discover, type CollectionPlan } from '../../../scraper/prometheus/discovery.js';
import { PrometheusError } from '../../../scraper/prometheus/errors.js';
import { planJobs } from '../../../scraper/prometheus/jobs.js';
import { namersFromRules } from '../../../scraper/prometheus/naming.js';
import { ResourceCatalog } from '../../../scraper/prometheus/resources.js';
import { runJobs } from '../../../scraper/prometheus/run-jobs.js';
import { FakePrometheus, sample } from './fake-prometheus.js';

const rules = parseRulesConfig(`
rules:
- seriesQuery: '{__name__=~"^(a|b)_total$",namespace!=""}'
  resources: {overrides: {pod: {resource: pod}}}
  name: {matches: ^(.*)_total$}
  metricsQuery: sum(rate(<<.Series>>{<<.LabelMatchers>>}[1m])) by (<<.GroupBy>>)
- seriesQuery: '{__name__=~"^(a|b)_total$",namespace!=""}'
  resources: {template: <<.Resource>>}
  name: {matches: ^(.*)_total$, as: "\${1}_rate"}
  metricsQuery: sum(rate(<<.Series>>{<<.LabelMatchers>>}[1m])) by (<<.GroupBy>>)
externalRules:
- seriesQuery: 'q{queue!=""}'
  resources: {template: <<.Resource>>}
  metricsQuery: sum(<<.Series>>{<<.LabelMatchers>>}) by (queue)
- seriesQuery: 'g'
  resources: {namespaced: false}
  metricsQuery: sum(<<.Series>>{<<.LabelMatchers>>})
`).config!;
const catalog = new ResourceCatalog();
const custom = namersFromRules(rules.rules, 'custom', catalog);
const external = namersFromRules(rules.externalRules, 'external', catalog);

async function planFor(fake: FakePrometheus): Promise<CollectionPlan> {
  return (
    await discover({
      api: fake,
      custom,
      external,
      catalog,
      maxAgeMs: 1000,
      nowMs: 5000,
      previous: new Map(),
    })
  ).plan;
}

function fixture(): FakePrometheus {
  const fake = new FakePrometheus();
  fake.seriesByQuery.set(rules.rules[0]!.seriesQuery, [
    { __name__: 'a_total', namespace: 'x', pod: 'p' },
  ]);
  fake.seriesByQuery.set('q{queue!=""}', [
    { __name__: 'q', namespace: 'x', queue: '1' },
    { __name__: 'q', namespace: 'y', queue: '1' },
  ]);
  fake.seriesByQuery.set('g', [{ __name__: 'g' }]);
  return fake;
}

describe('discover', () => {
  it('sends each distinct seriesQuery once, looking back maxAge', async () => {
    const fake = fixture();
    const r = await discover({
      api: fake,
      custom,
      external,
      catalog,
      maxAgeMs: 1000,
      nowMs: 5000,
      previous: new Map(),
    });
    expect(fake.seriesCalls).toEqual([
      { matchers: [rules.rules[0]!.seriesQuery], startMs: 4000 },
      { matchers: ['q{queue!=""}'], startMs: 4000 },
      { matchers: ['g'], startMs: 4000 },
    ]);
    expect(r.complete).toBe(true);
    expect([...r.plan.custom.keys()].sort()).toEqual([
      'namespaces/a_rate',
      'pods/a',
      'pods/a_rate',
    ]);
  });

  it('keeps the previous series of a selector that failed, and says the relist is incomplete without them', async () => {
    const fake = fixture();
    const first = await discover({
      api: fake,
      custom,
      external,
      catalog,
      maxAgeMs: 1000,
      nowMs: 5000,
      previous: new Map(),
    });
    fake.seriesByQuery.set('g', new PrometheusError('timeout', 'slow'));
    const again = await discover({
      api: fake,
      custom,
      external,
      catalog,
      maxAgeMs: 1000,
      nowMs: 6000,
      previous: first.seriesByQuery,
    });
    expect(again.complete).toBe(true);
    expect(again.plan.external.has('g')).toBe(true);
    expect(again.outcomes.find((o) => o.seriesQuery === 'g')?.error?.reason).toBe('timeout');
    const cold = await discover({
      api: fake,
      custom,
      external,
      catalog,
      maxAgeMs: 1000,
      nowMs: 6000,
      previous: new Map(),
    });
    expect(cold.complete).toBe(false);
    expect(cold.plan.external.has('g')).toBe(false);
  });
});

describe('planJobs', () => {
  it('plans one job per custom metric, per namespace seen for namespaced external rules, one for the rest', async () => {
    const jobs = planJobs(await planFor(fixture()), { custom: [], external: [] });
    // pods/a: its rule maps no label to namespaces, so (as upstream) no namespaced query can be built.
    expect(
      jobs
        .map((j) => [j.subject, j.query instanceof PrometheusError ? j.query.reason : j.query])
        .sort(),
    ).toEqual([
      ['custom namespaces/a_rate', 'sum(rate(a_total{namespace=~".+"}[1m])) by (namespace)'],
      ['custom pods/a', 'query_build'],
      [
        'custom pods/a_rate',
        'sum(rate(a_total{namespace=~".+",pod=~".+"}[1m])) by (pod,namespace)',
      ],
      ['external g', 'sum(g{})'],
      ['external q in x', 'sum(q{namespace="x"}) by (queue)'],
      ['external q in y', 'sum(q{namespace="y"}) by (queue)'],
    ]);
  });

  it('adds jobs for selectors of interest, keyed by selector', async () => {
    const plan = await planFor(fixture());
    const info = plan.custom.get('pods/a_rate')!.info;
    const jobs = planJobs(plan, {
      custom: [
        { info, selector: parseSelector('verb=GET') },
        { info: { ...info, metric: 'gone' }, selector: parseSelector('verb=GET') },
      ],
      external: [
        { namespace: 'x', metric: 'q', selector: parseSelector('env=prod') },
        { namespace: 'z', metric: 'g', selector: parseSelector('env=prod') },
      ],
    });
    const extra = jobs.slice(6);
    expect(extra.map((j) => [j.key, j.query])).toEqual([
      [
        customKey(info, 'verb=GET'),
        'sum(rate(a_total{verb="GET",namespace=~".+",pod=~".+"}[1m])) by (pod,namespace)',
      ],
      [externalKey('q', 'x', 'env=prod'), 'sum(q{env="prod",namespace="x"}) by (queue)'],
      [externalKey('g', undefined, 'env=prod'), 'sum(g{env="prod"})'],
    ]);
  });
});

describe('runJobs', () => {
  it('sends each distinct query once, bounded in concurrency, and fails jobs one by one', async () => {
    const plan = await planFor(fixture());
    let inFlight = 0;
    let peak = 0;
    const fake = fixture();
    const api = {
      series: fake.series.bind(fake),
      async query(promql: string, timeMs?: number): Promise<QueryResult> {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        if (promql.includes('namespace="y"'))
          throw new PrometheusError('prometheus_execution', 'boom');
        return fake.query(promql, timeMs);
      },
    };
    fake.answer = (promql) => (promql.startsWith('sum(q') ? [sample({ queue: '1' }, 1)] : []);
    const jobs = planJobs(plan, { custom: [], external: [] });
    const out = await runJobs([...jobs, ...jobs], { api, timeMs: 1, concurrency: 2 });
    expect(peak).toBe(2);
    expect(out.requests).toEqual({ success: 4, error: 1 });
    expect(out.failures.map((f) => [f.job.subject, f.error.reason])).toEqual([
      ['custom pods/a', 'query_build'],
      ['external q in y', 'prometheus_execution'],
      ['custom pods/a', 'query_build'],
      ['external q in y', 'prometheus_execution'],
    ]);
    expect(
      out.external.map((e) => `${e.metric} ${e.namespace} ${e.samples.length}`).sort(),
    ).toEqual(['g undefined 0', 'g undefined 0', 'q x 1', 'q x 1']);
  });
});
