/**
 * Makes a Service resolve to a process on this machine, for an APIService to point at.
 *
 * kube-aggregator resolves an APIService's Service in one of two ways (kube-aggregator
 * pkg/apiserver/resolvers.go, backed by k8s.io/apiserver pkg/util/proxy/proxy.go):
 * - `--enable-aggregator-routing=false` ('service'): ResolveCluster dials the ClusterIP, or for
 *   an ExternalName Service `https://<externalName>:<APIService port>`. With no kube-proxy a
 *   ClusterIP leads nowhere, but ExternalName `localhost` reaches a loopback process listening on
 *   the APIService's port.
 * - `--enable-aggregator-routing=true` ('endpoints'): ResolveEndpoint accepts only ClusterIP,
 *   NodePort and LoadBalancer Services ("unsupported service type" otherwise) and dials an
 *   address of their Endpoints, on the endpoint port whose name matches the Service port's.
 *   Endpoints reject loopback IPs, and tests may contact only loopback or hosts in namespaces
 *   they create, so the process runs inside the test's network namespace and listens on the
 *   namespace end of a veth pair (netns.ts); the Endpoints carry that address, which
 *   kube-apiserver reaches through the veth.
 * Either way the aggregator verifies the serving certificate for `<service>.<namespace>.svc`
 * (handler_proxy.go) against the APIService's caBundle.
 * @module
 */
import type { AggregatorRouting } from './components.js';
import type { Kube } from './kube.js';

/** The host name an ExternalName Service gives the aggregator to dial. */
export const EXTERNAL_NAME_HOST = 'localhost';

/** Where a local process serving an APIService listens. */
export interface LocalBackend {
  namespace: string;
  /** Service name; created when missing, converted or given Endpoints when present. */
  name: string;
  /**
   * Port the process listens on at the cluster's `localServeAddress` (under 'endpoints' routing
   * inside the test's network namespace, see ControlPlane.spawnBackend).
   */
  port: number;
  /** Service port for 'endpoints' routing when the Service is created here; default 443. */
  servicePort?: number;
}

interface ServiceSpec {
  spec: { type?: string; ports?: { name?: string; port: number }[] };
}

async function existingService(
  kube: Kube,
  ns: string,
  name: string,
): Promise<ServiceSpec | undefined> {
  const res = await kube.run([
    'get',
    'service',
    name,
    '-n',
    ns,
    '-o',
    'json',
    '--ignore-not-found',
  ]);
  if (res.code !== 0) throw new Error(`kubectl get service ${ns}/${name} failed: ${res.stderr}`);
  return res.stdout.trim() ? (JSON.parse(res.stdout) as ServiceSpec) : undefined;
}

/** ExternalName to localhost; the APIService must use the process's own port. */
async function routeByExternalName(kube: Kube, backend: LocalBackend): Promise<number> {
  const spec = { type: 'ExternalName', externalName: EXTERNAL_NAME_HOST };
  if (await existingService(kube, backend.namespace, backend.name)) {
    // A ClusterIP Service (the chart's) turns into ExternalName: the apiserver drops the
    // allocated IPs itself (pkg/registry/core/service/strategy.go dropTypeDependentFields), the
    // selector must go so nothing selects pods for it.
    const patch = { spec: { ...spec, selector: null } };
    await kube.ok([
      'patch',
      'service',
      backend.name,
      '-n',
      backend.namespace,
      '--type=merge',
      '-p',
      JSON.stringify(patch),
    ]);
  } else {
    await kube.apply([
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: backend.name, namespace: backend.namespace },
        spec,
      },
    ]);
  }
  return backend.port;
}

/**
 * Endpoints with the namespace-side address of the local link; the APIService uses the Service's
 * port.
 */
async function routeByEndpoints(
  kube: Kube,
  backend: LocalBackend,
  address: string,
): Promise<number> {
  const { namespace, name } = backend;
  let service = await existingService(kube, namespace, name);
  if (!service) {
    const port = { name: 'https', port: backend.servicePort ?? 443, targetPort: backend.port };
    await kube.apply([
      { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { ports: [port] } },
    ]);
    service = { spec: { type: 'ClusterIP', ports: [port] } };
  }
  const servicePort = service.spec.ports?.[0];
  if (!servicePort) throw new Error(`service ${namespace}/${name} has no ports`);
  const endpoints = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name, namespace },
    subsets: [
      {
        addresses: [{ ip: address }],
        ports: [{ name: servicePort.name ?? '', port: backend.port }],
      },
    ],
  };
  await kube.apply([endpoints]);
  return servicePort.port;
}

/**
 * Points the Service at the local process and returns the port the APIService's
 * `spec.service.port` must carry.
 */
export function routeToLocal(
  kube: Kube,
  routing: AggregatorRouting,
  localServeAddress: string,
  backend: LocalBackend,
): Promise<number> {
  return routing === 'service'
    ? routeByExternalName(kube, backend)
    : routeByEndpoints(kube, backend, localServeAddress);
}
