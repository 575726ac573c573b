/**
 * High availability: at two replicas or more the chart spreads pods over nodes and zones and
 * protects them with a PodDisruptionBudget, unless the values say otherwise.
 */
import type { V1Deployment, V1PodDisruptionBudget } from '@kubernetes/client-node';
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

const selector = {
  matchLabels: { 'app.kubernetes.io/name': 'scaleplane', 'app.kubernetes.io/instance': 'sp' },
};

describe('replicas >= 2 (ci/ha-2-replicas.yaml)', () => {
  it('prefers distinct nodes and spreads over zones', async () => {
    const objects = await helmTemplate({ valuesFiles: ['ci/ha-2-replicas.yaml'] });
    const deployment = getObject<V1Deployment>(objects, 'Deployment');
    expect(deployment.spec!.replicas).toBe(2);
    const pod = deployment.spec!.template.spec!;
    expect(pod.affinity).toEqual({
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 100,
            podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: selector },
          },
        ],
      },
    });
    expect(pod.topologySpreadConstraints).toEqual([
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: selector,
      },
    ]);
    expect(getObject<V1PodDisruptionBudget>(objects, 'PodDisruptionBudget').spec).toEqual({
      minAvailable: 1,
      selector,
    });
  });

  it('keeps the given affinity and spread instead of the defaults', async () => {
    const affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'pool', operator: 'In', values: ['infra'] }] },
          ],
        },
      },
    };
    const spread = [
      {
        maxSkew: 2,
        topologyKey: 'kubernetes.io/hostname',
        whenUnsatisfiable: 'DoNotSchedule',
        labelSelector: selector,
      },
    ];
    const objects = await helmTemplate({
      values: { replicas: 3, affinity, topologySpreadConstraints: spread },
    });
    const pod = getObject<V1Deployment>(objects, 'Deployment').spec!.template.spec!;
    expect(pod.affinity).toEqual(affinity);
    expect(pod.topologySpreadConstraints).toEqual(spread);
  });
});

describe('single replica', () => {
  it('has no anti-affinity, spread or PodDisruptionBudget', async () => {
    const objects = await helmTemplate();
    const pod = getObject<V1Deployment>(objects, 'Deployment').spec!.template.spec!;
    expect(pod.affinity).toBeUndefined();
    expect(pod.topologySpreadConstraints).toBeUndefined();
    expect(ofKind(objects, 'PodDisruptionBudget')).toEqual([]);
  });
});

describe('PodDisruptionBudget switch', () => {
  const cases = [
    { name: 'auto at 1 replica: none', values: { replicas: 1 }, spec: undefined },
    {
      name: 'auto at 2 replicas: minAvailable 1',
      values: { replicas: 2 },
      spec: { minAvailable: 1 },
    },
    {
      name: 'disabled at 2 replicas: none',
      values: { replicas: 2, podDisruptionBudget: { enabled: false } },
      spec: undefined,
    },
    {
      name: 'enabled at 1 replica',
      values: { replicas: 1, podDisruptionBudget: { enabled: true } },
      spec: { minAvailable: 1 },
    },
    {
      name: 'minAvailable 0 is kept',
      values: { replicas: 2, podDisruptionBudget: { minAvailable: 0 } },
      spec: { minAvailable: 0 },
    },
    {
      name: 'maxUnavailable wins over minAvailable',
      values: { replicas: 3, podDisruptionBudget: { maxUnavailable: '34%' } },
      spec: { maxUnavailable: '34%' },
    },
  ];

  it.each(cases)('$name', async ({ values, spec }) => {
    const pdbs = ofKind<V1PodDisruptionBudget>(
      await helmTemplate({ values }),
      'PodDisruptionBudget',
    );
    expect(pdbs.map((p) => p.spec)).toEqual(spec ? [{ ...spec, selector }] : []);
  });
});
