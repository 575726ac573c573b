/**
 * The leader-election part of `serve`'s configuration and its cross-flag rules, which are
 * component-base's ValidateLeaderElectionConfiguration: every period positive, the lease
 * duration longer than the renew deadline, and the renew deadline longer than the jittered retry
 * period, so a leader always steps down before a peer may take over.
 * @module
 */
import { dns1123SubdomainIssue } from '../k8s/index.js';
import type { FlagValue } from './flag-values.js';
import type { ConfigIssue } from './issues.js';

export interface LeaderElectionConfig {
  enabled: boolean;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  resourceName: string;
  resourceNamespace: string;
}

/** client-go's JitterFactor on the retry period; the renew deadline must outlast a jittered retry. */
const jitterFactor = 1.2;

export function buildLeaderElection(
  values: ReadonlyMap<string, FlagValue>,
  issues: ConfigIssue[],
): LeaderElectionConfig {
  const c: LeaderElectionConfig = {
    enabled: values.get('leader-elect') as boolean,
    leaseDurationMs: values.get('leader-elect-lease-duration') as number,
    renewDeadlineMs: values.get('leader-elect-renew-deadline') as number,
    retryPeriodMs: values.get('leader-elect-retry-period') as number,
    resourceName: values.get('leader-elect-resource-name') as string,
    resourceNamespace: values.get('leader-elect-resource-namespace') as string,
  };
  if (!c.enabled) return c;
  const issue = (flag: string, message: string): number =>
    issues.push({ path: `--leader-elect-${flag}`, message });
  if (c.leaseDurationMs <= 0) issue('lease-duration', 'must be positive');
  if (c.renewDeadlineMs <= 0) issue('renew-deadline', 'must be positive');
  if (c.retryPeriodMs <= 0) issue('retry-period', 'must be positive');
  if (c.leaseDurationMs <= c.renewDeadlineMs)
    issue(
      'lease-duration',
      `must be greater than --leader-elect-renew-deadline (${c.renewDeadlineMs} ms), not ${c.leaseDurationMs} ms`,
    );
  if (c.renewDeadlineMs <= c.retryPeriodMs * jitterFactor)
    issue(
      'renew-deadline',
      `must be greater than ${jitterFactor} x --leader-elect-retry-period (${c.retryPeriodMs * jitterFactor} ms), not ${c.renewDeadlineMs} ms`,
    );
  for (const [flag, value] of [
    ['resource-name', c.resourceName],
    ['resource-namespace', c.resourceNamespace],
  ] as const) {
    const problem = dns1123SubdomainIssue(value);
    if (problem !== undefined) issue(flag, problem);
  }
  return c;
}
