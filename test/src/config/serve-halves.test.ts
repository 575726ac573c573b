import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  formatIssues,
  idleSettingWarnings,
  parseServeConfig,
  rulesDocumentIssues,
} from '../../../src/config/index.js';
import { repoRoot } from '../../support/fixtures.js';

const walkthrough = readFileSync(
  join(repoRoot, 'test/src/config/testdata/walkthrough.yaml'),
  'utf8',
);
const kubePrometheus = readFileSync(
  join(repoRoot, 'test/src/config/testdata/kube-prometheus.yaml'),
  'utf8',
);
const url = '--prometheus-url=http://127.0.0.1:9090';

function parse(fileText: string | undefined, argv: string[]) {
  const files = fileText === undefined ? [] : ['--config', 'c.yaml'];
  return parseServeConfig([...files, ...argv], () => fileText ?? '', rulesDocumentIssues);
}

describe('half a Prometheus configuration: should fail (exit 2 before anything starts)', () => {
  const cases = [
    { name: 'walkthrough rules without a URL', file: walkthrough, names: /rules, externalRules/ },
    {
      name: 'kube-prometheus resourceRules without a URL',
      file: kubePrometheus,
      names: /resourceRules/,
    },
  ];
  it.each(cases)('$name', ({ file, names }) => {
    const parsed = parse(file, []);
    expect(parsed.issues, 'expected a refusal').toBeDefined();
    const issue = parsed.issues!.find((i) => i.path === '--prometheus-url');
    expect(issue, formatIssues(parsed.issues!)).toBeDefined();
    expect(issue!.message).toMatch(/^required when --config has /);
    expect(issue!.message).toMatch(names);
  });
});

describe('half a Prometheus configuration: should pass', () => {
  const cases = [
    {
      name: 'rules and a URL: no warning',
      file: walkthrough,
      argv: [url],
      embedded: false,
      warn: null,
    },
    { name: 'neither: no warning', file: undefined, argv: [], embedded: false, warn: null },
    {
      name: 'empty rule lists and no URL, as the chart renders before rules exist',
      file: 'rules: []\nexternalRules: []\n',
      argv: [],
      embedded: false,
      warn: null,
    },
    {
      name: 'a URL without rules: accepted, one warning naming what is missing',
      file: undefined,
      argv: [url],
      embedded: false,
      warn: /no rules, externalRules or resourceRules in --config/,
    },
    {
      name: 'a URL with empty rule lists: the same warning',
      file: 'rules: []\n',
      argv: [url],
      embedded: false,
      warn: /no rules/,
    },
    {
      name: 'a URL and rules in the embedded cluster: warned, nothing queries them',
      file: walkthrough,
      argv: [url],
      embedded: true,
      warn: /embedded cluster/,
    },
  ];
  it.each(cases)('$name', ({ file, argv, embedded, warn }) => {
    const parsed = parse(file, argv);
    expect(parsed.issues, JSON.stringify(parsed.issues)).toBeUndefined();
    const warnings = idleSettingWarnings(parsed.config!, { embedded });
    if (warn === null) expect(warnings).toEqual([]);
    else {
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.path).toBe('--prometheus-url');
      expect(warnings[0]!.message).toMatch(warn);
    }
  });
});
