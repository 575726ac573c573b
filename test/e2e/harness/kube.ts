/**
 * The tests' handle on the cluster's API: the real kubectl (test/support/kubectl.ts) as the admin,
 * with helpers that fail loudly, plus the objects every end-to-end test needs (kwok nodes).
 * @module
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import {
  kubectlBinary,
  kubectlSession,
  type KubectlResult,
  type KubectlSession,
} from '../../support/kubectl.js';
import type { CertPair } from '../../support/pki.js';
import { RESOURCE_METRICS_PATH, RESOURCE_METRICS_PATH_ANNOTATION } from './kwok-config.js';

/** kubectl bound to one cluster and user. */
export interface Kube {
  /** Runs kubectl; a non-zero exit is data. */
  run(args: readonly string[]): Promise<KubectlResult>;
  /** Runs kubectl and returns stdout; a non-zero exit throws with stderr. */
  ok(args: readonly string[]): Promise<string>;
  /** `kubectl get -o json` parsed; throws when the object does not exist. */
  getJson<T>(args: readonly string[]): Promise<T>;
  /** `kubectl apply` of objects (written to a file in the cluster directory). */
  apply(objects: readonly unknown[]): Promise<void>;
  cleanup(): void;
}

let applied = 0;

/** A kubectl session for `user` against the cluster at `server`. */
export function kubeFor(dir: string, server: string, caFile: string, user: CertPair): Kube {
  const binary = kubectlBinary();
  if (!binary) throw new Error('kubectl is not installed');
  const session: KubectlSession = kubectlSession({
    binary,
    server,
    caFile,
    user: { clientCertificate: user.certFile, clientKey: user.keyFile },
  });
  const ok = async (args: readonly string[]): Promise<string> => {
    const res = await session.run(args);
    if (res.code !== 0)
      throw new Error(`kubectl ${args.join(' ')} failed (${res.code}): ${res.stderr}`);
    return res.stdout;
  };
  return {
    run: (args) => session.run(args),
    ok,
    getJson: async <T>(args: readonly string[]) =>
      JSON.parse(await ok(['get', ...args, '-o', 'json'])) as T,
    apply: async (objects) => {
      const file = join(dir, `apply-${++applied}.yaml`);
      writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
      await ok(['apply', '-f', file]);
    },
    cleanup: () => session.cleanup(),
  };
}

/** Shape of a kwok node. */
export interface KwokNodeOptions {
  cpu?: string;
  memory?: string;
  pods?: string;
  labels?: Record<string, string>;
}

/**
 * A Node that kwok manages (annotation `kwok.x-k8s.io/node: fake`) and whose emulated kubelet
 * metrics are found through the `metrics.k8s.io/resource-metrics-path` annotation. kwok's node
 * stage fills conditions, the InternalIP 127.0.0.1 and the kubelet port; capacity is kept.
 */
export function kwokNode(name: string, options: KwokNodeOptions = {}): unknown {
  const resources = {
    cpu: options.cpu ?? '4',
    memory: options.memory ?? '16Gi',
    pods: options.pods ?? '110',
  };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: {
        'kwok.x-k8s.io/node': 'fake',
        [RESOURCE_METRICS_PATH_ANNOTATION]: RESOURCE_METRICS_PATH.replace('{nodeName}', name),
      },
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        type: 'kwok',
        ...options.labels,
      },
    },
    status: { capacity: resources, allocatable: resources },
  };
}

interface NodeList {
  items: {
    metadata: { name: string };
    status?: { conditions?: { type: string; status: string }[] };
  }[];
}

/** Names among `names` whose Ready condition is True. */
export async function readyNodes(kube: Kube, names: readonly string[]): Promise<string[]> {
  const list = await kube.getJson<NodeList>(['nodes']);
  return list.items
    .filter((n) => names.includes(n.metadata.name))
    .filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
    .map((n) => n.metadata.name);
}
