import type { V2HorizontalPodAutoscaler } from '@kubernetes/client-node';

/** A group resource as the cluster view is asked for it (mirrors src/store's GroupResource). */
export interface GroupResourceRef {
  group: string;
  resource: string;
}

/** An HPA's spec.scaleTargetRef (autoscaling/v2 CrossVersionObjectReference). */
export interface ScaleTargetRef {
  /** `apps/v1`, `v1`, `example.com/v1alpha1`; the group picks the resource, as the controller's RESTMapper does. */
  apiVersion?: string;
  kind: string;
  name: string;
}

/** A target's /scale subresource (autoscaling/v1 Scale), shaped as the HPA engine's ScaleSnapshot. */
export interface TargetScale {
  specReplicas: number;
  statusReplicas: number;
  /** status.selector as a label-selector string; empty when the resource publishes none. */
  selector: string;
}

/**
 * What the HPA runtime reads about HPAs: the objects, and the scale of their targets.
 * Implementations: an autoscaling/v2 informer plus a /scale reader (serve), the simulated cluster,
 * and a map-backed fake in tests.
 */
export interface HpaSource {
  /** Every HPA in the cluster, from a cache: no I/O. */
  listHpas(): V2HorizontalPodAutoscaler[];
  /** The target's /scale; rejects with a ScaleError (`not_found`, `forbidden`, `no_scale_subresource`, ...). */
  getScale(namespace: string, ref: ScaleTargetRef): Promise<TargetScale>;
}

/** The object an Event is about (core/v1 ObjectReference). */
export interface InvolvedObject {
  apiVersion?: string;
  kind: string;
  /** Absent for cluster-scoped objects; their Events go to the `default` namespace, as client-go's recorder does. */
  namespace?: string;
  name: string;
  uid?: string;
  resourceVersion?: string;
}

export type EventType = 'Normal' | 'Warning';

/** Records core/v1 Events (client-go record.EventRecorder, reduced to what scaleplane emits). */
export interface EventRecorder {
  /** Never rejects: a failed write is logged by the implementation, never the caller's problem. */
  recordEvent(
    object: InvolvedObject,
    type: EventType,
    reason: string,
    message: string,
  ): Promise<void>;
}
