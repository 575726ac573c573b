/**
 * Label selectors as Kubernetes defines them: the string grammar of labels.Parse
 * (apimachinery pkg/labels/selector.go) and metav1.LabelSelector objects converted as
 * LabelSelectorAsSelector (pkg/apis/meta/v1/helpers.go) does. Field selectors live in
 * field-selector.ts and are re-exported here.
 *
 * @example
 * parseSelector('app=web,tier in (api,db),!canary').matches({ app: 'web', tier: 'db' }); // true
 * @module
 */
import type { V1LabelSelector } from '@kubernetes/client-node';
import { labelKeyIssue, labelValueIssue } from './label-validation.js';
import { SelectorError } from './selector-error.js';
import { parseRequirements, SelectorSyntaxError, type RawRequirement } from './selector-parser.js';

export { SelectorError } from './selector-error.js';

export { parseFieldSelector, type FieldRequirement, type FieldSelector } from './field-selector.js';

export type SelectorOperator =
  'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Equals' | 'DoubleEquals' | 'NotEquals';

/** One condition on one label key. `values` is sorted and free of duplicates. */
export interface Requirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values: readonly string[];
}

export interface Selector {
  /** Sorted by key, as upstream's parse and Add sort them. */
  readonly requirements: readonly Requirement[];
  /** True when every requirement holds; `undefined` labels are no labels. */
  matches(labels: Readonly<Record<string, string>> | undefined): boolean;
  /** True only for the select-everything selector. */
  empty(): boolean;
  /** Canonical text that parseSelector accepts back (internalSelector.String). */
  toString(): string;
}

/** Longest accepted selector text; more is hostile or a bug, never a real selector. */
export const MAX_SELECTOR_LENGTH = 16 * 1024;

function hasLabel(labels: Readonly<Record<string, string>>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(labels, key);
}

/** Requirement.Matches: absent keys satisfy NotIn, != and DoesNotExist only. */
function requirementMatches(r: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const present = hasLabel(labels, r.key);
  switch (r.operator) {
    case 'In':
    case 'Equals':
    case 'DoubleEquals':
      return present && r.values.includes(labels[r.key]!);
    case 'NotIn':
    case 'NotEquals':
      return !present || !r.values.includes(labels[r.key]!);
    case 'Exists':
      return present;
    case 'DoesNotExist':
      return !present;
  }
}

const OPERATOR_TEXT: Readonly<Record<SelectorOperator, string>> = {
  In: ' in ',
  NotIn: ' notin ',
  Equals: '=',
  DoubleEquals: '==',
  NotEquals: '!=',
  Exists: '',
  DoesNotExist: '',
};

/** Requirement.String: `!key`, `key`, `key=v`, `key in (a,b)`. */
function requirementText(r: Requirement): string {
  if (r.operator === 'Exists') return r.key;
  if (r.operator === 'DoesNotExist') return `!${r.key}`;
  const values = r.values.join(',');
  const list = r.operator === 'In' || r.operator === 'NotIn' ? `(${values})` : values;
  return `${r.key}${OPERATOR_TEXT[r.operator]}${list}`;
}

class RequirementsSelector implements Selector {
  readonly requirements: readonly Requirement[];
  constructor(requirements: Requirement[]) {
    // Stable sort: upstream sorts by key too, and equal keys keep their written order here.
    this.requirements = Object.freeze(
      requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    );
  }
  matches(labels: Readonly<Record<string, string>> | undefined): boolean {
    const set = labels ?? {};
    return this.requirements.every((r) => requirementMatches(r, set));
  }
  empty(): boolean {
    return this.requirements.length === 0;
  }
  toString(): string {
    return this.requirements.map(requirementText).join(',');
  }
}

/** Selects every object (labels.Everything). */
export const everything: Selector = new RequirementsSelector([]);

/** Selects no object; prints as '' like upstream's nothingSelector, and is not empty(). */
const NO_REQUIREMENTS: readonly Requirement[] = Object.freeze([]);
export const nothing: Selector = Object.freeze({
  requirements: NO_REQUIREMENTS,
  matches: () => false,
  empty: () => false,
  toString: () => '',
});

/** NewRequirement's validation: key, value count per operator, each value. Returns an issue or the requirement. */
function validated(raw: RawRequirement): Requirement | string {
  const keyIssue = labelKeyIssue(raw.key);
  if (keyIssue !== undefined) return `invalid label key ${JSON.stringify(raw.key)}: ${keyIssue}`;
  const count = raw.values.length;
  if ((raw.operator === 'In' || raw.operator === 'NotIn') && count === 0) {
    return `key ${JSON.stringify(raw.key)}: for 'in', 'notin' operators, values set can't be empty`;
  }
  if ((raw.operator === 'Exists' || raw.operator === 'DoesNotExist') && count !== 0) {
    return `key ${JSON.stringify(raw.key)}: values set must be empty for exists and does not exist`;
  }
  if (['Equals', 'DoubleEquals', 'NotEquals'].includes(raw.operator) && count !== 1) {
    return `key ${JSON.stringify(raw.key)}: exact-match compatibility requires one single value`;
  }
  for (const value of raw.values) {
    const issue = labelValueIssue(value);
    if (issue !== undefined)
      return `invalid label value ${JSON.stringify(value)} for key ${JSON.stringify(raw.key)}: ${issue}`;
  }
  const values = Object.freeze([...new Set(raw.values)].sort());
  return Object.freeze({ key: raw.key, operator: raw.operator, values });
}

/**
 * Parses a label selector string (labels.Parse): `a=b`, `a==b`, `a!=b`, `a in (x,y)`,
 * `a notin (x)`, `a`, `!a`, joined by commas. The empty string selects everything.
 * @throws SelectorError naming the offending token, key or value.
 */
export function parseSelector(s: string): Selector {
  if (s.length > MAX_SELECTOR_LENGTH)
    throw new SelectorError(s, `longer than ${MAX_SELECTOR_LENGTH} characters`);
  let raw: RawRequirement[];
  try {
    raw = parseRequirements(s);
  } catch (err) {
    if (err instanceof SelectorSyntaxError) throw new SelectorError(s, err.message);
    throw err;
  }
  if (raw.length === 0) return everything;
  const requirements = raw.map((r) => {
    const result = validated(r);
    if (typeof result === 'string') throw new SelectorError(s, result);
    return result;
  });
  return new RequirementsSelector(requirements);
}

const LABEL_SELECTOR_OPERATORS: Readonly<Record<string, SelectorOperator>> = {
  In: 'In',
  NotIn: 'NotIn',
  Exists: 'Exists',
  DoesNotExist: 'DoesNotExist',
};

/**
 * Converts a metav1.LabelSelector as LabelSelectorAsSelector does: null/undefined selects nothing,
 * an empty selector selects everything; matchLabels become `=` requirements; In/NotIn need values
 * and Exists/DoesNotExist must have none.
 * @throws SelectorError (its `input` is the JSON of the selector).
 */
export function selectorFromLabelSelector(ls: V1LabelSelector | null | undefined): Selector {
  if (ls === null || ls === undefined) return nothing;
  const matchLabels = Object.entries(ls.matchLabels ?? {});
  const expressions = ls.matchExpressions ?? [];
  if (matchLabels.length + expressions.length === 0) return everything;
  const raw: RawRequirement[] = matchLabels.map(([key, value]) => ({
    key,
    operator: 'Equals',
    values: [value],
  }));
  for (const expression of expressions) {
    const operator = Object.prototype.hasOwnProperty.call(
      LABEL_SELECTOR_OPERATORS,
      expression.operator,
    )
      ? LABEL_SELECTOR_OPERATORS[expression.operator]
      : undefined;
    if (operator === undefined) {
      throw new SelectorError(
        JSON.stringify(ls),
        `${JSON.stringify(expression.operator)} is not a valid label selector operator`,
      );
    }
    raw.push({ key: expression.key, operator, values: [...(expression.values ?? [])] });
  }
  const requirements = raw.map((r) => {
    const result = validated(r);
    if (typeof result === 'string') throw new SelectorError(JSON.stringify(ls), result);
    return result;
  });
  return new RequirementsSelector(requirements);
}
