import { describe, expect, it } from 'vitest';
import { everything, parseSelector, type Selector } from '../../../src/k8s/index.js';
import {
  CustomMetricsStore,
  customKey,
  externalKey,
  type CustomMetricInfo,
  type CustomMetricSample,
  type CustomStoreCycle,
  type ExternalMetricSample,
  type SelectorQuerySource,
} from '../../../src/store/index.js';

const T = 1_800_000_000_000;
const pods: CustomMetricInfo = {
  groupResource: { group: '', resource: 'pods' },
  metric: 'rps',
  namespaced: true,
};
const namespaces: CustomMetricInfo = {
  groupResource: { group: '', resource: 'namespaces' },
  metric: 'rps',
  namespaced: false,
};

function pod(
  namespace: string,
  name: string,
  value: number,
  timestampMs = T,
  labels: Record<string, string> = { namespace, pod: name },
): CustomMetricSample {
  return { namespace, name, metric: 'rps', value, timestampMs, labels };
}

function ext(labels: Record<string, string>, value: number, timestampMs = T): ExternalMetricSample {
  return { metric: 'queue', labels, value, timestampMs };
}

function cycle(extra: Partial<CustomStoreCycle> = {}): CustomStoreCycle {
  return {
    customMetrics: [pods, namespaces],
    externalMetrics: [{ metric: 'queue' }],
    custom: [
      {
        info: pods,
        selector: '',
        samples: [pod('shop', 'web-1', 1), pod('shop', 'web-2', 2), pod('other', 'web-1', 3)],
      },
      {
        info: namespaces,
        selector: '',
        samples: [
          { name: 'shop', metric: 'rps', value: 3, timestampMs: T, labels: { namespace: 'shop' } },
        ],
      },
    ],
    external: [
      {
        metric: 'queue',
        namespace: 'shop',
        selector: '',
        samples: [ext({ queue: 'orders' }, 42), ext({ queue: 'billing' }, 5)],
      },
    ],
    retain: [],
    ...extra,
  };
}

function storeAt(nowMs: { t: number }, maxSamples?: number): CustomMetricsStore {
  return new CustomMetricsStore({ now: () => nowMs.t, maxAgeMs: 60_000, maxSamples });
}

class RecordingSource implements SelectorQuerySource {
  calls: string[] = [];
  custom(
    info: CustomMetricInfo,
    namespace: string | undefined,
    names: readonly string[] | undefined,
    selector: Selector,
  ): Promise<CustomMetricSample[]> {
    this.calls.push(
      `custom ${info.metric} ${namespace} ${names?.join(',')} ${selector.toString()}`,
    );
    return Promise.resolve([pod(namespace ?? '', 'web-1', 0.5)]);
  }
  external(namespace: string, metric: string, selector: Selector): Promise<ExternalMetricSample[]> {
    this.calls.push(`external ${namespace} ${metric} ${selector.toString()}`);
    return Promise.resolve([ext({ queue: 'orders' }, 40)]);
  }
}

describe('CustomMetricsStore: custom metrics', () => {
  it('serves the listed metrics and values by namespace, in the order of the names asked', async () => {
    const s = storeAt({ t: T });
    expect(s.ready()).toBe(false);
    expect(s.replace(cycle())).toEqual({});
    expect(s.ready()).toBe(true);
    expect(s.listCustomMetrics()).toEqual([pods, namespaces]);
    expect(
      (await s.getCustomMetrics(pods, 'shop', ['web-2', 'web-1', 'web-9'], everything)).map(
        (v) => v.value,
      ),
    ).toEqual([2, 1]);
    expect(
      (await s.getCustomMetrics(pods, 'other', undefined, everything)).map((v) => v.value),
    ).toEqual([3]);
    expect(
      (await s.getCustomMetrics(namespaces, undefined, ['shop'], everything)).map((v) => v.value),
    ).toEqual([3]);
    expect(
      await s.getCustomMetrics({ ...pods, metric: 'absent' }, 'shop', undefined, everything),
    ).toEqual([]);
  });

  it('does not serve samples older than maxAgeMs by their own timestamp', async () => {
    const now = { t: T };
    const s = storeAt(now);
    s.replace(
      cycle({
        custom: [
          {
            info: pods,
            selector: '',
            samples: [pod('shop', 'old', 1, T - 60_001), pod('shop', 'new', 2, T - 60_000)],
          },
        ],
      }),
    );
    expect(
      (await s.getCustomMetrics(pods, 'shop', undefined, everything)).map((v) => v.name),
    ).toEqual(['new']);
    now.t += 1;
    expect(await s.getCustomMetrics(pods, 'shop', undefined, everything)).toEqual([]);
  });

  it('keeps retained entries from the previous cycle and forgets the rest', async () => {
    const s = storeAt({ t: T });
    s.replace(cycle());
    s.replace(
      cycle({
        custom: [],
        external: [],
        retain: [customKey(pods, ''), externalKey('nope', undefined, '')],
      }),
    );
    expect(
      (await s.getCustomMetrics(pods, 'shop', ['web-1'], everything)).map((v) => v.value),
    ).toEqual([1]);
    expect(await s.getCustomMetrics(namespaces, undefined, ['shop'], everything)).toEqual([]);
    expect(await s.getExternalMetric('shop', 'queue', everything)).toEqual([]);
  });

  it('keeps the last sample of an object reported twice', async () => {
    const s = storeAt({ t: T });
    s.replace(
      cycle({
        custom: [{ info: pods, selector: '', samples: [pod('shop', 'a', 1), pod('shop', 'a', 2)] }],
      }),
    );
    expect(
      (await s.getCustomMetrics(pods, 'shop', undefined, everything)).map((v) => v.value),
    ).toEqual([2]);
  });

  it('bounds the samples held, reports the drops, and reports its size', () => {
    const s = storeAt({ t: T }, 3);
    expect(s.replace(cycle())).toEqual({ sample_limit: 3 });
    expect(s.stats()).toMatchObject({
      customMetrics: 2,
      externalMetrics: 1,
      customSamples: 3,
      externalSamples: 0,
    });
    expect(s.stats().approxBytes).toBeGreaterThan(3 * 100);
  });
});

describe('CustomMetricsStore: metricSelector', () => {
  const cases = [
    {
      name: 'values collected for the selector are served as they are',
      selector: 'verb=GET',
      selected: true,
      want: [9],
      calls: [],
    },
    {
      name: 'a selector on labels every series carries filters the stored series',
      selector: 'namespace=shop',
      selected: false,
      want: [1],
      calls: [],
    },
    {
      name: 'a selector on an aggregated-away label goes to the source',
      selector: 'verb=GET',
      selected: false,
      want: [0.5],
      calls: ['custom rps shop web-1 verb=GET'],
    },
  ];
  it.each(cases)('$name', async ({ selector, selected, want, calls }) => {
    const s = storeAt({ t: T });
    const source = new RecordingSource();
    s.setSelectorSource(source);
    const extra = selected ? [{ info: pods, selector, samples: [pod('shop', 'web-1', 9)] }] : [];
    s.replace(cycle({ custom: [...cycle().custom, ...extra] }));
    expect(
      (await s.getCustomMetrics(pods, 'shop', ['web-1'], parseSelector(selector))).map(
        (v) => v.value,
      ),
    ).toEqual(want);
    expect(source.calls).toEqual(calls);
  });

  it('without a source, filters the stored series (and finds nothing for aggregated-away labels)', async () => {
    const s = storeAt({ t: T });
    s.replace(cycle());
    expect(await s.getCustomMetrics(pods, 'shop', ['web-1'], parseSelector('verb=GET'))).toEqual(
      [],
    );
  });
});

describe('CustomMetricsStore: external metrics', () => {
  it('serves the namespace entry, else the any-namespace entry', async () => {
    const s = storeAt({ t: T });
    s.replace(
      cycle({
        external: [
          ...cycle().external,
          {
            metric: 'queue',
            namespace: undefined,
            selector: '',
            samples: [ext({ queue: 'global' }, 7)],
          },
        ],
      }),
    );
    expect((await s.getExternalMetric('shop', 'queue', everything)).map((v) => v.value)).toEqual([
      42, 5,
    ]);
    expect(
      (await s.getExternalMetric('elsewhere', 'queue', everything)).map((v) => v.value),
    ).toEqual([7]);
    expect(await s.getExternalMetric('shop', 'absent', everything)).toEqual([]);
  });

  const cases = [
    { name: 'filters label sets at read time', selector: 'queue=orders', want: [42], calls: [] },
    { name: 'set-based selector', selector: 'queue in (orders,billing)', want: [42, 5], calls: [] },
    {
      name: 'selector on a label the series lack goes to the source',
      selector: 'env=prod',
      want: [40],
      calls: ['external shop queue env=prod'],
    },
  ];
  it.each(cases)('$name', async ({ selector, want, calls }) => {
    const s = storeAt({ t: T });
    const source = new RecordingSource();
    s.setSelectorSource(source);
    s.replace(cycle());
    expect(
      (await s.getExternalMetric('shop', 'queue', parseSelector(selector))).map((v) => v.value),
    ).toEqual(want);
    expect(source.calls).toEqual(calls);
  });

  const unseen = [
    {
      name: 'a namespace no collected series showed goes to the source',
      namespace: 'elsewhere',
      selector: '',
      want: [40],
      calls: ['external elsewhere queue '],
    },
    {
      name: 'with a selector too',
      namespace: 'elsewhere',
      selector: 'queue=orders',
      want: [40],
      calls: ['external elsewhere queue queue=orders'],
    },
    {
      name: 'a collected namespace does not',
      namespace: 'shop',
      selector: '',
      want: [42, 5],
      calls: [],
    },
  ];
  it.each(unseen)('$name', async ({ namespace, selector, want, calls }) => {
    const s = storeAt({ t: T });
    const source = new RecordingSource();
    s.setSelectorSource(source);
    s.replace(cycle());
    expect(
      (await s.getExternalMetric(namespace, 'queue', parseSelector(selector))).map((v) => v.value),
    ).toEqual(want);
    expect(source.calls).toEqual(calls);
  });

  it('serves external values collected for a selector', async () => {
    const s = storeAt({ t: T });
    s.replace(
      cycle({
        external: [
          ...cycle().external,
          {
            metric: 'queue',
            namespace: 'shop',
            selector: 'env=prod',
            samples: [ext({ queue: 'orders' }, 41)],
          },
        ],
      }),
    );
    expect(
      (await s.getExternalMetric('shop', 'queue', parseSelector('env=prod'))).map((v) => v.value),
    ).toEqual([41]);
  });
});
