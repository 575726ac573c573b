/**
 * The lexical half of resource.Quantity: splitting `<sign><number><suffix>` and interpreting the
 * suffix. Mirrors apimachinery pkg/api/resource quantity.go parseQuantityString and suffix.go
 * suffixHandler.interpret; the numeric half lives in quantity.ts.
 * @module
 */

/** How a quantity is written back out (apimachinery resource.Format). */
export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

/** The parts of a quantity string, before any arithmetic. */
export interface ScannedQuantity {
  negative: boolean;
  /** Digits before the decimal point (may be empty, as in ".5"). */
  intDigits: string;
  /** Digits after the decimal point (may be empty, as in "1." which upstream accepts). */
  fracDigits: string;
  suffix: string;
}

/** What a suffix means: value = number × base^exponent. */
export interface SuffixMeaning {
  base: 10 | 2;
  exponent: number;
  format: QuantityFormat;
}

const DECIMAL_SUFFIXES: ReadonlyMap<string, number> = new Map([
  ['n', -9],
  ['u', -6],
  ['m', -3],
  ['', 0],
  ['k', 3],
  ['M', 6],
  ['G', 9],
  ['T', 12],
  ['P', 15],
  ['E', 18],
]);

const BINARY_SUFFIXES: ReadonlyMap<string, number> = new Map([
  ['Ki', 10],
  ['Mi', 20],
  ['Gi', 30],
  ['Ti', 40],
  ['Pi', 50],
  ['Ei', 60],
]);

const DECIMAL_SUFFIX_BY_EXPONENT: ReadonlyMap<number, string> = new Map(
  [...DECIMAL_SUFFIXES].map(([s, e]) => [e, s]),
);
const BINARY_SUFFIX_BY_POWER_OF_1024: readonly string[] = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

/** Largest `e<n>` exponent accepted: upstream stores it in an int32 (suffix.go interpret). */
const MAX_EXPONENT = 2 ** 31 - 1;

// Characters a suffix may start with, then an optional sign and digits (quantity.go splitREString).
// Each class is disjoint from the next, so the match is linear.
const SUFFIX_SHAPE = /^[eEinumkKMGTP]*[+-]?[0-9]*$/;
const SIGNED_INTEGER = /^[+-]?[0-9]+$/;

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/**
 * Splits a quantity string into sign, digits and suffix, or returns why it cannot. Unlike upstream's
 * scanner, a number without any digit ("", "+", ".", "Ki") is refused, as the grammar in
 * quantity.go's Quantity comment requires; "1." and ".5" stay valid as upstream's tests expect.
 */
export function scanQuantity(s: string): ScannedQuantity | string {
  let pos = 0;
  const negative = s[0] === '-';
  if (s[0] === '-' || s[0] === '+') pos++;
  const intStart = pos;
  while (isDigit(s[pos])) pos++;
  const intDigits = s.slice(intStart, pos);
  let fracDigits = '';
  if (s[pos] === '.') {
    const fracStart = ++pos;
    while (isDigit(s[pos])) pos++;
    fracDigits = s.slice(fracStart, pos);
  }
  if (intDigits === '' && fracDigits === '') return 'the number has no digits';
  const suffix = s.slice(pos);
  if (!SUFFIX_SHAPE.test(suffix))
    return `unexpected characters in suffix ${JSON.stringify(suffix)}`;
  return { negative, intDigits, fracDigits, suffix };
}

/** Interprets a suffix: decimal SI, binary SI, then `e<n>`/`E<n>` (suffix.go suffixHandler.interpret). */
export function interpretSuffix(suffix: string): SuffixMeaning | string {
  const decimal = DECIMAL_SUFFIXES.get(suffix);
  if (decimal !== undefined) return { base: 10, exponent: decimal, format: 'DecimalSI' };
  const binary = BINARY_SUFFIXES.get(suffix);
  if (binary !== undefined) return { base: 2, exponent: binary, format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E')) {
    const digits = suffix.slice(1);
    if (!SIGNED_INTEGER.test(digits)) return `unknown suffix ${JSON.stringify(suffix)}`;
    const exponent = Number(digits);
    // Upstream truncates the parsed int64 to int32, silently wrapping; refusing is the honest choice.
    if (Math.abs(exponent) > MAX_EXPONENT) return `exponent ${digits} out of range`;
    return { base: 10, exponent, format: 'DecimalExponent' };
  }
  return `unknown suffix ${JSON.stringify(suffix)}`;
}

/**
 * The suffix for a base-10 exponent that is a multiple of 3 (suffix.go constructBytes). DecimalSI has
 * no suffix beyond E or below n, so those fall back to `e<n>` as CanonicalizeBytes does.
 */
export function decimalSuffix(exponent: number, format: QuantityFormat): string {
  if (format === 'DecimalSI') {
    const si = DECIMAL_SUFFIX_BY_EXPONENT.get(exponent);
    if (si !== undefined) return si;
  }
  return exponent === 0 ? '' : `e${exponent}`;
}

/** The binary suffix for 1024^power, power in 0..6. */
export function binarySuffix(powerOf1024: number): string {
  return BINARY_SUFFIX_BY_POWER_OF_1024[powerOf1024] ?? '';
}

/** Highest power of 1024 with a suffix (Ei). */
export const MAX_BINARY_POWER = BINARY_SUFFIX_BY_POWER_OF_1024.length - 1;
