import nock from 'nock';
import { Registry } from 'prom-client';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KubeHttpClient, ManagedInformer } from '../../../src/cluster/index.js';
import {
  createSelfMetrics,
  silentLogger,
  type SelfMetrics,
} from '../../../src/observability/index.js';
import {
  eventually,
  listBody,
  nockList,
  nockUnreachable,
  nockWatch,
  nockWatchRefused,
  object,
  testKubeConfig,
  WatchStream,
  type TestObject,
} from '../../support/fake-cluster-api.js';
import { FakeTime } from '../../support/fake-time.js';

const PODS = '/api/v1/pods';
const kc = testKubeConfig();
let running: ManagedInformer<TestObject>[] = [];

beforeAll(() => nock.disableNetConnect());
afterEach(async () => {
  await Promise.all(running.map((i) => i.stop()));
  running = [];
  nock.cleanAll();
});

function informer(
  time: FakeTime,
  metrics: SelfMetrics = createSelfMetrics(new Registry()),
  pageSize?: number,
): ManagedInformer<TestObject> {
  const i = new ManagedInformer<TestObject>({
    resource: 'pods',
    path: PODS,
    kubeConfig: kc,
    api: new KubeHttpClient({ kubeConfig: kc }),
    clock: time,
    sleep: time.sleep,
    random: () => 0,
    logger: silentLogger,
    metrics,
    pageSize,
  });
  running.push(i);
  return i;
}

const pod = (name: string, ns = 'default', rv = '1', labels?: Record<string, string>) =>
  object('Pod', name, { namespace: ns, rv, labels });
const names = (i: ManagedInformer<TestObject>, ns?: string): string[] =>
  i
    .list(ns)
    .map((p) => p.metadata.name ?? '')
    .sort();

async function restarts(metrics: SelfMetrics): Promise<number> {
  const m = await metrics.watchRestarts.get();
  return m.values.find((v) => v.labels.resource === 'pods')?.value ?? 0;
}

describe('ManagedInformer: should pass', () => {
  it('lists, then applies watch events in order', async () => {
    nockList(PODS, listBody([pod('a'), pod('b', 'kube-system')], '10'));
    const watch = nockWatch(PODS);
    const i = informer(new FakeTime());
    await i.start();
    expect(i.state()).toMatchObject({ listed: true, brokenSinceMs: undefined });
    expect(names(i)).toEqual(['a', 'b']);
    expect(names(i, 'kube-system')).toEqual(['b']);
    expect(watch.query).toMatchObject({ resourceVersion: '10', allowWatchBookmarks: 'true' });
    watch.send('ADDED', pod('c', 'default', '11'));
    watch.send('MODIFIED', pod('a', 'default', '12', { app: 'web' }));
    watch.send('DELETED', pod('b', 'kube-system', '13'));
    watch.send('BOOKMARK', { kind: 'Pod', metadata: { resourceVersion: '14' } });
    await eventually(
      () => names(i).join() === 'a,c' && i.get('a', 'default')?.metadata.labels?.app === 'web',
    );
  });

  it('reads every page of a paged list', async () => {
    nockList(
      PODS,
      listBody([pod('a')], '', 'token-1'),
      (q) => q.limit === '1' && q.continue === undefined,
    );
    nockList(PODS, listBody([pod('b')], '20'), (q) => q.continue === 'token-1');
    const watch = nockWatch(PODS);
    const i = informer(new FakeTime(), undefined, 1);
    await i.start();
    expect(names(i)).toEqual(['a', 'b']);
    expect(watch.query?.resourceVersion).toBe('20');
  });

  it('drops managedFields and ignores malformed events', async () => {
    const big = {
      ...pod('a'),
      metadata: { ...pod('a').metadata, managedFields: [{ manager: 'kubectl' }] },
    };
    nockList(PODS, listBody([big, { kind: 'Pod' }, null], '1'));
    const watch = nockWatch(PODS);
    const i = informer(new FakeTime());
    await i.start();
    watch.raw('not json');
    watch.send('ADDED', null);
    watch.send('ADDED', { kind: 'Pod' });
    watch.send('ADDED', pod('b', 'default', '2'));
    await eventually(() => names(i).length === 2);
    expect(i.get('a', 'default')?.metadata.managedFields).toBeUndefined();
  });

  it('a watch closed by the server is resumed from the last resource version without a new list', async () => {
    nockList(PODS, listBody([pod('a')], '5'));
    const first = nockWatch(PODS);
    const second = nockWatch(PODS);
    const i = informer(new FakeTime());
    await i.start();
    first.send('ADDED', pod('b', 'default', '6'));
    first.close();
    await eventually(() => second.query !== undefined);
    expect(second.query?.resourceVersion).toBe('6');
    second.send('ADDED', pod('c', 'default', '7'));
    await eventually(() => names(i).join() === 'a,b,c');
  });
});

describe('ManagedInformer: 410 Gone relists at once, as the reflector does', () => {
  const cases = [
    {
      name: 'a resumed watch refused with 410',
      refuse: true,
      expire: (w: WatchStream) => w.close(),
    },
    {
      name: 'an ERROR 410 event in the stream',
      refuse: false,
      expire: (w: WatchStream) => (
        w.send('ERROR', { kind: 'Status', code: 410, reason: 'Expired' }),
        w.close()
      ),
    },
  ];
  it.each(cases)('$name', async ({ refuse, expire }) => {
    const time = new FakeTime();
    const metrics = createSelfMetrics(new Registry());
    nockList(PODS, listBody([pod('a')], '5'));
    const first = nockWatch(PODS);
    nockList(PODS, listBody([pod('b')], '9'));
    const i = informer(time, metrics);
    await i.start();
    if (refuse) nockWatchRefused(PODS, 410);
    const second = nockWatch(PODS);
    expire(first);
    await eventually(() => second.query !== undefined);
    expect(second.query?.resourceVersion).toBe('9');
    expect(names(i)).toEqual(['b']);
    expect(i.state().brokenSinceMs).toBeUndefined();
    expect(await restarts(metrics)).toBe(0);
  });
});

describe('ManagedInformer: should fail, then recover', () => {
  it('a failed initial list is retried with backoff and counted', async () => {
    const time = new FakeTime();
    const metrics = createSelfMetrics(new Registry());
    nockList(PODS, { kind: 'Status', message: 'connection refused' }, () => true, 503);
    const i = informer(time, metrics);
    await i.start();
    expect(i.state()).toMatchObject({ listed: false, brokenSinceMs: time.now() });
    expect(time.pendingTimers).toBe(1);
    expect(i.state().lastError).toContain('connection refused');
    nockList(PODS, listBody([pod('a')], '3'));
    nockWatch(PODS);
    await time.advance(799);
    expect(await restarts(metrics)).toBe(0);
    await time.advance(1);
    await eventually(() => i.state().listed && i.state().brokenSinceMs === undefined);
    expect(await restarts(metrics)).toBe(1);
    expect(names(i)).toEqual(['a']);
  });

  it('a broken watch keeps the cache, backs off exponentially, and resumes', async () => {
    const time = new FakeTime();
    const metrics = createSelfMetrics(new Registry());
    nockList(PODS, listBody([pod('a')], '3'));
    const watch = nockWatch(PODS);
    const i = informer(time, metrics);
    await i.start();
    nockUnreachable(PODS);
    watch.close();
    await eventually(() => i.state().brokenSinceMs !== undefined && time.pendingTimers === 1);
    expect(i.state().lastError).toContain('ECONNREFUSED');
    expect(names(i)).toEqual(['a']);
    nockWatchRefused(PODS, 500);
    await time.advance(800);
    // The refused watch is answered, and the loop sleeps again (the next delay is armed).
    await eventually(() => nock.pendingMocks().length === 0 && time.pendingTimers === 1);
    expect(await restarts(metrics)).toBe(1);
    const resumed = nockWatch(PODS, new WatchStream());
    await time.advance(1_599);
    expect(resumed.query).toBeUndefined();
    await time.advance(1);
    await eventually(() => resumed.query !== undefined && i.state().brokenSinceMs === undefined);
    expect(resumed.query?.resourceVersion).toBe('3');
    expect(await restarts(metrics)).toBe(2);
    expect(names(i)).toEqual(['a']);
  });

  it('stop ends the restart loop and nothing is retried', async () => {
    const time = new FakeTime();
    nockList(PODS, { kind: 'Status', message: 'down' }, () => true, 500);
    const i = informer(time);
    await i.start();
    await i.stop();
    await time.advance(60_000);
    expect(time.pendingTimers).toBe(0);
    expect(i.state().listed).toBe(false);
  });
});
