import nock from 'nock';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiDiscovery,
  KubeClusterView,
  KubeHttpClient,
  UnknownResourceError,
} from '../../../src/cluster/index.js';
import { parseSelector } from '../../../src/k8s/index.js';
import { createSelfMetrics, silentLogger } from '../../../src/observability/index.js';
import {
  API_SERVER,
  listBody,
  nockDiscovery,
  nockList,
  nockWatch,
  object,
  testKubeConfig,
  type TestObject,
  type WatchStream,
} from '../../support/fake-cluster-api.js';
import { FakeTime } from '../../support/fake-time.js';

const kc = testKubeConfig();
const time = new FakeTime();
let view: KubeClusterView;
let podWatch: WatchStream;

const pod = (ns: string, name: string, labels: Record<string, string>): TestObject =>
  object('Pod', name, { namespace: ns, labels });

beforeAll(async () => {
  nock.disableNetConnect();
  nockList(
    '/api/v1/nodes',
    listBody(
      [
        object('Node', 'n1', { labels: { zone: 'a' } }),
        object('Node', 'n2', { labels: { zone: 'b' } }),
      ],
      '1',
    ),
  );
  nockList(
    '/api/v1/pods',
    listBody(
      [
        pod('web', 'web-1', { app: 'web', tier: 'front' }),
        pod('web', 'web-2', { app: 'web' }),
        pod('db', 'db-1', { app: 'db' }),
      ],
      '1',
    ),
  );
  nockList(
    '/api/v1/namespaces',
    listBody(
      [object('Namespace', 'web', { labels: { team: 'x' } }), object('Namespace', 'db')],
      '1',
    ),
  );
  nockWatch('/api/v1/nodes');
  podWatch = nockWatch('/api/v1/pods');
  nockWatch('/api/v1/namespaces');
  const api = new KubeHttpClient({ kubeConfig: kc });
  view = new KubeClusterView({
    kubeConfig: kc,
    api,
    discovery: new ApiDiscovery({ api, clock: time }),
    clock: time,
    sleep: time.sleep,
    random: () => 0,
    logger: silentLogger,
    metrics: createSelfMetrics(new Registry()),
  });
  await view.start();
});
afterAll(async () => {
  await view.stop();
  nock.cleanAll();
});

const podNames = (ns: string | undefined, selector?: string) =>
  view
    .listPods(ns, selector === undefined ? undefined : parseSelector(selector))
    .map((p) => p.metadata!.name)
    .sort();

describe('KubeClusterView cache: should pass', () => {
  const cases = [
    { name: 'all pods', ns: undefined, selector: undefined, want: ['db-1', 'web-1', 'web-2'] },
    { name: 'pods in one namespace', ns: 'web', selector: undefined, want: ['web-1', 'web-2'] },
    { name: 'pods by selector in a namespace', ns: 'web', selector: 'tier=front', want: ['web-1'] },
    {
      name: 'pods by set selector across namespaces',
      ns: undefined,
      selector: 'app in (db,web),!tier',
      want: ['db-1', 'web-2'],
    },
    { name: 'pods in an unknown namespace', ns: 'nope', selector: undefined, want: [] },
  ];
  it.each(cases)('$name', ({ ns, selector, want }) => {
    expect(podNames(ns, selector)).toEqual(want);
  });

  it('nodes by selector', () => {
    expect(view.listNodes(parseSelector('zone=b')).map((n) => n.metadata!.name)).toEqual(['n2']);
    expect(view.listNodes().length).toBe(2);
  });

  it('reports every informer listed', () => {
    expect(view.states().map((s) => [s.resource, s.listed])).toEqual([
      ['nodes', true],
      ['pods', true],
      ['namespaces', true],
    ]);
  });
});

describe('KubeClusterView.listObjectNames: should pass', () => {
  beforeAll(() => nockDiscovery());

  const cached = [
    {
      name: 'pods from the cache',
      resource: { group: '', resource: 'pods' },
      ns: 'web',
      selector: 'app=web',
      want: ['web-1', 'web-2'],
    },
    {
      name: 'nodes from the cache, namespace ignored',
      resource: { group: '', resource: 'nodes' },
      ns: 'web',
      selector: 'zone=a',
      want: ['n1'],
    },
    {
      name: 'namespaces from the cache',
      resource: { group: '', resource: 'namespaces' },
      ns: undefined,
      selector: 'team=x',
      want: ['web'],
    },
  ];
  it.each(cached)('$name', async ({ resource, ns, selector, want }) => {
    expect((await view.listObjectNames(resource, ns, parseSelector(selector))).sort()).toEqual(
      want,
    );
  });

  const listed = [
    {
      name: 'deployments.apps in a namespace',
      resource: { group: 'apps', resource: 'deployments' },
      ns: 'web',
      path: '/apis/apps/v1/namespaces/web/deployments',
      want: ['frontend'],
    },
    {
      name: 'services by singular name',
      resource: { group: '', resource: 'service' },
      ns: 'web',
      path: '/api/v1/namespaces/web/services',
      want: ['frontend'],
    },
    {
      name: 'a namespaced resource across namespaces',
      resource: { group: 'apps', resource: 'deployments' },
      ns: undefined,
      path: '/apis/apps/v1/deployments',
      want: ['frontend'],
    },
    {
      name: 'a cluster-scoped custom resource ignores the namespace',
      resource: { group: 'storage.example.com', resource: 'buckets' },
      ns: 'web',
      path: '/apis/storage.example.com/v1/buckets',
      want: ['frontend'],
    },
  ];
  it.each(listed)('$name', async ({ resource, ns, path, want }) => {
    let accept: string | undefined;
    nock(API_SERVER)
      .get(path)
      .query({ labelSelector: 'app=web' })
      .reply(function () {
        accept = this.req.headers.accept;
        return [
          200,
          {
            kind: 'PartialObjectMetadataList',
            items: [{ metadata: { name: 'frontend' } }, { metadata: {} }],
          },
        ];
      });
    expect(await view.listObjectNames(resource, ns, parseSelector('app=web'))).toEqual(want);
    expect(accept).toContain('as=PartialObjectMetadataList');
  });
});

describe('KubeClusterView: should fail', () => {
  it('an unknown group resource is rejected with its name', async () => {
    nockDiscovery();
    await expect(
      view.listObjectNames({ group: 'nope.io', resource: 'widgets' }, 'web', parseSelector('')),
    ).rejects.toBeInstanceOf(UnknownResourceError);
    await expect(
      view.listObjectNames({ group: '', resource: 'widgets' }, 'web', parseSelector('')),
    ).rejects.toThrow(`the server doesn't have a resource type "widgets"`);
  });

  it('a failing LIST rejects with the API message', async () => {
    nock(API_SERVER).get('/apis/apps/v1/namespaces/web/deployments').query(true).reply(403, {
      kind: 'Status',
      reason: 'Forbidden',
      message: 'deployments.apps is forbidden',
    });
    await expect(
      view.listObjectNames({ group: 'apps', resource: 'deployments' }, 'web', parseSelector('')),
    ).rejects.toThrow('deployments.apps is forbidden');
  });

  it('a lost API server leaves the cache serving the last good pods', async () => {
    podWatch.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(podNames('web')).toEqual(['web-1', 'web-2']);
  });
});
