import { describe, expect, it } from 'vitest';
import { parseSelector } from '../../../src/k8s/index.js';
import { SimCluster, SimWorld, walkthroughHpa, walkthroughWorld } from '../../../src/sim/index.js';

const T0 = 1_800_000_000_000;

function build(): { cluster: SimCluster; clock: { t: number; now(): number } } {
  const clock = {
    t: T0,
    now() {
      return this.t;
    },
  };
  const world = new SimWorld(walkthroughWorld({ startMs: T0 }));
  return { cluster: new SimCluster({ world, clock, hpas: [walkthroughHpa(T0)] }), clock };
}

describe('SimCluster: should pass', () => {
  it('serves loopback-only nodes', () => {
    const nodes = build().cluster.listNodes();
    expect(nodes.map((n) => n.metadata?.name)).toEqual([
      'embedded-node-0',
      'embedded-node-1',
      'embedded-node-2',
    ]);
    for (const n of nodes)
      expect(n.status?.addresses).toEqual([{ type: 'InternalIP', address: '127.0.0.1' }]);
  });

  it('pods carry the request, start time and a Ready condition that flips after the delay', () => {
    const { cluster, clock } = build();
    const [pod] = cluster.listPods('default', parseSelector('run=php-apache'));
    expect(pod?.spec?.containers[0]?.resources?.requests).toEqual({ cpu: '200m' });
    expect(pod?.status?.conditions?.[0]?.status).toBe('False');
    clock.t = T0 + 11_000;
    expect(cluster.listPods('default')[0]?.status?.conditions?.[0]?.status).toBe('True');
    expect(cluster.listPods('other')).toEqual([]);
  });

  it('the HPA is the walkthrough one and its target /scale follows setReplicas', async () => {
    const { cluster } = build();
    const [hpa] = cluster.listHpas();
    expect(hpa?.spec).toMatchObject({ minReplicas: 1, maxReplicas: 10 });
    const ref = hpa!.spec!.scaleTargetRef;
    expect(await cluster.getScale('default', ref)).toEqual({
      specReplicas: 1,
      statusReplicas: 1,
      selector: 'run=php-apache',
    });
    await cluster.setReplicas('default', ref, 4);
    expect(await cluster.getScale('default', ref)).toEqual({
      specReplicas: 4,
      statusReplicas: 4,
      selector: 'run=php-apache',
    });
    expect(
      await cluster.listObjectNames({ group: '', resource: 'pods' }, 'default', parseSelector('')),
    ).toHaveLength(4);
  });
});

describe('SimCluster: should fail', () => {
  const cases = [
    {
      name: 'a missing Deployment',
      ref: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'nope' },
      code: 'not_found',
    },
    {
      name: 'a kind the simulation has no scale for',
      ref: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'php-apache' },
      code: 'unknown_kind',
    },
  ];
  it.each(cases)('getScale of $name rejects with a ScaleError', async ({ ref, code }) => {
    await expect(build().cluster.getScale('default', ref)).rejects.toMatchObject({
      name: 'ScaleError',
      code,
    });
  });

  it('an unknown resource for custom metrics rejects', async () => {
    await expect(
      build().cluster.listObjectNames(
        { group: 'x', resource: 'widgets' },
        'default',
        parseSelector(''),
      ),
    ).rejects.toThrow('widgets.x');
  });
});
