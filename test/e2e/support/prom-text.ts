/**
 * Reads single samples out of Prometheus text exposition (kwok's emulated kubelet
 * /metrics/resource), enough for assertions; scaleplane's own decoders live in scraper/kubelet.
 * @module
 */

/** The value of the first `metric` sample whose labels include all of `labels`, if any. */
export function sampleValue(
  body: string,
  metric: string,
  labels: Record<string, string>,
): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of body.split('\n')) {
    if (!line.startsWith(`${metric}{`) && !line.startsWith(`${metric} `)) continue;
    const close = line.indexOf('}');
    const labelText = close === -1 ? '' : line.slice(metric.length + 1, close);
    if (!wanted.every((pair) => labelText.split(',').includes(pair))) continue;
    const value = line
      .slice(close === -1 ? metric.length : close + 1)
      .trim()
      .split(' ')[0];
    return Number(value);
  }
  return undefined;
}
