import { describe, expect, it } from 'vitest';
import { decodeResourceMetrics } from '../../../scraper/kubelet/decode-resource.js';
import { decodeSummary } from '../../../scraper/kubelet/decode-summary.js';
import { buildSimNodes } from '../../../scraper/sim/kubelet-simulator.js';
import { goFloat } from '../../../scraper/sim/render.js';
import { FakeTime } from '../../support/fake-time.js';

describe('goFloat (Go strconv.FormatFloat(v, g, -1, 64))', () => {
  const cases = [
    { name: 'zero', v: 0, want: '0' },
    { name: 'small decimal', v: 3.386871, want: '3.386871' },
    { name: 'below a million stays decimal', v: 999999, want: '999999' },
    { name: 'a million switches to exponent', v: 1e6, want: '1e+06' },
    { name: 'working set bytes', v: 917110784, want: '9.17110784e+08' },
    { name: 'start time seconds', v: 1782468834, want: '1.782468834e+09' },
    { name: 'tiny value', v: 0.00001, want: '1e-05' },
    { name: 'negative', v: -2.5e7, want: '-2.5e+07' },
  ];
  it.each(cases)('$name', ({ v, want }) => expect(goFloat(v)).toBe(want));
});

describe('SimNode bodies', () => {
  const usageCores = 0.25;
  const build = (time: FakeTime) =>
    buildSimNodes(
      {
        nodes: 1,
        podsPerNode: 2,
        containersPerPod: 2,
        cpuCores: (r) => usageCores + r.containerIndex * 0.5,
        memoryBytes: () => 64 * 2 ** 20,
      },
      time,
    )[0]!;

  const decoders = [
    { name: '/metrics/resource', kind: 'resource' as const, decode: decodeResourceMetrics },
    { name: '/stats/summary', kind: 'summary' as const, decode: decodeSummary },
  ];
  it.each(decoders)('CPU rates equal the supplied usage: $name', ({ kind, decode }) => {
    const time = new FakeTime(1_800_000_000_000);
    const node = build(time);
    const first = decode(node.body(kind, time.now()), time.now(), node.name).batch;
    const secondMs = time.now() + 15_000;
    const second = decode(node.body(kind, secondMs), secondMs, node.name).batch;
    for (const [key, pod] of second.pods) {
      for (const [container, p2] of pod.containers) {
        const p1 = first.pods.get(key)!.containers.get(container)!;
        const rate =
          (p2.cpuUsageCoreSeconds - p1.cpuUsageCoreSeconds) /
          ((p2.timestampMs - p1.timestampMs) / 1000);
        expect(rate).toBeCloseTo(container === 'c0' ? 0.25 : 0.75, 5);
        expect(p2.memoryWorkingSetBytes).toBe(64 * 2 ** 20);
        expect(p2.startTimeMs).toBe(p1.startTimeMs);
      }
    }
    const n1 = first.nodes.get(node.name)!;
    const n2 = second.nodes.get(node.name)!;
    // Two pods × (0.25 + 0.75) cores plus the node's own 0.05 cores.
    expect((n2.cpuUsageCoreSeconds - n1.cpuUsageCoreSeconds) / 15).toBeCloseTo(2.05, 5);
  });

  it('both formats describe the same node at the same instant', () => {
    const time = new FakeTime(1_800_000_000_000);
    const node = build(time);
    const text = decodeResourceMetrics(
      node.body('resource', time.now()),
      time.now(),
      node.name,
    ).batch;
    const json = decodeSummary(node.body('summary', time.now()), time.now(), node.name).batch;
    expect([...json.pods.keys()].sort()).toEqual([...text.pods.keys()].sort());
    for (const [key, pod] of text.pods) {
      for (const [c, p] of pod.containers) {
        expect(json.pods.get(key)!.containers.get(c)!.cpuUsageCoreSeconds).toBeCloseTo(
          p.cpuUsageCoreSeconds,
          5,
        );
      }
    }
  });

  it('renders a body once per sample time', () => {
    const time = new FakeTime(1_800_000_000_000);
    const node = build(time);
    const a = node.body('resource', time.now());
    expect(node.body('resource', time.now())).toBe(a);
    expect(node.body('resource', time.now() + 1000)).not.toBe(a);
  });

  it('text body follows the kubelet layout: families in name order, no timestamp on start times', () => {
    const time = new FakeTime(1_800_000_000_000);
    const text = build(time).body('resource', time.now()).toString();
    const families = [...text.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]);
    expect(families).toEqual([...families].sort());
    expect(text).toMatch(
      /^container_start_time_seconds\{container="c0",namespace="sim-0",pod="sim-node-0-p0"\} 1\.\d+e\+09$/m,
    );
    expect(text).toMatch(/^resource_scrape_error 0$/m);
  });
});
