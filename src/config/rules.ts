/**
 * prometheus-adapter's metrics discovery config (pkg/config/config.go MetricsDiscoveryConfig):
 * `rules`, `externalRules` and `resourceRules`, parsed strictly (unknown keys are errors with
 * their path, as cmd/adapter loads it with yaml.UnmarshalStrict) and validated the way
 * pkg/naming NamersFromConfig would fail at startup, plus the template and selector mistakes it
 * would only hit per request. Reading the file is the caller's job.
 * @module
 */
import type { ConfigIssue, Parsed } from './issues.js';
import { decodeRulesDocument } from './rules-decode.js';
import { validateRules } from './rules-validate.js';
import { documentBody, locateIssues, parseLocated } from './yaml-locate.js';

/** A series-name filter: exactly one of `is` / `isNot` (config.go RegexFilter). */
export type RegexFilter = { is: string; isNot?: undefined } | { isNot: string; is?: undefined };

/** A group and resource as written in `overrides` (resource may be singular: `pod`). */
export interface ResourceRef {
  group: string;
  resource: string;
}

/** How series labels map to Kubernetes resources (config.go ResourceMapping). */
export interface ResourceMapping {
  /** Go template over `.Group` and `.Resource`, such as `kube_<<.Group>>_<<.Resource>>`; "" for none. */
  template: string;
  /** Label name to the group resource it names. */
  overrides: Readonly<Record<string, ResourceRef>>;
  /** External rules only: false stops the HPA's namespace being added to the query (default true). */
  namespaced?: boolean;
}

/** How a series name becomes the API metric name (config.go NameMapping). */
export interface NameMapping {
  /** Go regex; "" means `.*`. */
  matches: string;
  /** Expansion template; defaulted as NamersFromConfig does: `$0` without groups, `$1` with one. */
  as: string;
}

export interface LabelValueReplacement {
  find: string;
  replace: string;
}

/** One discovery rule (config.go DiscoveryRule). */
export interface DiscoveryRule {
  seriesQuery: string;
  seriesFilters: RegexFilter[];
  resources: ResourceMapping;
  name: NameMapping;
  /** Go template with `<<` `>>` delimiters over Series, LabelMatchers, LabelValuesByName, GroupBy, GroupBySlice. */
  metricsQuery: string;
  labelValueReplacements: LabelValueReplacement[];
}

/** config.go ResourceRule: how prometheus-adapter would serve metrics.k8s.io from Prometheus. */
export interface ResourceRule {
  containerQuery: string;
  nodeQuery: string;
  resources: ResourceMapping;
  containerLabel: string;
}

export interface ResourceRules {
  cpu: ResourceRule;
  memory: ResourceRule;
  /** The `window` (a Prometheus duration) in milliseconds; 0 when absent, as Go's zero value. */
  windowMs: number;
}

export interface RulesConfig {
  rules: DiscoveryRule[];
  externalRules: DiscoveryRule[];
  resourceRules?: ResourceRules;
}

/** The top-level keys of a prometheus-adapter config. */
export const rulesDocumentKeys = ['rules', 'externalRules', 'resourceRules'] as const;

/**
 * Parses and validates a prometheus-adapter config file's text. Every problem is reported with
 * its path (`rules[2].seriesFilters[0].isNot`), never only the first.
 */
export function parseRulesConfig(text: string): Parsed<RulesConfig> {
  const located = parseLocated(text);
  if (located.syntaxIssues.length > 0) return { issues: located.syntaxIssues };
  const doc = documentBody(located);
  if ('issue' in doc) return { issues: [doc.issue] };
  const parsed = parseRulesDocument(doc.body);
  return parsed.issues ? { issues: locateIssues(parsed.issues, located) } : parsed;
}

/** As {@link parseRulesConfig}, for a document the caller already parsed (the serve config embeds one). */
export function parseRulesDocument(obj: unknown): Parsed<RulesConfig> {
  const issues: ConfigIssue[] = [];
  const config = decodeRulesDocument(obj, issues);
  validateRules(config, issues);
  return issues.length > 0 ? { issues } : { config };
}

/** {@link parseRulesDocument} in the shape src/config's serve parser takes (`RulesValidator`). */
export function rulesDocumentIssues(obj: Record<string, unknown>): ConfigIssue[] {
  return parseRulesDocument(obj).issues ?? [];
}
