/**
 * Where metrics.k8s.io comes from: the kubelets (metrics-server's way) or Prometheus
 * `resourceRules` (prometheus-adapter's way, as kube-prometheus deploys it). One source serves
 * the API, never a mix: `--resource-metrics-source` chooses; unset, it is `prometheus` when the
 * config has `resourceRules` and `kubelet` otherwise. The choice and its reason are logged once
 * at start. A choice that cannot work is refused here, with the flag or key that is missing.
 * @module
 */
import type { ConfigIssue } from './issues.js';

export type ResourceMetricsSource = 'kubelet' | 'prometheus';

export const resourceMetricsSources: readonly ResourceMetricsSource[] = ['kubelet', 'prometheus'];

export interface ResourceMetricsChoice {
  source: ResourceMetricsSource;
  /** Why, for the start-up log line. */
  reason: string;
  /** A setting accepted but not used by this choice, for a warning at start. */
  unused?: string;
}

export interface ResourceSourceInputs {
  /** `--resource-metrics-source`, undefined when not given. */
  flag: ResourceMetricsSource | undefined;
  /** Whether the --config document has `resourceRules`. */
  hasResourceRules: boolean;
  prometheusUrl: string | undefined;
}

/** The source metrics.k8s.io is served from, or the issues that make the choice impossible. */
export function chooseResourceMetricsSource(i: ResourceSourceInputs): {
  choice: ResourceMetricsChoice;
  issues: ConfigIssue[];
} {
  const issues: ConfigIssue[] = [];
  const path = '--resource-metrics-source';
  if (i.flag === 'kubelet' || (i.flag === undefined && !i.hasResourceRules)) {
    const choice: ResourceMetricsChoice = {
      source: 'kubelet',
      reason:
        i.flag === undefined
          ? `default without resourceRules in --config (${path} unset)`
          : `${path}=kubelet`,
    };
    if (i.hasResourceRules)
      choice.unused = `resourceRules in --config are not served: ${path}=kubelet`;
    return { choice, issues };
  }
  const choice: ResourceMetricsChoice = {
    source: 'prometheus',
    reason:
      i.flag === undefined
        ? `default with resourceRules in --config (${path} unset)`
        : `${path}=prometheus`,
  };
  if (!i.hasResourceRules)
    issues.push({
      path,
      message: 'prometheus needs resourceRules (cpu, memory, window) in the --config file',
    });
  // Rules without a URL are refused once, by serve-halves.ts (which `config check` skips offline);
  // only the explicit flag adds its own reason.
  if (i.prometheusUrl === undefined && i.flag === 'prometheus')
    issues.push({ path: '--prometheus-url', message: `required with ${path}=prometheus` });
  return { choice, issues };
}
