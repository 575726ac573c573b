/**
 * RBAC, compared exactly: what the server reads (metrics-server's system:metrics-server role plus
 * the HPA engine's needs), delegated auth bindings, the aggregated reader behind kubectl top, and
 * the HPA controller's access to the custom and external groups (prometheus-adapter's
 * hpa-controller-custom-metrics binding).
 */
import type {
  V1ClusterRole,
  V1ClusterRoleBinding,
  V1Role,
  V1RoleBinding,
} from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ensureHelm,
  getObject,
  helmTemplate,
  ofKind,
  TOOL_BUILD_TIMEOUT_MS,
} from '../support/helm.js';

beforeAll(async () => {
  await ensureHelm();
}, TOOL_BUILD_TIMEOUT_MS);

const serverSubject = [{ kind: 'ServiceAccount', name: 'scaleplane', namespace: 'metrics' }];
const template = (values: unknown = {}) =>
  helmTemplate({ releaseName: 'scaleplane', namespace: 'metrics', values });

describe('ClusterRoles', () => {
  it('system:scaleplane grants exactly what the server reads and writes', async () => {
    const role = getObject<V1ClusterRole>(await template(), 'ClusterRole', 'system:scaleplane');
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['nodes/metrics', 'nodes/stats'], verbs: ['get'] },
      {
        apiGroups: [''],
        resources: ['nodes', 'pods', 'namespaces'],
        verbs: ['get', 'list', 'watch'],
      },
      {
        apiGroups: ['autoscaling'],
        resources: ['horizontalpodautoscalers'],
        verbs: ['get', 'list', 'watch'],
      },
      { apiGroups: ['*'], resources: ['*/scale'], verbs: ['get'] },
      { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch'] },
    ]);
  });

  it('system:scaleplane-aggregated-reader extends view, edit and admin with metrics.k8s.io', async () => {
    const role = getObject<V1ClusterRole>(
      await template(),
      'ClusterRole',
      'system:scaleplane-aggregated-reader',
    );
    expect(role.rules).toEqual([
      {
        apiGroups: ['metrics.k8s.io'],
        resources: ['pods', 'nodes'],
        verbs: ['get', 'list', 'watch'],
      },
    ]);
    expect(role.metadata!.labels).toMatchObject({
      'rbac.authorization.k8s.io/aggregate-to-view': 'true',
      'rbac.authorization.k8s.io/aggregate-to-edit': 'true',
      'rbac.authorization.k8s.io/aggregate-to-admin': 'true',
    });
  });

  const hpaCases = [
    {
      name: 'all groups served: custom and external',
      values: {},
      rules: [
        { apiGroups: ['custom.metrics.k8s.io'], resources: ['*'], verbs: ['get', 'list'] },
        { apiGroups: ['external.metrics.k8s.io'], resources: ['*'], verbs: ['get', 'list'] },
      ],
    },
    {
      name: 'external disabled: custom only',
      values: { apiServices: { external: { enabled: false } } },
      rules: [{ apiGroups: ['custom.metrics.k8s.io'], resources: ['*'], verbs: ['get', 'list'] }],
    },
    {
      name: 'custom and external disabled: no role',
      values: { apiServices: { custom: { enabled: false }, external: { enabled: false } } },
      rules: undefined,
    },
  ];

  it.each(hpaCases)('HPA controller reader, $name', async ({ values, rules }) => {
    const objects = await template(values);
    const role = ofKind<V1ClusterRole>(objects, 'ClusterRole').find(
      (r) => r.metadata!.name === 'system:scaleplane-hpa-metrics-reader',
    );
    expect(role?.rules).toEqual(rules);
    const binding = ofKind<V1ClusterRoleBinding>(objects, 'ClusterRoleBinding').find(
      (b) => b.metadata!.name === 'system:scaleplane-hpa-metrics-reader',
    );
    expect(binding?.subjects).toEqual(
      rules && [
        { kind: 'ServiceAccount', name: 'horizontal-pod-autoscaler', namespace: 'kube-system' },
      ],
    );
  });

  it('drops the aggregated reader when metrics.k8s.io is left to metrics-server', async () => {
    const objects = await template({ apiServices: { metrics: { enabled: false } } });
    expect(ofKind<V1ClusterRole>(objects, 'ClusterRole').map((r) => r.metadata!.name)).toEqual([
      'system:scaleplane',
      'system:scaleplane-hpa-metrics-reader',
    ]);
  });
});

describe('bindings', () => {
  const cases = [
    {
      name: 'server role',
      binding: 'system:scaleplane',
      roleRef: { kind: 'ClusterRole', name: 'system:scaleplane' },
    },
    {
      name: 'delegated authn/authz',
      binding: 'scaleplane:system:auth-delegator',
      roleRef: { kind: 'ClusterRole', name: 'system:auth-delegator' },
    },
  ];

  it.each(cases)('ClusterRoleBinding for the $name', async ({ binding, roleRef }) => {
    const object = getObject<V1ClusterRoleBinding>(await template(), 'ClusterRoleBinding', binding);
    expect(object.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', ...roleRef });
    expect(object.subjects).toEqual(serverSubject);
  });

  it('RoleBinding in kube-system to extension-apiserver-authentication-reader', async () => {
    const binding = getObject<V1RoleBinding>(
      await template(),
      'RoleBinding',
      'scaleplane-auth-reader',
    );
    expect(binding.metadata).toMatchObject({
      name: 'scaleplane-auth-reader',
      namespace: 'kube-system',
    });
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: 'extension-apiserver-authentication-reader',
    });
    expect(binding.subjects).toEqual(serverSubject);
  });

  it('binds an existing ServiceAccount when serviceAccount.create is false', async () => {
    const objects = await template({ serviceAccount: { create: false, name: 'platform-metrics' } });
    expect(ofKind(objects, 'ServiceAccount')).toEqual([]);
    for (const binding of ofKind<V1ClusterRoleBinding>(objects, 'ClusterRoleBinding').filter(
      (b) => !b.metadata!.name!.includes('hpa'),
    )) {
      expect(binding.subjects).toEqual([
        { kind: 'ServiceAccount', name: 'platform-metrics', namespace: 'metrics' },
      ]);
    }
  });

  it('creates no RBAC objects when rbac.create is false', async () => {
    const kinds = (await template({ rbac: { create: false } })).map((o) => o.kind);
    expect(
      kinds.filter((k) => k.startsWith('ClusterRole') || k === 'RoleBinding' || k === 'Role'),
    ).toEqual([]);
  });
});

describe('leader election', () => {
  it('a Role in the release namespace creates the Lease and reads and renews only that one', async () => {
    const objects = await template();
    const role = getObject<V1Role>(objects, 'Role', 'scaleplane-leader-election');
    expect(role.metadata!.namespace).toBe('metrics');
    expect(role.rules).toEqual([
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
      {
        apiGroups: ['coordination.k8s.io'],
        resources: ['leases'],
        resourceNames: ['scaleplane'],
        verbs: ['get', 'update'],
      },
    ]);
    const binding = getObject<V1RoleBinding>(objects, 'RoleBinding', 'scaleplane-leader-election');
    expect(binding.metadata!.namespace).toBe('metrics');
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: 'scaleplane-leader-election',
    });
    expect(binding.subjects).toEqual(serverSubject);
  });

  it('no Lease RBAC when leaderElection.enabled is false', async () => {
    const objects = await template({ leaderElection: { enabled: false } });
    expect(ofKind(objects, 'Role')).toEqual([]);
  });
});
