import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRulesConfig } from '../../../src/config/index.js';
import { PrometheusError } from '../../../scraper/prometheus/errors.js';
import { previewDiscovery } from '../../../scraper/prometheus/preview.js';
import { repoRoot } from '../../support/fixtures.js';
import { FakePrometheus } from './fake-prometheus.js';

const rules = (path: string) =>
  parseRulesConfig(readFileSync(join(repoRoot, path), 'utf8')).config!;
const walkthrough = rules('test/src/config/testdata/walkthrough.yaml');
const walkthroughSelector = '{__name__=~"^http_requests_.*",namespace!="",pod!=""}';
const queueSelector = '{__name__="queue_consumer_lag",name!=""}';
const now = 1_800_000_000_000;

function prometheus(): FakePrometheus {
  const fake = new FakePrometheus(() => []);
  fake.seriesByQuery.set(walkthroughSelector, [
    { __name__: 'http_requests_total', namespace: 'shop', pod: 'web-1' },
    { __name__: 'http_requests_total', namespace: 'shop', pod: 'web-2' },
    { __name__: 'http_requests_total', namespace: 'blog', pod: 'cms-1' },
    // Not a counter: name.matches drops it.
    { __name__: 'http_requests_in_flight', namespace: 'shop', pod: 'web-1' },
  ]);
  fake.seriesByQuery.set(queueSelector, [
    { __name__: 'queue_consumer_lag', namespace: 'shop', name: 'orders' },
    { __name__: 'queue_consumer_lag', namespace: 'shop', name: 'mail' },
  ]);
  return fake;
}

describe('previewDiscovery: what serve would serve, from one discovery', () => {
  it('the walkthrough config: each metric with group-resource, scope, series and query', async () => {
    const fake = prometheus();
    const d = await previewDiscovery({
      api: fake,
      rules: walkthrough,
      maxAgeMs: 120_000,
      nowMs: now,
    });
    expect(d.failedSelectors).toEqual([]);
    expect(d.rulesWithoutMetrics).toEqual([]);
    expect(d.metrics).toEqual([
      {
        api: 'custom.metrics.k8s.io',
        rule: 'rules[0]',
        metric: 'http_requests_per_second',
        groupResource: 'namespaces',
        namespaced: false,
        series: 3,
        query: expect.stringMatching(
          /^sum\(rate\(http_requests_total\{[^}]*\}\[2m\]\)\) by \(namespace\)$/,
        ),
      },
      {
        api: 'custom.metrics.k8s.io',
        rule: 'rules[0]',
        metric: 'http_requests_per_second',
        groupResource: 'pods',
        namespaced: true,
        series: 3,
        query: expect.stringMatching(
          /^sum\(rate\(http_requests_total\{[^}]*\}\[2m\]\)\) by \(pod,namespace\)$/,
        ),
      },
      {
        api: 'external.metrics.k8s.io',
        rule: 'externalRules[0]',
        metric: 'queue_consumer_lag',
        namespaced: true,
        series: 2,
        query: 'sum(queue_consumer_lag{namespace="shop"}) by (name)',
        namespaces: ['shop'],
      },
    ]);
    // One reachability probe, one series call per distinct seriesQuery looking back maxAge.
    expect(fake.queries.map((q) => q.promql)).toEqual(['vector(1)']);
    expect(fake.seriesCalls).toEqual([
      { matchers: [walkthroughSelector], startMs: now - 120_000 },
      { matchers: [queueSelector], startMs: now - 120_000 },
    ]);
  });

  it('a selector Prometheus refuses and a rule with no series are reported by rule', async () => {
    const fake = prometheus();
    fake.seriesByQuery.set(
      walkthroughSelector,
      new PrometheusError('prometheus_bad_data', 'parse error at char 3'),
    );
    fake.seriesByQuery.set(queueSelector, []);
    const d = await previewDiscovery({
      api: fake,
      rules: walkthrough,
      maxAgeMs: 120_000,
      nowMs: now,
    });
    expect(d.metrics).toEqual([]);
    expect(d.failedSelectors).toEqual([
      {
        rules: ['rules[0]'],
        seriesQuery: walkthroughSelector,
        error: expect.stringContaining('parse error'),
      },
    ]);
    expect(d.rulesWithoutMetrics).toEqual(['externalRules[0]']);
  });

  it('Prometheus unreachable: rejects before any discovery', async () => {
    const fake = new FakePrometheus(
      () => new PrometheusError('connection', 'connect ECONNREFUSED 127.0.0.1:9090'),
    );
    await expect(
      previewDiscovery({ api: fake, rules: walkthrough, maxAgeMs: 1, nowMs: now }),
    ).rejects.toThrow(/ECONNREFUSED/);
    expect(fake.seriesCalls).toEqual([]);
  });
});
