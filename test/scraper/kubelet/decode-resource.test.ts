import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../scraper/kubelet/decode.js';
import { decodeResourceMetrics } from '../../../scraper/kubelet/decode-resource.js';
import { readFixture } from '../../support/fixtures.js';
import { runDecoderContract, type SyntheticNode } from '../../contract/kubelet-decoder.case.js';

/** Writes a synthetic node as a kubelet's /metrics/resource answer. */
function encodeResource(node: SyntheticNode): Buffer {
  const lines: string[] = [];
  const family = (name: string, type: string): void => {
    lines.push(`# HELP ${name} [STABLE] help text`, `# TYPE ${name} ${type}`);
  };
  const each = (
    fn: (labels: string, c: SyntheticNode['pods'][number]['containers'][number]) => void,
  ): void => {
    for (const pod of node.pods) {
      for (const c of pod.containers)
        fn(`{container="${c.name}",namespace="${pod.namespace}",pod="${pod.name}"}`, c);
    }
  };
  family('container_cpu_usage_seconds_total', 'counter');
  each(
    (l, c) =>
      c.cpuCoreSeconds !== undefined &&
      lines.push(`container_cpu_usage_seconds_total${l} ${c.cpuCoreSeconds} ${c.timestampMs}`),
  );
  family('container_memory_working_set_bytes', 'gauge');
  each(
    (l, c) =>
      c.memoryBytes !== undefined &&
      lines.push(
        `container_memory_working_set_bytes${l} ${c.memoryBytes.toExponential()} ${c.timestampMs}`,
      ),
  );
  family('container_start_time_seconds', 'gauge');
  each((l, c) =>
    lines.push(`container_start_time_seconds${l} ${(c.startTimeMs / 1000).toExponential()}`),
  );
  family('node_cpu_usage_seconds_total', 'counter');
  if (node.cpuCoreSeconds !== undefined)
    lines.push(`node_cpu_usage_seconds_total ${node.cpuCoreSeconds} ${node.timestampMs}`);
  family('node_memory_working_set_bytes', 'gauge');
  if (node.memoryBytes !== undefined)
    lines.push(
      `node_memory_working_set_bytes ${node.memoryBytes.toExponential()} ${node.timestampMs}`,
    );
  family('resource_scrape_error', 'gauge');
  lines.push('resource_scrape_error 0');
  return Buffer.from(lines.join('\n') + '\n');
}

runDecoderContract(
  decodeResourceMetrics,
  (role) => (role === 'pair135' ? readFixture('metricsResource135') : undefined),
  encodeResource,
);

const defaultTimeMs = Date.parse('2077-07-07T07:07:07Z');
const decode = (text: string) => decodeResourceMetrics(Buffer.from(text), defaultTimeMs, 'node1');
const cpuLine = (labels: string, value = '4.710169', ts = ' 1633253812125') =>
  `container_cpu_usage_seconds_total{${labels}} ${value}${ts}\n`;
const memLine = (labels: string, value = '1.253376e+07', ts = ' 1633253812125') =>
  `container_memory_working_set_bytes{${labels}} ${value}${ts}\n`;
const coredns = 'container="coredns",namespace="kube-system",pod="coredns-1"';
const node =
  'node_cpu_usage_seconds_total 357.35491 1633253809720\nnode_memory_working_set_bytes 1.616273408e+09 1633253809720\n';

describe('decodeResourceMetrics: should pass', () => {
  it.each([
    {
      name: 'samples without a timestamp take the default time',
      text:
        cpuLine(coredns, '4.710169', '') +
        memLine(coredns, '1.253376e+07', '') +
        'node_cpu_usage_seconds_total 357.35491\nnode_memory_working_set_bytes 1.616273408e+09\n',
      nodeTs: defaultTimeMs,
      containerTs: defaultTimeMs,
    },
    {
      name: 'the point takes the CPU sample time when memory was sampled later',
      text: cpuLine(coredns) + memLine(coredns, '1', ' 1633253815000') + node,
      nodeTs: 1633253809720,
      containerTs: 1633253812125,
    },
  ])('$name', ({ text, nodeTs, containerTs }) => {
    const { batch, dropped } = decode(text);
    expect(dropped).toEqual({});
    expect(batch.nodes.get('node1')?.timestampMs).toBe(nodeTs);
    expect(batch.pods.get('kube-system/coredns-1')?.containers.get('coredns')?.timestampMs).toBe(
      containerTs,
    );
  });

  it.each([
    {
      name: 'label order and extra labels do not matter',
      labels: 'pod="p",id="/x",namespace="ns",container="c"',
      key: 'ns/p',
      container: 'c',
    },
    {
      name: 'blanks around "=" and a trailing comma are accepted',
      labels: ' container = "c" , namespace="ns",pod="p", ',
      key: 'ns/p',
      container: 'c',
    },
    {
      name: 'escaped label values are unescaped',
      labels: 'container="c\\"q\\\\b\\nl",namespace="ns",pod="p\\x"',
      key: 'ns/p\\x',
      container: 'c"q\\b\nl',
    },
    {
      name: 'UTF-8 label values are decoded',
      labels: 'container="café",namespace="ns",pod="pöd-ü"',
      key: 'ns/pöd-ü',
      container: 'café',
    },
  ])('$name', ({ labels, key, container }) => {
    const { batch, dropped } = decode(cpuLine(labels) + memLine(labels) + node);
    expect(dropped).toEqual({});
    expect(batch.pods.get(key)?.containers.get(container)?.cpuUsageCoreSeconds).toBe(4.710169);
  });

  it.each([
    { name: 'plain decimal', value: '4.710169', expected: 4.710169 },
    { name: 'exponent form', value: '4.710169e+00', expected: 4.710169 },
    { name: 'integer', value: '42', expected: 42 },
    { name: 'explicit plus sign', value: '+42.5', expected: 42.5 },
    { name: 'leading dot', value: '.5', expected: 0.5 },
    {
      name: 'many digits (slow path)',
      value: '1.23456789012345678901',
      expected: Number('1.23456789012345678901'),
    },
  ])('CPU value: $name', ({ value, expected }) => {
    const { batch } = decode(cpuLine(coredns, value) + memLine(coredns));
    expect(
      batch.pods.get('kube-system/coredns-1')?.containers.get('coredns')?.cpuUsageCoreSeconds,
    ).toBe(expected);
  });

  it('HELP, TYPE, other comments, blank lines, unknown and pod_* series are ignored', () => {
    const text = [
      '# HELP pod_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the pod',
      '# TYPE pod_cpu_usage_seconds_total counter',
      'pod_cpu_usage_seconds_total{namespace="kube-system",pod="coredns-1"} 99 1633253812125',
      '',
      '   # indented comment',
      'something_else{a="b"} NaN',
      'container_swap_usage_bytes{container="coredns",namespace="kube-system",pod="coredns-1"} 0 1633253812125',
      '',
    ].join('\n');
    const { batch, dropped } = decode(text + cpuLine(coredns) + memLine(coredns) + node);
    expect(dropped).toEqual({});
    expect(batch.pods.size).toBe(1);
    expect(batch.pods.get('kube-system/coredns-1')?.containers.size).toBe(1);
    expect(batch.nodes.get('node1')?.cpuUsageCoreSeconds).toBe(357.35491);
  });

  it('a container without a start-time series has start time 0 (unknown)', () => {
    const { batch } = decode(cpuLine(coredns) + memLine(coredns));
    expect(batch.pods.get('kube-system/coredns-1')?.containers.get('coredns')?.startTimeMs).toBe(0);
  });

  it.each([
    {
      name: 'NaN value drops the container (non_finite_value)',
      cpu: 'NaN',
      reason: 'non_finite_value',
    },
    {
      name: '+Inf value drops the container (non_finite_value)',
      cpu: '+Inf',
      reason: 'non_finite_value',
    },
    {
      name: 'negative counter drops the container (negative_value)',
      cpu: '-1',
      reason: 'negative_value',
    },
  ])('$name', ({ cpu, reason }) => {
    const { batch, dropped } = decode(cpuLine(coredns, cpu) + memLine(coredns) + node);
    expect(batch.pods.size).toBe(0);
    expect(batch.nodes.size).toBe(1);
    expect(dropped).toEqual({ [reason]: 1, incomplete_pod: 1 });
  });

  it('a Go zero start time drops the container instead of failing the node (upstream "incorrect timestamp")', () => {
    const start = `container_start_time_seconds{${coredns}} -6.7953645788713455e+09 -62135596800000\n`;
    const { batch, dropped } = decode(cpuLine(coredns) + memLine(coredns) + start + node);
    expect(batch.pods.size).toBe(0);
    expect(batch.nodes.size).toBe(1);
    expect(dropped).toEqual({ negative_value: 1, incomplete_pod: 1 });
  });

  it('a CPU sample at the Unix epoch drops the container (invalid_timestamp)', () => {
    const { dropped } = decode(cpuLine(coredns, '1', ' 0') + memLine(coredns) + node);
    expect(dropped).toEqual({ invalid_timestamp: 1, incomplete_pod: 1 });
  });

  it('a container series without its pod label is dropped (missing_labels)', () => {
    const { batch, dropped } = decode(cpuLine('container="c",namespace="ns"') + node);
    expect(batch.pods.size).toBe(0);
    expect(dropped).toEqual({ missing_labels: 1 });
  });

  it('a repeated series keeps the later sample and counts duplicate_series', () => {
    const { batch, dropped } = decode(
      cpuLine(coredns, '1') + cpuLine(coredns, '2') + memLine(coredns) + node,
    );
    expect(
      batch.pods.get('kube-system/coredns-1')?.containers.get('coredns')?.cpuUsageCoreSeconds,
    ).toBe(2);
    expect(dropped).toEqual({ duplicate_series: 1 });
  });

  it.each([
    {
      name: 'resource_scrape_error 1 is reported and the data kept',
      line: 'resource_scrape_error 1\n',
    },
    { name: 'the older scrape_error 1 is reported and the data kept', line: 'scrape_error 1\n' },
  ])('$name', ({ line }) => {
    const { batch, dropped } = decode(cpuLine(coredns) + memLine(coredns) + node + line);
    expect(batch.pods.size).toBe(1);
    expect(batch.nodes.size).toBe(1);
    expect(dropped).toEqual({ kubelet_scrape_error: 1 });
  });
});

describe('decodeResourceMetrics: should fail', () => {
  it.each([
    {
      name: 'a last line without a line feed (truncated body)',
      text: node + 'node_cpu_usage_seconds_total 35',
    },
    { name: 'a value that is not a number', text: cpuLine(coredns, 'four') },
    { name: 'a hexadecimal value', text: cpuLine(coredns, '0x10') },
    { name: 'an empty exponent', text: cpuLine(coredns, '1e') },
    { name: 'a missing value', text: 'node_cpu_usage_seconds_total\n' },
    {
      name: 'a missing value after labels',
      text: `container_cpu_usage_seconds_total{${coredns}}\n`,
    },
    {
      name: 'an unterminated label value',
      text: 'container_cpu_usage_seconds_total{container="c} 1\n',
    },
    { name: 'an unquoted label value', text: 'container_cpu_usage_seconds_total{container=c} 1\n' },
    { name: 'a label without "="', text: 'container_cpu_usage_seconds_total{container} 1\n' },
    {
      name: 'labels without a closing brace',
      text: 'container_cpu_usage_seconds_total{container="c" 1\n',
    },
    { name: 'a label set without a metric name', text: '{container="c"} 1\n' },
    {
      name: 'a malformed label set on a node series',
      text: 'node_cpu_usage_seconds_total{a=b} 1\n',
    },
    { name: 'a brace after the value', text: cpuLine(coredns, '1 }', '') },
    { name: 'a metric name with a bad character', text: 'node-cpu 1\n' },
    { name: 'a fractional timestamp', text: cpuLine(coredns, '1', ' 1633253812.125') },
    { name: 'a timestamp beyond 2^53 ms', text: cpuLine(coredns, '1', ' 99999999999999999') },
    { name: 'text after the timestamp', text: cpuLine(coredns, '1', ' 1633253812125 extra') },
  ])('$name', ({ text }) => {
    expect(() => decode(text)).toThrow(DecodeError);
  });

  it('the error names the node and the byte offset', () => {
    const text = node + 'node_cpu_usage_seconds_total four\n';
    const err = (() => {
      try {
        decode(text);
      } catch (e) {
        return e as DecodeError;
      }
      return undefined;
    })();
    expect(err?.code).toBe('DecodeError');
    expect(err?.node).toBe('node1');
    expect(err?.offset).toBe(node.length + 'node_cpu_usage_seconds_total '.length);
    expect(err?.message).toMatch(/node node1: invalid sample value/);
  });
});
