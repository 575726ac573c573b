/**
 * Number-to-text formatters for the hot path of metrics.k8s.io lists. A list of 1,000 pods
 * writes 4,000 quantities; building a bigint-backed Quantity for each costs more than the rest of
 * the response, so these produce the same canonical strings straight from safe integers. The
 * property tests pin them to src/k8s Quantity for every input they accept.
 * @module
 */
import { Quantity } from '../../src/k8s/index.js';

const DECIMAL_SUFFIX_BY_EXPONENT: Readonly<Record<number, string>> = {
  [-9]: 'n',
  [-6]: 'u',
  [-3]: 'm',
  0: '',
  3: 'k',
  6: 'M',
  9: 'G',
  12: 'T',
  15: 'P',
  18: 'E',
};
const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'] as const;

/**
 * `mantissa × 10^exponent` in DecimalSI canonical form (quantity.go CanonicalizeBytes with
 * AsCanonicalBytes): the largest power-of-1000 suffix that keeps the mantissa an integer.
 * `exponent` must be a multiple of 3 in [-9, 0].
 */
export function formatDecimalSI(mantissa: number, exponent: number): string {
  if (mantissa === 0) return '0';
  if (!Number.isSafeInteger(mantissa))
    return Quantity.fromScaled(BigInt(mantissa), exponent).toString();
  let m = mantissa;
  let e = exponent;
  while (m % 1000 === 0 && e < 18) {
    m /= 1000;
    e += 3;
  }
  return `${m}${DECIMAL_SUFFIX_BY_EXPONENT[e]}`;
}

/**
 * Average CPU as metrics-server writes it: truncated to whole nanocores, scale -9, DecimalSI
 * (pkg/storage/types.go resourceUsage with uint64Quantity(uint64(cpu), DecimalSI, -9)).
 */
export function formatNanoCores(cpuNanoCores: number): string {
  return formatDecimalSI(Math.max(0, Math.trunc(cpuNanoCores)), -9);
}

/**
 * Memory as metrics-server writes it: whole bytes, BinarySI. Values strictly between -1024 and
 * 1024 print as DecimalSI ("1k" for 1000 bytes), as quantity.go CanonicalizeBytes does.
 */
export function formatBytes(memoryBytes: number): string {
  const b = Math.max(0, Math.trunc(memoryBytes));
  if (b < 1024) return formatDecimalSI(b, 0);
  if (!Number.isSafeInteger(b)) return Quantity.fromScaled(BigInt(b), 0, 'BinarySI').toString();
  let v = b;
  let power = 0;
  while (v % 1024 === 0 && power < BINARY_SUFFIXES.length - 1) {
    v /= 1024;
    power++;
  }
  return `${v}${BINARY_SUFFIXES[power]}`;
}

/**
 * A metav1.Time: RFC 3339 in UTC at whole seconds, as Go marshals it (`2021-08-13T10:24:26Z`).
 * Sub-second parts are dropped, not rounded (metav1.Time.MarshalJSON uses time.RFC3339).
 */
export function formatTime(timestampMs: number): string {
  const seconds = Math.floor(timestampMs / 1000) * 1000;
  return `${new Date(seconds).toISOString().slice(0, 19)}Z`;
}
