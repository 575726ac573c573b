/**
 * A streaming scanner for the Prometheus text exposition format (version 0.0.4), written for
 * the kubelet hot path: it walks the body's bytes once, allocates no string unless asked, and
 * parses numbers from bytes. A sample the caller reads is checked as strictly as Prometheus'
 * own `textparse.PromParser` (which upstream decodeBatch uses); a sample it skips is only
 * checked for its name and line end. Either way the line feed the format requires after the
 * last line is enforced, so a truncated body is an error rather than a silently shortened
 * number. Comment lines (`# HELP`, `# TYPE`) are skipped.
 *
 * Hot loops keep the position in a local and read bytes only below the length: one
 * out-of-bounds typed-array read makes V8 slow that load site down for good.
 * @module
 */
import { DecodeError } from './decode.js';
import { parseDecimal } from './decode-prom-number.js';
import {
  BACKSLASH,
  BLANK,
  BRACE_CLOSE,
  BRACE_OPEN,
  COLON,
  COMMA,
  EOF,
  EQUALS,
  HASH,
  LABEL_ESCAPED,
  LABEL_NON_ASCII,
  LabelPositions,
  LF,
  MINUS,
  NAME_CHAR,
  NAME_START,
  QUOTE,
  TOKEN_END,
  VALUE_SPECIAL,
  byteClass,
  hasClass,
} from './decode-prom-lex.js';

/** Iterates the samples of one body; fields describe the current sample. */
export class PromTextScanner {
  private readonly buf: Buffer;
  /** The same bytes as a one-byte string, for native searches and free slices. */
  private readonly text: string;
  private readonly len: number;
  private readonly node: string;
  private pos = 0;
  private readonly labels = new LabelPositions();
  private labelsStart = 0;
  private labelsEnd = 0;
  private labelsParsed = true;
  nameStart = 0;
  nameEnd = 0;
  /** The sample value; meaningful only when `valueFinite`. */
  value = 0;
  /** False for NaN and ±Inf, which the format allows and we drop. */
  valueFinite = true;
  /** Sample time in ms, or NaN when the line has none. */
  timestampMs = NaN;

  constructor(buf: Buffer, node: string) {
    this.buf = buf;
    this.text = buf.toString('latin1');
    this.len = buf.length;
    this.node = node;
  }

  /**
   * Moves to the next sample line and reads its metric name; false at the end of the body.
   * Then call {@link readSample} to parse the rest of the line, or {@link skipSample}.
   */
  next(): boolean {
    for (;;) {
      this.skipBlanks();
      const c = this.at(this.pos);
      if (c === EOF) return false;
      if (c === LF) {
        this.pos++;
      } else if (c === HASH) {
        const lf = this.buf.indexOf(LF, this.pos);
        this.pos = lf === -1 ? this.len : lf + 1;
      } else {
        this.readName();
        return true;
      }
    }
  }

  /** Skips the rest of a sample we do not use, checking only that its line ends. */
  skipSample(): void {
    const lf = this.buf.indexOf(LF, this.pos);
    if (lf === -1) {
      this.pos = this.len;
      this.fail('body does not end with a line feed');
    }
    this.pos = lf + 1;
  }

  /**
   * Parses the value and timestamp of the sample whose name `next` read. Its label set is
   * only delimited here (the last `}` of the line closes it, since nothing after it may hold
   * one); it is parsed, strictly, when a label is first asked for or by {@link checkLabels}.
   */
  readSample(): void {
    const lineEnd = this.buf.indexOf(LF, this.pos);
    this.skipBlanks();
    this.labels.clear();
    this.labelsStart = this.labelsEnd = this.pos;
    this.labelsParsed = true;
    if (this.at(this.pos) === BRACE_OPEN) {
      const close = this.text.lastIndexOf('}', lineEnd === -1 ? this.len : lineEnd);
      if (close <= this.pos) this.fail('expected "}" closing the label set');
      this.labelsStart = this.pos + 1;
      this.labelsEnd = close;
      this.labelsParsed = false;
      this.pos = close + 1;
      this.skipBlanks();
    }
    let c = this.at(this.pos);
    if (c === LF || c === EOF) this.fail('expected value after metric');
    const valueEnd = this.tokenEnd();
    const parsed = parseDecimal(this.buf, this.pos, valueEnd);
    if (parsed === undefined) this.fail('invalid sample value');
    this.value = parsed;
    this.valueFinite = Number.isFinite(parsed);
    this.pos = valueEnd;
    this.skipBlanks();
    this.timestampMs = NaN;
    c = this.at(this.pos);
    if (c !== LF && c !== EOF) {
      this.readTimestamp();
      this.skipBlanks();
      c = this.at(this.pos);
    }
    if (c === EOF) this.fail('body does not end with a line feed');
    if (c !== LF) this.fail('unexpected text after sample');
    this.pos++;
  }

  /**
   * The current sample's label set exactly as written, between the braces ('' without
   * labels), not yet checked: a cheap key for "same series as before", since the kubelet
   * repeats a container's labels in every family. A caller that trusts a key because an equal
   * one passed {@link checkLabels} is right: equal strings are equal bytes.
   */
  labelBlock(): string {
    return this.text.slice(this.labelsStart, this.labelsEnd);
  }

  /** Parses the current label set; throws DecodeError if it is malformed. */
  checkLabels(): void {
    if (this.labelsParsed) return;
    const resume = this.pos;
    this.pos = this.labelsStart;
    this.readLabels();
    if (this.pos !== this.labelsEnd + 1) this.fail('unexpected text after label set');
    this.pos = resume;
    this.labelsParsed = true;
  }

  /** Whether the current sample's metric name is exactly `name` (ASCII bytes). */
  nameIs(name: Uint8Array): boolean {
    const len = this.nameEnd - this.nameStart;
    if (len !== name.length) return false;
    const buf = this.buf;
    for (let i = 0; i < len; i++) if (buf[this.nameStart + i] !== name[i]) return false;
    return true;
  }

  /** Labels of the current sample (parses them). */
  get labelCount(): number {
    this.checkLabels();
    return this.labels.count;
  }

  /** The unescaped value of label `name` on the current sample, or undefined (parses them). */
  label(name: Uint8Array): string | undefined {
    this.checkLabels();
    return this.labels.value(this.buf, name);
  }

  private at(i: number): number {
    return i < this.len ? (this.buf[i] as number) : EOF;
  }

  private fail(message: string): never {
    throw new DecodeError(this.node, `${message} at byte ${this.pos}`, { offset: this.pos });
  }

  private skipBlanks(): void {
    const { buf, len } = this;
    let pos = this.pos;
    while (pos < len && (byteClass[buf[pos] as number] as number) & BLANK) pos++;
    this.pos = pos;
  }

  /** Advances past a run of name characters; returns where it ends. */
  private skipName(): number {
    const { buf, len } = this;
    let pos = this.pos + 1;
    while (pos < len && (byteClass[buf[pos] as number] as number) & NAME_CHAR) pos++;
    return (this.pos = pos);
  }

  private readName(): void {
    if (!hasClass(this.at(this.pos), NAME_START)) this.fail('invalid metric name');
    this.nameStart = this.pos;
    this.nameEnd = this.skipName();
    const c = this.at(this.pos);
    if (c === LF || c === EOF) this.fail('expected value after metric');
    if (c !== BRACE_OPEN && !hasClass(c, BLANK)) this.fail('invalid metric name');
  }

  private readLabels(): void {
    for (;;) {
      this.skipBlanks();
      const first = this.at(this.pos);
      if (first === BRACE_CLOSE) break;
      if (!hasClass(first, NAME_START) || first === COLON) this.fail('invalid label name');
      const nameStart = this.pos;
      const nameEnd = this.skipName();
      this.skipBlanks();
      if (this.at(this.pos) !== EQUALS) this.fail('expected "=" after label name');
      this.pos++;
      this.skipBlanks();
      if (this.at(this.pos) !== QUOTE) this.fail('expected quoted label value');
      const valueStart = ++this.pos;
      const flags = this.skipLabelValue();
      this.labels.push(nameStart, nameEnd, valueStart, this.pos, flags);
      this.pos++;
      this.skipBlanks();
      const c = this.at(this.pos);
      if (c === COMMA) this.pos++;
      else if (c !== BRACE_CLOSE) this.fail('expected "," or "}" in label set');
    }
    this.pos++;
  }

  /** Advances to the closing quote of a label value; returns its flags. */
  private skipLabelValue(): number {
    const { buf, len } = this;
    let pos = this.pos;
    let flags = 0;
    for (;;) {
      while (pos < len && ((byteClass[buf[pos] as number] as number) & VALUE_SPECIAL) === 0) pos++;
      const c = pos < len ? (buf[pos] as number) : EOF;
      if (c === QUOTE) break;
      if (c === EOF || c === LF) break;
      if (c === BACKSLASH) {
        flags |= LABEL_ESCAPED;
        pos++;
        const escaped = pos < len ? (buf[pos] as number) : EOF;
        if (escaped === EOF || escaped === LF) break;
        if (escaped >= 0x80) flags |= LABEL_NON_ASCII;
      } else {
        flags |= LABEL_NON_ASCII;
      }
      pos++;
    }
    this.pos = pos;
    if (this.at(pos) !== QUOTE) this.fail('unterminated label value');
    return flags;
  }

  private tokenEnd(): number {
    const { buf, len } = this;
    let end = this.pos;
    while (end < len && ((byteClass[buf[end] as number] as number) & TOKEN_END) === 0) end++;
    return end;
  }

  /** An integer of milliseconds, as `strconv.ParseInt` reads it in textparse. */
  private readTimestamp(): void {
    const end = this.tokenEnd();
    const buf = this.buf;
    let i = this.pos;
    const negative = buf[i] === MINUS;
    if (negative) i++;
    if (i === end) this.fail('invalid timestamp');
    let ms = 0;
    for (; i < end; i++) {
      const digit = (buf[i] as number) - 48;
      if (digit < 0 || digit > 9) this.fail('invalid timestamp');
      ms = ms * 10 + digit;
    }
    if (ms > Number.MAX_SAFE_INTEGER) this.fail('timestamp out of range');
    this.timestampMs = negative ? -ms : ms;
    this.pos = end;
  }
}
