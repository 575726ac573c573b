import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiDiscovery,
  KubeHttpClient,
  KubeScaleReader,
  ScaleError,
  type ScaleTargetRef,
} from '../../../src/cluster/index.js';
import { API_SERVER, nockDiscovery, testKubeConfig } from '../../support/fake-cluster-api.js';
import { FakeTime } from '../../support/fake-time.js';

const kc = testKubeConfig();

function reader(): KubeScaleReader {
  const api = new KubeHttpClient({ kubeConfig: kc });
  return new KubeScaleReader({ api, discovery: new ApiDiscovery({ api, clock: new FakeTime() }) });
}

const scaleBody = (spec: number | undefined, status: number | undefined, selector?: string) => ({
  kind: 'Scale',
  apiVersion: 'autoscaling/v1',
  metadata: { name: 'x' },
  spec: spec === undefined ? {} : { replicas: spec },
  status: {
    ...(status === undefined ? {} : { replicas: status }),
    ...(selector === undefined ? {} : { selector }),
  },
});

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

describe('KubeScaleReader: should pass', () => {
  const cases: Array<{
    name: string;
    ref: ScaleTargetRef;
    path: string;
    body: object;
    want: object;
  }> = [
    {
      name: 'Deployment through apps/v1',
      ref: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      path: '/apis/apps/v1/namespaces/shop/deployments/web/scale',
      body: scaleBody(3, 2, 'app=web'),
      want: { specReplicas: 3, statusReplicas: 2, selector: 'app=web' },
    },
    {
      name: 'StatefulSet',
      ref: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db' },
      path: '/apis/apps/v1/namespaces/shop/statefulsets/db/scale',
      body: scaleBody(1, 1, 'app=db'),
      want: { specReplicas: 1, statusReplicas: 1, selector: 'app=db' },
    },
    {
      name: 'ReplicationController in the core group',
      ref: { apiVersion: 'v1', kind: 'ReplicationController', name: 'legacy' },
      path: '/api/v1/namespaces/shop/replicationcontrollers/legacy/scale',
      body: scaleBody(4, 4, 'app=legacy'),
      want: { specReplicas: 4, statusReplicas: 4, selector: 'app=legacy' },
    },
    {
      name: 'a custom resource with a scale subresource, any version of its group',
      ref: { apiVersion: 'example.com/v1beta1', kind: 'Worker', name: 'w' },
      path: '/apis/example.com/v1/namespaces/shop/workers/w/scale',
      body: scaleBody(2, 1, 'role=worker'),
      want: { specReplicas: 2, statusReplicas: 1, selector: 'role=worker' },
    },
    {
      name: 'absent replicas and selector are zero and empty',
      ref: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'idle' },
      path: '/apis/apps/v1/namespaces/shop/deployments/idle/scale',
      body: scaleBody(undefined, undefined),
      want: { specReplicas: 0, statusReplicas: 0, selector: '' },
    },
  ];
  it.each(cases)('$name', async ({ ref, path, body, want }) => {
    nockDiscovery();
    nock(API_SERVER).get(path).reply(200, body);
    expect(await reader().getScale('shop', ref)).toEqual(want);
  });
});

describe('KubeScaleReader: should fail', () => {
  const cases: Array<{
    name: string;
    ref: ScaleTargetRef;
    reply?: [number, object];
    code: string;
    message: string;
  }> = [
    {
      name: 'a target that does not exist',
      ref: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'gone' },
      reply: [
        404,
        { kind: 'Status', reason: 'NotFound', message: 'deployments.apps "gone" not found' },
      ],
      code: 'not_found',
      message: 'deployments.apps "gone" not found',
    },
    {
      name: 'no permission to read the scale',
      ref: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      reply: [
        403,
        { kind: 'Status', reason: 'Forbidden', message: 'deployments.apps "web" is forbidden' },
      ],
      code: 'forbidden',
      message: 'is forbidden',
    },
    {
      name: 'a server error',
      ref: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      reply: [503, { kind: 'Status', message: 'etcd is down' }],
      code: 'unavailable',
      message: 'etcd is down',
    },
    {
      name: 'a kind without a scale subresource',
      ref: { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent' },
      code: 'no_scale_subresource',
      message: 'daemonsets.apps has no scale subresource',
    },
    {
      name: 'a kind the server does not know',
      ref: { apiVersion: 'apps/v1', kind: 'Deploymnt', name: 'web' },
      code: 'unknown_kind',
      message: 'no matches for kind "Deploymnt" in group "apps"',
    },
    {
      name: 'a group the server does not serve',
      ref: { apiVersion: 'nope.io/v1', kind: 'Thing', name: 'x' },
      code: 'unknown_kind',
      message: 'in group "nope.io"',
    },
    {
      name: 'an apiVersion that does not parse',
      ref: { apiVersion: 'a/b/c', kind: 'Deployment', name: 'web' },
      code: 'invalid_reference',
      message: 'unexpected GroupVersion string: a/b/c',
    },
  ];
  it.each(cases)('$name', async ({ ref, reply, code, message }) => {
    nockDiscovery();
    if (reply)
      nock(API_SERVER)
        .get(`/apis/apps/v1/namespaces/shop/deployments/${ref.name}/scale`)
        .reply(reply[0], reply[1]);
    const err = await reader()
      .getScale('shop', ref)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScaleError);
    expect((err as ScaleError).code).toBe(code);
    expect((err as ScaleError).message).toContain(message);
  });

  it('discovery that cannot be reached is unavailable', async () => {
    nock(API_SERVER).get('/apis').replyWithError('connect ECONNREFUSED 127.0.0.1:6443');
    const err = (await reader()
      .getScale('shop', { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' })
      .catch((e: unknown) => e)) as ScaleError;
    expect(err.code).toBe('unavailable');
    expect(err.message).toContain('API discovery failed: connect ECONNREFUSED');
  });
});
