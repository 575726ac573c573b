/**
 * The lexer of the Go template subset (rules-template.ts): splits text from `<<` `>>` actions,
 * applies trim markers as Go's lex.go does (`<<- ` and ` ->>`), and tokenises action bodies.
 * @module
 */

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

export interface Action {
  body: string;
  trimLeft: boolean;
  trimRight: boolean;
}

/** Splits the source into text and actions, applying trim markers (Go lex.go `<<- ` / ` ->>`). */
export function lexActions(src: string): (string | Action)[] {
  const parts: (string | Action)[] = [];
  let i = 0;
  while (i < src.length) {
    const open = src.indexOf('<<', i);
    if (open < 0) {
      parts.push(src.slice(i));
      break;
    }
    let text = src.slice(i, open);
    let start = open + 2;
    const trimLeft = /^-[ \t\r\n]/.test(src.slice(start));
    if (trimLeft) {
      text = text.replace(/[ \t\r\n]+$/, '');
      start += 1;
    }
    const close = findClose(src, start);
    if (close < 0) throw new TemplateError(`unclosed action starting at offset ${open}`);
    const trimRight = /[ \t\r\n]-$/.test(src.slice(start, close));
    parts.push(text, {
      body: src.slice(start, trimRight ? close - 1 : close),
      trimLeft,
      trimRight,
    });
    i = close + 2;
    if (trimRight) i += /^[ \t\r\n]*/.exec(src.slice(i))![0].length;
  }
  return parts.filter((p) => p !== '');
}

/** The `>>` closing the action that starts at `from`, skipping `>>` inside quoted strings. */
function findClose(src: string, from: number): number {
  let quote: string | undefined;
  for (let j = from; j < src.length; j++) {
    const c = src[j]!;
    if (quote) {
      if (c === '\\' && quote === '"') j++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === '`' || c === "'") quote = c;
    else if (c === '>' && src[j + 1] === '>') return j;
  }
  return -1;
}

export type Token =
  | { t: 'field'; fields: string[] }
  | { t: 'var'; name: string; fields: string[] }
  | { t: 'string'; value: string }
  | { t: 'number'; value: number }
  | { t: 'ident'; name: string }
  | { t: 'op'; op: '|' | '(' | ')' | ':=' | '=' | ',' };

const tokenPattern =
  /\s*(?:(\$[A-Za-z0-9_]*)((?:\.[A-Za-z_][A-Za-z0-9_]*)*)|((?:\.[A-Za-z_][A-Za-z0-9_]*)+|\.)|("(?:[^"\\]|\\.)*")|(`[^`]*`)|('(?:[^'\\]|\\.)+')|(-?\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(:=|[|(),=]))/y;

export function tokenize(body: string): Token[] {
  const tokens: Token[] = [];
  tokenPattern.lastIndex = 0;
  while (tokenPattern.lastIndex < body.length) {
    if (/^\s*$/.test(body.slice(tokenPattern.lastIndex))) break;
    const at = tokenPattern.lastIndex;
    const m = tokenPattern.exec(body);
    if (!m)
      throw new TemplateError(
        `unexpected ${JSON.stringify(body.slice(at).trim().slice(0, 10))} in action`,
      );
    tokens.push(toToken(m));
  }
  return tokens;
}

function toToken(m: RegExpExecArray): Token {
  const fieldsOf = (chain: string): string[] => chain.split('.').filter((f) => f !== '');
  if (m[1] !== undefined) return { t: 'var', name: m[1], fields: fieldsOf(m[2] ?? '') };
  if (m[3] !== undefined) return { t: 'field', fields: fieldsOf(m[3]) };
  if (m[4] !== undefined) return { t: 'string', value: unquoteGo(m[4]) };
  if (m[5] !== undefined) return { t: 'string', value: m[5].slice(1, -1) };
  if (m[6] !== undefined) return { t: 'number', value: unquoteGo(m[6]).codePointAt(0)! };
  if (m[7] !== undefined) return { t: 'number', value: Number(m[7]) };
  if (m[8] !== undefined) return { t: 'ident', name: m[8] };
  return { t: 'op', op: m[9] as ':=' };
}

/** A Go interpreted string or rune literal's value (strconv.Unquote). */
function unquoteGo(quoted: string): string {
  const escapes: Record<string, string> = {
    a: '\x07',
    b: '\b',
    f: '\f',
    n: '\n',
    r: '\r',
    t: '\t',
    v: '\v',
    '\\': '\\',
    '"': '"',
    "'": "'",
  };
  return quoted
    .slice(1, -1)
    .replace(/\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[0-7]{3}|.)/g, (_, e: string) => {
      if (escapes[e] !== undefined) return escapes[e];
      if (/^[xuU]/.test(e)) return String.fromCodePoint(parseInt(e.slice(1), 16));
      if (/^[0-7]{3}$/.test(e)) return String.fromCodePoint(parseInt(e, 8));
      throw new TemplateError(`invalid escape \\${e} in string literal`);
    });
}
