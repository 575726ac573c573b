/**
 * Float parsing straight from bytes for the Prometheus text scanner. The fast path is Clinger's:
 * a mantissa of at most 15 significant digits and a power of ten of at most 22 are both exact
 * doubles, so one multiplication or division gives the correctly rounded result, the same double
 * `Number()` (and Go's `strconv.ParseFloat`) returns. Anything else takes a string slow path.
 * @module
 */

const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const LOWER_E = 101;
const UPPER_E = 69;
const MAX_FAST_DIGITS = 15;
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL: ReadonlyMap<string, number> = new Map([
  ['nan', NaN],
  ['+nan', NaN],
  ['-nan', NaN],
  ['inf', Infinity],
  ['+inf', Infinity],
  ['infinity', Infinity],
  ['+infinity', Infinity],
  ['-inf', -Infinity],
  ['-infinity', -Infinity],
]);

/** The digit at `i` (always < end, so never an out-of-bounds read), or -1. */
function digitAt(buf: Uint8Array, i: number): number {
  const d = (buf[i] as number) - 48;
  return d >= 0 && d <= 9 ? d : -1;
}

/**
 * The number written in `buf[start, end)`: a decimal float, or NaN / ±Inf spelled as
 * `strconv.ParseFloat` accepts them (any case). Undefined when the bytes are not a number.
 */
export function parseDecimal(buf: Uint8Array, start: number, end: number): number | undefined {
  let i = start;
  const sign = start < end ? buf[start] : undefined;
  if (sign === PLUS || sign === MINUS) i++;
  let mantissa = 0;
  let digits = 0;
  let exp10 = 0;
  let sawDigit = false;
  let afterDot = false;
  for (; i < end; i++) {
    if (buf[i] === DOT && !afterDot) {
      afterDot = true;
      continue;
    }
    const d = digitAt(buf, i);
    if (d < 0) break;
    sawDigit = true;
    if (afterDot) exp10--;
    if (mantissa === 0 && d === 0) continue;
    if (++digits > MAX_FAST_DIGITS) return parseSlow(buf, start, end);
    mantissa = mantissa * 10 + d;
  }
  if (!sawDigit) return parseSlow(buf, start, end);
  if (i < end && (buf[i] === LOWER_E || buf[i] === UPPER_E)) {
    const exponent = readExponent(buf, i + 1, end);
    if (exponent === undefined) return undefined;
    exp10 += exponent;
    i = end;
  }
  if (i !== end) return undefined;
  let value: number;
  if (mantissa === 0) value = 0;
  else if (exp10 >= 0 && exp10 <= 22) value = mantissa * (POW10[exp10] ?? NaN);
  else if (exp10 < 0 && exp10 >= -22) value = mantissa / (POW10[-exp10] ?? NaN);
  else return parseSlow(buf, start, end);
  return sign === MINUS ? -value : value;
}

/** The signed decimal exponent in `buf[start, end)`; large values saturate, which is exact. */
function readExponent(buf: Uint8Array, start: number, end: number): number | undefined {
  let i = start;
  const sign = start < end ? buf[start] : undefined;
  if (sign === PLUS || sign === MINUS) i++;
  if (i >= end) return undefined;
  let exponent = 0;
  for (; i < end; i++) {
    const d = digitAt(buf, i);
    if (d < 0) return undefined;
    if (exponent < 100_000) exponent = exponent * 10 + d;
  }
  return sign === MINUS ? -exponent : exponent;
}

function parseSlow(buf: Uint8Array, start: number, end: number): number | undefined {
  const text = Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('latin1');
  const special = SPECIAL.get(text.toLowerCase());
  if (special !== undefined) return special;
  return DECIMAL.test(text) ? Number(text) : undefined;
}
