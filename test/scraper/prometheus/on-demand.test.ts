import { describe, expect, it } from 'vitest';
import { parseRulesConfig } from '../../../src/config/index.js';
import { everything, parseSelector, StatusError } from '../../../src/k8s/index.js';
import { createSelfMetrics } from '../../../src/observability/index.js';
import type { CollectionPlan } from '../../../scraper/prometheus/discovery.js';
import { PrometheusError } from '../../../scraper/prometheus/errors.js';
import {
  namersFromRules,
  planCustomMetrics,
  planExternalMetrics,
} from '../../../scraper/prometheus/naming.js';
import { OnDemandSelectorSource } from '../../../scraper/prometheus/on-demand.js';
import { ResourceCatalog } from '../../../scraper/prometheus/resources.js';
import { FakeTime } from '../../support/fake-time.js';
import { FakePrometheus, sample } from './fake-prometheus.js';

const rules = parseRulesConfig(`
rules:
- seriesQuery: 'http_requests_total{namespace!="",pod!=""}'
  resources: {template: <<.Resource>>}
  name: {matches: ^(.*)_total$}
  metricsQuery: sum(rate(<<.Series>>{<<.LabelMatchers>>}[1m])) by (<<.GroupBy>>)
externalRules:
- seriesQuery: 'queue_depth{queue!=""}'
  resources: {template: <<.Resource>>}
  metricsQuery: sum(<<.Series>>{<<.LabelMatchers>>}) by (queue)
`).config!;

const catalog = new ResourceCatalog();
const custom = namersFromRules(rules.rules, 'custom', catalog);
const external = namersFromRules(rules.externalRules, 'external', catalog);
const plan: CollectionPlan = {
  custom: planCustomMetrics(
    custom,
    [[{ __name__: 'http_requests_total', namespace: 'shop', pod: 'web-1' }]],
    catalog,
  ),
  external: planExternalMetrics(external, [
    [{ __name__: 'queue_depth', namespace: 'shop', queue: 'orders' }],
  ]),
};
const pods = {
  groupResource: { group: '', resource: 'pods' },
  metric: 'http_requests',
  namespaced: true,
};

function source(
  time: FakeTime,
  fake: FakePrometheus,
  extra: { maxInterests?: number } = {},
): OnDemandSelectorSource {
  return new OnDemandSelectorSource({
    api: fake,
    plan: () => plan,
    clock: time,
    metrics: createSelfMetrics(),
    cacheTtlMs: 1000,
    interestTtlMs: 60_000,
    ...extra,
  });
}

describe('OnDemandSelectorSource', () => {
  it('sends the query prometheus-adapter would send for the request and keeps only asked names', async () => {
    const time = new FakeTime();
    const fake = new FakePrometheus(() => [
      sample({ pod: 'web-1' }, 2),
      sample({ pod: 'web-3' }, 3),
    ]);
    const s = source(time, fake);
    const got = await s.custom(
      pods,
      'shop',
      ['web-1', 'web-2'],
      parseSelector('verb in (GET,PUT)'),
    );
    expect(fake.queries.map((x) => x.promql)).toEqual([
      'sum(rate(http_requests_total{verb=~"GET|PUT",namespace="shop",pod=~"web-1|web-2"}[1m])) by (pod)',
    ]);
    expect(got.map((g) => [g.namespace, g.name, g.value])).toEqual([['shop', 'web-1', 2]]);
  });

  it('sends nothing for an empty name list or an unknown metric', async () => {
    const fake = new FakePrometheus();
    const s = source(new FakeTime(), fake);
    expect(await s.custom(pods, 'shop', [], parseSelector('a=b'))).toEqual([]);
    expect(
      await s.custom({ ...pods, metric: 'nope' }, 'shop', ['x'], parseSelector('a=b')),
    ).toEqual([]);
    expect(await s.external('shop', 'nope', parseSelector('a=b'))).toEqual([]);
    expect(fake.queries).toEqual([]);
  });

  it('reuses an answer within the cache TTL, merges identical requests, and asks again after', async () => {
    const time = new FakeTime();
    const fake = new FakePrometheus(() => [sample({ queue: 'orders' }, 5)]);
    const s = source(time, fake);
    const sel = parseSelector('env=prod');
    await Promise.all([
      s.external('shop', 'queue_depth', sel),
      s.external('shop', 'queue_depth', sel),
    ]);
    await time.advance(500);
    await s.external('shop', 'queue_depth', sel);
    expect(fake.queries.map((x) => x.promql)).toEqual([
      'sum(queue_depth{env="prod",namespace="shop"}) by (queue)',
    ]);
    await time.advance(600);
    await s.external('shop', 'queue_depth', sel);
    expect(fake.queries).toHaveLength(2);
  });

  it('does not cache failures', async () => {
    const time = new FakeTime();
    let fail = true;
    const fake = new FakePrometheus(() =>
      fail ? new PrometheusError('http_503', 'down') : [sample({ queue: 'orders' }, 5)],
    );
    const s = source(time, fake);
    await expect(s.external('shop', 'queue_depth', parseSelector('env=prod'))).rejects.toThrow(
      PrometheusError,
    );
    fail = false;
    expect(
      (await s.external('shop', 'queue_depth', parseSelector('env=prod'))).map((x) => x.value),
    ).toEqual([5]);
  });

  it('remembers asked selectors for the cycle, lets them lapse, and keeps the most recent when full', async () => {
    const time = new FakeTime();
    const s = source(time, new FakePrometheus(), { maxInterests: 2 });
    await s.custom(pods, 'shop', ['a'], parseSelector('verb=GET'));
    await s.external('shop', 'queue_depth', parseSelector('env=prod'));
    await s.external('other', 'queue_depth', parseSelector('env=prod'));
    const active = s.activeInterest();
    expect(active.custom).toEqual([]);
    expect(active.external.map((e) => e.namespace)).toEqual(['shop', 'other']);
    await time.advance(60_001);
    expect(s.activeInterest()).toEqual({ custom: [], external: [] });
  });
});

describe('OnDemandSelectorSource: external metrics in a namespace no series carried', () => {
  const config = parseRulesConfig(`
externalRules:
- seriesQuery: '{__name__="queue_messages_ready",queue!=""}'
  resources: {overrides: {namespace: {resource: namespace}}}
  name: {as: queue_depth}
  metricsQuery: sum(<<.Series>>{queue=~"<<index .LabelValuesByName "queue">>"}) by (queue)
- seriesQuery: '{__name__="backlog",queue!=""}'
  metricsQuery: sum(<<.Series>>{<<.LabelMatchers>>}) by (queue)
`).config!;
  const namers = namersFromRules(config.externalRules, 'external', catalog);
  const series = [
    [{ __name__: 'queue_messages_ready', queue: 'jobs' }],
    [{ __name__: 'backlog', queue: 'jobs' }],
  ];
  const externalPlan: CollectionPlan = {
    custom: new Map(),
    external: planExternalMetrics(namers, series),
  };
  const make = (fake: FakePrometheus) =>
    new OnDemandSelectorSource({
      api: fake,
      plan: () => externalPlan,
      clock: new FakeTime(),
      metrics: createSelfMetrics(),
    });

  it('runs the query prometheus-adapter runs for that namespace and remembers it for the cycles', async () => {
    const fake = new FakePrometheus(() => [sample({ queue: 'jobs' }, 30)]);
    const s = make(fake);
    const got = await s.external('e2e', 'queue_depth', parseSelector('queue=jobs'));
    expect(got.map((g) => [g.labels, g.value])).toEqual([[{ queue: 'jobs' }, 30]]);
    expect(fake.queries.map((q) => q.promql)).toEqual([
      'sum(queue_messages_ready{queue=~"jobs"}) by (queue)',
    ]);
    expect(s.activeInterest().external).toEqual([
      { namespace: 'e2e', metric: 'queue_depth', selector: parseSelector('queue=jobs') },
    ]);
  });

  it('answers 500 naming the rule when the namespace label cannot be built', async () => {
    const fake = new FakePrometheus();
    const err = await make(fake)
      .external('e2e', 'backlog', everything)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StatusError);
    const status = (err as StatusError).status;
    expect(status.code).toBe(500);
    expect(status.message).toBe(
      'Internal error occurred: unable to convert resource namespaces into label: no generic resource label form specified for this metric (externalRules[1] for backlog: map the namespace label with resources.overrides or resources.template, or set resources.namespaced: false)',
    );
    expect(fake.queries).toEqual([]);
  });
});
