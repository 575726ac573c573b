/**
 * nock helpers for the Kubernetes API at https://127.0.0.1:6443 (the HTTP edge of src/cluster):
 * a KubeConfig that points there, LIST replies, watch streams as newline-delimited JSON that a
 * test feeds event by event, and discovery documents.
 */
import { PassThrough } from 'node:stream';
import { KubeConfig, type KubernetesObject, type V1ObjectMeta } from '@kubernetes/client-node';
import nock from 'nock';

export const API_SERVER = 'https://127.0.0.1:6443';
export const API_TOKEN = 'scaleplane-sa-token';

/** A KubeConfig with a bearer token for {@link API_SERVER}. */
export function testKubeConfig(server = API_SERVER): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'test', server, skipTLSVerify: true }],
    users: [{ name: 'sa', token: API_TOKEN }],
    contexts: [{ name: 'test', cluster: 'test', user: 'sa' }],
    currentContext: 'test',
  });
  return kc;
}

/** A Kubernetes object as JSON: metadata always present, any other fields. */
export type TestObject = KubernetesObject & { metadata: V1ObjectMeta } & Record<string, unknown>;

/** An object with the metadata informers key on. */
export function object(
  kind: string,
  name: string,
  o: { namespace?: string; labels?: Record<string, string>; rv?: string; extra?: object } = {},
): TestObject {
  return {
    apiVersion: kind === 'HorizontalPodAutoscaler' ? 'autoscaling/v2' : 'v1',
    kind,
    metadata: {
      name,
      ...(o.namespace ? { namespace: o.namespace } : {}),
      ...(o.labels ? { labels: o.labels } : {}),
      resourceVersion: o.rv ?? '1',
    },
    ...o.extra,
  };
}

/** A list body; `continueToken` marks a page that has more. */
export function listBody(
  items: unknown[],
  resourceVersion: string,
  continueToken?: string,
): object {
  return {
    kind: 'List',
    apiVersion: 'v1',
    metadata: { resourceVersion, ...(continueToken ? { continue: continueToken } : {}) },
    items,
  };
}

/** Intercepts one LIST of `path` (not a watch); `query` narrows which query matches. */
export function nockList(
  path: string,
  body: object | (() => object),
  query: (q: Record<string, string>) => boolean = () => true,
  code = 200,
): nock.Scope {
  return nock(API_SERVER)
    .get(path)
    .query((q) => q.watch !== 'true' && query(q as Record<string, string>))
    .reply(code, typeof body === 'function' ? body : () => body);
}

/** A watch response body the test writes events into. */
export class WatchStream {
  readonly body = new PassThrough();
  /** The query of the watch request, once it arrived. */
  query: Record<string, string> | undefined;

  send(type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR', obj: unknown): void {
    this.body.write(`${JSON.stringify({ type, object: obj })}\n`);
  }

  /** Writes a raw line, e.g. garbage. */
  raw(line: string): void {
    this.body.write(`${line}\n`);
  }

  /** Ends the response normally, as the API server does at the watch timeout. */
  close(): void {
    this.body.end();
  }
}

/** Intercepts one watch of `path` and answers with a stream the test controls. */
export function nockWatch(path: string, stream = new WatchStream()): WatchStream {
  nock(API_SERVER)
    .get(path)
    .query((q) => {
      if (q.watch !== 'true') return false;
      stream.query = q as Record<string, string>;
      return true;
    })
    // nock sends the headers with the first chunk; an empty line (ignored by the watch) sends them now.
    .reply(200, () => (stream.body.write('\n'), stream.body), {
      'Content-Type': 'application/json',
    });
  return stream;
}

/** Intercepts one watch of `path` that the server refuses with `code`. */
export function nockWatchRefused(path: string, code = 500): nock.Scope {
  return nock(API_SERVER)
    .get(path)
    .query((q) => q.watch === 'true')
    .reply(code, {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      code,
      reason: 'InternalError',
      message: 'etcd is down',
    });
}

/** Intercepts `times` requests to `path` (watches, or lists) that cannot connect, as with a lost API server. */
export function nockUnreachable(path: string, watch = true, times = 1): nock.Scope {
  return (
    nock(API_SERVER)
      .get(path)
      .times(times)
      .query((q) => (q.watch === 'true') === watch)
      // The string form: nock 14 never settles node-fetch's request when given an error object.
      .replyWithError('connect ECONNREFUSED 127.0.0.1:6443')
  );
}

/** One resource in a discovery document; `scale` adds its `/scale` subresource. */
export interface DiscoveredResource {
  name: string;
  kind: string;
  namespaced: boolean;
  singularName?: string;
  scale?: boolean;
}

export function resourceList(groupVersion: string, resources: DiscoveredResource[]): object {
  const entries = resources.flatMap((r) => {
    const main = {
      name: r.name,
      singularName: r.singularName ?? '',
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: ['get', 'list', 'watch'],
    };
    const scale = {
      name: `${r.name}/scale`,
      singularName: '',
      namespaced: r.namespaced,
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
      verbs: ['get', 'patch', 'update'],
    };
    return r.scale ? [main, scale] : [main];
  });
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources: entries };
}

/** The usual discovery of a cluster: core, apps, autoscaling and a CRD group with a scalable kind. */
export const clusterDiscovery: Record<string, DiscoveredResource[]> = {
  v1: [
    { name: 'pods', kind: 'Pod', namespaced: true, singularName: 'pod' },
    { name: 'services', kind: 'Service', namespaced: true, singularName: 'service' },
    {
      name: 'replicationcontrollers',
      kind: 'ReplicationController',
      namespaced: true,
      scale: true,
    },
    { name: 'nodes', kind: 'Node', namespaced: false },
  ],
  'apps/v1': [
    {
      name: 'deployments',
      kind: 'Deployment',
      namespaced: true,
      singularName: 'deployment',
      scale: true,
    },
    { name: 'replicasets', kind: 'ReplicaSet', namespaced: true, scale: true },
    { name: 'statefulsets', kind: 'StatefulSet', namespaced: true, scale: true },
    { name: 'daemonsets', kind: 'DaemonSet', namespaced: true },
  ],
  'example.com/v1': [{ name: 'workers', kind: 'Worker', namespaced: true, scale: true }],
  'example.com/v1beta1': [{ name: 'oldworkers', kind: 'OldWorker', namespaced: true }],
  'storage.example.com/v1': [{ name: 'buckets', kind: 'Bucket', namespaced: false }],
};

/** The APIGroupList for {@link clusterDiscovery} (example.com prefers v1). */
export function groupList(discovery: Record<string, DiscoveredResource[]>): object {
  const groups = new Map<string, string[]>();
  for (const gv of Object.keys(discovery)) {
    if (!gv.includes('/')) continue;
    const [group, version] = gv.split('/') as [string, string];
    groups.set(group, [...(groups.get(group) ?? []), version]);
  }
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groups].map(([name, versions]) => ({
      name,
      versions: versions.map((version) => ({ groupVersion: `${name}/${version}`, version })),
      preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
    })),
  };
}

/** Intercepts the discovery documents; each can be read `times` times. */
export function nockDiscovery(
  discovery: Record<string, DiscoveredResource[]> = clusterDiscovery,
  times = 1,
): void {
  nock(API_SERVER).get('/apis').times(times).reply(200, groupList(discovery));
  for (const [gv, resources] of Object.entries(discovery)) {
    const path = gv.includes('/') ? `/apis/${gv}` : `/api/${gv}`;
    nock(API_SERVER).get(path).times(times).reply(200, resourceList(gv, resources));
  }
}

/** Resolves once `condition` holds, polling on real timers (watch streams are real I/O). */
export async function eventually(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
