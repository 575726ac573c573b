/**
 * PromQL series selectors (`name{label="v",...}`), as a rule's `seriesQuery` is sent to
 * Prometheus's /api/v1/series. Checking them at load time turns the 400 every relist would get
 * (which in prometheus-adapter fails the whole metric list update, custom-provider/provider.go
 * updateMetrics) into a config issue with the rule's path.
 * @module
 */
import { compileGoRegex, GoRegexError, goRegexTest } from './rules-regex.js';

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  name: string;
  op: MatchOp;
  value: string;
}

export type SelectorParse = { ok: true; matchers: LabelMatcher[] } | { ok: false; message: string };

const metricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*/;

/** Parses a series selector; on success every `=~`/`!~` value is a valid Go regex. */
export function parseSeriesSelector(text: string): SelectorParse {
  let rest = text.trim();
  const matchers: LabelMatcher[] = [];
  const name = metricName.exec(rest)?.[0];
  if (name !== undefined) {
    matchers.push({ name: '__name__', op: '=', value: name });
    rest = rest.slice(name.length).trimStart();
  }
  if (rest.startsWith('{')) {
    const parsed = parseMatchers(rest.slice(1));
    if (!parsed.ok) return parsed;
    matchers.push(...parsed.matchers);
    rest = parsed.rest;
  }
  if (rest !== '') return { ok: false, message: `unexpected ${JSON.stringify(rest.slice(0, 20))}` };
  if (matchers.length === 0) return { ok: false, message: 'empty series selector' };
  for (const m of matchers) {
    if (m.op === '=~' || m.op === '!~') {
      try {
        compileGoRegex(m.value);
      } catch (err) {
        if (err instanceof GoRegexError)
          return { ok: false, message: `invalid regex for ${m.name}: ${err.message}` };
        throw err;
      }
    }
  }
  if (matchers.every(matchesEmpty)) {
    return {
      ok: false,
      message:
        'vector selector must contain at least one non-empty matcher (Prometheus rejects it)',
    };
  }
  return { ok: true, matchers };
}

function parseMatchers(
  body: string,
): { ok: true; matchers: LabelMatcher[]; rest: string } | { ok: false; message: string } {
  const matchers: LabelMatcher[] = [];
  let rest = body.trimStart();
  while (!rest.startsWith('}')) {
    const name = labelName.exec(rest)?.[0];
    if (name === undefined)
      return {
        ok: false,
        message: `expected a label name at ${JSON.stringify(rest.slice(0, 20))}`,
      };
    rest = rest.slice(name.length).trimStart();
    const op = /^(=~|!~|!=|=)/.exec(rest)?.[0] as MatchOp | undefined;
    if (op === undefined) return { ok: false, message: `expected a match operator after ${name}` };
    rest = rest.slice(op.length).trimStart();
    const str = readString(rest);
    if (!str) return { ok: false, message: `expected a quoted value for ${name}` };
    matchers.push({ name, op, value: str.value });
    rest = rest.slice(str.length).trimStart();
    if (rest.startsWith(',')) rest = rest.slice(1).trimStart();
    else if (!rest.startsWith('}'))
      return { ok: false, message: `expected , or } at ${JSON.stringify(rest.slice(0, 20))}` };
  }
  return { ok: true, matchers, rest: rest.slice(1).trim() };
}

/** A PromQL string literal: double- or single-quoted with Go escapes, or backquoted raw. */
function readString(text: string): { value: string; length: number } | undefined {
  const q = text[0];
  if (q === '`') {
    const end = text.indexOf('`', 1);
    return end < 0 ? undefined : { value: text.slice(1, end), length: end + 1 };
  }
  if (q !== '"' && q !== "'") return undefined;
  const m = new RegExp(`^${q}((?:[^${q}\\\\]|\\\\.)*)${q}`).exec(text);
  if (!m) return undefined;
  const escapes: Record<string, string> = {
    a: '\x07',
    b: '\b',
    f: '\f',
    n: '\n',
    r: '\r',
    t: '\t',
    v: '\v',
  };
  const value = m[1]!.replace(
    /\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)/g,
    (_, e: string) =>
      /^[xuU]./.test(e) ? String.fromCodePoint(parseInt(e.slice(1), 16)) : (escapes[e] ?? e),
  );
  return { value, length: m[0].length };
}

/** Whether the matcher accepts a series that lacks the label (Prometheus treats absent as ""). */
function matchesEmpty(m: LabelMatcher): boolean {
  switch (m.op) {
    case '=':
      return m.value === '';
    case '!=':
      return m.value !== '';
    case '=~':
      return matchesEmptyString(m.value);
    case '!~':
      return !matchesEmptyString(m.value);
  }
}

/** Prometheus anchors label regexes, but against "" any match is the whole (empty) string. */
function matchesEmptyString(pattern: string): boolean {
  return goRegexTest(compileGoRegex(pattern), '');
}
