/**
 * The metrics.k8s.io/v1beta1 routes: nodes and pods, list and get, JSON or Table. The paths are
 * those the apiserver installs for metrics-server's two storages (pkg/api/install.go): `nodes`
 * cluster-scoped, `pods` namespaced plus the all-namespaces list.
 * @module
 */
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { ClusterView } from '../../src/cluster/index.js';
import { methodNotSupported } from '../../src/k8s/index.js';
import type { ResourceMetricsReader } from '../../src/store/index.js';
import { rejectMethod } from '../errors.js';
import {
  boolParam,
  fieldSelectorParam,
  includeObjectParam,
  intParam,
  labelSelectorParam,
  negotiate,
  queryOf,
  tableContentType,
  writeJson,
  type MediaChoice,
  type RequestLimits,
} from '../request.js';
import {
  getNodeItem,
  getPodItem,
  listNodeItems,
  listPodItems,
  SELECTABLE_FIELDS,
  type ListQuery,
} from './select.js';
import { BodyCache } from './body-cache.js';
import { FragmentCache } from './fragments.js';
import {
  listJson,
  nodeMetricsJson,
  podMetricsJson,
  Writer,
  type NodeItem,
  type PodItem,
} from './serialize.js';
import { nodeTableJson, podTableJson } from './table.js';

export interface ResourceRoutesOptions {
  reader: ResourceMetricsReader;
  cluster: ClusterView;
  /** Wall clock in ms, for the items' creationTimestamp. */
  now: () => number;
  limits: RequestLimits;
}

const NODES = { group: 'metrics.k8s.io', resource: 'nodes' };
const PODS = { group: 'metrics.k8s.io', resource: 'pods' };

interface Parsed {
  q: URLSearchParams;
  media: MediaChoice;
  pretty: boolean;
}

/**
 * What every route reads before its own work: the output form, `pretty`, and a refusal of
 * `watch=true` (neither storage is a rest.Watcher, so ListResource answers MethodNotSupported).
 * `limit`, `timeoutSeconds` and `resourceVersion` are accepted and ignored, as metrics-server's
 * lists ignore them, but must still parse.
 */
function parseCommon(req: Request, gr: typeof NODES): Parsed {
  const media = negotiate(req.headers.accept, true);
  const q = queryOf(req);
  if (boolParam(q, 'watch') === true) throw methodNotSupported(gr, 'watch');
  intParam(q, 'limit');
  intParam(q, 'timeoutSeconds');
  return { q, media, pretty: boolParam(q, 'pretty') ?? false };
}

function listQuery(q: URLSearchParams, limits: RequestLimits): ListQuery {
  return {
    labelSelector: labelSelectorParam(q, 'labelSelector', limits),
    fieldSelector: fieldSelectorParam(q, SELECTABLE_FIELDS, limits),
  };
}

function send(res: Response, p: Parsed, body: string | Buffer): void {
  const contentType = p.media.kind === 'table' ? tableContentType(p.media.version) : undefined;
  writeJson(res, body, { pretty: p.pretty, contentType });
}

/** The memos a router keeps: item text, and whole list bodies keyed by what selected them. */
interface Caches {
  fragments: FragmentCache;
  bodies: BodyCache;
}

/** Identifies a list request up to its selected items: scope and canonical selectors. */
function listKey(kind: string, namespace: string | undefined, q: ListQuery): string {
  return `${kind}\u0000${namespace ?? ''}\u0000${q.labelSelector.toString()}\u0000${q.fieldSelector.toString()}`;
}

function writeNodes(
  c: Caches,
  w: Writer,
  p: Parsed,
  items: readonly NodeItem[],
  key?: string,
): string | Buffer {
  if (p.media.kind === 'table')
    return nodeTableJson(w, c.fragments, items, {
      version: p.media.version,
      includeObject: includeObjectParam(p.q),
    });
  if (key === undefined) return nodeMetricsJson(w, c.fragments, items[0]!);
  const fragments = items.map((item) => c.fragments.node(w, item));
  return c.bodies.body(key, w.creationTimestamp, fragments, () =>
    listJson('NodeMetricsList', w, fragments),
  );
}

function writePods(
  c: Caches,
  w: Writer,
  p: Parsed,
  items: readonly PodItem[],
  key?: string,
): string | Buffer {
  if (p.media.kind === 'table')
    return podTableJson(w, c.fragments, items, {
      version: p.media.version,
      includeObject: includeObjectParam(p.q),
    });
  if (key === undefined) return podMetricsJson(w, c.fragments, items[0]!);
  const fragments = items.map((item) => c.fragments.pod(w, item));
  return c.bodies.body(key, w.creationTimestamp, fragments, () =>
    listJson('PodMetricsList', w, fragments),
  );
}

function nodeHandlers(
  o: ResourceRoutesOptions,
  c: Caches,
): { list: RequestHandler; get: RequestHandler } {
  return {
    list: (req, res) => {
      const p = parseCommon(req, NODES);
      const q = listQuery(p.q, o.limits);
      const items = listNodeItems(o.cluster, o.reader, q);
      send(res, p, writeNodes(c, new Writer(o.now()), p, items, listKey('nodes', undefined, q)));
      c.fragments.sweep();
    },
    get: (req, res) => {
      const p = parseCommon(req, NODES);
      const item = getNodeItem(o.cluster, o.reader, req.params.name as string);
      send(res, p, writeNodes(c, new Writer(o.now()), p, [item]));
    },
  };
}

function podHandlers(
  o: ResourceRoutesOptions,
  c: Caches,
): { list: RequestHandler; get: RequestHandler } {
  return {
    list: (req, res) => {
      const p = parseCommon(req, PODS);
      const namespace = req.params.namespace as string | undefined;
      const q = listQuery(p.q, o.limits);
      const items = listPodItems(o.cluster, o.reader, namespace, q);
      send(res, p, writePods(c, new Writer(o.now()), p, items, listKey('pods', namespace, q)));
      c.fragments.sweep();
    },
    get: (req, res) => {
      const p = parseCommon(req, PODS);
      const item = getPodItem(
        o.cluster,
        o.reader,
        req.params.namespace as string,
        req.params.name as string,
      );
      send(res, p, writePods(c, new Writer(o.now()), p, [item]));
    },
  };
}

/** A router for everything under `/apis/metrics.k8s.io/v1beta1` except the discovery document. */
export function resourceRouter(o: ResourceRoutesOptions): Router {
  const router = Router({ caseSensitive: true, strict: false });
  // One memo per router: the text of every item served in the last two minutes, and recent list bodies.
  const caches = { fragments: new FragmentCache(o.now), bodies: new BodyCache() };
  const nodes = nodeHandlers(o, caches);
  const pods = podHandlers(o, caches);
  router.route('/nodes').get(nodes.list).all(rejectMethod(NODES, true));
  router.route('/nodes/:name').get(nodes.get).all(rejectMethod(NODES, false));
  router.route('/pods').get(pods.list).all(rejectMethod(PODS, true));
  router.route('/namespaces/:namespace/pods').get(pods.list).all(rejectMethod(PODS, true));
  router.route('/namespaces/:namespace/pods/:name').get(pods.get).all(rejectMethod(PODS, false));
  return router;
}
