/**
 * prometheus-adapter at the pinned release (test/tools/build-tools.sh) as a local process of the
 * end-to-end cluster: its own loopback port and serving certificate, the admin kubeconfig for
 * listing objects and for delegated authentication and authorization, a Prometheus on loopback and
 * a rules file.
 * @module
 */
import type { ControlPlane } from '../control-plane.js';
import { pinnedBinary } from '../harness/tools.js';
import { launchPeer, servingArgs, type PeerCommon, type PeerProcess } from './process.js';

/** Inputs of {@link startPrometheusAdapter}. */
export interface PrometheusAdapterOptions extends PeerCommon {
  prometheusUrl: string;
  /** prometheus-adapter config file (`rules`, `externalRules`, `resourceRules`). */
  configFile: string;
  /** `--metrics-relist-interval`; default the adapter's 10m. */
  metricsRelistInterval?: string;
}

/** The pinned prometheus-adapter binary, built once per process. */
export function prometheusAdapterBinary(): Promise<string> {
  return pinnedBinary('prometheus-adapter');
}

/** Starts prometheus-adapter; resolves once `/apis/custom.metrics.k8s.io/v1beta1` answers. */
export async function startPrometheusAdapter(
  cluster: ControlPlane,
  o: PrometheusAdapterOptions,
): Promise<PeerProcess> {
  return launchPeer(cluster, {
    name: o.name ?? 'prometheus-adapter',
    binary: await prometheusAdapterBinary(),
    readyPath: o.readyPath ?? '/apis/custom.metrics.k8s.io/v1beta1',
    ...(o.readyTimeoutMs ? { readyTimeoutMs: o.readyTimeoutMs } : {}),
    args: (port, cert) => [
      `--lister-kubeconfig=${cluster.kubeconfig}`,
      ...servingArgs(cluster, cert, port),
      `--prometheus-url=${o.prometheusUrl}`,
      `--config=${o.configFile}`,
      ...(o.metricsRelistInterval ? [`--metrics-relist-interval=${o.metricsRelistInterval}`] : []),
      ...(o.extraArgs ?? []),
    ],
  });
}
