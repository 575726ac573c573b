/**
 * Go's `%q` for strings (strconv.Quote), so messages quote names exactly as Kubernetes does.
 * @module
 */

const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '"': '\\"',
  '\\': '\\\\',
};

function escapeChar(c: string): string {
  const named = NAMED_ESCAPES[c];
  if (named !== undefined) return named;
  const code = c.codePointAt(0)!;
  // Control characters print as \xNN (ASCII) or \u/\U escapes; every other rune is printed as is.
  if (code < 0x20 || code === 0x7f) return `\\x${code.toString(16).padStart(2, '0')}`;
  if ((code >= 0x80 && code < 0xa0) || (code >= 0xd800 && code < 0xe000))
    return `\\u${code.toString(16).padStart(4, '0')}`;
  return c;
}

/** `s` in double quotes with Go's escapes for quotes, backslashes and control characters. */
export function goQuote(s: string): string {
  let out = '"';
  for (const c of s) out += escapeChar(c);
  return `${out}"`;
}
