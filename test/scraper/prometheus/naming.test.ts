import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  compileGoRegex,
  goRegexTest,
  parseRulesConfig,
  parseSeriesSelector,
  type DiscoveryRule,
} from '../../../src/config/index.js';
import type { Labels } from '../../../scraper/prometheus/decode.js';
import {
  namersFromRules,
  planCustomMetrics,
  planExternalMetrics,
} from '../../../scraper/prometheus/naming.js';
import { ResourceCatalog } from '../../../scraper/prometheus/resources.js';
import { repoRoot } from '../../support/fixtures.js';

const catalog = new ResourceCatalog();
const chart = parseRulesConfig(
  readFileSync(join(repoRoot, 'test/scraper/prometheus/testdata/adapter-config.yaml'), 'utf8'),
).config!;

/** What Prometheus's /api/v1/series would return for a selector (label regexes are anchored). */
function select(seriesQuery: string, all: readonly Labels[]): Labels[] {
  const sel = parseSeriesSelector(seriesQuery);
  if (!sel.ok) throw new Error(sel.message);
  return all.filter((s) =>
    sel.matchers.every((m) => {
      const v = s[m.name] ?? '';
      if (m.op === '=') return v === m.value;
      if (m.op === '!=') return v !== m.value;
      const hit = goRegexTest(compileGoRegex(`^(?:${m.value})$`), v);
      return m.op === '=~' ? hit : !hit;
    }),
  );
}

const cluster: Labels[] = [
  {
    __name__: 'container_cpu_usage_seconds_total',
    namespace: 'shop',
    pod: 'web-1',
    container: 'app',
  },
  {
    __name__: 'container_cpu_usage_seconds_total',
    namespace: 'shop',
    pod: 'web-1',
    container: 'POD',
  },
  { __name__: 'container_fs_reads_total', namespace: 'shop', pod: 'web-1', container: 'app' },
  {
    __name__: 'container_memory_working_set_bytes',
    namespace: 'shop',
    pod: 'web-1',
    container: 'app',
  },
  {
    __name__: 'http_requests_total',
    namespace: 'shop',
    pod: 'web-1',
    service: 'web',
    job: 'app',
    instance: '10.0.0.1:8080',
  },
  { __name__: 'process_cpu_seconds_total', namespace: 'shop', pod: 'web-1' },
  { __name__: 'queue_length', namespace: 'shop', deployment: 'worker' },
  { __name__: 'up', job: 'node' },
  { __name__: 'queue_consumer_lag', namespace: 'shop', name: 'orders' },
  { __name__: 'queue_consumer_lag', namespace: 'billing', name: 'invoices' },
  { __name__: 'queue_depth', topic: 'events', namespace: 'infra' },
];

describe('chart default rules over realistic series', () => {
  const namers = namersFromRules(chart.rules, 'custom', catalog);
  const plans = planCustomMetrics(
    namers,
    namers.map((n) => n.filterSeries(select(n.seriesQuery, cluster))),
    catalog,
  );

  it('lists what prometheus-adapter lists', () => {
    expect([...plans.keys()].sort()).toEqual(
      [
        'deployments.apps/queue_length',
        'jobs.batch/http_requests',
        'namespaces/cpu_usage',
        'namespaces/fs_reads',
        'namespaces/http_requests',
        'namespaces/memory_working_set_bytes',
        'namespaces/process_cpu',
        'namespaces/queue_length',
        // The catch-all gauge rule takes every namespaced series, external ones included.
        'namespaces/queue_consumer_lag',
        'namespaces/queue_depth',
        'pods/cpu_usage',
        'pods/fs_reads',
        'pods/http_requests',
        'pods/memory_working_set_bytes',
        'pods/process_cpu',
        'services/http_requests',
      ].sort(),
    );
  });

  it('keeps the series name and scope of each metric', () => {
    expect(plans.get('pods/cpu_usage')).toMatchObject({
      seriesName: 'container_cpu_usage_seconds_total',
      info: { namespaced: true },
    });
    expect(plans.get('namespaces/cpu_usage')?.info.namespaced).toBe(false);
    expect(plans.get('pods/process_cpu')?.namer.index).toBe(5);
  });
});

describe('external rules', () => {
  it('plans one metric per name, with the namespaces its series were seen in', () => {
    const namers = namersFromRules(chart.externalRules, 'external', catalog);
    const plans = planExternalMetrics(
      namers,
      namers.map((n) => n.filterSeries(select(n.seriesQuery, cluster))),
    );
    expect(plans.get('queue_consumer_lag')).toMatchObject({
      seriesName: 'queue_consumer_lag',
      namespaces: ['billing', 'shop'],
    });
    // namespaced: false — the namespace label is not consulted.
    expect(plans.get('queue_depth')).toMatchObject({ namespaces: [] });
    expect(plans.get('queue_depth')?.namer.query.namespaced).toBe(false);
  });
});

function rule(extra: Partial<DiscoveryRule>): DiscoveryRule {
  return {
    seriesQuery: '{namespace!=""}',
    seriesFilters: [],
    resources: { template: '', overrides: { namespace: { group: '', resource: 'namespace' } } },
    name: { matches: '', as: '' },
    metricsQuery: 'x',
    labelValueReplacements: [],
    ...extra,
  };
}

describe('series filters and naming', () => {
  const series = [
    'http_requests_total',
    'http_request_duration_seconds_total',
    'queue_length',
    'container_memory',
  ].map((n) => ({ __name__: n, namespace: 'a' }));
  const cases = [
    {
      name: 'no filters, name as $0',
      rule: rule({}),
      want: [
        'http_requests_total',
        'http_request_duration_seconds_total',
        'queue_length',
        'container_memory',
      ],
    },
    {
      name: 'isNot filter',
      rule: rule({ seriesFilters: [{ isNot: '_total$' }] }),
      want: ['queue_length', 'container_memory'],
    },
    {
      name: 'is filter is unanchored',
      rule: rule({ seriesFilters: [{ is: 'request' }] }),
      want: ['http_requests_total', 'http_request_duration_seconds_total'],
    },
    {
      name: 'filters combine',
      rule: rule({ seriesFilters: [{ is: '_total$' }, { isNot: '_seconds_total$' }] }),
      want: ['http_requests_total'],
    },
    {
      name: 'name.matches filters and names with $1',
      rule: rule({ name: { matches: '^(.*)_total$', as: '$1' } }),
      want: ['http_requests', 'http_request_duration_seconds'],
    },
    {
      name: 'as with ${1} and a suffix',
      rule: rule({ name: { matches: '^(.*)_total$', as: '${1}_per_second' } }),
      want: ['http_requests_per_second', 'http_request_duration_seconds_per_second'],
    },
    {
      name: 'constant as renames',
      rule: rule({ name: { matches: '^queue_length$', as: 'backlog' } }),
      want: ['backlog'],
    },
    {
      name: 'named group',
      rule: rule({ name: { matches: '^container_(?P<what>.*)$', as: 'c_${what}' } }),
      want: ['c_memory'],
    },
  ];
  it.each(cases)('$name', ({ rule: r, want }) => {
    const [namer] = namersFromRules([r], 'custom', catalog);
    expect(namer!.filterSeries(series).map((s) => namer!.metricNameFor(s.__name__!))).toEqual(want);
  });

  it('the later of two rules producing the same metric wins, as upstream map assignment', () => {
    const namers = namersFromRules(
      [rule({ metricsQuery: 'first' }), rule({ metricsQuery: 'second' })],
      'custom',
      catalog,
    );
    const plans = planCustomMetrics(namers, [series, series], catalog);
    expect(plans.get('namespaces/queue_length')?.namer.index).toBe(1);
  });
});

/**
 * A hostile rule and hostile series names (both come from outside: the config and every workload
 * in the cluster). Backtracking needs about 2^n steps for these; linear matching finishes, and the
 * answers are checked.
 */
describe('hostile regexes over hostile series names', () => {
  const long = 'a'.repeat(10_000);
  const series: Labels[] = [
    { __name__: `${long}b`, namespace: 'x' },
    { __name__: long, namespace: 'x' },
    { __name__: `${long}_total`, namespace: 'x' },
  ];
  const cases = [
    {
      name: 'nested plus in a series filter',
      filters: [{ is: '^(a+)+$' }],
      matches: '',
      as: '',
      want: [long],
    },
    {
      name: 'nested plus in name.matches with a group',
      filters: [],
      matches: '^(a+)+(_total)$',
      as: 'x${2}',
      want: ['x_total'],
    },
    {
      name: 'overlapping alternation in isNot',
      filters: [{ isNot: '^(a|a)*$' }],
      matches: '',
      as: '$0',
      want: [`${long}b`, `${long}_total`],
    },
  ];
  it.each(cases)('$name', ({ filters, matches, as, want }) => {
    const parsed = parseRulesConfig(
      JSON.stringify({
        rules: [
          {
            seriesQuery: '{namespace!=""}',
            seriesFilters: filters,
            resources: { overrides: { namespace: { resource: 'namespace' } } },
            name: { matches, as },
            metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)',
          },
        ],
      }),
    );
    expect(parsed.issues).toBeUndefined();
    const [namer] = namersFromRules(parsed.config!.rules, 'custom', catalog);
    const names = namer!.filterSeries(series).map((s) => namer!.metricNameFor(s.__name__!));
    expect(names).toEqual(want);
  });
});
