import { describe, expect, it } from 'vitest';
import type { QueryResult } from '../../../scraper/prometheus/decode.js';
import { PrometheusError } from '../../../scraper/prometheus/errors.js';
import { customSamples, externalSamples } from '../../../scraper/prometheus/results.js';

const vector = (
  samples: { labels: Record<string, string>; value: number }[],
  malformed = 0,
): QueryResult => ({
  resultType: 'vector',
  malformed,
  samples: samples.map((s) => ({ ...s, timestampMs: 5000 })),
});

describe('customSamples', () => {
  const where = { metric: 'rps', resourceLabel: 'pod', namespaceLabel: 'namespace' };
  const cases = [
    {
      name: 'names objects from the resource and namespace labels',
      result: vector([{ labels: { pod: 'a', namespace: 'x' }, value: 1 }]),
      want: [{ namespace: 'x', name: 'a', value: 1 }],
      dropped: {},
    },
    {
      name: 'drops NaN and infinities',
      result: vector([
        { labels: { pod: 'a', namespace: 'x' }, value: NaN },
        { labels: { pod: 'b', namespace: 'x' }, value: Infinity },
        { labels: { pod: 'c', namespace: 'x' }, value: -Infinity },
      ]),
      want: [],
      dropped: { non_finite_value: 3 },
    },
    {
      name: 'drops series without the object labels',
      result: vector([
        { labels: { namespace: 'x' }, value: 1 },
        { labels: { pod: 'a' }, value: 1 },
        { labels: { pod: '', namespace: 'x' }, value: 1 },
      ]),
      want: [],
      dropped: { missing_labels: 3 },
    },
    {
      name: 'the later of two series for one object wins',
      result: vector([
        { labels: { pod: 'a', namespace: 'x', v: '1' }, value: 1 },
        { labels: { pod: 'a', namespace: 'x', v: '2' }, value: 2 },
      ]),
      want: [{ namespace: 'x', name: 'a', value: 2 }],
      dropped: { duplicate_series: 1 },
    },
    {
      name: 'counts malformed entries',
      result: vector([], 2),
      want: [],
      dropped: { malformed_entry: 2 },
    },
  ];
  it.each(cases)('$name', ({ result, want, dropped }) => {
    const out = customSamples(result, where);
    expect(
      out.samples.map((s) => ({ namespace: s.namespace, name: s.name, value: s.value })),
    ).toEqual(want);
    expect(out.dropped).toEqual(dropped);
  });

  it('keeps the sample timestamp and labels; root-scoped objects have no namespace', () => {
    const [s] = customSamples(vector([{ labels: { node: 'n1', job: 'x' }, value: 1 }]), {
      metric: 'load',
      resourceLabel: 'node',
    }).samples;
    expect(s).toEqual({
      name: 'n1',
      metric: 'load',
      value: 1,
      timestampMs: 5000,
      labels: { node: 'n1', job: 'x' },
    });
  });

  it('rejects a scalar, as upstream expects a vector', () => {
    expect(() =>
      customSamples(
        { resultType: 'scalar', sample: { timestampMs: 1, value: 1 }, malformed: 0 },
        where,
      ),
    ).toThrow(PrometheusError);
  });
});

describe('externalSamples', () => {
  it('keeps every series with its labels', () => {
    const out = externalSamples(
      vector([
        { labels: { queue: 'a' }, value: 1 },
        { labels: { queue: 'b' }, value: NaN },
      ]),
      'q',
    );
    expect(out).toEqual({
      samples: [{ metric: 'q', labels: { queue: 'a' }, value: 1, timestampMs: 5000 }],
      dropped: { non_finite_value: 1 },
    });
  });

  it('turns a scalar into one unlabelled sample', () => {
    expect(
      externalSamples(
        { resultType: 'scalar', sample: { timestampMs: 7, value: 3 }, malformed: 0 },
        'q',
      ).samples,
    ).toEqual([{ metric: 'q', labels: {}, value: 3, timestampMs: 7 }]);
  });
});
