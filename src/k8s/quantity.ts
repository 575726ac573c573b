/**
 * Kubernetes resource.Quantity (apimachinery pkg/api/resource): exact fixed-point values with the
 * suffixes of the Kubernetes API ("500m", "1Gi", "129e6"). Values are kept as an exact
 * `mantissa × 10^exponent` in bigint, never as a float; the number accessors round like upstream.
 *
 * @example
 * Quantity.parse('1.5Gi').toString(); // "1536Mi"
 * Quantity.fromScaled(250_000_000, -9).toString(); // "250m" (metrics-server's nanocores)
 * @module
 */
import {
  binarySuffix,
  decimalSuffix,
  interpretSuffix,
  MAX_BINARY_POWER,
  scanQuantity,
  type QuantityFormat,
} from './quantity-scan.js';

export type { QuantityFormat } from './quantity-scan.js';

/** Longest accepted quantity string; upstream has no cap, but no real quantity comes close. */
export const MAX_QUANTITY_LENGTH = 1024;

/** A string that is not a Kubernetes quantity. `input` is the offending string. */
export class QuantityError extends Error {
  readonly code = 'InvalidQuantity';
  readonly input: string;
  constructor(input: string, reason: string) {
    super(`invalid quantity ${quote(input)}: ${reason}`);
    this.name = 'QuantityError';
    this.input = input;
  }
}

function quote(s: string): string {
  return JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);
}

/** Smallest kept precision: finer non-zero values round away from zero to 1n (ParseQuantity). */
const NANO_EXPONENT = -9;
/** BinarySI values are capped at 2^63-1 when parsed (quantity.go maxAllowed). */
const MAX_BINARY_MANTISSA = 2n ** 63n - 1n;
/** Beyond this exponent a BinarySI value is not expanded to an integer; it prints as DecimalSI. */
const MAX_BINARY_EXPONENT = 64;

function abs(n: bigint): bigint {
  return n < 0n ? -n : n;
}

function signOf(n: bigint): -1 | 0 | 1 {
  return n === 0n ? 0 : n < 0n ? -1 : 1;
}

function digitCount(n: bigint): number {
  return abs(n).toString().length;
}

/** Moves trailing decimal zeros of the mantissa into the exponent, so equal values look equal. */
function normalize(mantissa: bigint, exponent: number): [bigint, number] {
  if (mantissa === 0n) return [0n, 0];
  const digits = mantissa.toString();
  let zeros = 0;
  while (digits[digits.length - 1 - zeros] === '0') zeros++;
  if (zeros === 0) return [mantissa, exponent];
  return [BigInt(digits.slice(0, digits.length - zeros)), exponent + zeros];
}

/** Compares |a| and |b| without building powers of ten larger than the mantissas. */
function compareMagnitude(ma: bigint, ea: number, mb: bigint, eb: number): -1 | 0 | 1 {
  if (ma === 0n || mb === 0n) return ma === mb ? 0 : ma === 0n ? -1 : 1;
  const orderA = digitCount(ma) + ea;
  const orderB = digitCount(mb) + eb;
  if (orderA !== orderB) return orderA < orderB ? -1 : 1;
  // Same order of magnitude: the exponents differ by at most the digit counts, so this is cheap.
  const low = Math.min(ea, eb);
  const a = abs(ma) * 10n ** BigInt(ea - low);
  const b = abs(mb) * 10n ** BigInt(eb - low);
  return a === b ? 0 : a < b ? -1 : 1;
}

/** Divides by 10^places rounding away from zero, as negativeScaleInt64 and inf.RoundUp do. */
function shiftDownAwayFromZero(mantissa: bigint, places: number): bigint {
  if (mantissa === 0n) return 0n;
  if (digitCount(mantissa) <= places) return mantissa < 0n ? -1n : 1n;
  const divisor = 10n ** BigInt(places);
  const quotient = mantissa / divisor;
  if (mantissa % divisor === 0n) return quotient;
  return mantissa < 0n ? quotient - 1n : quotient + 1n;
}

function toBigInt(n: number | bigint, what: string): bigint {
  if (typeof n === 'bigint') return n;
  if (!Number.isInteger(n)) throw new RangeError(`${what} must be an integer, got ${n}`);
  return BigInt(n);
}

/** An exact Kubernetes quantity. Immutable. */
export class Quantity {
  /** How toString() writes the value; parsing remembers the suffix family it saw. */
  readonly format: QuantityFormat;
  readonly #mantissa: bigint;
  readonly #exponent: number;

  private constructor(mantissa: bigint, exponent: number, format: QuantityFormat) {
    [this.#mantissa, this.#exponent] = normalize(mantissa, exponent);
    this.format = format;
  }

  /**
   * Parses a quantity as ParseQuantity does: sign, digits, optional fraction, then a decimal SI,
   * binary SI or `e<n>` suffix. Finer than 1n rounds away from zero to 1n; BinarySI caps at 2^63-1
   * and becomes DecimalSI when below 1. No surrounding whitespace is allowed.
   * @throws QuantityError when `s` is not a quantity.
   */
  static parse(s: string): Quantity {
    if (s.length === 0) throw new QuantityError(s, 'empty string');
    if (s.length > MAX_QUANTITY_LENGTH)
      throw new QuantityError(s, `longer than ${MAX_QUANTITY_LENGTH} characters`);
    const scanned = scanQuantity(s);
    if (typeof scanned === 'string') throw new QuantityError(s, scanned);
    const meaning = interpretSuffix(scanned.suffix);
    if (typeof meaning === 'string') throw new QuantityError(s, meaning);

    let mantissa = BigInt(scanned.intDigits + scanned.fracDigits || '0');
    if (scanned.negative) mantissa = -mantissa;
    let exponent = -scanned.fracDigits.length;
    if (meaning.base === 10) exponent += meaning.exponent;
    else mantissa <<= BigInt(meaning.exponent);
    [mantissa, exponent] = normalize(mantissa, exponent);
    if (exponent < NANO_EXPONENT) {
      mantissa = shiftDownAwayFromZero(mantissa, NANO_EXPONENT - exponent);
      exponent = NANO_EXPONENT;
    }
    let format = meaning.format;
    if (format === 'BinarySI') {
      if (compareMagnitude(mantissa, exponent, MAX_BINARY_MANTISSA, 0) > 0) {
        mantissa = mantissa < 0n ? -MAX_BINARY_MANTISSA : MAX_BINARY_MANTISSA;
        exponent = 0;
      }
      if (mantissa !== 0n && compareMagnitude(mantissa, exponent, 1n, 0) < 0) format = 'DecimalSI';
    }
    return new Quantity(mantissa, exponent, format);
  }

  /** `milli / 1000`, as NewMilliQuantity. */
  static fromMilli(milli: number | bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(toBigInt(milli, 'milli'), -3, format);
  }

  /** An integer value, as NewQuantity. */
  static fromValue(value: number | bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(toBigInt(value, 'value'), 0, format);
  }

  /** `value × 10^scale`, as NewScaledQuantity; nanocores are `fromScaled(n, -9)`. */
  static fromScaled(
    value: number | bigint,
    scale: number,
    format: QuantityFormat = 'DecimalSI',
  ): Quantity {
    if (!Number.isInteger(scale) || Math.abs(scale) > 2 ** 31 - 1)
      throw new RangeError(`scale out of range: ${scale}`);
    return new Quantity(toBigInt(value, 'value'), scale, format);
  }

  /**
   * A float with milli precision, truncated toward zero, exactly as prometheus-adapter converts
   * sample values (`resource.NewMilliQuantity(int64(v*1000), resource.DecimalSI)`): 0.0004 → "0".
   * @throws RangeError for NaN and ±Infinity, which Go would turn into an arbitrary int64.
   */
  static fromNumber(n: number, format: QuantityFormat = 'DecimalSI'): Quantity {
    if (!Number.isFinite(n)) throw new RangeError(`quantity value must be finite, got ${n}`);
    return new Quantity(BigInt(Math.trunc(n * 1000)), -3, format);
  }

  /**
   * The value rounded up (away from zero) to an integer, as Value(). Above 2^53 the result loses
   * precision; beyond the float range it is ±Infinity (upstream's int64 would overflow instead).
   */
  value(): number {
    return this.scaledValue(0);
  }

  /** The value in thousandths, rounded up away from zero, as MilliValue(). Same precision note as value(). */
  milliValue(): number {
    return this.scaledValue(-3);
  }

  /** The value in units of 10^scale, rounded up away from zero, as ScaledValue(scale). */
  scaledValue(scale: number): number {
    if (!Number.isInteger(scale)) throw new RangeError(`scale must be an integer, got ${scale}`);
    const shift = this.#exponent - scale;
    if (this.#mantissa === 0n) return 0;
    if (shift < 0) return Number(shiftDownAwayFromZero(this.#mantissa, -shift));
    // 10^400 is already beyond the float range, so larger shifts need no arithmetic.
    if (shift > 400) return this.#mantissa < 0n ? -Infinity : Infinity;
    return Number(this.#mantissa * 10n ** BigInt(shift));
  }

  /** The nearest float (upstream's AsApproximateFloat64 may be off by an ulp; this is exact-rounded). */
  asApproximateFloat64(): number {
    return Number(`${this.#mantissa}e${this.#exponent}`);
  }

  /** -1, 0 or 1 as this is less than, equal to or greater than `other` (Cmp). */
  cmp(other: Quantity): -1 | 0 | 1 {
    const a = signOf(this.#mantissa);
    const b = signOf(other.#mantissa);
    if (a !== b) return a < b ? -1 : 1;
    const magnitude = compareMagnitude(
      this.#mantissa,
      this.#exponent,
      other.#mantissa,
      other.#exponent,
    );
    if (a >= 0 || magnitude === 0) return magnitude;
    return magnitude < 0 ? 1 : -1;
  }

  sign(): -1 | 0 | 1 {
    return signOf(this.#mantissa);
  }

  isZero(): boolean {
    return this.#mantissa === 0n;
  }

  /**
   * The canonical form (quantity.go CanonicalizeBytes): the largest suffix that keeps the value an
   * integer. BinarySI strictly between -1024 and 1024, or with a fraction, prints as DecimalSI.
   */
  toString(): string {
    if (this.#mantissa === 0n) return '0';
    if (this.format === 'BinarySI') {
      const binary = this.#binaryString();
      if (binary !== undefined) return binary;
    }
    return this.#decimalString(this.format === 'DecimalExponent' ? 'DecimalExponent' : 'DecimalSI');
  }

  toJSON(): string {
    return this.toString();
  }

  #decimalString(format: QuantityFormat): string {
    // AsCanonicalBytes: lower the exponent to a multiple of 3, growing the mantissa to match.
    const excess = ((this.#exponent % 3) + 3) % 3;
    const mantissa = this.#mantissa * 10n ** BigInt(excess);
    return `${mantissa}${decimalSuffix(this.#exponent - excess, format)}`;
  }

  #binaryString(): string | undefined {
    if (compareMagnitude(this.#mantissa, this.#exponent, 1024n, 0) < 0) return undefined;
    if (this.#exponent < 0 || this.#exponent > MAX_BINARY_EXPONENT) return undefined;
    let value = this.#mantissa * 10n ** BigInt(this.#exponent);
    let power = 0;
    while (power < MAX_BINARY_POWER && value % 1024n === 0n) {
      value /= 1024n;
      power++;
    }
    return `${value}${binarySuffix(power)}`;
  }
}
