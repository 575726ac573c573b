/**
 * PromQL for one rule, from its metricsQuery template (prometheus-adapter pkg/naming
 * metrics_query.go): `Build` for custom metrics and `BuildExternal` for external ones, with the
 * template arguments Series, LabelMatchers, LabelValuesByName, GroupBy and GroupBySlice made
 * exactly as upstream makes them — metricSelector requirements first (sorted by key), then the
 * namespace, then the resource names (`pod="a"`, or `pod=~"a|b"` for several).
 *
 * Besides named objects, `Build` takes {@link allObjects}: the collector's one query per metric and
 * group resource per cycle matches every object (`pod=~".+"`) in every namespace
 * (`namespace=~".+"`) and groups by the namespace label too, so results from different namespaces
 * stay apart.
 * @module
 */
import {
  executeGoTemplate,
  queryTemplateSchema,
  type GoTemplate,
  type LabelValueReplacement,
} from '../../src/config/index.js';
import { goQuote, type Requirement, type Selector } from '../../src/k8s/index.js';
import type { GroupResource } from '../../src/store/index.js';
import { PrometheusError } from './errors.js';
import { namespacesResource, type ResourceConverter } from './resources.js';

/** Every object (or every namespace): matched with `=~".+"`, which selects any non-empty value. */
export const allObjects: unique symbol = Symbol('all objects');
export type Scope = string | typeof allObjects;

const anyValue = '.+';

interface QueryPart {
  label: string;
  values: readonly string[];
  operator: Requirement['operator'];
}

function fail(message: string): never {
  throw new PrometheusError('query_build', message);
}

/** selectMatcher + selectTargetValue: the PromQL matcher for one selector requirement. */
function matcherFor(part: QueryPart): string {
  const { label, values, operator } = part;
  const q = (op: string, value: string): string => `${label}${op}${goQuote(value)}`;
  if (label === '') fail('label not specified');
  if (values.length === 0) {
    if (operator === 'Exists') return q('!=', '');
    if (operator === 'DoesNotExist') return q('=', '');
    fail(`malformed query: operator ${operator} without values`);
  }
  if (operator === 'Exists' || operator === 'DoesNotExist') fail('operator does not take values');
  const joined = values.join('|');
  // Upstream passes values through unescaped, so a single value may itself be a regex.
  if (values.length === 1) {
    if (operator === 'Equals' || operator === 'DoubleEquals') return q('=', joined);
    if (operator === 'NotEquals') return q('!=', joined);
    return q(operator === 'In' ? '=~' : '!~', joined);
  }
  return q(
    operator === 'Equals' || operator === 'DoubleEquals' || operator === 'In' ? '=~' : '!~',
    joined,
  );
}

/** processQueryParts: matcher expressions plus the `|`-joined values by label. */
function processParts(parts: readonly QueryPart[]): {
  exprs: string[];
  valuesByName: Record<string, string>;
} {
  const exprs: string[] = [];
  const valuesByName: Record<string, string> = {};
  for (const part of parts) {
    exprs.push(matcherFor(part));
    valuesByName[part.label] = part.values.join('|');
  }
  return { exprs, valuesByName };
}

function selectorParts(selector: Selector): QueryPart[] {
  return selector.requirements.map((r) => ({
    label: r.key,
    values: r.values,
    operator: r.operator,
  }));
}

function scopePart(label: string, scope: Scope): QueryPart {
  return scope === allObjects
    ? { label, values: [anyValue], operator: 'In' }
    : { label, values: [scope], operator: 'Equals' };
}

/** Go strings.ReplaceAll, whose empty `find` inserts `replace` around every character. */
function goReplaceAll(s: string, find: string, replace: string): string {
  if (find !== '') return s.split(find).join(replace);
  return s === '' ? replace : `${replace}${[...s].join(replace)}${replace}`;
}

/** A rule's compiled metricsQuery with its resource converter (naming.metricsQuery). */
export class MetricsQuery {
  constructor(
    private readonly template: GoTemplate,
    private readonly converter: ResourceConverter,
    /** External rules only: whether the HPA's namespace becomes a matcher (resources.namespaced). */
    readonly namespaced: boolean,
    private readonly replacements: readonly LabelValueReplacement[] = [],
  ) {}

  /**
   * Build: the query for `names` of `resource`, in `namespace` (undefined for root-scoped
   * resources). `extraGroupBy` follows the resource label in GroupBy, as upstream's argument.
   */
  build(
    series: string,
    resource: GroupResource,
    namespace: Scope | undefined,
    extraGroupBy: readonly string[],
    selector: Selector,
    names: readonly string[] | typeof allObjects,
  ): string {
    const parts = selectorParts(selector);
    if (namespace !== undefined)
      parts.push(scopePart(this.converter.labelForResource(namespacesResource), namespace));
    const { exprs, valuesByName } = processParts(parts);
    const resourceLabel = this.converter.labelForResource(resource);
    const target = names === allObjects ? anyValue : names.join('|');
    const op = names === allObjects || names.length > 1 ? '=~' : '=';
    exprs.push(`${resourceLabel}${op}${goQuote(target)}`);
    valuesByName[resourceLabel] = target;
    const groupBy = [resourceLabel, ...extraGroupBy];
    return this.render({
      Series: series,
      LabelMatchers: exprs.join(','),
      LabelValuesByName: valuesByName,
      GroupBy: groupBy.join(','),
      GroupBySlice: groupBy,
    });
  }

  /**
   * BuildExternal: the selector's matchers plus, for namespaced rules, the namespace; GroupBy
   * empty; labelValueReplacements applied to LabelValuesByName only, as upstream does.
   */
  buildExternal(series: string, namespace: string | undefined, selector: Selector): string {
    const parts = selectorParts(selector);
    if (this.namespaced && namespace !== undefined)
      parts.push(scopePart(this.converter.labelForResource(namespacesResource), namespace));
    const { exprs, valuesByName } = processParts(parts);
    for (const r of this.replacements) {
      for (const key of Object.keys(valuesByName))
        valuesByName[key] = goReplaceAll(valuesByName[key]!, r.find, r.replace);
    }
    return this.render({
      Series: series,
      LabelMatchers: exprs.join(','),
      LabelValuesByName: valuesByName,
      GroupBy: '',
      GroupBySlice: [],
    });
  }

  /** The label naming `resource` in this rule's series. */
  labelFor(resource: GroupResource): string {
    return this.converter.labelForResource(resource);
  }

  private render(args: Parameters<typeof executeGoTemplate>[2]): string {
    let query: string;
    try {
      query = executeGoTemplate(this.template, queryTemplateSchema, args);
    } catch (err) {
      throw new PrometheusError(
        'query_build',
        `metrics query template failed: ${(err as Error).message}`,
        { cause: err },
      );
    }
    if (query === '') fail('empty query produced by metrics query template');
    return query;
  }
}
