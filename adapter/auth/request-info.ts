/**
 * What a request asks for, derived from its method and URL exactly as k8s.io/apiserver's
 * RequestInfoFactory.NewRequestInfo (endpoints/request/requestinfo.go) derives it, because the
 * SubjectAccessReview must carry the attributes RBAC rules are written against. For the metrics
 * APIs this gives, for example:
 *
 * - `GET /apis/metrics.k8s.io/v1beta1/nodes` → list nodes; `.../nodes/n1` → get nodes, name n1
 * - `GET /apis/custom.metrics.k8s.io/v1beta2/namespaces/ns/pods/*\/m` → get pods, name `*`,
 *   subresource `m`, namespace ns (the HPA controller's role grants get/list on `*`)
 * - `GET /apis/external.metrics.k8s.io/v1beta1/namespaces/ns/queue` → list `queue` in ns
 * - `GET /apis`, `/apis/metrics.k8s.io/v1beta1`, `/openapi/v2` → non-resource, verb get
 * @module
 */
import { badRequest, parseFieldSelector } from '../../src/k8s/index.js';

export interface RequestInfo {
  isResourceRequest: boolean;
  /** The unescaped URL path (Go's URL.Path), for non-resource attributes. */
  path: string;
  /** Kubernetes verb for resource requests (get, list, watch, create, ...); lower-case HTTP method otherwise. */
  verb: string;
  apiPrefix: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  /** Path parts from the resource on: resource/name/subresource/... */
  parts: string[];
}

const apiPrefixes = new Set(['api', 'apis']);
const grouplessApiPrefixes = new Set(['api']);
const specialVerbs = new Set(['proxy', 'watch']);
const specialVerbsNoSubresources = new Set(['proxy']);
/** Namespace subresources, so /namespaces/ns/status is not read as a resource named "status". */
const namespaceSubresources = new Set(['status', 'finalize']);

const methodVerbs: Record<string, string> = {
  POST: 'create',
  GET: 'get',
  HEAD: 'get',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

/**
 * Decodes each segment on its own, as express does for route parameters, so the identity that is
 * authorized is the one the handlers serve (an encoded `/` stays inside its segment).
 */
function splitPath(path: string): string[] {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return [];
  return trimmed.split('/').map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      throw badRequest(`invalid URL escape in path segment ${JSON.stringify(segment)}`);
    }
  });
}

/** path.IsValidPathSegmentName. */
function isValidPathSegmentName(name: string): boolean {
  return name !== '.' && name !== '..' && !name.includes('/') && !name.includes('%');
}

/** The exact `metadata.name` a list asks for through its field selector, if any (RequiresExactMatch). */
function nameFromFieldSelector(query: URLSearchParams): string {
  const raw = query.get('fieldSelector');
  if (!raw) return '';
  try {
    const term = parseFieldSelector(raw).requirements.find(
      (r) => r.field === 'metadata.name' && r.operator !== '!=',
    );
    return term && isValidPathSegmentName(term.value) ? term.value : '';
  } catch {
    // An unparsable selector leaves the request a plain list, as upstream's decode failure does.
    return '';
  }
}

/** Derives the request info from an HTTP method and an origin-form request target (`/path?query`). */
export function requestInfo(method: string, target: string): RequestInfo {
  // Only origin form names the path that is served (adapter/request-target.ts refuses the rest
  // before the guard); an absolute-form target must never be authorized as a non-resource path.
  if (!target.startsWith('/'))
    throw badRequest(
      'the request target must be in origin form: an absolute path and an optional query',
    );
  const queryStart = target.search(/[?#]/);
  const path = queryStart < 0 ? target : target.slice(0, queryStart);
  const query = new URLSearchParams(
    queryStart < 0 ? '' : target.slice(queryStart + 1).split('#')[0],
  );
  let parts = splitPath(path);
  const info: RequestInfo = {
    isResourceRequest: false,
    path: decodeURIComponent(path),
    verb: method.toLowerCase(),
    apiPrefix: '',
    apiGroup: '',
    apiVersion: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
    parts: [],
  };
  if (parts.length < 3 || !apiPrefixes.has(parts[0]!)) return info;
  const apiPrefix = parts[0]!;
  parts = parts.slice(1);
  if (!grouplessApiPrefixes.has(apiPrefix)) {
    if (parts.length < 3) return info;
    info.apiGroup = parts[0]!;
    parts = parts.slice(1);
  }
  info.apiPrefix = apiPrefix;
  info.isResourceRequest = true;
  info.apiVersion = parts[0]!;
  parts = parts.slice(1);

  if (specialVerbs.has(parts[0]!)) {
    if (parts.length < 2)
      throw badRequest(`unable to determine kind and namespace from url ${path}`);
    info.verb = parts[0]!;
    parts = parts.slice(1);
  } else {
    info.verb = methodVerbs[method.toUpperCase()] ?? '';
  }

  if (parts[0] === 'namespaces') {
    if (parts.length > 1) {
      info.namespace = parts[1]!;
      if (parts.length > 2 && !namespaceSubresources.has(parts[2]!)) parts = parts.slice(2);
    }
  }
  info.parts = parts;
  if (parts.length >= 3 && !specialVerbsNoSubresources.has(info.verb)) info.subresource = parts[2]!;
  if (parts.length >= 2) info.name = parts[1]!;
  if (parts.length >= 1) info.resource = parts[0]!;

  if (info.name === '' && info.verb === 'get') {
    const watch = query.getAll('watch')[0];
    info.verb =
      watch === undefined || ['false', '0'].includes(watch.toLowerCase()) ? 'list' : 'watch';
    info.name = nameFromFieldSelector(query);
  }
  if (info.name === '' && info.verb === 'delete') info.verb = 'deletecollection';
  return info;
}
