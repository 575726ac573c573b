import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeEnvelope,
  decodeQueryData,
  decodeSeriesData,
  parsePromValue,
} from '../../../scraper/prometheus/decode.js';
import { PrometheusError } from '../../../scraper/prometheus/errors.js';

const success = (data: unknown): string => JSON.stringify({ status: 'success', data });

describe('decodeEnvelope: should pass', () => {
  it('returns data of a success envelope', () => {
    expect(decodeEnvelope(200, success([{ __name__: 'up' }]))).toEqual([{ __name__: 'up' }]);
  });
  it('accepts warnings alongside data', () => {
    expect(
      decodeEnvelope(200, JSON.stringify({ status: 'success', data: 1, warnings: ['w'] })),
    ).toBe(1);
  });
});

describe('decodeEnvelope: should fail with a typed reason', () => {
  const cases = [
    {
      name: 'error envelope on 400',
      status: 400,
      body: '{"status":"error","errorType":"bad_data","error":"parse error at char 3"}',
      reason: 'prometheus_bad_data',
    },
    {
      name: 'error envelope on 422',
      status: 422,
      body: '{"status":"error","errorType":"execution","error":"too many samples"}',
      reason: 'prometheus_execution',
    },
    {
      name: 'error envelope on 503',
      status: 503,
      body: '{"status":"error","errorType":"timeout","error":"query timed out"}',
      reason: 'prometheus_timeout',
    },
    {
      name: 'error envelope on 200',
      status: 200,
      body: '{"status":"error","errorType":"internal","error":"x"}',
      reason: 'prometheus_internal',
    },
    {
      name: 'unknown errorType is bounded',
      status: 400,
      body: '{"status":"error","errorType":"🙃 anything","error":"x"}',
      reason: 'prometheus_unknown',
    },
    {
      name: 'non-JSON 502 from a proxy',
      status: 502,
      body: '<html>bad gateway</html>',
      reason: 'http_502',
    },
    {
      name: 'JSON 404 without envelope',
      status: 404,
      body: '{"message":"not found"}',
      reason: 'http_404',
    },
    { name: '503 without envelope', status: 503, body: '{}', reason: 'http_503' },
    { name: 'non-JSON 200', status: 200, body: 'up 1', reason: 'bad_response' },
    {
      name: 'success without data',
      status: 200,
      body: '{"status":"success"}',
      reason: 'bad_response',
    },
    { name: 'JSON that is not an object', status: 200, body: '[1,2]', reason: 'bad_response' },
  ];
  it.each(cases)('$name', ({ status, body, reason }) => {
    expect(() => decodeEnvelope(status, body)).toThrow(PrometheusError);
    try {
      decodeEnvelope(status, Buffer.from(body));
    } catch (err) {
      expect((err as PrometheusError).reason).toBe(reason);
    }
  });
});

describe('decodeSeriesData', () => {
  it('keeps label sets and counts malformed entries', () => {
    const r = decodeSeriesData([
      { __name__: 'up', job: 'a' },
      { __name__: 'x', bad: 1 },
      'nope',
      { __name__: 'y' },
    ]);
    expect(r).toEqual({ series: [{ __name__: 'up', job: 'a' }, { __name__: 'y' }], malformed: 2 });
  });
  it('fails when data is not a list', () => {
    expect(() => decodeSeriesData({})).toThrow(/not a list/);
  });
});

describe('decodeQueryData', () => {
  const cases = [
    {
      name: 'vector with NaN and infinities kept for the caller',
      data: {
        resultType: 'vector',
        result: [
          { metric: { pod: 'a' }, value: [1700000000.5, '1.5'] },
          { metric: { pod: 'b' }, value: [1700000000.5, 'NaN'] },
          { metric: {}, value: [1, '+Inf'] },
          { metric: {}, value: [1, '-Inf'] },
        ],
      },
      want: {
        resultType: 'vector',
        malformed: 0,
        samples: [
          { labels: { pod: 'a' }, timestampMs: 1700000000500, value: 1.5 },
          { labels: { pod: 'b' }, timestampMs: 1700000000500, value: NaN },
          { labels: {}, timestampMs: 1000, value: Infinity },
          { labels: {}, timestampMs: 1000, value: -Infinity },
        ],
      },
    },
    {
      name: 'vector entries of the wrong shape are counted',
      data: {
        resultType: 'vector',
        result: [
          { metric: { a: 1 }, value: [1, '1'] },
          { metric: {}, histogram: [1, {}] },
          { metric: {}, value: [1, ''] },
          { metric: {}, value: ['1', '1'] },
          { value: [2, '2e3'] },
        ],
      },
      want: {
        resultType: 'vector',
        malformed: 4,
        samples: [{ labels: {}, timestampMs: 2000, value: 2000 }],
      },
    },
    {
      name: 'scalar',
      data: { resultType: 'scalar', result: [10, '3'] },
      want: { resultType: 'scalar', malformed: 0, sample: { timestampMs: 10_000, value: 3 } },
    },
  ];
  it.each(cases)('$name', ({ data, want }) => {
    expect(decodeQueryData(data)).toEqual(want);
  });

  const failing = [
    { name: 'matrix is not what the adapter asks for', data: { resultType: 'matrix', result: [] } },
    { name: 'string result', data: { resultType: 'string', result: [1, 'x'] } },
    { name: 'vector result not a list', data: { resultType: 'vector', result: {} } },
    { name: 'malformed scalar', data: { resultType: 'scalar', result: [1] } },
    { name: 'data not an object', data: [] },
  ];
  it.each(failing)('fails: $name', ({ data }) => {
    expect(() => decodeQueryData(data)).toThrow(PrometheusError);
  });
});

describe('parsePromValue', () => {
  const cases = [
    ['1', 1],
    ['-0.5', -0.5],
    ['1e+06', 1e6],
    ['.5', 0.5],
    ['NaN', NaN],
    ['+Inf', Infinity],
    ['-Inf', -Infinity],
    ['', undefined],
    [' 1', undefined],
    ['0x10', undefined],
    ['Infinity', undefined],
  ] as const;
  it.each(cases)('%j', (raw, want) => {
    expect(parsePromValue(raw)).toEqual(want);
  });
});

describe('decoder fuzzing', () => {
  it('never throws anything but PrometheusError on arbitrary bodies and statuses', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 599 }),
        fc.oneof(fc.string(), fc.json()),
        (status, body) => {
          try {
            const data = decodeEnvelope(status, body);
            decodeQueryData(data);
            decodeSeriesData(data);
          } catch (err) {
            expect(err).toBeInstanceOf(PrometheusError);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('never throws anything but PrometheusError on arbitrary JSON data', () => {
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.constantFrom('vector', 'scalar', 'matrix', undefined),
        (result, resultType) => {
          for (const data of [{ resultType, result }, result]) {
            try {
              decodeQueryData(data);
            } catch (err) {
              expect(err).toBeInstanceOf(PrometheusError);
            }
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('round-trips every well-formed vector sample', () => {
    const labels = fc.dictionary(fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,8}$/), fc.string());
    const value = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.constant(NaN),
      fc.constant(Infinity),
      fc.constant(-Infinity),
    );
    const sample = fc.record({
      labels,
      seconds: fc.integer({ min: 0, max: 4_000_000_000_000 }).map((ms) => ms / 1000),
      value,
    });
    fc.assert(
      fc.property(fc.array(sample, { maxLength: 5 }), (samples) => {
        const format = (v: number): string =>
          Number.isNaN(v)
            ? 'NaN'
            : v === Infinity
              ? '+Inf'
              : v === -Infinity
                ? '-Inf'
                : Object.is(v, -0)
                  ? '-0'
                  : String(v);
        const body = success({
          resultType: 'vector',
          result: samples.map((s) => ({ metric: s.labels, value: [s.seconds, format(s.value)] })),
        });
        const decoded = decodeQueryData(decodeEnvelope(200, body));
        expect(decoded).toEqual({
          resultType: 'vector',
          malformed: 0,
          samples: samples.map((s) => ({
            labels: s.labels,
            timestampMs: Math.round(s.seconds * 1000),
            value: s.value,
          })),
        });
      }),
    );
  });
});
