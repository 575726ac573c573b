/**
 * Semantic checks of a decoded {@link RulesConfig}: everything pkg/naming NamersFromConfig and
 * NewResourceConverter reject at startup (bad regexes, an ambiguous `name.as`, templates that do
 * not parse or lack `.Resource`), plus what prometheus-adapter only finds per request (unknown
 * template fields, empty queries, series selectors Prometheus refuses). Fills in the `name.as`
 * default as NamersFromConfig does.
 * @module
 */
import type { ConfigIssue } from './issues.js';
import type { DiscoveryRule, ResourceMapping, ResourceRule, RulesConfig } from './rules.js';
import { compileGoRegex, GoRegexError, type GoRegex } from './rules-regex.js';
import { parseSeriesSelector } from './rules-selector.js';
import { parseGoTemplate, TemplateError, type GoTemplate } from './rules-template.js';
import { checkTemplateFields } from './rules-template-check.js';
import {
  executeGoTemplate,
  queryTemplateSchema,
  resourceTemplateSchema,
  type TemplateData,
  type TemplateSchema,
} from './rules-template-exec.js';

/** Representative arguments for a trial render of a custom-metrics query (metrics_query.go Build). */
const customQueryArgs: TemplateData = {
  Series: 'http_requests_total',
  LabelMatchers: 'namespace="default",pod=~"a|b"',
  LabelValuesByName: { namespace: 'default', pod: 'a|b' },
  GroupBy: 'pod',
  GroupBySlice: ['pod'],
};

/** BuildExternal passes an empty GroupBy; the matchers come from the selector and namespace. */
const externalQueryArgs: TemplateData = {
  Series: 'queue_depth',
  LabelMatchers: 'queue="orders",namespace="default"',
  LabelValuesByName: { queue: 'orders', namespace: 'default' },
  GroupBy: '',
  GroupBySlice: [],
};

export function validateRules(config: RulesConfig, issues: ConfigIssue[]): void {
  config.rules.forEach((r, i) => validateRule(r, `rules[${i}]`, customQueryArgs, issues));
  config.externalRules.forEach((r, i) =>
    validateRule(r, `externalRules[${i}]`, externalQueryArgs, issues),
  );
  if (config.resourceRules) {
    validateResourceRule(config.resourceRules.cpu, 'resourceRules.cpu', issues);
    validateResourceRule(config.resourceRules.memory, 'resourceRules.memory', issues);
  }
}

function validateRule(
  rule: DiscoveryRule,
  path: string,
  args: TemplateData,
  issues: ConfigIssue[],
): void {
  if (rule.seriesQuery.trim() === '')
    issues.push({
      path: `${path}.seriesQuery`,
      message: 'required: the series selector sent to /api/v1/series',
    });
  else {
    const sel = parseSeriesSelector(rule.seriesQuery);
    if (!sel.ok)
      issues.push({
        path: `${path}.seriesQuery`,
        message: `invalid series selector: ${sel.message}`,
      });
  }
  rule.seriesFilters.forEach((f, i) => {
    const key = f.is !== undefined ? 'is' : 'isNot';
    regex(f.is ?? f.isNot, `${path}.seriesFilters[${i}].${key}`, issues);
  });
  validateName(rule, path, issues);
  validateResources(rule.resources, `${path}.resources`, issues);
  validateQuery(rule.metricsQuery, `${path}.metricsQuery`, args, issues);
}

function regex(pattern: string, path: string, issues: ConfigIssue[]): GoRegex | undefined {
  try {
    return compileGoRegex(pattern);
  } catch (err) {
    if (!(err instanceof GoRegexError)) throw err;
    issues.push({ path, message: `invalid regex ${JSON.stringify(pattern)}: ${err.message}` });
    return undefined;
  }
}

/** NamersFromConfig: `as` defaults to `$0` with no capture group, `$1` with one, else it is required. */
function validateName(rule: DiscoveryRule, path: string, issues: ConfigIssue[]): void {
  const re = regex(
    rule.name.matches === '' ? '.*' : rule.name.matches,
    `${path}.name.matches`,
    issues,
  );
  if (!re || rule.name.as !== '') return;
  if (re.groupCount === 0) rule.name.as = '$0';
  else if (re.groupCount === 1) rule.name.as = '$1';
  else
    issues.push({
      path: `${path}.name.as`,
      message: `required: name.matches has ${re.groupCount} capture groups, so say which to use`,
    });
}

function template(
  text: string,
  path: string,
  schema: TemplateSchema,
  issues: ConfigIssue[],
): GoTemplate | undefined {
  let parsed: GoTemplate;
  try {
    parsed = parseGoTemplate(text);
  } catch (err) {
    if (!(err instanceof TemplateError)) throw err;
    issues.push({ path, message: `invalid template: ${err.message}` });
    return undefined;
  }
  const fieldIssues = checkTemplateFields(parsed, schema);
  for (const message of fieldIssues) issues.push({ path, message: `invalid template: ${message}` });
  return fieldIssues.length === 0 ? parsed : undefined;
}

function render(
  t: GoTemplate,
  schema: TemplateSchema,
  data: TemplateData,
  path: string,
  issues: ConfigIssue[],
): string | undefined {
  try {
    return executeGoTemplate(t, schema, data);
  } catch (err) {
    if (!(err instanceof TemplateError)) throw err;
    issues.push({ path, message: `template fails to execute: ${err.message}` });
    return undefined;
  }
}

function validateQuery(
  text: string,
  path: string,
  args: TemplateData,
  issues: ConfigIssue[],
): void {
  if (text.trim() === '') {
    issues.push({
      path,
      message:
        'required: an empty query template yields an empty query, which prometheus-adapter rejects on every request',
    });
    return;
  }
  const t = template(text, path, queryTemplateSchema, issues);
  if (!t) return;
  const out = render(t, queryTemplateSchema, args, path, issues);
  if (out === '') issues.push({ path, message: 'template renders an empty query' });
}

/**
 * NewResourceConverter/newLabelGroupResExtractor: the template rendered with regex groups for
 * `.Group` and `.Resource` must be a valid regex that captures the resource.
 */
function validateResources(mapping: ResourceMapping, path: string, issues: ConfigIssue[]): void {
  for (const [label, ref] of Object.entries(mapping.overrides)) {
    if (ref.resource.trim() === '')
      issues.push({
        path: `${path}.overrides.${label}.resource`,
        message: 'required: the resource this label names',
      });
  }
  if (mapping.template === '') return;
  const t = template(mapping.template, `${path}.template`, resourceTemplateSchema, issues);
  if (!t) return;
  const out = render(
    t,
    resourceTemplateSchema,
    { Group: '(?P<group>.+?)', Resource: '(?P<resource>.+?)' },
    `${path}.template`,
    issues,
  );
  if (out === undefined) return;
  if (out === '') {
    issues.push({ path: `${path}.template`, message: 'template renders an empty label name' });
    return;
  }
  const re = regex(`^${out}$`, `${path}.template`, issues);
  if (re && !re.groupNames.includes('resource'))
    issues.push({ path: `${path}.template`, message: 'must include <<.Resource>>' });
}

function validateResourceRule(rule: ResourceRule, path: string, issues: ConfigIssue[]): void {
  validateQuery(rule.containerQuery, `${path}.containerQuery`, customQueryArgs, issues);
  validateQuery(rule.nodeQuery, `${path}.nodeQuery`, customQueryArgs, issues);
  validateResources(rule.resources, `${path}.resources`, issues);
  if (rule.containerLabel.trim() === '')
    issues.push({
      path: `${path}.containerLabel`,
      message: 'required: the label holding the container name',
    });
}
