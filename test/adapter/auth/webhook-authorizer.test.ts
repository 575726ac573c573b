import { describe, expect, it } from 'vitest';
import {
  createWebhookAuthorizer,
  reviewSpec,
  type Attributes,
} from '../../../adapter/auth/index.js';
import { FakeSubjectAccessReviewer } from '../../support/auth.js';
import { FakeTime } from '../../support/fake-time.js';

const podsMetric: Attributes = {
  user: {
    name: 'system:serviceaccount:kube-system:horizontal-pod-autoscaler',
    uid: 'u-1',
    groups: ['system:serviceaccounts', 'system:authenticated'],
    extra: { 'authentication.kubernetes.io/pod-name': ['hpa-0'] },
  },
  verb: 'get',
  isResourceRequest: true,
  path: '/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*/http_requests',
  apiGroup: 'custom.metrics.k8s.io',
  apiVersion: 'v1beta2',
  namespace: 'default',
  resource: 'pods',
  subresource: 'http_requests',
  name: '*',
};
const openapi: Attributes = {
  ...podsMetric,
  user: { name: 'bob', groups: ['system:authenticated'], extra: {} },
  isResourceRequest: false,
  path: '/openapi/v2',
  apiGroup: '',
  apiVersion: '',
  namespace: '',
  resource: '',
  subresource: '',
  name: '',
};

function setup(ttl = { authorizedTtlMs: 10_000, unauthorizedTtlMs: 5_000 }) {
  const time = new FakeTime();
  const reviewer = new FakeSubjectAccessReviewer();
  const authz = createWebhookAuthorizer({ reviewer, clock: time, ...ttl });
  return { time, reviewer, authz };
}

describe('reviewSpec', () => {
  it('resource requests carry resourceAttributes and the whole user', () => {
    expect(reviewSpec(podsMetric)).toEqual({
      user: 'system:serviceaccount:kube-system:horizontal-pod-autoscaler',
      uid: 'u-1',
      groups: ['system:serviceaccounts', 'system:authenticated'],
      extra: { 'authentication.kubernetes.io/pod-name': ['hpa-0'] },
      resourceAttributes: {
        namespace: 'default',
        verb: 'get',
        group: 'custom.metrics.k8s.io',
        version: 'v1beta2',
        resource: 'pods',
        subresource: 'http_requests',
        name: '*',
      },
    });
  });
  it('non-resource requests carry only path and verb', () => {
    expect(reviewSpec(openapi)).toEqual({
      user: 'bob',
      groups: ['system:authenticated'],
      nonResourceAttributes: { path: '/openapi/v2', verb: 'get' },
    });
  });
});

describe('webhook authorizer: should pass', () => {
  const decisions = [
    {
      name: 'allowed',
      status: { allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding' },
      decision: 'allow',
    },
    {
      name: 'neither allowed nor denied is no opinion',
      status: { allowed: false, reason: 'no RBAC policy matched' },
      decision: 'noOpinion',
    },
    {
      name: 'denied',
      status: { allowed: false, denied: true, reason: 'denied by policy' },
      decision: 'deny',
    },
  ];
  it.each(decisions)('$name', async ({ status, decision }) => {
    const { authz, reviewer } = setup();
    reviewer.decide = () => status;
    expect(await authz.authorize(podsMetric)).toEqual({
      decision,
      reason: status.reason,
      cached: false,
    });
  });

  it('an allow is cached for the authorized TTL', async () => {
    const { authz, reviewer, time } = setup();
    await authz.authorize(podsMetric);
    await time.advance(9_999);
    expect((await authz.authorize(podsMetric)).cached).toBe(true);
    await time.advance(1);
    expect((await authz.authorize(podsMetric)).cached).toBe(false);
    expect(reviewer.specs).toHaveLength(2);
  });

  it('a deny is cached for the unauthorized TTL', async () => {
    const { authz, reviewer, time } = setup();
    reviewer.decide = () => ({ allowed: false });
    await authz.authorize(openapi);
    await time.advance(4_999);
    expect(await authz.authorize(openapi)).toEqual({
      decision: 'noOpinion',
      reason: '',
      cached: true,
    });
    await time.advance(1);
    await authz.authorize(openapi);
    expect(reviewer.specs).toHaveLength(2);
  });

  it('different attributes are different cache entries', async () => {
    const { authz, reviewer } = setup();
    await authz.authorize(podsMetric);
    await authz.authorize({ ...podsMetric, namespace: 'other' });
    expect(reviewer.specs).toHaveLength(2);
  });

  it('huge requester-controlled attributes are not cached', async () => {
    const { authz, reviewer } = setup();
    const huge = { ...podsMetric, name: 'x'.repeat(10_000) };
    await authz.authorize(huge);
    await authz.authorize(huge);
    expect(reviewer.specs).toHaveLength(2);
  });
});

describe('webhook authorizer: should fail', () => {
  it('a failed review throws and is not cached', async () => {
    const { authz, reviewer } = setup();
    reviewer.failWith = new Error('SubjectAccessReview failed: HTTP 500');
    await expect(authz.authorize(podsMetric)).rejects.toThrow('HTTP 500');
    reviewer.failWith = undefined;
    expect((await authz.authorize(podsMetric)).decision).toBe('allow');
  });

  it('allowed and denied at once is an error', async () => {
    const { authz, reviewer } = setup();
    reviewer.decide = () => ({ allowed: true, denied: true });
    await expect(authz.authorize(podsMetric)).rejects.toThrow('returned both allow and deny');
  });
});
