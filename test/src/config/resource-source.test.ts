import { describe, expect, it } from 'vitest';
import { chooseResourceMetricsSource, parseServeConfig } from '../../../src/config/index.js';

const url = 'http://127.0.0.1:9090';

describe('chooseResourceMetricsSource: should pass', () => {
  const cases = [
    {
      name: 'kubelet by default without resourceRules',
      in: { flag: undefined, hasResourceRules: false, prometheusUrl: url },
      source: 'kubelet',
      reason: 'default without resourceRules in --config (--resource-metrics-source unset)',
      unused: undefined,
    },
    {
      name: 'prometheus by default with resourceRules',
      in: { flag: undefined, hasResourceRules: true, prometheusUrl: url },
      source: 'prometheus',
      reason: 'default with resourceRules in --config (--resource-metrics-source unset)',
      unused: undefined,
    },
    {
      name: 'kubelet when asked, naming the resourceRules it leaves unserved',
      in: { flag: 'kubelet' as const, hasResourceRules: true, prometheusUrl: url },
      source: 'kubelet',
      reason: '--resource-metrics-source=kubelet',
      unused: 'resourceRules in --config are not served: --resource-metrics-source=kubelet',
    },
    {
      name: 'prometheus when asked',
      in: { flag: 'prometheus' as const, hasResourceRules: true, prometheusUrl: url },
      source: 'prometheus',
      reason: '--resource-metrics-source=prometheus',
      unused: undefined,
    },
  ];
  it.each(cases)('$name', (c) => {
    const { choice, issues } = chooseResourceMetricsSource(c.in);
    expect(issues).toEqual([]);
    expect(choice).toEqual({
      source: c.source,
      reason: c.reason,
      ...(c.unused ? { unused: c.unused } : {}),
    });
  });
});

describe('chooseResourceMetricsSource: should fail', () => {
  const cases = [
    {
      // serve-halves.ts refuses rules without a URL, once for every rule kind.
      name: 'resourceRules without a Prometheus URL: refused by the half-configuration rule, not twice',
      in: { flag: undefined, hasResourceRules: true, prometheusUrl: undefined },
      issues: [],
    },
    {
      name: 'prometheus asked without resourceRules or URL',
      in: { flag: 'prometheus' as const, hasResourceRules: false, prometheusUrl: undefined },
      issues: [
        {
          path: '--resource-metrics-source',
          message: 'prometheus needs resourceRules (cpu, memory, window) in the --config file',
        },
        { path: '--prometheus-url', message: 'required with --resource-metrics-source=prometheus' },
      ],
    },
  ];
  it.each(cases)('$name', (c) => {
    expect(chooseResourceMetricsSource(c.in).issues).toEqual(c.issues);
  });
});

describe('parseServeConfig carries the choice', () => {
  const rulesFile = 'resourceRules: {window: 5m}\n';
  const read = (path: string): string => {
    if (path === 'c.yaml') return rulesFile;
    throw new Error(`ENOENT ${path}`);
  };
  const cases = [
    {
      name: 'resourceRules with a URL: prometheus',
      argv: ['--config=c.yaml', `--prometheus-url=${url}`],
      source: 'prometheus',
      issues: undefined,
    },
    { name: 'no config: kubelet', argv: [], source: 'kubelet', issues: undefined },
    {
      name: 'resourceRules without a URL: refused',
      argv: ['--config=c.yaml'],
      source: undefined,
      issues: ['--prometheus-url'],
    },
    {
      name: 'an unknown source: refused',
      argv: ['--resource-metrics-source=metrics-server'],
      source: undefined,
      issues: ['--resource-metrics-source'],
    },
  ];
  it.each(cases)('$name', (c) => {
    const parsed = parseServeConfig(c.argv, read);
    expect(parsed.issues?.map((i) => i.path)).toEqual(c.issues);
    expect(parsed.config?.resourceMetrics.source).toBe(c.source);
  });
});
