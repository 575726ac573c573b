/**
 * `scaleplane serve` (the build in dist/, `npm run build`) as a local process of the end-to-end
 * cluster, with the flags its peers take under the same names: kubelets through Node objects as
 * metrics-server finds them, and, when a Prometheus URL is given, the custom and external metrics
 * of a prometheus-adapter rules file.
 * @module
 */
import type { ControlPlane } from '../control-plane.js';
import { SCALEPLANE_MAIN } from '../support/release.js';
import { kubeletArgs, type KubeletTrust } from './metrics-server.js';
import { launchPeer, servingArgs, type PeerCommon, type PeerProcess } from './process.js';

/** Inputs of {@link startScaleplane}. */
export interface ScaleplaneOptions extends PeerCommon {
  metricResolution: string;
  kubeletRequestTimeout?: string;
  kubeletTrust?: KubeletTrust;
  prometheusUrl?: string;
  /** A prometheus-adapter config file, passed as `--config` (scaleplane reads it unchanged). */
  configFile?: string;
  metricsRelistInterval?: string;
  /** `--hpa-mode`; default `off`, as neither peer evaluates HPAs. */
  hpaMode?: 'off' | 'recommend';
}

/** Starts scaleplane; resolves once `/apis/metrics.k8s.io/v1beta1` answers. */
export function startScaleplane(cluster: ControlPlane, o: ScaleplaneOptions): Promise<PeerProcess> {
  return launchPeer(cluster, {
    name: o.name ?? 'scaleplane',
    binary: process.execPath,
    readyPath: o.readyPath ?? '/apis/metrics.k8s.io/v1beta1',
    ...(o.readyTimeoutMs ? { readyTimeoutMs: o.readyTimeoutMs } : {}),
    args: (port, cert) => [
      SCALEPLANE_MAIN,
      'serve',
      `--kubeconfig=${cluster.kubeconfig}`,
      ...servingArgs(cluster, cert, port),
      ...kubeletArgs(cluster, o),
      `--hpa-mode=${o.hpaMode ?? 'off'}`,
      ...(o.prometheusUrl ? [`--prometheus-url=${o.prometheusUrl}`] : []),
      ...(o.configFile ? [`--config=${o.configFile}`] : []),
      ...(o.metricsRelistInterval ? [`--metrics-relist-interval=${o.metricsRelistInterval}`] : []),
      ...(o.extraArgs ?? []),
    ],
  });
}
