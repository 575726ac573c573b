/**
 * The workload side of the scaleplane end-to-end test: a Prometheus exporter whose series the test
 * changes (a per-pod gauge and a queue depth), the rules file both reach scaleplane through the
 * chart, and the `kubectl annotate` that sets kwok pods' emulated CPU usage.
 * @module
 */
import {
  startExporter,
  startPrometheus,
  type Exporter,
  type PrometheusServer,
} from '../../support/prometheus-server.js';
import type { Kube } from '../harness/kube.js';
import { USAGE_CPU_ANNOTATION } from '../harness/kwok-config.js';

/** prometheus-adapter rules for the exporter's series, as a chart user writes them in values. */
export const RULES = {
  rules: [
    {
      seriesQuery: 'packets_in_flight{namespace!="",pod!=""}',
      resources: { overrides: { namespace: { resource: 'namespace' }, pod: { resource: 'pod' } } },
      name: { matches: '^packets_in_flight$', as: '' },
      metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)',
    },
  ],
  externalRules: [
    {
      seriesQuery: '{__name__="queue_messages_ready",queue!=""}',
      resources: { namespaced: false },
      name: { matches: '^queue_messages_ready$', as: 'queue_depth' },
      metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (queue)',
    },
  ],
};

/** Series values the test sets; the exporter renders them at every scrape. */
export class MetricsWorld {
  /** `namespace/pod` → packets_in_flight. */
  readonly packets = new Map<string, number>();
  /** queue → queue_messages_ready. */
  readonly queues = new Map<string, number>([
    ['jobs', 0],
    ['other', 7],
  ]);
  private exporter: Exporter | undefined;
  prometheus: PrometheusServer | undefined;

  render(): string {
    const lines = ['# TYPE packets_in_flight gauge'];
    for (const [key, v] of this.packets) {
      const [namespace, pod] = key.split('/');
      lines.push(`packets_in_flight{namespace="${namespace}",pod="${pod}"} ${v}`);
    }
    lines.push('# TYPE queue_messages_ready gauge');
    for (const [queue, v] of this.queues) lines.push(`queue_messages_ready{queue="${queue}"} ${v}`);
    return `${lines.join('\n')}\n`;
  }

  /** Starts the exporter and a real Prometheus scraping it every second, on loopback. */
  async start(): Promise<string> {
    this.exporter = await startExporter(() => this.render());
    this.prometheus = await startPrometheus([this.exporter.target], 1);
    await this.prometheus.waitForSeries('queue_messages_ready', 2);
    return this.prometheus.url;
  }

  async stop(): Promise<void> {
    await this.prometheus?.stop();
    await this.exporter?.close();
  }
}

/**
 * Sets the emulated CPU usage of every pod matching `selector` (kwok reads the annotation live). A
 * pod deleted by a scale-down between the list and its patch is skipped: the next call covers the
 * pods that remain.
 */
export async function setCpuUsage(
  kube: Kube,
  namespace: string,
  selector: string,
  usage: string,
): Promise<void> {
  const args = [
    'annotate',
    'pods',
    '-n',
    namespace,
    '-l',
    selector,
    `${USAGE_CPU_ANNOTATION}=${usage}`,
    '--overwrite',
  ];
  const res = await kube.run(args);
  if (res.code !== 0 && !/\(NotFound\)/.test(res.stderr))
    throw new Error(`kubectl ${args.join(' ')} failed (${res.code}): ${res.stderr}`);
}

/** Names of the pods matching `selector`. */
export async function podNames(kube: Kube, namespace: string, selector: string): Promise<string[]> {
  const list = await kube.getJson<{ items: { metadata: { name: string } }[] }>([
    'pods',
    '-n',
    namespace,
    '-l',
    selector,
  ]);
  return list.items.map((p) => p.metadata.name).sort();
}

interface PodStatus {
  status: {
    startTime?: string;
    conditions?: { type: string; status: string; lastTransitionTime?: string }[];
  };
}

/**
 * Marks a pod not Ready as if it had never become ready after starting (Ready=False since one
 * second after its start time), or Ready again. kwok leaves a patched Ready condition alone. The
 * HPA controller treats such a pod as unready for CPU even after the initialization period
 * (replica_calculator.go groupPods: unready while the last transition is within
 * --horizontal-pod-autoscaler-initial-readiness-delay of the start).
 */
export async function setPodReady(
  kube: Kube,
  namespace: string,
  pod: string,
  ready: boolean,
): Promise<void> {
  const { status } = await kube.getJson<PodStatus>(['pod', pod, '-n', namespace]);
  const started = Date.parse(status.startTime ?? new Date().toISOString());
  const at = new Date(ready ? Date.now() : started + 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  const conditions = (status.conditions ?? []).map((c) =>
    c.type === 'Ready' || c.type === 'ContainersReady'
      ? { ...c, status: ready ? 'True' : 'False', lastTransitionTime: at }
      : c,
  );
  await kube.ok([
    'patch',
    'pod',
    pod,
    '-n',
    namespace,
    '--subresource=status',
    '--type=merge',
    '-p',
    JSON.stringify({ status: { conditions } }),
  ]);
}
