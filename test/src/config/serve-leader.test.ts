import { describe, expect, it } from 'vitest';
import { parseServeConfig, type ReadFile } from '../../../src/config/index.js';

const noFiles: ReadFile = (path) => {
  throw new Error(`ENOENT: no such file ${path}`);
};

describe('leader election flags: should pass', () => {
  const cases = [
    {
      name: "defaults are client-go's leaderelection defaults",
      argv: [],
      want: {
        enabled: true,
        leaseDurationMs: 15_000,
        renewDeadlineMs: 10_000,
        retryPeriodMs: 2_000,
        resourceName: 'scaleplane',
        resourceNamespace: 'kube-system',
      },
    },
    {
      name: 'the chart names the Lease in its release namespace',
      argv: ['--leader-elect-resource-name=sp', '--leader-elect-resource-namespace=monitoring'],
      want: { resourceName: 'sp', resourceNamespace: 'monitoring' },
    },
    {
      name: 'disabled: timings are not checked',
      argv: ['--leader-elect=false', '--leader-elect-renew-deadline=1h'],
      want: { enabled: false },
    },
    {
      name: 'the config file takes camelCase names',
      argv: ['--config=/c.yaml'],
      file: 'leaderElectLeaseDuration: 30s\nleaderElectRenewDeadline: 20s\n',
      want: { leaseDurationMs: 30_000, renewDeadlineMs: 20_000 },
    },
  ];
  it.each(cases)('$name', ({ argv, want, file }) => {
    const parsed = parseServeConfig(argv, file ? () => file : noFiles);
    expect(parsed.issues).toBeUndefined();
    expect(parsed.config?.leaderElection).toMatchObject(want);
  });
});

describe('leader election flags: should fail', () => {
  const cases = [
    {
      name: 'lease duration not above renew deadline',
      argv: ['--leader-elect-lease-duration=10s'],
      path: '--leader-elect-lease-duration',
    },
    {
      name: 'renew deadline within a jittered retry period',
      argv: ['--leader-elect-retry-period=9s'],
      path: '--leader-elect-renew-deadline',
    },
    {
      name: 'a Lease name that is not a DNS subdomain',
      argv: ['--leader-elect-resource-name=Scale_Plane'],
      path: '--leader-elect-resource-name',
    },
    {
      name: 'a zero retry period',
      argv: ['--leader-elect-retry-period=0s'],
      path: '--leader-elect-retry-period',
    },
  ];
  it.each(cases)('$name', ({ argv, path }) => {
    const parsed = parseServeConfig(argv, noFiles);
    expect(parsed.issues?.map((i) => i.path)).toContain(path);
  });
});
