/**
 * Normal forms of custom, external and Status answers, so two peers' answers compare as data:
 * items keyed by what they describe, values as served (gauges compare exactly) or as numbers
 * (rates compare within a tolerance), timestamps set aside (checked separately: prometheus-adapter
 * stamps the request time, scaleplane the sample's own time, as the README states).
 * @module
 */
import { Quantity } from '../../../src/k8s/index.js';

export interface NormalItem {
  key: string;
  /** Everything but the value and the timestamp. */
  meta: unknown;
  value: string;
  timestamp: string | undefined;
}

export type Normal =
  | { type: 'list'; status: number; kind: string; items: NormalItem[] }
  | {
      type: 'status';
      status: number;
      kind: 'Status';
      code?: number;
      reason?: string;
      message?: string;
    }
  | { type: 'other'; status: number; kind: 'other'; body: string };

interface RawCustomItem {
  describedObject: { kind: string; namespace?: string; name: string; apiVersion: string };
  metricName?: string;
  metric?: { name: string; selector?: unknown };
  selector?: unknown;
  windowSeconds?: number;
  timestamp: string;
  value: string;
}
interface RawExternalItem {
  metricName: string;
  metricLabels?: Record<string, string>;
  timestamp: string;
  window?: number;
  value: string;
}

function sortedLabels(l: Record<string, string> | undefined): string {
  return JSON.stringify(Object.entries(l ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The normal form of one HTTP answer. */
export function normalize(status: number, body: string): Normal {
  let doc: { kind?: string; items?: unknown[]; code?: number; reason?: string; message?: string };
  try {
    doc = JSON.parse(body) as typeof doc;
  } catch {
    return { type: 'other', status, kind: 'other', body: body.slice(0, 300) };
  }
  if (doc.kind === 'Status')
    return {
      type: 'status',
      status,
      kind: 'Status',
      code: doc.code,
      reason: doc.reason,
      message: doc.message,
    };
  if (status !== 200 || !Array.isArray(doc.items))
    return { type: 'other', status, kind: 'other', body: body.slice(0, 300) };
  if (doc.kind === 'ExternalMetricValueList') {
    const items = (doc.items as RawExternalItem[]).map((i) => ({
      key: `${i.metricName}${sortedLabels(i.metricLabels)}`,
      meta: {
        metricName: i.metricName,
        metricLabels: sortedLabels(i.metricLabels),
        window: i.window,
      },
      value: i.value,
      timestamp: i.timestamp,
    }));
    return {
      type: 'list',
      status,
      kind: doc.kind,
      items: items.sort((a, b) => (a.key < b.key ? -1 : 1)),
    };
  }
  const items = (doc.items as RawCustomItem[]).map((i) => {
    const o = i.describedObject;
    return {
      key: `${o.kind}/${o.namespace ?? ''}/${o.name}`,
      meta: {
        describedObject: {
          kind: o.kind,
          namespace: o.namespace ?? '',
          name: o.name,
          apiVersion: o.apiVersion,
        },
        metricName: i.metricName,
        metric: i.metric,
        selector: i.selector,
        windowSeconds: i.windowSeconds,
      },
      value: i.value,
      timestamp: i.timestamp,
    };
  });
  return {
    type: 'list',
    status,
    kind: doc.kind ?? '',
    items: items.sort((a, b) => (a.key < b.key ? -1 : 1)),
  };
}

/** The numeric value of a served quantity. */
export function quantityValue(s: string): number {
  return Quantity.parse(s).asApproximateFloat64();
}

/** Differences between two answers, as readable lines (empty when they agree). */
export function differences(
  a: Normal,
  b: Normal,
  values: 'exact' | 'rate',
  names: [string, string] = ['prometheus-adapter', 'scaleplane'],
): string[] {
  const [na, nb] = names;
  if (a.status !== b.status || a.kind !== b.kind)
    return [
      `status ${na} ${a.status} ${a.kind} vs ${nb} ${b.status} ${b.kind}: ${JSON.stringify(a)} / ${JSON.stringify(b)}`,
    ];
  if (a.type === 'list' && b.type === 'list') {
    const out: string[] = [];
    const ka = a.items.map((i) => i.key);
    const kb = b.items.map((i) => i.key);
    if (JSON.stringify(ka) !== JSON.stringify(kb))
      return [`items ${na} [${ka.join(', ')}] vs ${nb} [${kb.join(', ')}]`];
    a.items.forEach((ia, n) => {
      const ib = b.items[n]!;
      if (JSON.stringify(ia.meta) !== JSON.stringify(ib.meta))
        out.push(`${ia.key}: ${na} ${JSON.stringify(ia.meta)} vs ${nb} ${JSON.stringify(ib.meta)}`);
      if (values === 'exact' ? ia.value !== ib.value : !closeRate(ia.value, ib.value))
        out.push(`${ia.key}: value ${na} ${ia.value} vs ${nb} ${ib.value}`);
    });
    return out;
  }
  return JSON.stringify(a) === JSON.stringify(b)
    ? []
    : [`${na} ${JSON.stringify(a)} vs ${nb} ${JSON.stringify(b)}`];
}

/** Within 1%, or two thousandths for small rates (the quantities are truncated to milli units). */
function closeRate(x: string, y: string): boolean {
  const a = quantityValue(x);
  const b = quantityValue(y);
  return Math.abs(a - b) <= Math.max(0.002, 0.01 * Math.max(Math.abs(a), Math.abs(b)));
}
