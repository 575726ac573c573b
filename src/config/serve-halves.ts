/**
 * Half a Prometheus configuration: rules without `--prometheus-url`, or a URL without rules. Either
 * alone starts no Prometheus collector, which used to happen without a word. Rules without a URL
 * are refused (exit 2, before anything is contacted): they can do nothing, and a user who wrote
 * them expects metrics. A URL without rules is accepted with one warning at start, because that
 * is how a chart starts before its rules are configured (prometheus-adapter's chart ships a
 * ConfigMap that may be empty), and the URL is harmless until they arrive.
 * @module
 */
import type { ConfigIssue } from './issues.js';
import type { ServeConfig } from './serve-config.js';

/** The rule keys of `doc` that hold something: a non-empty list, or a non-empty resourceRules. */
export function configuredRuleKeys(doc: Readonly<Record<string, unknown>> | undefined): string[] {
  if (!doc) return [];
  const keys: string[] = [];
  for (const key of ['rules', 'externalRules'] as const)
    if (Array.isArray(doc[key]) && doc[key].length > 0) keys.push(key);
  const resource = doc.resourceRules;
  if (typeof resource === 'object' && resource !== null && Object.keys(resource).length > 0)
    keys.push('resourceRules');
  return keys;
}

/** The refusal: rules given, no URL to run them against. */
export function rulesWithoutPrometheus(config: ServeConfig): ConfigIssue[] {
  const keys = configuredRuleKeys(config.rulesDocument);
  if (keys.length === 0 || config.prometheus.url !== undefined) return [];
  return [
    {
      path: '--prometheus-url',
      message: `required when --config has ${keys.join(', ')}: without a Prometheus to query, those rules would serve nothing`,
    },
  ];
}

/** Whether `issue` is the refusal above (`config check` without a URL checks the file alone). */
export function isRulesWithoutPrometheus(issue: ConfigIssue): boolean {
  return (
    issue.path === '--prometheus-url' && issue.message.startsWith('required when --config has ')
  );
}

/**
 * Accepted settings that will do nothing in this run, for one warning line each at start. The
 * embedded cluster (no kubeconfig, or --embedded) simulates its own metrics and queries no
 * Prometheus, so there the URL and rules are idle too.
 */
export function idleSettingWarnings(
  config: ServeConfig,
  run: { embedded: boolean },
): ConfigIssue[] {
  if (config.prometheus.url === undefined) return [];
  if (run.embedded)
    return [
      {
        path: '--prometheus-url',
        message:
          'the embedded cluster simulates its own metrics and queries no Prometheus; its rules are not used',
      },
    ];
  if (configuredRuleKeys(config.rulesDocument).length > 0) return [];
  return [
    {
      path: '--prometheus-url',
      message:
        'no rules, externalRules or resourceRules in --config: no Prometheus collector runs and custom and external metrics stay empty until rules are configured',
    },
  ];
}
