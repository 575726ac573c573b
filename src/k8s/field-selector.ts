/**
 * Field selectors (apimachinery pkg/fields/selector.go ParseSelector): comma-joined
 * `field=value`, `field==value` and `field!=value` terms, with `\`, `,` and `=` escaped by a
 * backslash inside values. Fields are not validated here: each API decides which it supports.
 * @module
 */
import { SelectorError } from './selector-error.js';

export interface FieldRequirement {
  field: string;
  operator: '=' | '==' | '!=';
  /** Unescaped value. */
  value: string;
}

export interface FieldSelector {
  /** Sorted by their written text, as upstream sorts the terms before parsing them. */
  readonly requirements: readonly FieldRequirement[];
  /** True when every term holds; a missing field reads as the empty string (fields.Set.Get). */
  matches(fields: Readonly<Record<string, string>>): boolean;
  empty(): boolean;
  /** Canonical text: `==` prints as `=`, values re-escaped (hasTerm.String / notHasTerm.String). */
  toString(): string;
}

/** Longest accepted field selector text. */
const MAX_FIELD_SELECTOR_LENGTH = 16 * 1024;

// "!=" and "==" are tried before "=" at each position, so "a==b" never leaves "=b" as the value.
const TERM_OPERATORS = ['!=', '==', '='] as const;

/** Splits on commas that are not escaped; escapes stay in the terms (fields.splitTerms). */
function splitTerms(s: string): string[] {
  const terms: string[] = [];
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === ',') {
      terms.push(s.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(s.slice(start));
  return terms;
}

/** Splits at the first operator; the field part has no escaping (fields.splitTerm). */
function splitTerm(term: string): FieldRequirement | undefined {
  for (let i = 0; i < term.length; i++) {
    const operator = TERM_OPERATORS.find((op) => term.startsWith(op, i));
    if (operator !== undefined)
      return { field: term.slice(0, i), operator, value: term.slice(i + operator.length) };
  }
  return undefined;
}

/** Resolves `\\`, `\,` and `\=`; any other escape or a bare `,`/`=` is an error (fields.UnescapeValue). */
function unescapeValue(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\') {
      const next = raw[i + 1];
      if (next !== '\\' && next !== ',' && next !== '=')
        throw new Error(`invalid escape sequence: \\${next ?? ''}`);
      out += next;
      i++;
    } else if (c === ',' || c === '=') {
      throw new Error(`unescaped character in value: ${c}`);
    } else {
      out += c;
    }
  }
  return out;
}

function escapeValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

function termMatches(r: FieldRequirement, fields: Readonly<Record<string, string>>): boolean {
  const actual = Object.prototype.hasOwnProperty.call(fields, r.field) ? fields[r.field] : '';
  return r.operator === '!=' ? actual !== r.value : actual === r.value;
}

function termText(r: FieldRequirement): string {
  return `${r.field}${r.operator === '!=' ? '!=' : '='}${escapeValue(r.value)}`;
}

/**
 * Parses a field selector (fields.ParseSelector). Whitespace is data, as upstream: "a = b" has the
 * field "a " and the value " b". The empty string selects everything.
 * @throws SelectorError naming the term that is not understood.
 */
export function parseFieldSelector(s: string): FieldSelector {
  if (s.length > MAX_FIELD_SELECTOR_LENGTH)
    throw new SelectorError(s, `longer than ${MAX_FIELD_SELECTOR_LENGTH} characters`);
  const terms = s === '' ? [] : splitTerms(s).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const requirements: FieldRequirement[] = [];
  for (const term of terms) {
    if (term === '') continue;
    const parsed = splitTerm(term);
    if (parsed === undefined)
      throw new SelectorError(s, `can't understand ${JSON.stringify(term)}`);
    try {
      parsed.value = unescapeValue(parsed.value);
    } catch (err) {
      throw new SelectorError(s, (err as Error).message);
    }
    requirements.push(Object.freeze(parsed));
  }
  Object.freeze(requirements);
  return {
    requirements,
    matches: (fields) => requirements.every((r) => termMatches(r, fields)),
    empty: () => requirements.length === 0,
    toString: () => requirements.map(termText).join(','),
  };
}
