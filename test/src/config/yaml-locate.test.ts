import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  formatIssues,
  parseRulesConfig,
  parseServeConfig,
  rulesDocumentIssues,
  type ConfigIssue,
} from '../../../src/config/index.js';
import { formatPath, parsePath } from '../../../src/config/yaml-locate.js';
import { repoRoot } from '../../support/fixtures.js';

const read = (path: string): string => readFileSync(join(repoRoot, path), 'utf8');
const configs = {
  walkthrough: read('test/src/config/testdata/walkthrough.yaml'),
  chartDefaults: read('test/scraper/prometheus/testdata/adapter-config.yaml'),
  kubePrometheus: read('test/src/config/testdata/kube-prometheus.yaml'),
};

/** 1-based line and column of the first occurrence of `needle`, found by plain text search. */
function positionOf(text: string, needle: string): { line: number; column: number } {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`test setup: ${JSON.stringify(needle)} not in the text`);
  const before = text.slice(0, at).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`test setup: ${JSON.stringify(from)} not in the text`);
  return text.replace(from, to);
}

describe('the real-world configs load clean', () => {
  it.each(Object.entries(configs).map(([name, text]) => ({ name, text })))('$name', ({ text }) => {
    expect(parseRulesConfig(text).issues).toBeUndefined();
  });
});

/**
 * Each case breaks one real-world config the way users do and expects the issue at the key path
 * AND at the line and column of the offending text (`at`, searched in the edited text).
 */
describe('every issue names its key path and its line and column', () => {
  const cases = [
    {
      name: 'walkthrough: bad regex in name.matches points at the pattern',
      text: edit(configs.walkthrough, 'matches: ^(.*)_total$', 'matches: ^(.*_total$'),
      path: 'rules[0].name.matches',
      at: '^(.*_total$',
      message: /missing closing \)/,
    },
    {
      name: 'walkthrough: template field typo in metricsQuery',
      text: edit(configs.walkthrough, 'by (<<.GroupBy>>)', 'by (<<.GroupBi>>)'),
      path: 'rules[0].metricsQuery',
      at: 'sum(rate(',
      message: /GroupBi/,
    },
    {
      name: 'walkthrough: unknown key points at the key, not its value',
      text: edit(
        configs.walkthrough,
        '    metricsQuery: sum(<<',
        '    metricQuery: x\n    metricsQuery: sum(<<',
      ),
      path: 'externalRules[0].metricQuery',
      at: 'metricQuery: x',
      message: /unknown key/,
    },
    {
      name: 'chart defaults: both is and isNot in one filter',
      text: edit(
        configs.chartDefaults,
        '- isNot: ^container_.*_seconds_total$',
        '- isNot: ^container_.*_seconds_total$\n        is: x',
      ),
      path: 'rules[1].seriesFilters[0]',
      at: 'isNot: ^container_.*_seconds_total$',
      message: /both/,
    },
    {
      name: 'chart defaults: a PromQL regex in seriesQuery that Go rejects',
      text: edit(
        configs.chartDefaults,
        `'{__name__=~"^container_.*",container!="POD"`,
        `'{__name__=~"^container_.*(?=x)",container!="POD"`,
      ),
      path: 'rules[0].seriesQuery',
      at: `'{__name__=~"^container_.*(?=x)"`,
      message: /lookahead/,
    },
    {
      name: 'kube-prometheus: resourceRules window is not a duration',
      text: edit(configs.kubePrometheus, 'window: 5m', 'window: five'),
      path: 'resourceRules.window',
      at: 'five',
      message: /./,
    },
    {
      name: 'kube-prometheus: unknown key in a resource override',
      text: edit(
        configs.kubePrometheus,
        'instance: { resource: node }',
        'instance: { resource: node, kind: Node }',
      ),
      path: 'resourceRules.memory.resources.overrides.instance.kind',
      at: 'kind: Node',
      message: /unknown key/,
    },
  ];
  it.each(cases)('$name', ({ text, path, at, message }) => {
    const issues = parseRulesConfig(text).issues ?? [];
    const issue = issues.find((i) => i.path === path);
    expect(issue, formatIssues(issues)).toBeDefined();
    expect(issue!.message).toMatch(message);
    expect({ line: issue!.line, column: issue!.column }).toEqual(positionOf(text, at));
    expect(formatIssues([issue!])).toMatch(/^\S+ \(line \d+, column \d+\): /);
  });
});

describe('a YAML syntax error names the nearest key path and the parser position', () => {
  const cases = [
    {
      name: 'walkthrough: unclosed flow mapping in an override',
      text: edit(configs.walkthrough, 'pod: { resource: pod }', 'pod: { resource: pod'),
      // The parser notices where the mapping should have closed: at the next key.
      path: /^rules\[0\]\.(resources\.overrides\.pod|name)/,
    },
    {
      name: 'chart defaults: duplicate key in a rule',
      text: edit(
        configs.chartDefaults,
        '    seriesFilters: []\n',
        '    seriesFilters: []\n    seriesFilters: []\n',
      ),
      path: /^rules\[0\]\.seriesFilters$/,
    },
    {
      name: 'kube-prometheus: mis-indented key under memory',
      text: edit(
        configs.kubePrometheus,
        '    containerLabel: container\n  window',
        '     containerLabel: container\n  window',
      ),
      path: /^resourceRules\.memory/,
    },
    {
      name: 'a tab where YAML wants spaces at the top',
      text: 'rules:\n\t- seriesQuery: x\n',
      path: /^rules/,
    },
  ];
  it.each(cases)('$name', ({ text, path }) => {
    const issues = parseRulesConfig(text).issues ?? [];
    expect(issues.length, formatIssues(issues)).toBeGreaterThan(0);
    const first = issues[0]!;
    expect(first.path).toMatch(path);
    expect(first.message).toMatch(/^YAML syntax: /);
    expect(first.line).toBeGreaterThan(0);
    expect(first.column).toBeGreaterThan(0);
  });
});

describe('--config: flags and rules in one file, issues located there', () => {
  const file = (text: string) => (path: string) => {
    if (path !== 'scaleplane.yaml') throw new Error('ENOENT');
    return text;
  };
  const run = (text: string, argv: string[] = []): ConfigIssue[] =>
    parseServeConfig(['--config', 'scaleplane.yaml', ...argv], file(text), rulesDocumentIssues)
      .issues ?? [];
  const serveFile = `prometheusUrl: http://127.0.0.1:9090\nmetricResolution: 30s\n${configs.walkthrough}`;
  const cases = [
    {
      name: 'a flag value the file got wrong',
      text: edit(serveFile, 'metricResolution: 30s', 'metricResolution: soon'),
      argv: [],
      path: 'config.metricResolution',
      at: 'soon',
    },
    {
      name: 'an unknown flag key',
      text: `metricResolutoin: 30s\n${serveFile}`,
      argv: [],
      path: 'config.metricResolutoin',
      at: 'metricResolutoin',
    },
    {
      name: 'a cross-flag rule about values from the file points at the file',
      text: `kubeletRequestTimeout: 29s\n${serveFile}`,
      argv: [],
      path: 'config.kubeletRequestTimeout',
      at: '29s',
    },
    {
      name: 'a rules issue in the serve config file',
      text: edit(serveFile, 'as: ${1}_per_second', 'as: ${1}_per_second\n      also: x'),
      argv: [],
      path: 'rules[0].name.also',
      at: 'also',
    },
    {
      name: 'a YAML syntax error in the serve config file names the key',
      text: edit(serveFile, 'metricResolution: 30s', 'metricResolution: [30s'),
      argv: [],
      path: /^config\.metricResolution|^rules/,
      at: undefined,
    },
  ];
  it.each(cases)('$name', ({ text, argv, path, at }) => {
    const issues = run(text, argv);
    const issue = issues.find((i) =>
      typeof path === 'string' ? i.path === path : path.test(i.path),
    );
    expect(issue, formatIssues(issues)).toBeDefined();
    if (at !== undefined)
      expect({ line: issue!.line, column: issue!.column }).toEqual(positionOf(text, at));
    else expect(issue!.line).toBeGreaterThan(0);
  });

  it('a value given on the command line is not blamed on the file', () => {
    const issues = run(`kubeletRequestTimeout: 5s\n${serveFile}`, [
      '--kubelet-request-timeout=29s',
    ]);
    expect(issues.map((i) => [i.path, i.line])).toEqual([['--kubelet-request-timeout', undefined]]);
  });
});

describe('key paths', () => {
  const cases = [
    { name: 'dotted', path: 'rules.name', segments: ['rules', 'name'] },
    {
      name: 'indexed',
      path: 'rules[2].seriesFilters[0].is',
      segments: ['rules', 2, 'seriesFilters', 0, 'is'],
    },
    {
      name: 'quoted key',
      path: 'a.overrides["x.y"].group',
      segments: ['a', 'overrides', 'x.y', 'group'],
    },
    { name: 'dashes in a key', path: 'metric-resolution', segments: ['metric-resolution'] },
  ];
  it.each(cases)('$name round-trips', ({ path, segments }) => {
    expect(parsePath(path)).toEqual(segments);
    expect(formatPath(segments)).toBe(path);
  });
  it.each(['--metric-resolution', '(document)', 'a..b', 'a['])('%s is not a document path', (p) => {
    expect(parsePath(p)).toBeUndefined();
  });
});
