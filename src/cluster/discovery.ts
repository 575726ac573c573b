/**
 * Which URL serves a group resource or a kind, learnt from the API server's discovery documents
 * (`/api/v1`, `/apis`, `/apis/{group}/{version}`) and cached, with a refresh when a lookup misses,
 * as client-go's DeferredDiscoveryRESTMapper resets its cache on a NoMatch (restmapper/discovery.go).
 * @module
 */
import type { Clock } from '../observability/index.js';
import type { GroupResourceRef } from './types.js';
import type { KubeApi } from './kube-api.js';

/** One served resource in one group version. */
export interface ApiResource {
  group: string;
  version: string;
  /** Plural name, the URL segment. */
  resource: string;
  singularName?: string;
  kind: string;
  namespaced: boolean;
  /** `/api/v1` or `/apis/{group}/{version}`. */
  basePath: string;
  /** The resource has a `/scale` subresource. */
  scale: boolean;
}

interface RawResource {
  name?: string;
  singularName?: string;
  kind?: string;
  namespaced?: boolean;
}

interface RawGroup {
  name?: string;
  versions?: Array<{ groupVersion?: string; version?: string }>;
  preferredVersion?: { version?: string };
}

/** Versions of one group, preferred first. */
interface GroupVersions {
  versions: string[];
}

export interface ApiDiscoveryOptions {
  api: KubeApi;
  clock: Clock;
  /** A miss refreshes the cache at most this often; default 30 s. */
  minRefreshIntervalMs?: number;
}

function basePathOf(group: string, version: string): string {
  return group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
}

/** APIResourceList → our entries: top-level resources, each marked when `{name}/scale` is listed. */
export function decodeResourceList(group: string, version: string, body: unknown): ApiResource[] {
  const list = (body as { resources?: unknown } | undefined)?.resources;
  if (!Array.isArray(list)) return [];
  const raws = list.filter(
    (r): r is RawResource =>
      typeof r === 'object' && r !== null && typeof (r as RawResource).name === 'string',
  );
  const names = new Set(raws.map((r) => r.name!));
  return raws
    .filter((r) => !r.name!.includes('/') && typeof r.kind === 'string')
    .map((r) => ({
      group,
      version,
      resource: r.name!,
      singularName: r.singularName || undefined,
      kind: r.kind!,
      namespaced: r.namespaced === true,
      basePath: basePathOf(group, version),
      scale: names.has(`${r.name!}/scale`),
    }));
}

/** APIGroupList → versions per group, the preferred one first. */
export function decodeGroupList(body: unknown): Map<string, GroupVersions> {
  const groups = new Map<string, GroupVersions>();
  const list = (body as { groups?: unknown } | undefined)?.groups;
  if (!Array.isArray(list)) return groups;
  for (const g of list as RawGroup[]) {
    if (typeof g?.name !== 'string') continue;
    const all = (g.versions ?? [])
      .map((v) => v.version)
      .filter((v): v is string => typeof v === 'string');
    const preferred = g.preferredVersion?.version;
    const versions = preferred ? [preferred, ...all.filter((v) => v !== preferred)] : all;
    groups.set(g.name, { versions });
  }
  return groups;
}

/** Discovery with a lazy per-group-version cache. */
export class ApiDiscovery {
  private groups: Promise<Map<string, GroupVersions>> | undefined;
  private readonly groupVersions = new Map<string, Promise<ApiResource[]>>();
  private lastRefreshMs = Number.NEGATIVE_INFINITY;
  private readonly minRefreshIntervalMs: number;

  constructor(private readonly o: ApiDiscoveryOptions) {
    this.minRefreshIntervalMs = o.minRefreshIntervalMs ?? 30_000;
  }

  /** The resource named `gr.resource` (plural or singular) in the group's preferred version that serves it. */
  async resourceFor(gr: GroupResourceRef): Promise<ApiResource | undefined> {
    const name = gr.resource.toLowerCase();
    return this.find(gr.group, (r) => r.resource === name || r.singularName === name);
  }

  /** The resource of `kind` in `group` (any version, preferred first), as RESTMapper.RESTMappings(GroupKind). */
  async resourceForKind(group: string, kind: string): Promise<ApiResource | undefined> {
    return this.find(group, (r) => r.kind === kind);
  }

  private async find(
    group: string,
    match: (r: ApiResource) => boolean,
  ): Promise<ApiResource | undefined> {
    const hit = await this.search(group, match);
    if (hit !== undefined || !this.mayRefresh()) return hit;
    this.reset();
    return this.search(group, match);
  }

  private mayRefresh(): boolean {
    return this.o.clock.now() - this.lastRefreshMs >= this.minRefreshIntervalMs;
  }

  private reset(): void {
    this.groups = undefined;
    this.groupVersions.clear();
  }

  private async search(
    group: string,
    match: (r: ApiResource) => boolean,
  ): Promise<ApiResource | undefined> {
    const versions = group === '' ? ['v1'] : ((await this.groupList()).get(group)?.versions ?? []);
    for (const version of versions) {
      const found = (await this.resources(group, version)).find(match);
      if (found) return found;
    }
    return undefined;
  }

  private groupList(): Promise<Map<string, GroupVersions>> {
    if (this.groups === undefined) {
      this.lastRefreshMs = this.o.clock.now();
      const loading = this.o.api.request({ method: 'GET', path: '/apis' }).then(decodeGroupList);
      // A failed load is not cached: the next lookup tries again.
      loading.catch(() => (this.groups = undefined));
      this.groups = loading;
    }
    return this.groups;
  }

  private resources(group: string, version: string): Promise<ApiResource[]> {
    const key = `${group}/${version}`;
    let loading = this.groupVersions.get(key);
    if (loading === undefined) {
      this.lastRefreshMs = this.o.clock.now();
      loading = this.o.api
        .request({ method: 'GET', path: basePathOf(group, version) })
        .then((body) => decodeResourceList(group, version, body));
      loading.catch(() => this.groupVersions.delete(key));
      this.groupVersions.set(key, loading);
    }
    return loading;
  }
}
