/**
 * One simulated node's state and its two kubelet bodies: `/metrics/resource` text in the shape
 * kubelet's pkg/kubelet/metrics/collectors/resource_metrics.go writes (families in name order, Go
 * float formatting, millisecond timestamps) and the `/stats/summary` JSON subset the decoders
 * read. Cumulative CPU advances by integrating the usage function over the clock, so the rate
 * between two scrapes is the usage the caller supplied.
 * @module
 */
import { formatTime } from '../../src/k8s/index.js';

export interface SimContainerRef {
  nodeName: string;
  nodeIndex: number;
  namespace: string;
  podName: string;
  podIndex: number;
  containerName: string;
  containerIndex: number;
}

/** CPU in cores or memory in bytes of one container at `timeMs`. */
export type SimUsageFn = (ref: SimContainerRef, timeMs: number) => number;

export interface SimPod {
  namespace: string;
  name: string;
  uid: string;
  startTimeMs: number;
  containers: { name: string; startTimeMs: number; ref: SimContainerRef }[];
}

/** CPU the node spends outside pods (system daemons, kernel), in cores. */
const nodeOverheadCores = 0.05;
/** Memory the node holds outside pods. */
const nodeOverheadBytes = 256 * 1024 * 1024;

/** Go's strconv.FormatFloat(v, 'g', -1, 64) as the Prometheus text encoder uses it. */
export function goFloat(v: number): string {
  const abs = Math.abs(v);
  if (abs !== 0 && (abs >= 1e21 || abs < 1e-4 || abs >= 1e6)) {
    return v.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  }
  return String(v);
}

/** A node's pods, cumulative counters and per-time-quantum body cache. */
export class SimNode {
  private readonly cpuCoreSeconds: Float64Array;
  private nodeCpuCoreSeconds = 0;
  private lastMs: number | undefined;
  private cache: { atMs: number; resource?: Buffer; summary?: Buffer } | undefined;
  private readonly containers: SimContainerRef[];

  constructor(
    readonly name: string,
    readonly startTimeMs: number,
    readonly pods: readonly SimPod[],
    private readonly cpuCores: SimUsageFn,
    private readonly memoryBytes: SimUsageFn,
  ) {
    this.containers = pods.flatMap((p) => p.containers.map((c) => c.ref));
    this.cpuCoreSeconds = new Float64Array(this.containers.length);
  }

  /** The body for `kind` at sample time `atMs`, rendered once per distinct `atMs`. */
  body(kind: 'resource' | 'summary', atMs: number): Buffer {
    let cache = this.cache;
    if (cache?.atMs !== atMs) {
      this.advance(atMs);
      cache = this.cache = { atMs };
    }
    if (kind === 'resource') return (cache.resource ??= Buffer.from(this.renderResource(atMs)));
    return (cache.summary ??= Buffer.from(JSON.stringify(this.summary(atMs))));
  }

  /** Integrates usage up to `atMs`; from each container's start on the first sample. */
  private advance(atMs: number): void {
    if (this.lastMs !== undefined && atMs <= this.lastMs) return;
    let i = 0;
    for (const pod of this.pods) {
      for (const c of pod.containers) {
        const fromMs = Math.max(this.lastMs ?? c.startTimeMs, c.startTimeMs);
        this.cpuCoreSeconds[i] =
          this.cpuCoreSeconds[i]! +
          (this.cpuCores(c.ref, atMs) * Math.max(0, atMs - fromMs)) / 1000;
        i += 1;
      }
    }
    const nodeFromMs = this.lastMs ?? this.startTimeMs;
    this.nodeCpuCoreSeconds += (nodeOverheadCores * Math.max(0, atMs - nodeFromMs)) / 1000;
    this.lastMs = atMs;
  }

  private nodeTotals(atMs: number): { cpuCoreSeconds: number; memoryBytes: number } {
    let cpu = this.nodeCpuCoreSeconds;
    let mem = nodeOverheadBytes;
    this.containers.forEach((ref, i) => {
      cpu += this.cpuCoreSeconds[i]!;
      mem += this.memoryBytes(ref, atMs);
    });
    return { cpuCoreSeconds: cpu, memoryBytes: mem };
  }

  private renderResource(atMs: number): string {
    const cpu: string[] = [];
    const mem: string[] = [];
    const start: string[] = [];
    const podCpu: string[] = [];
    const podMem: string[] = [];
    let i = 0;
    for (const pod of this.pods) {
      const podLabels = `namespace="${pod.namespace}",pod="${pod.name}"`;
      let pc = 0;
      let pm = 0;
      for (const c of pod.containers) {
        const labels = `{container="${c.name}",${podLabels}}`;
        const used = this.cpuCoreSeconds[i++]!;
        const ws = this.memoryBytes(c.ref, atMs);
        pc += used;
        pm += ws;
        cpu.push(`container_cpu_usage_seconds_total${labels} ${goFloat(round6(used))} ${atMs}`);
        mem.push(`container_memory_working_set_bytes${labels} ${goFloat(ws)} ${atMs}`);
        start.push(
          `container_start_time_seconds${labels} ${goFloat(Math.floor(c.startTimeMs / 1000))}`,
        );
      }
      podCpu.push(`pod_cpu_usage_seconds_total{${podLabels}} ${goFloat(round6(pc))} ${atMs}`);
      podMem.push(`pod_memory_working_set_bytes{${podLabels}} ${goFloat(pm)} ${atMs}`);
    }
    const node = this.nodeTotals(atMs);
    return [
      ...family(
        'container_cpu_usage_seconds_total',
        'counter',
        'Cumulative cpu time consumed by the container in core-seconds',
        cpu,
      ),
      ...family(
        'container_memory_working_set_bytes',
        'gauge',
        'Current working set of the container in bytes',
        mem,
      ),
      ...family(
        'container_start_time_seconds',
        'gauge',
        'Start time of the container since unix epoch in seconds',
        start,
      ),
      ...family(
        'node_cpu_usage_seconds_total',
        'counter',
        'Cumulative cpu time consumed by the node in core-seconds',
        [`node_cpu_usage_seconds_total ${goFloat(round6(node.cpuCoreSeconds))} ${atMs}`],
      ),
      ...family(
        'node_memory_working_set_bytes',
        'gauge',
        'Current working set of the node in bytes',
        [`node_memory_working_set_bytes ${goFloat(node.memoryBytes)} ${atMs}`],
      ),
      ...family(
        'pod_cpu_usage_seconds_total',
        'counter',
        'Cumulative cpu time consumed by the pod in core-seconds',
        podCpu,
      ),
      ...family(
        'pod_memory_working_set_bytes',
        'gauge',
        'Current working set of the pod in bytes',
        podMem,
      ),
      ...family(
        'resource_scrape_error',
        'gauge',
        '1 if there was an error while getting container metrics, 0 otherwise',
        ['resource_scrape_error 0'],
      ),
      '',
    ].join('\n');
  }

  private summary(atMs: number): unknown {
    const time = formatTime(atMs);
    const node = this.nodeTotals(atMs);
    let i = 0;
    const pods = this.pods.map((pod) => ({
      podRef: { name: pod.name, namespace: pod.namespace, uid: pod.uid },
      startTime: formatTime(pod.startTimeMs),
      containers: pod.containers.map((c) => {
        const used = this.cpuCoreSeconds[i++]!;
        return {
          name: c.name,
          startTime: formatTime(c.startTimeMs),
          cpu: {
            time,
            usageNanoCores: Math.round(this.cpuCores(c.ref, atMs) * 1e9),
            usageCoreNanoSeconds: Math.round(used * 1e9),
          },
          memory: { time, workingSetBytes: Math.round(this.memoryBytes(c.ref, atMs)) },
        };
      }),
    }));
    return {
      node: {
        nodeName: this.name,
        startTime: formatTime(this.startTimeMs),
        cpu: { time, usageCoreNanoSeconds: Math.round(node.cpuCoreSeconds * 1e9) },
        memory: { time, workingSetBytes: Math.round(node.memoryBytes) },
      },
      pods,
    };
  }
}

/** Microsecond precision, as cAdvisor's nanosecond counters print in seconds. */
function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

function family(name: string, type: string, help: string, lines: string[]): string[] {
  return [`# HELP ${name} [STABLE] ${help}`, `# TYPE ${name} ${type}`, ...lines];
}
