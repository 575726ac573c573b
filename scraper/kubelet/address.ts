/**
 * Where a node's kubelet answers: address by preferred type, port, path. Pure functions of the
 * Node object and the flags, mirroring metrics-server pkg/utils/address_resolver.go and
 * pkg/scraper/client/resource/client.go `GetMetrics`.
 * @module
 */
import type { V1Node } from '@kubernetes/client-node';
import type { KubeletSourceKind } from './options.js';
import type { KubeletTarget } from './targets.js';

/** metrics-server 0.7+ scrapes the path in this node annotation instead of /metrics/resource. */
export const resourceMetricsPathAnnotation = 'metrics.k8s.io/resource-metrics-path';

export interface NodeAddressingOptions {
  source: KubeletSourceKind;
  /** Address types in order of preference (`--kubelet-preferred-address-types`). */
  preferredAddressTypes: readonly string[];
  /** `--kubelet-port`. */
  port: number;
  /** `--kubelet-use-node-status-port`: prefer `status.daemonEndpoints.kubeletEndpoint.Port`. */
  useNodeStatusPort: boolean;
  /** Kubelets serve HTTPS; `http` exists for simulated kubelets only. Default `https`. */
  scheme?: 'https' | 'http';
}

/** The endpoint path of a source, before any per-node annotation. */
export function sourcePath(source: KubeletSourceKind): string {
  return source === 'summary' ? '/stats/summary' : '/metrics/resource';
}

/**
 * The first address of the most preferred type the node reports; within a type, status order
 * wins (address_resolver.go `prioNodeAddrResolver.NodeAddress`). Undefined when none matches.
 */
export function preferredNodeAddress(
  node: V1Node,
  preferred: readonly string[],
): string | undefined {
  const addresses = node.status?.addresses ?? [];
  for (const type of preferred) {
    const match = addresses.find((a) => a.type === type && a.address !== '');
    if (match) return match.address;
  }
  return undefined;
}

/** The status port when asked for and set (non-zero), else `--kubelet-port` (client.go GetMetrics). */
export function kubeletPort(
  node: V1Node,
  o: Pick<NodeAddressingOptions, 'port' | 'useNodeStatusPort'>,
): number {
  const statusPort = node.status?.daemonEndpoints?.kubeletEndpoint?.Port ?? 0;
  return o.useNodeStatusPort && statusPort !== 0 ? statusPort : o.port;
}

/**
 * The source's path, or for `/metrics/resource` the node's non-empty
 * `metrics.k8s.io/resource-metrics-path` annotation (client.go GetMetrics, metrics-server #1253),
 * which is how kwok and other simulators expose many nodes on one port.
 */
export function kubeletPath(node: V1Node, source: KubeletSourceKind): string {
  const annotated = node.metadata?.annotations?.[resourceMetricsPathAnnotation];
  if (source === 'resource' && annotated)
    return annotated.startsWith('/') ? annotated : `/${annotated}`;
  return sourcePath(source);
}

/**
 * `scheme://host:port/path`, bracketing IPv6 literals as Go's net.JoinHostPort does. The path is
 * set through the URL object so `?` and `#` in an annotation are escaped, as Go's url.URL.Path is.
 */
export function kubeletUrl(
  scheme: 'https' | 'http',
  host: string,
  port: number,
  path: string,
): string {
  const hostPart = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const url = new URL(`${scheme}://${hostPart}:${port}`);
  url.pathname = path;
  return url.toString();
}

/** The node's Ready condition is True (scraper.go `nodeIsReady`). */
export function nodeIsReady(node: V1Node): boolean {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  return ready?.status === 'True';
}

/** The scrape target for one Node object. */
export function targetForNode(node: V1Node, o: NodeAddressingOptions): KubeletTarget {
  const nodeName = node.metadata?.name ?? '';
  const ready = nodeIsReady(node);
  const host = preferredNodeAddress(node, o.preferredAddressTypes);
  if (host === undefined) {
    // address_resolver.go: "node had no addresses that matched types".
    const unresolvedReason = `node ${nodeName} has no address of types ${o.preferredAddressTypes.join(',')}`;
    return { nodeName, url: undefined, unresolvedReason, ready };
  }
  let url: string;
  try {
    url = kubeletUrl(o.scheme ?? 'https', host, kubeletPort(node, o), kubeletPath(node, o.source));
  } catch {
    return {
      nodeName,
      url: undefined,
      unresolvedReason: `node ${nodeName} address ${JSON.stringify(host)} is not a valid host`,
      ready,
    };
  }
  return { nodeName, url, ready };
}
