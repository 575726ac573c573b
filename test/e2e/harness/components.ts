/**
 * Command lines of the cluster's components, all bound to 127.0.0.1. The flag sets follow what
 * kubeadm writes into its static pod manifests (cmd/kubeadm/app/phases/controlplane/manifests.go:
 * getAPIServerCommand, getControllerManagerCommand, getSchedulerCommand), reduced to one machine
 * without kubelets, plus the settings the tests need (short HPA sync period, fsync off in etcd).
 * @module
 */
import type { ClusterPki } from './cluster-pki.js';

/** The Service CIDR; ClusterIPs are allocated from it but never dialled (no kube-proxy). */
export const SERVICE_CLUSTER_IP_RANGE = '10.96.0.0/16';
/** kwok's pod IP range; pod IPs are data in pod status, never dialled. */
export const POD_CIDR = '10.244.0.0/16';

/**
 * The kube-controller-manager controllers the tests rely on: workloads, the HPA, service
 * accounts (pods need their namespace's `default` one), garbage collection, namespace deletion,
 * ClusterRole aggregation (the `view`/`edit` roles charts aggregate into), the root CA ConfigMap,
 * and node lifecycle, which lifts the `node.kubernetes.io/not-ready` taint that admission
 * (TaintNodesByCondition) puts on every new Node once kwok reports it Ready. No endpoints
 * controllers: with aggregator routing by endpoints, the tests write the Endpoints of a local
 * process themselves and nothing may overwrite them.
 */
export const CONTROLLERS = [
  'node-lifecycle-controller',
  'deployment-controller',
  'replicaset-controller',
  'horizontal-pod-autoscaler-controller',
  'serviceaccount-controller',
  'serviceaccount-token-controller',
  'garbage-collector-controller',
  'namespace-controller',
  'clusterrole-aggregation-controller',
  'root-ca-certificate-publisher-controller',
];

/** Loopback ports of one cluster. */
export interface ClusterPorts {
  etcdClient: number;
  etcdPeer: number;
  apiserver: number;
  controllerManager: number;
  scheduler: number;
  kwok: number;
}

export function etcdArgs(dataDir: string, ports: ClusterPorts): string[] {
  const client = `http://127.0.0.1:${ports.etcdClient}`;
  const peer = `http://127.0.0.1:${ports.etcdPeer}`;
  return [
    '--name=e2e',
    `--data-dir=${dataDir}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=e2e=${peer}`,
    // A throwaway store on a shared 2-core machine: durability buys nothing, fsync costs seconds.
    '--unsafe-no-fsync=true',
    '--log-level=warn',
  ];
}

/** How the aggregator reaches an APIService's Service (kube-apiserver --enable-aggregator-routing). */
export type AggregatorRouting = 'endpoints' | 'service';

export function apiserverArgs(
  pki: ClusterPki,
  ports: ClusterPorts,
  routing: AggregatorRouting,
): string[] {
  return [
    `--etcd-servers=http://127.0.0.1:${ports.etcdClient}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${ports.apiserver}`,
    `--service-cluster-ip-range=${SERVICE_CLUSTER_IP_RANGE}`,
    // The `kubernetes` Service's endpoint would be 127.0.0.1, which Endpoints validation rejects
    // (pkg/apis/core/validation: ValidateEndpointIP); nothing in the cluster uses it.
    '--endpoint-reconciler-type=none',
    '--authorization-mode=Node,RBAC',
    `--client-ca-file=${pki.ca.certFile}`,
    `--tls-cert-file=${pki.apiserver.certFile}`,
    `--tls-private-key-file=${pki.apiserver.keyFile}`,
    `--requestheader-client-ca-file=${pki.frontProxyCa.certFile}`,
    '--requestheader-allowed-names=front-proxy-client',
    '--requestheader-username-headers=X-Remote-User',
    '--requestheader-group-headers=X-Remote-Group',
    '--requestheader-extra-headers-prefix=X-Remote-Extra-',
    `--proxy-client-cert-file=${pki.frontProxyClient.certFile}`,
    `--proxy-client-key-file=${pki.frontProxyClient.keyFile}`,
    `--enable-aggregator-routing=${routing === 'endpoints'}`,
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${pki.serviceAccountPublicKeyFile}`,
    `--service-account-signing-key-file=${pki.serviceAccountKeyFile}`,
    '--profiling=false',
  ];
}

/** Tunables of the HPA controller (kube-controller-manager --horizontal-pod-autoscaler-*). */
export interface HpaControllerOptions {
  /** --horizontal-pod-autoscaler-sync-period; default 5s (upstream 15s). */
  syncPeriod?: string;
  /** --horizontal-pod-autoscaler-downscale-stabilization; upstream default 5m0s. */
  downscaleStabilization?: string;
  /** --horizontal-pod-autoscaler-tolerance; upstream default 0.1. */
  tolerance?: number;
  /** --horizontal-pod-autoscaler-cpu-initialization-period; upstream default 5m0s. */
  cpuInitializationPeriod?: string;
  /** --horizontal-pod-autoscaler-initial-readiness-delay; upstream default 30s. */
  initialReadinessDelay?: string;
}

export function controllerManagerArgs(
  pki: ClusterPki,
  kubeconfig: string,
  ports: ClusterPorts,
  hpa: HpaControllerOptions,
): string[] {
  const optional: string[] = [];
  if (hpa.downscaleStabilization)
    optional.push(
      `--horizontal-pod-autoscaler-downscale-stabilization=${hpa.downscaleStabilization}`,
    );
  if (hpa.tolerance !== undefined)
    optional.push(`--horizontal-pod-autoscaler-tolerance=${hpa.tolerance}`);
  if (hpa.cpuInitializationPeriod)
    optional.push(
      `--horizontal-pod-autoscaler-cpu-initialization-period=${hpa.cpuInitializationPeriod}`,
    );
  if (hpa.initialReadinessDelay)
    optional.push(
      `--horizontal-pod-autoscaler-initial-readiness-delay=${hpa.initialReadinessDelay}`,
    );
  return [
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${ports.controllerManager}`,
    `--controllers=${CONTROLLERS.join(',')}`,
    '--leader-elect=false',
    '--use-service-account-credentials=true',
    `--root-ca-file=${pki.ca.certFile}`,
    `--service-account-private-key-file=${pki.serviceAccountKeyFile}`,
    `--horizontal-pod-autoscaler-sync-period=${hpa.syncPeriod ?? '5s'}`,
    // kwok renews node status about once a minute, past the 50 s grace after which the node
    // lifecycle controller marks the node NotReady and its pods unready (MarkPodsNotReady): on a
    // loaded machine that flaps pod readiness under the HPA tests. A fake node's health is not
    // under test, so the grace is long.
    '--node-monitor-grace-period=1h',
    ...optional,
  ];
}

export function schedulerArgs(kubeconfig: string, ports: ClusterPorts): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${ports.scheduler}`,
    '--leader-elect=false',
  ];
}

/**
 * kwok manages the nodes carrying kwok's own `kwok.x-k8s.io/node=fake` annotation, reports
 * 127.0.0.1 as their InternalIP and its own server port as their kubelet port, and serves the
 * emulated kubelet endpoints there over HTTPS with a certificate for 127.0.0.1.
 */
export function kwokArgs(
  pki: ClusterPki,
  kubeconfig: string,
  configFile: string,
  ports: ClusterPorts,
): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    `--config=${configFile}`,
    '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
    '--node-ip=127.0.0.1',
    `--node-port=${ports.kwok}`,
    `--server-address=127.0.0.1:${ports.kwok}`,
    `--tls-cert-file=${pki.kwokServing.certFile}`,
    `--tls-private-key-file=${pki.kwokServing.keyFile}`,
    `--cidr=${POD_CIDR}`,
  ];
}
