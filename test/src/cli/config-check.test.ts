import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configCheckCommand, type DiscoverOnce } from '../../../src/cli/config-check.js';
import type { DiscoveryPreview } from '../../../src/config/index.js';
import { run } from '../../../src/cli/main.js';
import { repoRoot } from '../../support/fixtures.js';
import { fakeIo } from './fake-io.js';

const read = (path: string): string => readFileSync(join(repoRoot, path), 'utf8');
const files = {
  'walkthrough.yaml': read('test/src/config/testdata/walkthrough.yaml'),
  'chart-defaults.yaml': read('test/scraper/prometheus/testdata/adapter-config.yaml'),
  'kube-prometheus.yaml': read('test/src/config/testdata/kube-prometheus.yaml'),
  'serve.yaml': `metricResolution: 30s\nprometheusTimeout: 5s\n${read('test/src/config/testdata/walkthrough.yaml')}`,
  'broken.yaml': read('test/src/config/testdata/walkthrough.yaml')
    .replace('matches: ^(.*)_total$', 'matches: ^(.*_total$')
    .replace('by (<<.GroupBy>>)', 'by (<<.GroupBi>>)'),
  'syntax.yaml': 'rules:\n  - seriesQuery: x\n    name: {matches: a\n',
  'bad-flag.yaml': 'metricResolution: often\n',
};

const discovered: DiscoveryPreview = {
  metrics: [
    {
      api: 'custom.metrics.k8s.io',
      rule: 'rules[0]',
      metric: 'http_requests_per_second',
      groupResource: 'pods',
      namespaced: true,
      series: 12,
      query: 'sum(rate(http_requests_total{namespace!="",pod!=""}[2m])) by (namespace,pod)',
    },
    {
      api: 'external.metrics.k8s.io',
      rule: 'externalRules[0]',
      metric: 'queue_consumer_lag',
      namespaced: true,
      series: 3,
      query: 'sum(queue_consumer_lag{namespace="shop"}) by (name)',
      namespaces: ['shop'],
    },
  ],
  failedSelectors: [],
  rulesWithoutMetrics: [],
};

function command(outcome: DiscoveryPreview | Error = discovered) {
  const calls: Parameters<DiscoverOnce>[] = [];
  const discover: DiscoverOnce = (...args) => {
    calls.push(args);
    return outcome instanceof Error ? Promise.reject(outcome) : Promise.resolve(outcome);
  };
  return { commands: [configCheckCommand(discover)], calls };
}

const url = 'http://127.0.0.1:9090';

describe('config check offline', () => {
  const cases = [
    {
      name: 'walkthrough config is valid',
      argv: ['walkthrough.yaml'],
      code: 0,
      out: /^walkthrough\.yaml: valid \(rules: 1, externalRules: 1\); no issues\n$/,
    },
    {
      name: 'chart default rules are valid',
      argv: ['chart-defaults.yaml'],
      code: 0,
      out: /chart-defaults\.yaml: valid \(rules: 6, externalRules: 2, resourceRules\); no issues/,
    },
    {
      name: 'kube-prometheus resourceRules are valid',
      argv: ['kube-prometheus.yaml'],
      code: 0,
      out: /valid \(resourceRules\); no issues/,
    },
    {
      name: 'a scaleplane --config file with flags and rules',
      argv: ['serve.yaml'],
      code: 0,
      out: /valid \(rules: 1, externalRules: 1\)/,
    },
    {
      name: 'every issue with its path, line and column, then the count',
      argv: ['broken.yaml'],
      code: 2,
      out: /^rules\[0\]\.name\.matches \(line 11, column 16\): invalid regex[^\n]*\nrules\[0\]\.metricsQuery \(line 13, column 19\): invalid template[^\n]*\nbroken\.yaml: 2 issues\n$/,
    },
    {
      name: 'a YAML syntax error at the nearest key',
      argv: ['syntax.yaml'],
      code: 2,
      out: /^rules\[0\]\.name[^ ]* \(line \d+, column \d+\): (syntax\.yaml: )?YAML syntax: /m,
    },
    {
      name: 'a bad flag value in the file',
      argv: ['bad-flag.yaml'],
      code: 2,
      out: /^config\.metricResolution \(line 1, column 19\): /m,
    },
  ];
  it.each(cases)('$name', async ({ argv, code, out }) => {
    const io = fakeIo(files);
    const c = command();
    expect(await run(['config', 'check', ...argv], io, c.commands)).toBe(code);
    expect(io.out).toMatch(out);
    expect(io.err).toBe('');
    expect(c.calls).toHaveLength(0);
  });

  it('-o json carries the same issues with line and column', async () => {
    const io = fakeIo(files);
    expect(
      await run(['config', 'check', '-o', 'json', 'broken.yaml'], io, command().commands),
    ).toBe(2);
    const report = JSON.parse(io.out) as {
      summary: string;
      issues: { path: string; line: number; column: number }[];
    };
    expect(report.summary).toBe('2 issues');
    expect(report.issues.map((i) => [i.path, i.line, i.column])).toEqual([
      ['rules[0].name.matches', 11, 16],
      ['rules[0].metricsQuery', 13, 19],
    ]);
  });
});

describe('config check with --prometheus-url', () => {
  it('prints each metric: API, group-resource, scope, series count and query', async () => {
    const io = fakeIo(files);
    const c = command();
    expect(
      await run(['config', 'check', 'serve.yaml', '--prometheus-url', url], io, c.commands),
    ).toBe(0);
    expect(io.out).toBe(
      [
        'custom.metrics.k8s.io:',
        '  pods/http_requests_per_second  namespaced  12 series  (rules[0])',
        '    sum(rate(http_requests_total{namespace!="",pod!=""}[2m])) by (namespace,pod)',
        'external.metrics.k8s.io:',
        '  queue_consumer_lag  namespaced  3 series in shop  (externalRules[0])',
        '    sum(queue_consumer_lag{namespace="shop"}) by (name)',
        'serve.yaml: valid (rules: 1, externalRules: 1); 2 metrics would be served',
        '',
      ].join('\n'),
    );
    // The file's Prometheus settings travel with the URL given on the command line.
    expect(c.calls[0]![0].prometheus).toMatchObject({ url, timeoutMs: 5000 });
    expect(c.calls[0]![1].rules).toHaveLength(1);
  });

  it('-o json', async () => {
    const io = fakeIo(files);
    expect(
      await run(
        ['config', 'check', 'walkthrough.yaml', `--prometheus-url=${url}`, '-o', 'json'],
        io,
        command().commands,
      ),
    ).toBe(0);
    expect(JSON.parse(io.out)).toEqual({
      file: 'walkthrough.yaml',
      summary: 'valid (rules: 1, externalRules: 1); 2 metrics would be served',
      issues: [],
      discovery: discovered,
    });
  });

  it('a selector Prometheus refuses is an issue of the rules using it: exit 2', async () => {
    const io = fakeIo(files);
    const outcome: DiscoveryPreview = {
      metrics: [],
      failedSelectors: [{ rules: ['rules[0]'], seriesQuery: 'x', error: 'bad_data: parse error' }],
      rulesWithoutMetrics: ['externalRules[0]'],
    };
    expect(
      await run(
        ['config', 'check', 'walkthrough.yaml', '--prometheus-url', url],
        io,
        command(outcome).commands,
      ),
    ).toBe(2);
    expect(io.out).toMatch(
      /^rules\[0\]\.seriesQuery: Prometheus answered: bad_data: parse error$/m,
    );
    expect(io.out).toMatch(/^externalRules\[0\]: no series produce a metric$/m);
  });

  it('Prometheus unreachable: exit 1 with one line', async () => {
    const io = fakeIo(files);
    const code = await run(
      ['config', 'check', 'walkthrough.yaml', '--prometheus-url', url],
      io,
      command(new Error('connect ECONNREFUSED 127.0.0.1:9090')).commands,
    );
    expect(code).toBe(1);
    expect(io.err).toBe(
      `error: config check: cannot reach Prometheus at ${url}: connect ECONNREFUSED 127.0.0.1:9090\n`,
    );
    expect(io.out).toBe('');
  });

  it('issues in the file: no discovery, exit 2', async () => {
    const io = fakeIo(files);
    const c = command();
    expect(
      await run(['config', 'check', 'broken.yaml', '--prometheus-url', url], io, c.commands),
    ).toBe(2);
    expect(c.calls).toHaveLength(0);
  });
});

describe('config check: bad invocation is exit 2 with one line', () => {
  const cases = [
    { name: 'no file', argv: [], err: /expected one config file/ },
    { name: 'two files', argv: ['a.yaml', 'b.yaml'], err: /expected one config file/ },
    { name: 'unknown option', argv: ['walkthrough.yaml', '--nope'], err: /--nope/ },
    {
      name: 'bad output',
      argv: ['walkthrough.yaml', '-o', 'yaml'],
      err: /--output: must be json or text/,
    },
    { name: 'missing file', argv: ['absent.yaml'], err: /absent\.yaml: cannot read: ENOENT/ },
    { name: 'not a URL', argv: ['walkthrough.yaml', '--prometheus-url', 'ftp://x'], err: null },
  ];
  it.each(cases)('$name', async ({ argv, err }) => {
    const io = fakeIo(files);
    expect(await run(['config', 'check', ...argv], io, command().commands)).toBe(2);
    if (err) {
      expect(io.err).toMatch(err);
      expect(io.err.trimEnd().split('\n')).toHaveLength(1);
    } else expect(io.out).toMatch(/^--prometheus-url: must be an http/m);
  });

  it('--help prints the usage', async () => {
    const io = fakeIo(files);
    expect(await run(['config', 'check', '--help'], io, command().commands)).toBe(0);
    expect(io.out).toMatch(/^Usage: scaleplane config check FILE/);
  });
});
