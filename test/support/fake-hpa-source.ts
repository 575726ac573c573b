/**
 * Hand-written fakes for the HPA runtime's seams: a map-backed HpaSource (HPAs and target scales),
 * a ScaleWriter that updates those scales, an EventRecorder that keeps what it was given, and
 * builders for autoscaling/v2 HPAs and pods with CPU requests.
 */
import type {
  V1Pod,
  V2HorizontalPodAutoscaler,
  V2HorizontalPodAutoscalerBehavior,
  V2HorizontalPodAutoscalerStatus,
  V2MetricSpec,
} from '@kubernetes/client-node';
import {
  ScaleError,
  type EventRecorder,
  type EventType,
  type HpaSource,
  type InvolvedObject,
  type ScaleTargetRef,
  type TargetScale,
} from '../../src/cluster/index.js';
import type { ScaleWriter } from '../../src/runtime/index.js';

const scaleKey = (namespace: string, ref: ScaleTargetRef): string =>
  `${namespace}/${ref.kind}/${ref.name}`;

export class FakeHpaSource implements HpaSource {
  hpas: V2HorizontalPodAutoscaler[] = [];
  private readonly scales = new Map<string, TargetScale | Error>();
  /** getScale calls, as `namespace/Kind/name`. */
  readonly scaleReads: string[] = [];

  setScale(namespace: string, ref: ScaleTargetRef, scale: TargetScale | Error): void {
    this.scales.set(scaleKey(namespace, ref), scale);
  }

  scaleOf(namespace: string, ref: ScaleTargetRef): TargetScale | Error | undefined {
    return this.scales.get(scaleKey(namespace, ref));
  }

  listHpas(): V2HorizontalPodAutoscaler[] {
    return [...this.hpas];
  }

  getScale(namespace: string, ref: ScaleTargetRef): Promise<TargetScale> {
    this.scaleReads.push(scaleKey(namespace, ref));
    const s = this.scales.get(scaleKey(namespace, ref));
    if (s === undefined)
      return Promise.reject(
        new ScaleError('not_found', `${ref.kind.toLowerCase()}s "${ref.name}" not found`),
      );
    if (s instanceof Error) return Promise.reject(s);
    return Promise.resolve({ ...s });
  }
}

/** Writes replicas into a FakeHpaSource's scales (spec and status, as if the pods came up at once). */
export class FakeScaleWriter implements ScaleWriter {
  readonly writes: Array<{ namespace: string; ref: ScaleTargetRef; replicas: number }> = [];
  error: Error | undefined;

  constructor(private readonly source: FakeHpaSource) {}

  setReplicas(namespace: string, ref: ScaleTargetRef, replicas: number): Promise<void> {
    if (this.error) return Promise.reject(this.error);
    this.writes.push({ namespace, ref, replicas });
    const s = this.source.scaleOf(namespace, ref);
    if (s !== undefined && !(s instanceof Error))
      this.source.setScale(namespace, ref, {
        ...s,
        specReplicas: replicas,
        statusReplicas: replicas,
      });
    return Promise.resolve();
  }
}

export interface RecordedEvent {
  object: InvolvedObject;
  type: EventType;
  reason: string;
  message: string;
}

export class FakeEventRecorder implements EventRecorder {
  readonly events: RecordedEvent[] = [];

  recordEvent(
    object: InvolvedObject,
    type: EventType,
    reason: string,
    message: string,
  ): Promise<void> {
    this.events.push({ object, type, reason, message });
    return Promise.resolve();
  }
}

export function cpuUtilization(percent: number): V2MetricSpec {
  return {
    type: 'Resource',
    resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: percent } },
  };
}

export interface HpaInit {
  namespace?: string;
  name: string;
  target: ScaleTargetRef;
  minReplicas?: number;
  maxReplicas?: number;
  metrics?: V2MetricSpec[];
  behavior?: V2HorizontalPodAutoscalerBehavior;
  status?: Partial<V2HorizontalPodAutoscalerStatus>;
  uid?: string;
}

export function hpaObject(o: HpaInit): V2HorizontalPodAutoscaler {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { namespace: o.namespace ?? 'shop', name: o.name, uid: o.uid ?? `uid-${o.name}` },
    spec: {
      scaleTargetRef: {
        apiVersion: o.target.apiVersion ?? 'apps/v1',
        kind: o.target.kind,
        name: o.target.name,
      },
      minReplicas: o.minReplicas ?? 1,
      maxReplicas: o.maxReplicas ?? 10,
      metrics: o.metrics ?? [cpuUtilization(50)],
      ...(o.behavior ? { behavior: o.behavior } : {}),
    },
    ...(o.status ? { status: o.status as V2HorizontalPodAutoscalerStatus } : {}),
  };
}

/** A Running, Ready pod with one container requesting `cpuRequest`, started `startedMsAgo` before `nowMs`. */
export function runningPod(o: {
  namespace?: string;
  name: string;
  labels: Record<string, string>;
  cpuRequest?: string;
  nowMs: number;
  startedMsAgo?: number;
}): V1Pod {
  const started = new Date(o.nowMs - (o.startedMsAgo ?? 3_600_000)).toISOString();
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { namespace: o.namespace ?? 'shop', name: o.name, labels: o.labels },
    spec: {
      containers: [{ name: 'app', resources: { requests: { cpu: o.cpuRequest ?? '200m' } } }],
    },
    status: {
      phase: 'Running',
      startTime: started as unknown as Date,
      conditions: [
        { type: 'Ready', status: 'True', lastTransitionTime: started as unknown as Date },
      ],
    },
  };
}
