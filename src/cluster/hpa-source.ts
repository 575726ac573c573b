/**
 * The HpaSource of a real cluster: an informer on autoscaling/v2 HorizontalPodAutoscalers (the
 * controller's own informer) and the /scale reader for their targets.
 * @module
 */
import type { KubeConfig, V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import type { Clock, Logger, Random, SelfMetrics, Sleep } from '../observability/index.js';
import type { BackoffOptions } from './backoff.js';
import type { ApiDiscovery } from './discovery.js';
import { ManagedInformer, type InformerState } from './informer.js';
import type { KubeApi } from './kube-api.js';
import { KubeScaleReader } from './scale-reader.js';
import type { HpaSource, ScaleTargetRef, TargetScale } from './types.js';

export interface KubeHpaSourceOptions {
  kubeConfig: KubeConfig;
  api: KubeApi;
  discovery: ApiDiscovery;
  clock: Clock;
  sleep: Sleep;
  random: Random;
  logger: Logger;
  metrics: SelfMetrics;
  backoff?: BackoffOptions;
}

/** HPAs from a watch, scales on demand. `start()` before use, `stop()` at shutdown. */
export class KubeHpaSource implements HpaSource {
  private readonly informer: ManagedInformer<V2HorizontalPodAutoscaler>;
  private readonly scales: KubeScaleReader;

  constructor(o: KubeHpaSourceOptions) {
    this.informer = new ManagedInformer<V2HorizontalPodAutoscaler>({
      ...o,
      resource: 'horizontalpodautoscalers',
      path: '/apis/autoscaling/v2/horizontalpodautoscalers',
    });
    this.scales = new KubeScaleReader({ api: o.api, discovery: o.discovery });
  }

  states(): InformerState[] {
    return [this.informer.state()];
  }

  start(): Promise<void> {
    return this.informer.start();
  }

  stop(): Promise<void> {
    return this.informer.stop();
  }

  listHpas(): V2HorizontalPodAutoscaler[] {
    return [...this.informer.list()];
  }

  getScale(namespace: string, ref: ScaleTargetRef): Promise<TargetScale> {
    return this.scales.getScale(namespace, ref);
  }
}
