/**
 * metrics-server at the pinned release (test/tools/build-tools.sh) as a local process of the
 * end-to-end cluster: its own loopback port and serving certificate, the admin kubeconfig for its
 * informers and delegated authentication and authorization, kubelets found through Node objects
 * (InternalIP, the status port, the `metrics.k8s.io/resource-metrics-path` annotation).
 * @module
 */
import type { ControlPlane } from '../control-plane.js';
import { pinnedBinary } from '../harness/tools.js';
import { launchPeer, servingArgs, type PeerCommon, type PeerProcess } from './process.js';

/** Kubelet serving-certificate trust: a CA file (default the cluster CA) or none at all. */
export type KubeletTrust = { caFile: string } | 'insecure';

/** Inputs of {@link startMetricsServer}. */
export interface MetricsServerOptions extends PeerCommon {
  /** `--metric-resolution`; metrics-server refuses less than 10s. */
  metricResolution: string;
  /** `--kubelet-request-timeout`; default 80% of the resolution (at most 90% is accepted). */
  kubeletRequestTimeout?: string;
  kubeletTrust?: KubeletTrust;
}

/** The pinned metrics-server binary, built once per process. */
export function metricsServerBinary(): Promise<string> {
  return pinnedBinary('metrics-server');
}

/** Go duration of `fraction` of a duration given as `<n>s` or `<n>ms` (what tests pass). */
export function fractionOf(duration: string, fraction: number): string {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(duration);
  if (!m) throw new Error(`unsupported duration ${duration}: use <n>ms, <n>s or <n>m`);
  const ms = Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 's' ? 1000 : 60_000);
  return `${Math.floor(ms * fraction)}ms`;
}

/** The kubelet flags both resource-metrics peers take under the same names. */
export function kubeletArgs(
  cluster: ControlPlane,
  o: { metricResolution: string; kubeletRequestTimeout?: string; kubeletTrust?: KubeletTrust },
): string[] {
  const trust = o.kubeletTrust ?? { caFile: cluster.pki.ca.certFile };
  return [
    `--metric-resolution=${o.metricResolution}`,
    `--kubelet-request-timeout=${o.kubeletRequestTimeout ?? fractionOf(o.metricResolution, 0.8)}`,
    '--kubelet-use-node-status-port',
    '--kubelet-preferred-address-types=InternalIP',
    trust === 'insecure'
      ? '--kubelet-insecure-tls'
      : `--kubelet-certificate-authority=${trust.caFile}`,
  ];
}

/** Starts metrics-server; resolves once `/apis/metrics.k8s.io/v1beta1` answers. */
export async function startMetricsServer(
  cluster: ControlPlane,
  o: MetricsServerOptions,
): Promise<PeerProcess> {
  return launchPeer(cluster, {
    name: o.name ?? 'metrics-server',
    binary: await metricsServerBinary(),
    readyPath: o.readyPath ?? '/apis/metrics.k8s.io/v1beta1',
    ...(o.readyTimeoutMs ? { readyTimeoutMs: o.readyTimeoutMs } : {}),
    args: (port, cert) => [
      `--kubeconfig=${cluster.kubeconfig}`,
      ...servingArgs(cluster, cert, port),
      ...kubeletArgs(cluster, o),
      ...(o.extraArgs ?? []),
    ],
  });
}
