/**
 * Authorization delegated to the cluster with SubjectAccessReviews (k8s.io/apiserver
 * plugin/pkg/authorizer/webhook WebhookAuthorizer.Authorize, as configured by
 * authorizerfactory.DelegatingAuthorizerConfig): the review carries the user and either the
 * resource attributes or the non-resource path and verb; answers are cached by the whole review
 * spec, allowed ones for --authorization-webhook-cache-authorized-ttl and the rest for
 * --authorization-webhook-cache-unauthorized-ttl; failures are not cached and fail closed.
 * @module
 */
import type { Clock } from '../../src/observability/index.js';
import { ExpiringCache } from './cache.js';
import type { Attributes, AuthorizationResult, Authorizer } from './types.js';

/** authorization.k8s.io/v1 SubjectAccessReviewSpec, as sent. */
export interface SubjectAccessReviewSpec {
  user: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
  resourceAttributes?: {
    namespace: string;
    verb: string;
    group: string;
    version: string;
    resource: string;
    subresource: string;
    name: string;
  };
  nonResourceAttributes?: { path: string; verb: string };
}

/** SubjectAccessReviewStatus, as received. */
export interface SubjectAccessReviewStatus {
  allowed: boolean;
  denied?: boolean;
  reason?: string;
  evaluationError?: string;
}

/** Sends one SubjectAccessReview; throws when the review itself fails. */
export interface SubjectAccessReviewer {
  review(spec: SubjectAccessReviewSpec): Promise<SubjectAccessReviewStatus>;
}

export interface WebhookAuthorizerOptions {
  reviewer: SubjectAccessReviewer;
  authorizedTtlMs: number;
  unauthorizedTtlMs: number;
  clock: Clock;
  /** Upstream's LRU holds 8192 answers. */
  maxEntries?: number;
}

/** Requests whose requester-controlled attributes are this large are not cached (shouldCache). */
const maxControlledAttrCacheSize = 10_000;

/** The review spec for `attrs` (WebhookAuthorizer.Authorize and resourceAttributesFrom). */
export function reviewSpec(attrs: Attributes): SubjectAccessReviewSpec {
  const spec: SubjectAccessReviewSpec = { user: attrs.user.name, groups: attrs.user.groups };
  if (attrs.user.uid) spec.uid = attrs.user.uid;
  if (Object.keys(attrs.user.extra).length > 0) spec.extra = attrs.user.extra;
  if (attrs.isResourceRequest) {
    spec.resourceAttributes = {
      namespace: attrs.namespace,
      verb: attrs.verb,
      group: attrs.apiGroup,
      version: attrs.apiVersion,
      resource: attrs.resource,
      subresource: attrs.subresource,
      name: attrs.name,
    };
  } else {
    spec.nonResourceAttributes = { path: attrs.path, verb: attrs.verb };
  }
  return spec;
}

function shouldCache(attrs: Attributes): boolean {
  const size = [
    attrs.namespace,
    attrs.verb,
    attrs.apiGroup,
    attrs.apiVersion,
    attrs.resource,
    attrs.subresource,
    attrs.name,
    attrs.path,
  ].reduce((n, s) => n + s.length, 0);
  return size < maxControlledAttrCacheSize;
}

function decide(status: SubjectAccessReviewStatus, cached: boolean): AuthorizationResult {
  const reason = status.reason ?? '';
  if (status.denied && status.allowed) {
    throw new Error('webhook subject access review returned both allow and deny response');
  }
  if (status.denied) return { decision: 'deny', reason, cached };
  if (status.allowed) return { decision: 'allow', reason, cached };
  return { decision: 'noOpinion', reason, cached };
}

export function createWebhookAuthorizer(options: WebhookAuthorizerOptions): Authorizer {
  const cache = new ExpiringCache<SubjectAccessReviewStatus>(
    options.maxEntries ?? 8192,
    options.clock,
  );
  return {
    async authorize(attrs: Attributes): Promise<AuthorizationResult> {
      const spec = reviewSpec(attrs);
      const key = JSON.stringify(spec);
      const hit = cache.get(key);
      if (hit) return decide(hit, true);
      const status = await options.reviewer.review(spec);
      if (shouldCache(attrs)) {
        cache.set(
          key,
          status,
          status.allowed ? options.authorizedTtlMs : options.unauthorizedTtlMs,
        );
      }
      return decide(status, false);
    },
  };
}
