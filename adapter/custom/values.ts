/**
 * MetricValueList JSON in both served versions (k8s.io/metrics pkg/apis/custom_metrics). The two
 * differ only in how the metric is named (conversion.go):
 *
 * - v1beta1: `metricName`, `window` (seconds, optional), `selector` (always present, null when none);
 * - v1beta2: `metric: {name, selector}`, `windowSeconds` (optional).
 *
 * Values follow prometheus-adapter's metricFor: milli precision, truncated toward zero, DecimalSI;
 * NaN becomes 0. The selector is the request's metricLabelSelector as a metav1.LabelSelector
 * (metav1.ParseToLabelSelector), or null when there was none.
 * @module
 */
import type { Selector } from '../../src/k8s/index.js';
import type { CustomMetricSample } from '../../src/store/index.js';
import { formatDecimalSI, formatTime } from '../resource/index.js';
import type { DescribedKind } from './kinds.js';

export type CustomVersion = 'v1beta1' | 'v1beta2';

/** What every item of one response shares: the described objects' kind and namespace, the metric. */
export interface ValueListTarget {
  described: DescribedKind;
  /** Namespace of the described objects; undefined for root-scoped objects. */
  namespace: string | undefined;
  metric: string;
}

/** A float as a milli-precision DecimalSI quantity (NewMilliQuantity(int64(v*1000))); NaN is 0. */
export function milliQuantity(value: number): string {
  if (Number.isNaN(value)) return '0';
  return formatDecimalSI(Math.trunc(value * 1000), -3);
}

/** metav1.ParseToLabelSelector: `=`/`==` to matchLabels, `!=` to NotIn, the rest to matchExpressions. */
export function labelSelectorJson(selector: Selector): string {
  if (selector.empty()) return 'null';
  const matchLabels: Record<string, string> = {};
  const matchExpressions: { key: string; operator: string; values?: string[] }[] = [];
  for (const r of selector.requirements) {
    if (r.operator === 'Equals' || r.operator === 'DoubleEquals') matchLabels[r.key] = r.values[0]!;
    else if (r.operator === 'NotEquals')
      matchExpressions.push({ key: r.key, operator: 'NotIn', values: [...r.values] });
    else if (r.operator === 'Exists' || r.operator === 'DoesNotExist')
      matchExpressions.push({ key: r.key, operator: r.operator });
    else matchExpressions.push({ key: r.key, operator: r.operator, values: [...r.values] });
  }
  const out: { matchLabels?: Record<string, string>; matchExpressions?: typeof matchExpressions } =
    {};
  if (Object.keys(matchLabels).length > 0) out.matchLabels = matchLabels;
  if (matchExpressions.length > 0) out.matchExpressions = matchExpressions;
  return JSON.stringify(out);
}

function windowSecondsOf(sample: CustomMetricSample): number | undefined {
  const w = sample.windowSeconds;
  return w === undefined || !Number.isFinite(w) ? undefined : Math.trunc(w);
}

/**
 * The text around each item's object name and after its timestamp, built once per response:
 * v1.ObjectReference in Go field order (kind, namespace, name, apiVersion; all omitempty), then
 * the version's metric naming.
 */
function itemTemplate(
  version: CustomVersion,
  t: ValueListTarget,
  selectorJson: string,
): { head: string; middle: string; windowKey: string; tail: string } {
  const ns =
    t.namespace === undefined || t.namespace === ''
      ? ''
      : `"namespace":${JSON.stringify(t.namespace)},`;
  const head = `{"describedObject":{"kind":${JSON.stringify(t.described.kind)},${ns}"name":`;
  const apiVersion = `,"apiVersion":${JSON.stringify(t.described.apiVersion)}}`;
  const metric = JSON.stringify(t.metric);
  if (version === 'v1beta1') {
    return {
      head,
      middle: `${apiVersion},"metricName":${metric},"timestamp":"`,
      windowKey: 'window',
      tail: `,"selector":${selectorJson}}`,
    };
  }
  return {
    head,
    middle: `${apiVersion},"metric":{"name":${metric},"selector":${selectorJson}},"timestamp":"`,
    windowKey: 'windowSeconds',
    tail: '}',
  };
}

/** The MetricValueList document for `samples` of one target, in the requested version. */
export function metricValueListJson(
  version: CustomVersion,
  target: ValueListTarget,
  samples: readonly CustomMetricSample[],
  metricSelector: Selector,
): string {
  const t = itemTemplate(version, target, labelSelectorJson(metricSelector));
  const parts: string[] = [
    `{"kind":"MetricValueList","apiVersion":"custom.metrics.k8s.io/${version}","metadata":{},"items":[`,
  ];
  let lastMs = Number.NaN;
  let lastTime = '';
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    if (s.timestampMs !== lastMs) {
      lastMs = s.timestampMs;
      lastTime = formatTime(lastMs);
    }
    const window = windowSecondsOf(s);
    const w = window === undefined ? '' : `"${t.windowKey}":${window},`;
    parts.push(
      i === 0 ? '' : ',',
      t.head,
      JSON.stringify(s.name),
      t.middle,
      lastTime,
      `",${w}"value":"${milliQuantity(s.value)}"`,
      t.tail,
    );
  }
  parts.push(']}');
  return parts.join('');
}
