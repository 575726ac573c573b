/**
 * A read-only Kubernetes API over an in-memory world (the embedded cluster of `npm start`): the
 * discovery documents, nodes and pods (core/v1), Deployments and their autoscaling/v1 Scale
 * (apps/v1) and HorizontalPodAutoscalers (autoscaling/v2), with label selectors on lists and
 * kube-apiserver's NotFound Status. `/apis` lists these groups together with the metrics groups,
 * so one URL is a whole cluster for kubectl and `scaleplane hpa explain`. Writes are 405.
 * @module
 */
import type {
  V1Deployment,
  V1Node,
  V1Pod,
  V2HorizontalPodAutoscaler,
} from '@kubernetes/client-node';
import { Router, type Request, type RequestHandler } from 'express';
import {
  everything,
  notFound,
  selectorFromLabelSelector,
  type GroupResource,
  type Selector,
} from '../../src/k8s/index.js';
import { apiGroupListJson } from '../discovery/index.js';
import { rejectAnyMethod } from '../errors.js';
import {
  defaultRequestLimits,
  labelSelectorParam,
  negotiate,
  queryOf,
  writeJson,
  type RequestLimits,
} from '../request.js';
import {
  CORE_V1,
  NAMED_GROUPS,
  apiVersionsJson,
  groupEntry,
  resourceListJson,
} from './documents.js';

/** What the router serves; the consumer's interface (the embedded cluster implements it). */
export interface KubeObjectsReader {
  listNodes(): V1Node[];
  listPods(namespace: string | undefined, selector?: Selector): V1Pod[];
  listDeployments(): V1Deployment[];
  listHpas(): V2HorizontalPodAutoscaler[];
}

export interface KubeRoutesOptions {
  reader: KubeObjectsReader;
  limits?: RequestLimits;
}

type Named = { metadata?: { name?: string; namespace?: string; labels?: Record<string, string> } };

const NODES: GroupResource = { group: '', resource: 'nodes' };
const PODS: GroupResource = { group: '', resource: 'pods' };
const DEPLOYMENTS: GroupResource = { group: 'apps', resource: 'deployments' };
const HPAS: GroupResource = { group: 'autoscaling', resource: 'horizontalpodautoscalers' };

function json(build: (req: Request) => unknown): RequestHandler {
  return (req, res) => {
    negotiate(req.headers.accept, false);
    const body = build(req);
    writeJson(res, typeof body === 'string' ? body : JSON.stringify(body));
  };
}

function list(apiVersion: string, kind: string, items: readonly unknown[]): object {
  return { kind: `${kind}List`, apiVersion, metadata: { resourceVersion: '' }, items };
}

/** The items in `namespace` (all when undefined) whose labels match the request's labelSelector. */
function selected<T extends Named>(
  req: Request,
  items: readonly T[],
  limits: RequestLimits,
  namespace?: string,
): T[] {
  const selector = labelSelectorParam(queryOf(req), 'labelSelector', limits);
  return items.filter(
    (o) =>
      (namespace === undefined || o.metadata?.namespace === namespace) &&
      selector.matches(o.metadata?.labels),
  );
}

function one<T extends Named>(
  gr: GroupResource,
  items: readonly T[],
  name: string,
  namespace?: string,
): T {
  const found = items.find(
    (o) =>
      o.metadata?.name === name && (namespace === undefined || o.metadata?.namespace === namespace),
  );
  if (found === undefined) throw notFound(gr, name);
  return found;
}

/** The Deployment's autoscaling/v1 Scale: spec from the object, status and selector from its pods. */
export function scaleOfDeployment(d: V1Deployment): object {
  const selector = selectorFromLabelSelector(d.spec?.selector ?? null);
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: d.metadata?.name,
      namespace: d.metadata?.namespace,
      creationTimestamp: d.metadata?.creationTimestamp,
    },
    spec: { replicas: d.spec?.replicas ?? 0 },
    status: {
      replicas: d.status?.replicas ?? 0,
      selector: (selector.requirements.length > 0 ? selector : everything).toString(),
    },
  };
}

function discovery(router: Router): void {
  const groups = (JSON.parse(apiGroupListJson()) as { groups: unknown[] }).groups;
  const groupList = JSON.stringify({
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...NAMED_GROUPS.map(groupEntry), ...groups],
  });
  router.get('/api', json(apiVersionsJson));
  router.get(
    '/api/v1',
    json(() => resourceListJson(CORE_V1)),
  );
  router.get(
    '/apis',
    json(() => groupList),
  );
  for (const g of NAMED_GROUPS) {
    const doc = JSON.stringify({ kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(g) });
    router.get(
      `/apis/${g.group}`,
      json(() => doc),
    );
    router.get(
      `/apis/${g.group}/${g.version}`,
      json(() => resourceListJson(g)),
    );
  }
}

/** The router; mount it at the application root before the metrics groups' discovery. */
export function kubeRouter(o: KubeRoutesOptions): Router {
  const r = o.reader;
  const limits = o.limits ?? defaultRequestLimits;
  const router = Router({ caseSensitive: true, strict: false });
  discovery(router);
  const ns = (req: Request): string => String(req.params.namespace);
  const name = (req: Request): string => String(req.params.name);
  const routes: Array<[string, (req: Request) => unknown]> = [
    ['/api/v1/nodes', (q) => list('v1', 'Node', selected(q, r.listNodes(), limits))],
    ['/api/v1/nodes/:name', (q) => one(NODES, r.listNodes(), name(q))],
    ['/api/v1/pods', (q) => list('v1', 'Pod', selected(q, r.listPods(undefined), limits))],
    [
      '/api/v1/namespaces/:namespace/pods',
      (q) => list('v1', 'Pod', selected(q, r.listPods(ns(q)), limits)),
    ],
    ['/api/v1/namespaces/:namespace/pods/:name', (q) => one(PODS, r.listPods(ns(q)), name(q))],
    [
      '/apis/apps/v1/deployments',
      (q) => list('apps/v1', 'Deployment', selected(q, r.listDeployments(), limits)),
    ],
    [
      '/apis/apps/v1/namespaces/:namespace/deployments',
      (q) => list('apps/v1', 'Deployment', selected(q, r.listDeployments(), limits, ns(q))),
    ],
    [
      '/apis/apps/v1/namespaces/:namespace/deployments/:name',
      (q) => one(DEPLOYMENTS, r.listDeployments(), name(q), ns(q)),
    ],
    [
      '/apis/apps/v1/namespaces/:namespace/deployments/:name/scale',
      (q) => scaleOfDeployment(one(DEPLOYMENTS, r.listDeployments(), name(q), ns(q))),
    ],
    [
      '/apis/autoscaling/v2/horizontalpodautoscalers',
      (q) => list('autoscaling/v2', 'HorizontalPodAutoscaler', selected(q, r.listHpas(), limits)),
    ],
    [
      '/apis/autoscaling/v2/namespaces/:namespace/horizontalpodautoscalers',
      (q) =>
        list('autoscaling/v2', 'HorizontalPodAutoscaler', selected(q, r.listHpas(), limits, ns(q))),
    ],
    [
      '/apis/autoscaling/v2/namespaces/:namespace/horizontalpodautoscalers/:name',
      (q) => one(HPAS, r.listHpas(), name(q), ns(q)),
    ],
  ];
  for (const [path, build] of routes) router.route(path).get(json(build)).all(rejectAnyMethod);
  for (const path of ['/api', '/api/v1', '/apis']) router.all(path, rejectAnyMethod);
  return router;
}
