/**
 * Go RE2 regular expressions: the dialect of prometheus-adapter's `seriesFilters`, `name.matches`
 * and `resources.template`, and of PromQL `=~`. They are compiled by re2js, a port of RE2/J (which
 * follows Go's regexp/syntax parser), so a rule accepts exactly the patterns Go accepts, rejects
 * the rest with Go's reason, and matches in time linear in the input: series names come from
 * every workload in the cluster, and a backtracking engine (JavaScript's RegExp) takes seconds on
 * `^(a+)+$` over a name of 30 characters.
 * @module
 */
import { RE2JS, RE2JSException } from 're2js';

/** A compiled Go regular expression plus the group table Go's Expand needs. */
export interface GoRegex {
  /** The pattern as written in the config. */
  source: string;
  /** The linear-time matcher; use {@link goRegexTest}, {@link goRegexExec}, {@link goExpand}. */
  re2: RE2JS;
  /** Number of capture groups (Go `NumSubexp`). */
  groupCount: number;
  /** Name of each group by index (index 0 is the whole match, always undefined). */
  groupNames: readonly (string | undefined)[];
}

export class GoRegexError extends Error {
  override readonly name = 'GoRegexError';
}

/**
 * Go's parser rejects these with a terse "invalid or unsupported Perl syntax" or "invalid escape";
 * users coming from PCRE-style regexes deserve the reason.
 */
function hint(pattern: string): string {
  if (/\(\?(=|!|<=|<!)/.test(pattern))
    return ' (lookahead and lookbehind are not supported by Go RE2)';
  if (/(^|[^\\])(\\\\)*\\[1-9]/.test(pattern))
    return ' (backreferences are not supported by Go RE2)';
  return '';
}

/**
 * Compiles a Go RE2 pattern with Go's default (Perl) flags. Throws {@link GoRegexError} with Go's
 * reason for anything Go's regexp.Compile rejects.
 */
export function compileGoRegex(source: string): GoRegex {
  let re2: RE2JS;
  try {
    re2 = RE2JS.compile(source);
  } catch (err) {
    if (!(err instanceof RE2JSException)) throw err;
    const reason = err.message.replace(/^error parsing regexp: /, '');
    throw new GoRegexError(`${reason}${hint(source)}`);
  }
  const groupNames: (string | undefined)[] = [undefined];
  for (let i = 1; i <= re2.groupCount(); i++) groupNames.push(undefined);
  for (const [name, index] of Object.entries(re2.namedGroups())) groupNames[index] = name;
  return { source, re2, groupCount: re2.groupCount(), groupNames };
}

/** Whether `value` matches `re` anywhere (Go `MatchString`, unanchored). */
export function goRegexTest(re: GoRegex, value: string): boolean {
  return re.re2.test(value);
}

/**
 * The leftmost-first match of `re` in `value` and its groups, as Go's FindStringSubmatch
 * (index 0 the whole match; a group that did not take part is undefined), or null.
 */
export function goRegexExec(re: GoRegex, value: string): readonly (string | undefined)[] | null {
  const m = re.re2.exec(value) as (string | undefined)[] | null;
  return m === null ? null : Array.from({ length: re.groupCount + 1 }, (_, i) => m[i] ?? undefined);
}

/**
 * Go `Regexp.ExpandString`: `$1`, `${1}`, `$name`, `${name}` and `$$` in `template` replaced from the
 * first match of `re` in `src`. As in Go, `$1x` names the group `1x` (which does not exist, so it
 * expands to ""), hence prometheus-adapter's docs write `${1}_per_second`. Returns undefined when
 * `re` does not match `src`.
 */
export function goExpand(re: GoRegex, template: string, src: string): string | undefined {
  const match = goRegexExec(re, src);
  if (!match) return undefined;
  let out = '';
  let i = 0;
  while (i < template.length) {
    const dollar = template.indexOf('$', i);
    if (dollar < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, dollar);
    if (template[dollar + 1] === '$') {
      out += '$';
      i = dollar + 2;
      continue;
    }
    const ref = /^(\{([\p{L}\p{Nd}_]+)\}|[\p{L}\p{Nd}_]+)/u.exec(template.slice(dollar + 1));
    if (!ref) {
      out += '$';
      i = dollar + 1;
      continue;
    }
    out += groupValue(re, match, ref[2] ?? ref[1]!);
    i = dollar + 1 + ref[0].length;
  }
  return out;
}

function groupValue(re: GoRegex, match: readonly (string | undefined)[], name: string): string {
  // Go extract(): an all-digit name without a leading zero (or exactly "0") is a group number.
  if (/^\d+$/.test(name) && (name === '0' || name[0] !== '0') && name.length < 9)
    return match[Number(name)] ?? '';
  const index = re.groupNames.indexOf(name);
  return index > 0 ? (match[index] ?? '') : '';
}
