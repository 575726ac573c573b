import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DurationError, formatDuration, parseDuration } from '../../../src/k8s/index.js';

const NS = 1e-6;
const US = 1e-3;
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Milliseconds for an exact nanosecond count, split as parseDuration splits it. */
function nsToMs(ns: bigint): number {
  return Number(ns / 1_000_000n) + Number(ns % 1_000_000n) / 1e6;
}

describe('parseDuration: should pass (Go time parseDurationTests)', () => {
  const cases: { name: string; input: string; ms: number }[] = [
    { name: 'zero', input: '0', ms: 0 },
    { name: 'seconds', input: '5s', ms: 5 * SECOND },
    { name: 'thirty seconds', input: '30s', ms: 30 * SECOND },
    { name: 'many seconds', input: '1478s', ms: 1478 * SECOND },
    { name: 'negative', input: '-5s', ms: -5 * SECOND },
    { name: 'explicit plus', input: '+5s', ms: 5 * SECOND },
    { name: 'negative zero', input: '-0', ms: 0 },
    { name: 'plus zero', input: '+0', ms: 0 },
    { name: 'decimal', input: '5.6s', ms: 5600 },
    { name: 'trailing point', input: '5.s', ms: 5 * SECOND },
    { name: 'leading point', input: '.5s', ms: 500 },
    { name: 'trailing zeros', input: '1.00s', ms: SECOND },
    { name: 'thousandths', input: '1.004s', ms: 1004 },
    { name: 'fraction with extra zeros', input: '100.00100s', ms: 100 * SECOND + 1 },
    { name: 'nanoseconds', input: '10ns', ms: 0.00001 },
    { name: 'us', input: '11us', ms: 0.011 },
    { name: 'micro sign', input: '12\u00b5s', ms: 0.012 },
    { name: 'greek mu', input: '12\u03bcs', ms: 0.012 },
    { name: 'milliseconds', input: '13ms', ms: 13 },
    { name: 'minutes', input: '15m', ms: 15 * MINUTE },
    { name: 'hours', input: '16h', ms: 16 * HOUR },
    { name: 'fractional hours', input: '1.5h', ms: 1.5 * HOUR },
    { name: 'hours and minutes', input: '3h30m', ms: 3 * HOUR + 30 * MINUTE },
    { name: 'any unit order', input: '10.5s4m', ms: 4 * MINUTE + 10_500 },
    { name: 'negative compound', input: '-2m3.4s', ms: -(2 * MINUTE + 3400) },
    { name: 'every unit', input: '1h2m3s4ms5us6ns', ms: nsToMs(3_723_004_005_006n) },
    { name: 'metrics-server resolution', input: '1m30s', ms: 90 * SECOND },
    { name: 'big nanoseconds', input: '52763797000ns', ms: 52_763.797 },
    { name: 'a third of an hour', input: '0.3333333333333333333h', ms: 20 * MINUTE },
    { name: '2^53+1 ns', input: '9007199254740993ns', ms: nsToMs(9_007_199_254_740_993n) },
    { name: 'max int64 ns', input: '9223372036854775807ns', ms: nsToMs(2n ** 63n - 1n) },
    { name: 'max int64 in us', input: '9223372036854775.807us', ms: nsToMs(2n ** 63n - 1n) },
    {
      name: 'max int64 spread out',
      input: '9223372036s854ms775us807ns',
      ms: nsToMs(2n ** 63n - 1n),
    },
    { name: 'min int64', input: '-9223372036854775808ns', ms: -nsToMs(2n ** 63n) },
    { name: 'min int64 in hours', input: '-2562047h47m16.854775808s', ms: -nsToMs(2n ** 63n) },
    { name: 'long fraction', input: '0.100000000000000000000h', ms: 6 * MINUTE },
    {
      name: 'fraction past int64 precision',
      input: '0.830103483285477580700h',
      ms: nsToMs(2_988_372_539_827n),
    },
    {
      name: 'hostile fraction digits are ignored cheaply',
      input: `1.${'5'.repeat(100_000)}s`,
      ms: nsToMs(1_555_555_555n),
    },
    { name: 'leading zeros are not overflow', input: `${'0'.repeat(30)}1s`, ms: SECOND },
  ];

  it.each(cases)('$name', ({ input, ms }) => {
    expect(parseDuration(input)).toBe(ms);
  });
});

describe('parseDuration: should fail', () => {
  const cases = [
    { name: 'empty', input: '', why: 'empty' },
    { name: 'missing unit', input: '3', why: 'missing unit' },
    { name: 'one without unit', input: '1', why: 'missing unit' },
    { name: 'zeros without unit', input: '00', why: 'missing unit' },
    { name: 'sign only', input: '-', why: 'empty' },
    { name: 'unit only', input: 's', why: 'expected a number' },
    { name: 'point only', input: '.', why: 'expected a number' },
    { name: 'signed point', input: '-.', why: 'expected a number' },
    { name: 'point unit', input: '.s', why: 'expected a number' },
    { name: 'signed point unit', input: '+.s', why: 'expected a number' },
    { name: 'days are not a unit', input: '1d', why: 'unknown unit "d"' },
    { name: 'unknown unit', input: '1x', why: 'unknown unit "x"' },
    { name: 'binary junk', input: '\x85\x85', why: 'expected a number' },
    { name: 'junk around digits', input: 'hello \xffff world', why: 'expected a number' },
    { name: 'space before unit', input: '1 s', why: 'unknown unit " s"' },
    { name: 'sign inside', input: '1s-1s', why: 'unknown unit "s-"' },
    { name: 'overflow ns', input: '9223372036854775808ns', why: 'overflows' },
    { name: 'overflow us', input: '9223372036854775.808us', why: 'overflows' },
    { name: 'overflow spread out', input: '9223372036s854ms775us808ns', why: 'overflows' },
    { name: 'overflow negative', input: '-9223372036854775809ns', why: 'overflows' },
    { name: 'hostile digit run', input: `${'9'.repeat(100_000)}s`, why: 'overflows' },
  ];

  it.each(cases)('$name', ({ input, why }) => {
    let thrown: unknown;
    try {
      parseDuration(input);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(DurationError);
    const error = thrown as DurationError;
    expect(error.code).toBe('InvalidDuration');
    expect(error.input).toBe(input);
    expect(error.message.startsWith(`invalid duration ${JSON.stringify(input).slice(0, 40)}`)).toBe(
      true,
    );
    expect(error.message).toContain(why);
  });
});

describe('formatDuration (Go Duration.String durationTests)', () => {
  const cases: { name: string; ms: number; text: string }[] = [
    { name: 'zero', ms: 0, text: '0s' },
    { name: 'negative zero', ms: -0, text: '0s' },
    { name: 'one nanosecond', ms: NS, text: '1ns' },
    { name: 'microseconds', ms: 1100 * NS, text: '1.1µs' },
    { name: 'one microsecond', ms: US, text: '1µs' },
    { name: 'milliseconds', ms: 2.2, text: '2.2ms' },
    { name: 'half a second', ms: 500, text: '500ms' },
    { name: 'seconds', ms: 3300, text: '3.3s' },
    { name: 'thirty seconds', ms: 30 * SECOND, text: '30s' },
    { name: 'one and a half seconds', ms: 1500, text: '1.5s' },
    { name: 'metrics-server window', ms: 15_012, text: '15.012s' },
    { name: 'minutes and seconds', ms: 4 * MINUTE + 5 * SECOND, text: '4m5s' },
    { name: 'minutes and fraction', ms: 4 * MINUTE + 5001, text: '4m5.001s' },
    { name: 'whole minute', ms: MINUTE, text: '1m0s' },
    { name: 'hours', ms: 5 * HOUR + 6 * MINUTE + 7001, text: '5h6m7.001s' },
    { name: 'whole hour', ms: HOUR, text: '1h0m0s' },
    { name: 'h m s', ms: HOUR + 2 * MINUTE + 3 * SECOND, text: '1h2m3s' },
    { name: 'minutes plus a nanosecond', ms: 8 * MINUTE + NS, text: '8m0.000000001s' },
    { name: 'negative', ms: -MINUTE, text: '-1m0s' },
    { name: 'negative sub-second', ms: -1.5, text: '-1.5ms' },
  ];

  it.each(cases)('$name', ({ ms, text }) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it.each([NaN, Infinity])('rejects %s', (ms) => {
    expect(() => formatDuration(ms)).toThrow(RangeError);
  });
});

describe('duration properties', () => {
  it('formatDuration output parses back to the same milliseconds, to the nanosecond', () => {
    // Whole nanoseconds below ~104 days, where milliseconds as a float still hold every nanosecond.
    const ns = fc.bigInt(-(2n ** 52n), 2n ** 52n);
    fc.assert(
      fc.property(ns, (n) => {
        const ms = nsToMs(n < 0n ? -n : n) * (n < 0n ? -1 : 1);
        const text = formatDuration(ms);
        expect(Math.round(parseDuration(text) * 1e6)).toBe(Math.round(ms * 1e6));
        expect(formatDuration(parseDuration(text))).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });

  it('parseDuration throws nothing but DurationError', () => {
    const alphabet = fc.constantFrom(...'0123456789.+-hmsunµ x'.split(''));
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: alphabet, maxLength: 20 }), fc.string({ maxLength: 20 })),
        (text) => {
          try {
            expect(Number.isFinite(parseDuration(text))).toBe(true);
          } catch (err) {
            expect(err).toBeInstanceOf(DurationError);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
