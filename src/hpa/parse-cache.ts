/**
 * Quantity strings repeat across pods ("500m" in every replica's requests, the same target in
 * every sync), so each evaluation parses each distinct string once. Metric values, windows and
 * times reach the engine parsed (see metric-fetch.ts); the cache serves the Kubernetes objects'
 * own quantities. A cache lives for one evaluation only: no state is shared between calls.
 * @module
 */
import { Quantity } from '../k8s/index.js';
import { MetricError } from './errors.js';

/** Per-evaluation memo of parsed quantities. */
export class ParseCache {
  readonly #milli = new Map<string, number>();

  /**
   * The value in thousandths, rounded up as resource.Quantity.MilliValue() does.
   * @throws MetricError when `text` is not a quantity.
   */
  milli(text: string): number {
    let value = this.#milli.get(text);
    if (value === undefined) {
      value = fastMilli(text) ?? guarded(() => Quantity.parse(text).milliValue());
      this.#milli.set(text, value);
    }
    return value;
  }
}

/** Multipliers to thousandths for the suffixes metrics APIs and specs use most. */
const milliPerUnit: Readonly<Record<string, number>> = {
  '': 1000,
  m: 1,
  k: 1e6,
  M: 1e9,
  G: 1e12,
  Ki: 1024 * 1000,
  Mi: 1024 ** 2 * 1000,
  Gi: 1024 ** 3 * 1000,
};
/** Divisors from thousandths for sub-milli suffixes; MilliValue rounds their values up. */
const unitsPerMilli: Readonly<Record<string, number>> = { n: 1e6, u: 1e3 };
const simpleQuantity = /^(\d{1,15})(|n|u|m|k|M|G|Ki|Mi|Gi)$/;

/**
 * Quantity.parse(text).milliValue() without BigInt for plain `<digits><suffix>` quantities such as
 * "250m", "123456789n" or "512Ki", the forms kubelets and specs write; undefined sends anything
 * else (signs, fractions, exponents, large values) to the exact parser. Integer arithmetic below
 * 2^53 is exact, and so is the rounded-up float quotient for the sub-milli suffixes.
 */
function fastMilli(text: string): number | undefined {
  const m = simpleQuantity.exec(text);
  if (m === null) return undefined;
  const digits = Number(m[1]);
  const suffix = m[2]!;
  const divisor = unitsPerMilli[suffix];
  if (divisor !== undefined) return Math.ceil(digits / divisor);
  const value = digits * milliPerUnit[suffix]!;
  return Number.isSafeInteger(value) ? value : undefined;
}

/** Turns a parse failure of snapshot data into a metric failure, as a bad API response would be. */
function guarded(parse: () => number): number {
  try {
    return parse();
  } catch (err) {
    throw new MetricError(err instanceof Error ? err.message : String(err));
  }
}

/** Prints a milli value as the controller does (resource.NewMilliQuantity(v, DecimalSI).String()). */
export function formatMilli(milli: number): string {
  return Quantity.fromMilli(toInt64(milli)).toString();
}

/** Go's int64 view of a float: truncated, saturated at the int64 range. */
function toInt64(value: number): bigint | number {
  if (Number.isSafeInteger(value)) return value;
  if (Number.isNaN(value)) return 0;
  const max = 2n ** 63n - 1n;
  if (value >= 2 ** 63) return max;
  if (value <= -(2 ** 63)) return -max - 1n;
  return BigInt(Math.trunc(value));
}
