/**
 * Go RE2 regular expressions (the dialect of prometheus-adapter's `seriesFilters`, `name.matches`
 * and of PromQL `=~`) translated to JavaScript RegExp, so a rule matches here exactly the series
 * names it matches there. Constructs RE2 rejects (lookaround, backreferences, `\Z`) are rejected
 * with the reason; RE2 constructs JavaScript lacks (`(?P<name>)`, `\A`, `\z`, `\Q…\E`, POSIX
 * classes, `(?i)` prefixes, `]` first in a class) are rewritten. Go regexp/syntax parse.go is the
 * reference for what is accepted.
 * @module
 */

import { GoRegexError, literal, translateClass, translateEscape } from './rules-regex-syntax.js';

/** A compiled Go regular expression: the JS form plus the group table Go's Expand needs. */
export interface GoRegex {
  /** The pattern as written in the config. */
  source: string;
  regex: RegExp;
  /** Number of capture groups (Go `NumSubexp`). */
  groupCount: number;
  /** Name of each group by index (index 0 is the whole match, always undefined). */
  groupNames: readonly (string | undefined)[];
}

export { GoRegexError };

/** Go's maximum repeat count (regexp/syntax maxRepeat... parse.go `parseRepeat`). */
const maxRepeat = 1000;

class Translator {
  private i = 0;
  private out = '';
  private groups: (string | undefined)[] = [undefined];
  private flags = '';
  /** Whether the last emitted item can take a quantifier (Go: "missing argument to repetition operator"). */
  private canRepeat = false;
  private depth = 0;

  constructor(private readonly src: string) {}

  run(): GoRegex {
    this.leadingFlags();
    while (this.i < this.src.length) this.step();
    if (this.depth > 0) this.fail('missing closing )');
    let regex: RegExp;
    try {
      regex = new RegExp(this.out, `${this.flags}u`);
    } catch (err) {
      throw new GoRegexError((err as Error).message);
    }
    return { source: this.src, regex, groupCount: this.groups.length - 1, groupNames: this.groups };
  }

  private fail(message: string): never {
    throw new GoRegexError(message);
  }

  /** `(?i)`, `(?s)`, `(?m)` and combinations at the very start map onto RegExp flags. */
  private leadingFlags(): void {
    const m = /^\(\?([ims]+)\)/.exec(this.src);
    if (!m) return;
    this.flags = [...new Set(m[1]!.split(''))].join('');
    this.i = m[0].length;
  }

  private step(): void {
    const c = this.src[this.i]!;
    switch (c) {
      case '(':
        return this.openGroup();
      case ')':
        if (this.depth === 0) this.fail('unexpected )');
        this.depth--;
        this.i++;
        this.emit(')', true);
        return;
      case '|':
        this.i++;
        this.emit('|', false);
        return;
      case '^':
      case '$':
        this.i++;
        this.emit(c, false);
        return;
      case '.':
        // Go's `.` excludes only \n (JS's also excludes \r, U+2028, U+2029).
        this.i++;
        this.emit(this.flags.includes('s') ? '[\\s\\S]' : '[^\\n]', true);
        return;
      case '[':
        return this.charClass();
      case '\\':
        return this.escape();
      case '*':
      case '+':
      case '?':
        return this.quantifier(c, 1);
      case '{':
        return this.braceOrLiteral();
      default:
        this.i += c.length;
        this.emit(literal(c), true);
    }
  }

  private emit(text: string, repeatable: boolean): void {
    this.out += text;
    this.canRepeat = repeatable;
  }

  private quantifier(text: string, length: number): void {
    if (!this.canRepeat) this.fail(`missing argument to repetition operator: ${text}`);
    this.i += length;
    let q = text;
    if (this.src[this.i] === '?') {
      q += '?';
      this.i++;
    }
    this.emit(q, false);
    const next = this.src[this.i];
    if (
      next === '*' ||
      next === '+' ||
      next === '?' ||
      (next === '{' && repeatAt(this.src, this.i))
    ) {
      this.fail(`invalid nested repetition operator: ${q}${next}`);
    }
  }

  private braceOrLiteral(): void {
    const rep = repeatAt(this.src, this.i);
    if (!rep) {
      this.i++;
      this.emit('\\{', true);
      return;
    }
    if (
      rep.min > maxRepeat ||
      (rep.max ?? 0) > maxRepeat ||
      (rep.max !== undefined && rep.max < rep.min)
    ) {
      this.fail(`invalid repeat count: ${rep.text}`);
    }
    this.quantifier(rep.text, rep.text.length);
  }

  private openGroup(): void {
    const rest = this.src.slice(this.i);
    const named = /^\(\?P?<([^>]*)>/.exec(rest);
    if (named && !rest.startsWith('(?<=') && !rest.startsWith('(?<!'))
      return this.namedGroup(named[1]!, named[0].length);
    if (rest.startsWith('(?:')) return this.group('(?:', 3);
    if (/^\(\?(=|!|<=|<!)/.test(rest))
      this.fail('lookahead and lookbehind are not supported by Go RE2');
    if (rest.startsWith('(?')) {
      const flags = /^\(\?([^)]*)/.exec(rest)![1];
      this.fail(`inline flags (?${flags}...) are only supported as a leading (?i), (?m) or (?s)`);
    }
    this.groups.push(undefined);
    this.group('(', 1);
  }

  private namedGroup(name: string, length: number): void {
    if (!/^[A-Za-z0-9_]+$/.test(name)) this.fail(`invalid named capture: ${name}`);
    if (this.groups.includes(name)) this.fail(`duplicate capture group name: ${name}`);
    this.groups.push(name);
    // Names live in groupNames; the JS group stays unnamed because Go allows names JS does not (`1a`).
    this.group('(', length);
  }

  private group(open: string, length: number): void {
    this.i += length;
    this.depth++;
    this.emit(open, false);
  }

  private escape(): void {
    const { text, repeatable, length } = translateEscape(this.src, this.i, false);
    this.i += length;
    this.emit(text, repeatable);
  }

  private charClass(): void {
    const { text, length } = translateClass(this.src, this.i);
    this.i += length;
    this.emit(text, true);
  }
}

/** A `{n}`, `{n,}` or `{n,m}` repeat at `at`, or undefined when Go would read `{` literally. */
function repeatAt(
  src: string,
  at: number,
): { text: string; min: number; max?: number } | undefined {
  const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(at));
  if (!m) return undefined;
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : m[3] === '' ? undefined : Number(m[3]);
  return { text: m[0], min, max };
}

/**
 * Compiles a Go RE2 pattern. Throws {@link GoRegexError} with Go's reason for anything RE2 rejects
 * or that has no faithful JavaScript form.
 */
export function compileGoRegex(source: string): GoRegex {
  return new Translator(source).run();
}

/** Whether `value` matches `re` anywhere (Go `MatchString`, unanchored). */
export function goRegexTest(re: GoRegex, value: string): boolean {
  re.regex.lastIndex = 0;
  return re.regex.test(value);
}

/**
 * Go `Regexp.ExpandString`: `$1`, `${1}`, `$name`, `${name}` and `$$` in `template` replaced from the
 * first match of `re` in `src`. As in Go, `$1x` names the group `1x` (which does not exist, so it
 * expands to ""), hence prometheus-adapter's docs write `${1}_per_second`. Returns undefined when
 * `re` does not match `src`.
 */
export function goExpand(re: GoRegex, template: string, src: string): string | undefined {
  re.regex.lastIndex = 0;
  const match = re.regex.exec(src);
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

function groupValue(re: GoRegex, match: RegExpExecArray, name: string): string {
  // Go extract(): an all-digit name without a leading zero (or exactly "0") is a group number.
  if (/^\d+$/.test(name) && (name === '0' || name[0] !== '0') && name.length < 9)
    return match[Number(name)] ?? '';
  const index = re.groupNames.indexOf(name);
  return index > 0 ? (match[index] ?? '') : '';
}
