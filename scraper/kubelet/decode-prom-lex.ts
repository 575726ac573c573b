/**
 * Byte classes, label positions and small pure helpers of the Prometheus text format, used by
 * the scanner. One table lookup per byte answers every "is this a name character / a blank /
 * a byte that ends a plain run of label value" question the hot loops ask.
 * @module
 */

export const LF = 10;
export const SPACE = 32;
export const TAB = 9;
export const HASH = 35;
export const QUOTE = 34;
export const BACKSLASH = 92;
export const EQUALS = 61;
export const COMMA = 44;
export const COLON = 58;
export const BRACE_OPEN = 123;
export const BRACE_CLOSE = 125;
export const MINUS = 45;
/** Returned for a position past the end of the body. */
export const EOF = -1;

/** `[a-zA-Z_:]`, which may start a metric name. */
export const NAME_START = 1;
/** `[a-zA-Z0-9_:]`, which may continue a name. */
export const NAME_CHAR = 2;
/** Space or tab. */
export const BLANK = 4;
/** Ends a value or timestamp token: blank or line feed. */
export const TOKEN_END = 8;
/** Interrupts a plain run of label value: quote, backslash, line feed, non-ASCII. */
export const VALUE_SPECIAL = 16;

/** Class bits of every byte value. */
export const byteClass: Uint8Array = (() => {
  const table = new Uint8Array(256);
  const mark = (from: number, to: number, bits: number): void => {
    for (let c = from; c <= to; c++) table[c] = (table[c] ?? 0) | bits;
  };
  mark(97, 122, NAME_START | NAME_CHAR);
  mark(65, 90, NAME_START | NAME_CHAR);
  mark(95, 95, NAME_START | NAME_CHAR);
  mark(COLON, COLON, NAME_START | NAME_CHAR);
  mark(48, 57, NAME_CHAR);
  mark(SPACE, SPACE, BLANK | TOKEN_END);
  mark(TAB, TAB, BLANK | TOKEN_END);
  mark(LF, LF, TOKEN_END | VALUE_SPECIAL);
  mark(QUOTE, QUOTE, VALUE_SPECIAL);
  mark(BACKSLASH, BACKSLASH, VALUE_SPECIAL);
  mark(0x80, 0xff, VALUE_SPECIAL);
  return table;
})();

/** Whether byte `c` (or EOF) has any of `bits`. */
export function hasClass(c: number, bits: number): boolean {
  return c >= 0 && ((byteClass[c] ?? 0) & bits) !== 0;
}

/** Undoes the format's three escapes (`\\`, `\"`, `\n`); others stay as written, as upstream. */
export function unescapeLabelValue(raw: string): string {
  let out = '';
  let from = 0;
  for (let i = raw.indexOf('\\'); i !== -1 && i + 1 < raw.length; i = raw.indexOf('\\', from)) {
    const next = raw[i + 1];
    const replacement = next === 'n' ? '\n' : next === '\\' ? '\\' : next === '"' ? '"' : undefined;
    out += replacement === undefined ? raw.slice(from, i + 2) : raw.slice(from, i) + replacement;
    from = i + 2;
  }
  return out + raw.slice(from);
}

/** Label value flag: it contains a backslash escape. */
export const LABEL_ESCAPED = 1;
/** Label value flag: it contains non-ASCII bytes (decode as UTF-8). */
export const LABEL_NON_ASCII = 2;

/** Fields per label: name start and end, value start and end, flags. */
const SLOT = 5;

/** Byte positions of the current sample's labels, reused from line to line without allocating. */
export class LabelPositions {
  private slots = new Int32Array(8 * SLOT);
  count = 0;

  clear(): void {
    this.count = 0;
  }

  push(
    nameStart: number,
    nameEnd: number,
    valueStart: number,
    valueEnd: number,
    flags: number,
  ): void {
    const at = this.count * SLOT;
    if (at + SLOT > this.slots.length) {
      const grown = new Int32Array(this.slots.length * 2);
      grown.set(this.slots);
      this.slots = grown;
    }
    const slots = this.slots;
    slots[at] = nameStart;
    slots[at + 1] = nameEnd;
    slots[at + 2] = valueStart;
    slots[at + 3] = valueEnd;
    slots[at + 4] = flags;
    this.count++;
  }

  /** The unescaped value of the first label called `name` (ASCII bytes) in `buf`, or undefined. */
  value(buf: Buffer, name: Uint8Array): string | undefined {
    const slots = this.slots;
    outer: for (let i = 0; i < this.count; i++) {
      const at = i * SLOT;
      const start = slots[at] ?? 0;
      if ((slots[at + 1] ?? 0) - start !== name.length) continue;
      for (let j = 0; j < name.length; j++) if (buf[start + j] !== name[j]) continue outer;
      const flags = slots[at + 4] ?? 0;
      const encoding = flags & LABEL_NON_ASCII ? 'utf8' : 'latin1';
      const raw = buf.toString(encoding, slots[at + 2], slots[at + 3]);
      return flags & LABEL_ESCAPED ? unescapeLabelValue(raw) : raw;
    }
    return undefined;
  }
}
