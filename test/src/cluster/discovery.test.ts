import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiDiscovery, KubeHttpClient } from '../../../src/cluster/index.js';
import { decodeGroupList, decodeResourceList } from '../../../src/cluster/discovery.js';
import {
  API_SERVER,
  clusterDiscovery,
  groupList,
  nockDiscovery,
  resourceList,
  testKubeConfig,
} from '../../support/fake-cluster-api.js';
import { FakeTime } from '../../support/fake-time.js';

const kc = testKubeConfig();

function discovery(time = new FakeTime()): ApiDiscovery {
  return new ApiDiscovery({
    api: new KubeHttpClient({ kubeConfig: kc }),
    clock: time,
    minRefreshIntervalMs: 30_000,
  });
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

describe('decoders: should pass', () => {
  it('a resource list keeps top-level resources and marks those with /scale', () => {
    const got = decodeResourceList(
      'apps',
      'v1',
      resourceList('apps/v1', clusterDiscovery['apps/v1']!),
    );
    expect(got.map((r) => [r.resource, r.kind, r.scale, r.basePath])).toEqual([
      ['deployments', 'Deployment', true, '/apis/apps/v1'],
      ['replicasets', 'ReplicaSet', true, '/apis/apps/v1'],
      ['statefulsets', 'StatefulSet', true, '/apis/apps/v1'],
      ['daemonsets', 'DaemonSet', false, '/apis/apps/v1'],
    ]);
  });

  it('a group list puts the preferred version first', () => {
    const body = {
      groups: [
        {
          name: 'x.io',
          versions: [{ version: 'v1' }, { version: 'v2' }],
          preferredVersion: { version: 'v2' },
        },
      ],
    };
    expect(decodeGroupList(body).get('x.io')?.versions).toEqual(['v2', 'v1']);
  });

  const garbage = [
    { name: 'no body', body: undefined },
    { name: 'not an object', body: 'text' },
    { name: 'resources not a list', body: { resources: 5, groups: 'x' } },
  ];
  it.each(garbage)('garbage decodes to nothing: $name', ({ body }) => {
    expect(decodeResourceList('', 'v1', body)).toEqual([]);
    expect(decodeGroupList(body).size).toBe(0);
  });
});

describe('ApiDiscovery: should pass', () => {
  it('finds resources by plural, singular and kind, and caches the documents', async () => {
    nockDiscovery();
    const d = discovery();
    expect(await d.resourceFor({ group: 'apps', resource: 'deployments' })).toMatchObject({
      kind: 'Deployment',
      namespaced: true,
      scale: true,
    });
    expect(await d.resourceFor({ group: 'apps', resource: 'Deployment' })).toMatchObject({
      resource: 'deployments',
    });
    // Each document is intercepted once: a second fetch would find no interceptor and reject.
    expect(await d.resourceForKind('apps', 'StatefulSet')).toMatchObject({
      resource: 'statefulsets',
    });
    expect(await d.resourceForKind('', 'Node')).toMatchObject({
      resource: 'nodes',
      namespaced: false,
      basePath: '/api/v1',
    });
    expect(await d.resourceForKind('example.com', 'OldWorker')).toMatchObject({
      version: 'v1beta1',
      scale: false,
    });
    expect(
      nock.pendingMocks().filter((m) => m.includes('/apis/example.com') || m.endsWith('/apis')),
    ).toEqual([]);
  });

  it('a miss refreshes the documents, but at most once per interval', async () => {
    const time = new FakeTime();
    const d = discovery(time);
    nockDiscovery();
    expect(await d.resourceFor({ group: 'new.io', resource: 'gadgets' })).toBeUndefined();
    const withNew = {
      ...clusterDiscovery,
      'new.io/v1': [{ name: 'gadgets', kind: 'Gadget', namespaced: true }],
    };
    nock(API_SERVER).get('/apis').reply(200, groupList(withNew));
    nock(API_SERVER)
      .get('/apis/new.io/v1')
      .reply(200, resourceList('new.io/v1', withNew['new.io/v1']));
    await time.advance(10_000);
    expect(await d.resourceFor({ group: 'new.io', resource: 'gadgets' })).toBeUndefined();
    await time.advance(20_000);
    expect(await d.resourceFor({ group: 'new.io', resource: 'gadgets' })).toMatchObject({
      kind: 'Gadget',
    });
  });
});

describe('ApiDiscovery: should fail', () => {
  it('a failed load is not cached: the next lookup loads again', async () => {
    const d = discovery();
    nock(API_SERVER).get('/apis').reply(500, { kind: 'Status', message: 'overloaded' });
    await expect(d.resourceFor({ group: 'apps', resource: 'deployments' })).rejects.toThrow(
      'overloaded',
    );
    nockDiscovery();
    expect(await d.resourceFor({ group: 'apps', resource: 'deployments' })).toMatchObject({
      kind: 'Deployment',
    });
  });
});
