/**
 * The character-level half of the Go RE2 → JavaScript translation (rules-regex.ts): escapes,
 * bracket classes and literals, each turned into text that JS `u`-mode RegExp reads the way Go's
 * regexp/syntax parse.go reads the original, or rejected with Go's reason.
 * @module
 */

export class GoRegexError extends Error {
  override readonly name = 'GoRegexError';
}

/** A translated piece: its JS text, whether a quantifier may follow, and the source length used. */
interface Piece {
  text: string;
  repeatable: boolean;
  length: number;
}

interface ClassItem {
  text: string;
  length: number;
  single: boolean;
  codePoint?: number;
}

const posixClasses: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7f',
  blank: '\\t ',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const generalCategories = new Set(
  'C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs'.split(
    ' ',
  ),
);

/** Characters that keep their backslash in JS `u` mode; every other escaped punctuation becomes `\xHH`. */
const jsSyntax = new Set('^$\\.*+?()[]{}|/'.split(''));

function fail(message: string): never {
  throw new GoRegexError(message);
}

/** A literal character in JS `u` mode: syntax characters escaped, the rest verbatim. */
export function literal(ch: string): string {
  if (jsSyntax.has(ch)) return `\\${ch}`;
  const cp = ch.codePointAt(0)!;
  return cp < 0x20 || cp === 0x7f ? `\\x${cp.toString(16).padStart(2, '0')}` : ch;
}

/** Translates the escape at `at`; inside a class only character-producing escapes are allowed. */
export function translateEscape(src: string, at: number, inClass: boolean): Piece {
  const c = src[at + 1];
  if (c === undefined) fail('trailing backslash at end of expression');
  const simple: Record<string, string> = {
    a: '\\x07',
    f: '\\f',
    t: '\\t',
    n: '\\n',
    r: '\\r',
    v: '\\v',
  };
  if (simple[c] !== undefined) return { text: simple[c], repeatable: true, length: 2 };
  if ('dDwW'.includes(c)) return { text: `\\${c}`, repeatable: true, length: 2 };
  if (c === 's')
    return { text: inClass ? '\\t\\n\\f\\r ' : '[\\t\\n\\f\\r ]', repeatable: true, length: 2 };
  if (c === 'S') return { text: inClass ? '\\S' : '[^\\t\\n\\f\\r ]', repeatable: true, length: 2 };
  if (!inClass && (c === 'b' || c === 'B')) return { text: `\\${c}`, repeatable: false, length: 2 };
  if (!inClass && c === 'A') return { text: '(?<![\\s\\S])', repeatable: false, length: 2 };
  if (!inClass && c === 'z') return { text: '(?![\\s\\S])', repeatable: false, length: 2 };
  if (c === 'x') return hexEscape(src, at);
  if (c >= '0' && c <= '7') return octalEscape(src, at);
  if (c === '8' || c === '9') fail(`invalid escape sequence: \\${c}`);
  if (c === 'p' || c === 'P') return unicodeClass(src, at, c === 'P');
  if (c === 'Q' && !inClass) return quoted(src, at);
  if (/[A-Za-z0-9]/.test(c)) fail(`invalid escape sequence: \\${c}`);
  const ch = String.fromCodePoint(src.codePointAt(at + 1)!);
  return {
    text: jsSyntax.has(ch) ? `\\${ch}` : literal(ch),
    repeatable: true,
    length: 1 + ch.length,
  };
}

function hexEscape(src: string, at: number): Piece {
  const rest = src.slice(at + 2);
  const braced = /^\{([0-9A-Fa-f]+)\}/.exec(rest);
  const short = /^[0-9A-Fa-f]{2}/.exec(rest);
  const hex = braced?.[1] ?? short?.[0];
  if (hex === undefined || parseInt(hex, 16) > 0x10ffff)
    fail(`invalid escape sequence: \\x${rest.slice(0, 4)}`);
  return {
    text: `\\u{${parseInt(hex, 16).toString(16)}}`,
    repeatable: true,
    length: 2 + (braced ? braced[0].length : 2),
  };
}

/** Go accepts `\0`, and `\1`–`\7` only when followed by another octal digit (else it is a backreference). */
function octalEscape(src: string, at: number): Piece {
  const digits = /^[0-7]{1,3}/.exec(src.slice(at + 1))![0];
  if (digits[0] !== '0' && digits.length === 1)
    fail(`backreferences are not supported by Go RE2: \\${digits}`);
  return {
    text: `\\u{${parseInt(digits, 8).toString(16)}}`,
    repeatable: true,
    length: 1 + digits.length,
  };
}

function unicodeClass(src: string, at: number, negated: boolean): Piece {
  const rest = src.slice(at + 2);
  const braced = /^\{(\^?)([A-Za-z_]+)\}/.exec(rest);
  const name = braced ? braced[2]! : /^[A-Za-z]/.exec(rest)?.[0];
  if (name === undefined)
    fail(`invalid character class range: \\${negated ? 'P' : 'p'}${rest.slice(0, 8)}`);
  const neg = negated !== (braced?.[1] === '^');
  const body = name === 'Any' ? 'Any' : generalCategories.has(name) ? name : `Script=${name}`;
  return {
    text: `\\${neg ? 'P' : 'p'}{${body}}`,
    repeatable: true,
    length: 2 + (braced ? braced[0].length : 1),
  };
}

function quoted(src: string, at: number): Piece {
  const end = src.indexOf('\\E', at + 2);
  const body = src.slice(at + 2, end < 0 ? undefined : end);
  const text = [...body].map((ch) => (jsSyntax.has(ch) ? `\\${ch}` : literal(ch))).join('');
  return {
    text: body === '' ? '(?:)' : `(?:${text})`,
    repeatable: body !== '',
    length: body.length + 2 + (end < 0 ? 0 : 2),
  };
}

export function translateClass(src: string, start: number): { text: string; length: number } {
  let j = start + 1;
  let out = '[';
  if (src[j] === '^') {
    out += '^';
    j++;
  }
  let first = true;
  for (;;) {
    const c = src[j];
    if (c === undefined) fail(`missing closing ]: ${src.slice(start)}`);
    if (c === ']' && !first) break;
    first = false;
    const item = classItem(src, j);
    j += item.length;
    if (item.single && src[j] === '-' && src[j + 1] !== ']' && src[j + 1] !== undefined) {
      const hi = classItem(src, j + 1);
      if (!hi.single)
        fail(`invalid character class range: ${src.slice(j - item.length, j + 1 + hi.length)}`);
      if (hi.codePoint! < item.codePoint!)
        fail(`invalid character class range: ${src.slice(j - item.length, j + 1 + hi.length)}`);
      out += `${item.text}-${hi.text}`;
      j += 1 + hi.length;
      continue;
    }
    out += item.text;
  }
  return { text: `${out}]`, length: j + 1 - start };
}

/** One class member: a literal (possibly a range end point), an escape, or a POSIX class. */
function classItem(src: string, at: number): ClassItem {
  const rest = src.slice(at);
  const posix = /^\[:(\^?)([a-z]+):\]/.exec(rest);
  if (posix) {
    const ranges = posixClasses[posix[2]!];
    if (ranges === undefined) fail(`invalid character class range: ${posix[0]}`);
    if (posix[1] === '^')
      fail(
        `negated POSIX class ${posix[0]} inside [] is not supported; write the complement explicitly`,
      );
    return { text: ranges, length: posix[0].length, single: false };
  }
  if (rest[0] === '\\') {
    const e = translateEscape(src, at, true);
    const cp = singleCodePoint(src.slice(at, at + e.length));
    return { text: e.text, length: e.length, single: cp !== undefined, codePoint: cp };
  }
  const ch = String.fromCodePoint(rest.codePointAt(0)!);
  const text =
    ch === '-' || ch === '[' || ch === ']' || ch === '^' || ch === '\\' ? `\\${ch}` : literal(ch);
  return { text, length: ch.length, single: true, codePoint: ch.codePointAt(0)! };
}

/** The code point an escape stands for when it is a single character (`\x41`, `\.`, `\n`), else undefined. */
function singleCodePoint(escape: string): number | undefined {
  const c = escape[1]!;
  const simple: Record<string, number> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };
  if (simple[c] !== undefined) return simple[c];
  if (c === 'x') {
    const hex = /^\\x\{?([0-9A-Fa-f]+)\}?$/.exec(escape)?.[1];
    return hex === undefined ? undefined : parseInt(hex, 16);
  }
  if (c >= '0' && c <= '7') return parseInt(escape.slice(1), 8);
  if (/[A-Za-z]/.test(c)) return undefined;
  return escape.codePointAt(1);
}
