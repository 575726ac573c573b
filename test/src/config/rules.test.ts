import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  parseRulesConfig,
  parseRulesDocument,
  rulesDocumentIssues,
  type RulesConfig,
} from '../../../src/config/rules.js';
import { parsePrometheusDuration } from '../../../src/config/rules-duration.js';
import { parseSeriesSelector } from '../../../src/config/rules-selector.js';
import { repoRoot } from '../../support/fixtures.js';

const adapterConfig = readFileSync(
  join(repoRoot, 'test/scraper/prometheus/testdata/adapter-config.yaml'),
  'utf8',
);

const goodRule = {
  seriesQuery: '{__name__=~"^http_.*",namespace!="",pod!=""}',
  resources: { overrides: { namespace: { resource: 'namespace' }, pod: { resource: 'pod' } } },
  name: { matches: '^(.*)_total$', as: '${1}_per_second' },
  metricsQuery: 'sum(rate(<<.Series>>{<<.LabelMatchers>>}[2m])) by (<<.GroupBy>>)',
};

describe('parseRulesConfig: should pass', () => {
  it('loads the prometheus-adapter chart default config unchanged', () => {
    const parsed = parseRulesConfig(adapterConfig);
    expect(parsed.issues).toBeUndefined();
    const config = parsed.config!;
    expect(config.rules).toHaveLength(6);
    expect(config.externalRules).toHaveLength(2);
    expect(config.rules.map((r) => r.name.as)).toEqual(['$1', '$1', '$1', '$0', '$1', '$1']);
    expect(config.rules[3]!.resources.template).toBe('<<.Resource>>');
    expect(config.rules[1]!.seriesFilters).toEqual([{ isNot: '^container_.*_seconds_total$' }]);
    expect(config.externalRules[1]!.resources.namespaced).toBe(false);
    expect(config.externalRules[0]!.resources.overrides).toEqual({
      namespace: { group: '', resource: 'namespace' },
    });
    expect(config.resourceRules?.windowMs).toBe(180_000);
    expect(config.resourceRules?.cpu.containerLabel).toBe('container');
  });

  const cases = [
    {
      name: 'empty document',
      text: '',
      check: (c: RulesConfig) => expect(c).toEqual({ rules: [], externalRules: [] }),
    },
    {
      name: 'explicit as is kept',
      text: `rules:\n- ${JSON.stringify(goodRule)}`,
      check: (c: RulesConfig) => expect(c.rules[0]!.name.as).toBe('${1}_per_second'),
    },
    {
      name: 'YAML 1.1 boolean for namespaced',
      text: 'externalRules:\n- seriesQuery: up\n  metricsQuery: sum(<<.Series>>)\n  resources: {namespaced: "no"}',
      check: (c: RulesConfig) => expect(c.externalRules[0]!.resources.namespaced).toBe(false),
    },
    {
      name: 'scalar seriesQuery accepted as yaml.v2 does',
      text: 'rules:\n- seriesQuery: up\n  metricsQuery: up',
      check: (c: RulesConfig) => expect(c.rules[0]!.seriesQuery).toBe('up'),
    },
    {
      name: 'labelValueReplacements',
      text: 'externalRules:\n- seriesQuery: up\n  metricsQuery: up\n  labelValueReplacements: [{find: "#", replace: "_"}]',
      check: (c: RulesConfig) =>
        expect(c.externalRules[0]!.labelValueReplacements).toEqual([{ find: '#', replace: '_' }]),
    },
    {
      name: 'group template with overrides',
      text: 'rules:\n- seriesQuery: up\n  metricsQuery: up\n  resources: {template: "kube_<<.Group>>_<<.Resource>>", overrides: {microservice: {group: apps, resource: deployment}}}',
      check: (c: RulesConfig) =>
        expect(c.rules[0]!.resources.overrides.microservice).toEqual({
          group: 'apps',
          resource: 'deployment',
        }),
    },
  ];
  it.each(cases)('$name', ({ text, check }) => {
    const parsed = parseRulesConfig(text);
    expect(parsed.issues).toBeUndefined();
    check(parsed.config!);
  });
});

describe('parseRulesConfig: should fail', () => {
  const rule = (extra: Record<string, unknown>): string =>
    `rules:\n- ${JSON.stringify({ ...goodRule, ...extra })}`;
  const cases = [
    {
      name: 'unknown key (UnmarshalStrict)',
      text: rule({ seriesFilter: [] }),
      path: 'rules[0].seriesFilter',
      message: /unknown key/,
    },
    {
      name: 'typo metricQuery from the sample config',
      text: rule({ metricQuery: 'x' }),
      path: 'rules[0].metricQuery',
      message: /unknown key/,
    },
    { name: 'unknown top-level key', text: 'rule: []', path: 'rule', message: /unknown key/ },
    {
      name: 'unknown key inside name',
      text: rule({ name: { matches: 'x', asx: 'y' } }),
      path: 'rules[0].name.asx',
      message: /unknown key/,
    },
    {
      name: 'unknown key inside an override',
      text: rule({ resources: { overrides: { pod: { resource: 'pod', kind: 'Pod' } } } }),
      path: 'rules[0].resources.overrides.pod.kind',
      message: /unknown key/,
    },
    {
      name: 'seriesFilters not a list',
      text: rule({ seriesFilters: 'x' }),
      path: 'rules[0].seriesFilters',
      message: /must be a list/,
    },
    {
      name: 'both is and isNot',
      text: rule({ seriesFilters: [{ is: 'a', isNot: 'b' }] }),
      path: 'rules[0].seriesFilters[0]',
      message: /both/,
    },
    {
      name: 'neither is nor isNot',
      text: rule({ seriesFilters: [{}] }),
      path: 'rules[0].seriesFilters[0]',
      message: /either/,
    },
    {
      name: 'invalid filter regex',
      text: rule({ seriesFilters: [{ isNot: '(' }] }),
      path: 'rules[0].seriesFilters[0].isNot',
      message: /invalid regex/,
    },
    {
      name: 'lookahead in name.matches',
      text: rule({ name: { matches: '^(?=x)(.*)$' } }),
      path: 'rules[0].name.matches',
      message: /lookahead/,
    },
    {
      name: 'ambiguous as with two groups',
      text: rule({ name: { matches: '^(a)_(b)$' } }),
      path: 'rules[0].name.as',
      message: /2 capture groups/,
    },
    {
      name: 'unknown template field',
      text: rule({ metricsQuery: 'sum(<<.Series>>{<<.LabelMatcher>>})' }),
      path: 'rules[0].metricsQuery',
      message: /LabelMatcher/,
    },
    {
      name: 'template syntax error',
      text: rule({ metricsQuery: 'sum(<<.Series>)' }),
      path: 'rules[0].metricsQuery',
      message: /unclosed action/,
    },
    {
      name: 'empty metricsQuery',
      text: rule({ metricsQuery: '' }),
      path: 'rules[0].metricsQuery',
      message: /required/,
    },
    {
      name: 'empty seriesQuery',
      text: rule({ seriesQuery: '' }),
      path: 'rules[0].seriesQuery',
      message: /required/,
    },
    {
      name: 'seriesQuery Prometheus refuses',
      text: rule({ seriesQuery: '{namespace=~".*"}' }),
      path: 'rules[0].seriesQuery',
      message: /non-empty matcher/,
    },
    {
      name: 'seriesQuery syntax',
      text: rule({ seriesQuery: '{namespace!=}' }),
      path: 'rules[0].seriesQuery',
      message: /quoted value/,
    },
    {
      name: 'resource template without Resource',
      text: rule({ resources: { template: 'kube_<<.Group>>' } }),
      path: 'rules[0].resources.template',
      message: /<<.Resource>>/,
    },
    {
      name: 'resource template with unknown field',
      text: rule({ resources: { template: '<<.Kind>>' } }),
      path: 'rules[0].resources.template',
      message: /Kind/,
    },
    {
      name: 'override without resource',
      text: rule({ resources: { overrides: { pod: { group: '' } } } }),
      path: 'rules[0].resources.overrides.pod.resource',
      message: /required/,
    },
    {
      name: 'namespaced not a boolean',
      text: 'externalRules:\n- {seriesQuery: up, metricsQuery: up, resources: {namespaced: maybe}}',
      path: 'externalRules[0].resources.namespaced',
      message: /boolean/,
    },
    {
      name: 'window in Go syntax Prometheus rejects',
      text: 'resourceRules: {window: 1.5m}',
      path: 'resourceRules.window',
      message: /not a valid duration/,
    },
    { name: 'duplicate keys', text: 'rules: []\nrules: []', path: 'rules', message: /unique/ },
  ];
  it.each(cases)('$name', ({ text, path, message }) => {
    const issues = parseRulesConfig(text).issues ?? [];
    const issue = issues.find((i) => i.path === path);
    expect(issue, JSON.stringify(issues)).toBeDefined();
    expect(issue!.message).toMatch(message);
  });

  it('reports every issue, not only the first', () => {
    const text = `rules:\n- ${JSON.stringify({ ...goodRule, seriesFilter: [] })}\n- ${JSON.stringify({ ...goodRule, name: { matches: '(' } })}\nexternalRules:\n- {seriesQuery: "", metricsQuery: ""}`;
    const paths = (parseRulesConfig(text).issues ?? []).map((i) => i.path).sort();
    expect(paths).toEqual([
      'externalRules[0].metricsQuery',
      'externalRules[0].seriesQuery',
      'rules[0].seriesFilter',
      'rules[1].name.matches',
    ]);
  });
});

describe('parseRulesDocument', () => {
  it('validates a document the serve config already parsed', () => {
    expect(parseRulesDocument({ rules: [goodRule] }).config?.rules[0]?.name.as).toBe(
      '${1}_per_second',
    );
    expect(rulesDocumentIssues({ rules: 'x' })).toEqual([
      { path: 'rules', message: 'must be a list, not a string' },
    ]);
  });

  it('rejects a non-mapping document', () => {
    expect(parseRulesDocument([1]).issues?.[0]?.message).toMatch(/mapping/);
  });
});

describe('parseSeriesSelector', () => {
  const pass = [
    { name: 'bare metric name', text: 'up', want: [{ name: '__name__', op: '=', value: 'up' }] },
    {
      name: 'name with labels and trailing comma',
      text: 'cheddar{sharp="true",}',
      want: [
        { name: '__name__', op: '=', value: 'cheddar' },
        { name: 'sharp', op: '=', value: 'true' },
      ],
    },
    {
      name: 'single quotes and backquotes',
      text: "{a='x\\'y',b=`z`}",
      want: [
        { name: 'a', op: '=', value: "x'y" },
        { name: 'b', op: '=', value: 'z' },
      ],
    },
    {
      name: 'regex matchers',
      text: '{__name__=~"^container_.*",pod!~""}',
      want: [
        { name: '__name__', op: '=~', value: '^container_.*' },
        { name: 'pod', op: '!~', value: '' },
      ],
    },
  ];
  it.each(pass)('should pass: $name', ({ text, want }) => {
    expect(parseSeriesSelector(text)).toEqual({ ok: true, matchers: want });
  });

  const fail = [
    { name: 'only empty-matching matchers', text: '{a=""}' },
    { name: 'bad regex', text: '{a=~"("}' },
    { name: 'missing brace', text: '{a="b"' },
    { name: 'garbage after selector', text: 'up[5m]' },
    { name: 'empty braces', text: '{}' },
  ];
  it.each(fail)('should fail: $name', ({ text }) => {
    expect(parseSeriesSelector(text).ok).toBe(false);
  });
});

describe('parsePrometheusDuration', () => {
  const cases = [
    { name: 'minutes', text: '3m', want: { ms: 180_000 } },
    { name: 'compound in order', text: '1d2h3m4s5ms', want: { ms: 93_784_005 } },
    { name: 'weeks and years', text: '1y1w', want: { ms: (365 + 7) * 86_400_000 } },
    { name: 'zero', text: '0', want: { ms: 0 } },
    { name: 'empty', text: '', want: { error: 'empty duration string' } },
    {
      name: 'Go-only fraction',
      text: '1.5h',
      want: { error: 'not a valid duration string: "1.5h"' },
    },
    {
      name: 'units out of order',
      text: '1m1h',
      want: { error: 'not a valid duration string: "1m1h"' },
    },
  ];
  it.each(cases)('$name', ({ text, want }) => {
    expect(parsePrometheusDuration(text)).toEqual(want);
  });
});
