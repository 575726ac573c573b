import { KubeConfig, type V1Node } from '@kubernetes/client-node';
import nock from 'nock';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NodeInformerTargets } from '../../../scraper/kubelet/node-discovery.js';
import { createLogger, createSelfMetrics, type SelfMetrics } from '../../../src/observability/index.js';
import { FakeTime } from '../../support/fake-time.js';

// The API server is nock at a loopback address nothing listens on (a true HTTP edge).
const apiServer = 'http://127.0.0.1:16443';

function kubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    // client-node refuses plain http unless TLS verification is off.
    clusters: [{ name: 'test', server: apiServer, skipTLSVerify: true }],
    users: [{ name: 'test', token: 'test-token' }],
    contexts: [{ name: 'test', cluster: 'test', user: 'test' }],
    currentContext: 'test',
  });
  return kc;
}

function node(name: string, ip: string, resourceVersion = '1'): V1Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, resourceVersion, labels: { role: 'worker' } },
    status: { addresses: [{ type: 'InternalIP', address: ip }], conditions: [{ type: 'Ready', status: 'True' }], daemonEndpoints: { kubeletEndpoint: { Port: 10250 } } },
  };
}

function nodeList(resourceVersion: string, items: V1Node[]) {
  return { apiVersion: 'v1', kind: 'NodeList', metadata: { resourceVersion }, items };
}

/**
 * A watch response that stays open; events are written as JSON lines. It opens with a bookmark
 * at `resourceVersion`, as an API server does for allowWatchBookmarks, because nock sends the
 * response headers only with the first chunk.
 */
function watchStream(resourceVersion: string) {
  const stream = new PassThrough();
  stream.write(`${JSON.stringify({ type: 'BOOKMARK', object: { kind: 'Node', apiVersion: 'v1', metadata: { resourceVersion } } })}\n`);
  return { stream, send: (type: string, object: V1Node) => stream.write(`${JSON.stringify({ type, object })}\n`) };
}

async function eventually(check: () => void | Promise<void>, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

async function restarts(metrics: SelfMetrics): Promise<number> {
  return (await metrics.watchRestarts.get()).values.find((v) => v.labels.resource === 'nodes')?.value ?? 0;
}

describe('NodeInformerTargets', () => {
  let time: FakeTime;
  let metrics: SelfMetrics;
  let lines: { level: string; msg: string }[];
  let targets: NodeInformerTargets | undefined;

  beforeEach(() => {
    nock.disableNetConnect();
    time = new FakeTime();
    metrics = createSelfMetrics();
    lines = [];
  });
  afterEach(async () => {
    await targets?.stop();
    targets = undefined;
    nock.cleanAll();
    nock.enableNetConnect();
  });

  const make = (nodeSelector = 'role=worker'): NodeInformerTargets =>
    (targets = new NodeInformerTargets({
      kubeConfig: kubeConfig(),
      addressing: { source: 'resource', preferredAddressTypes: ['InternalIP'], port: 10250, useNodeStatusPort: true },
      nodeSelector,
      clock: time,
      sleep: time.sleep,
      random: () => 0,
      logger: createLogger({ level: 'debug', stream: { write: (s: string) => lines.push(JSON.parse(s) as { level: string; msg: string }) > 0 } }),
      metrics,
      restartBackoff: { initialMs: 1_000, maxMs: 8_000 },
    }));

  it('lists nodes with the selector, then follows the watch', async () => {
    const watch = watchStream('10');
    const api = nock(apiServer)
      .get('/api/v1/nodes')
      .query({ labelSelector: 'role=worker' })
      .reply(200, nodeList('10', [node('a', '127.0.0.1'), node('b', '127.0.0.2')]))
      .get('/api/v1/nodes')
      .query({ watch: 'true', resourceVersion: '10', labelSelector: 'role=worker' })
      .reply(200, () => watch.stream);
    const t = make();
    expect(t.hasSynced()).toBe(false);
    await t.start();
    expect(t.hasSynced()).toBe(true);
    expect(t.targets().map((x) => [x.nodeName, x.url])).toEqual([
      ['a', 'https://127.0.0.1:10250/metrics/resource'],
      ['b', 'https://127.0.0.2:10250/metrics/resource'],
    ]);
    watch.send('ADDED', node('c', '127.0.0.3', '11'));
    watch.send('DELETED', node('a', '127.0.0.1', '12'));
    await eventually(() => expect(t.targets().map((x) => x.nodeName).sort()).toEqual(['b', 'c']));
    expect(api.isDone()).toBe(true);
  });

  it('memoises targets per node object', async () => {
    nock(apiServer).get('/api/v1/nodes').query(true).reply(200, nodeList('5', [node('a', '127.0.0.1')]));
    nock(apiServer).get('/api/v1/nodes').query((q) => q.watch === 'true').reply(200, () => watchStream('5').stream);
    const t = make('');
    await t.start();
    expect(t.targets()[0]).toBe(t.targets()[0]);
  });

  it('restarts a failed watch with backoff and counts each restart', async () => {
    const watch = watchStream('10');
    const watchAnswers: [number, unknown][] = [
      [500, { kind: 'Status', code: 500 }],
      [503, { kind: 'Status', code: 503 }],
      [200, watch.stream],
    ];
    let watchCalls = 0;
    nock(apiServer)
      .get('/api/v1/nodes')
      .query({ labelSelector: 'role=worker' })
      .reply(200, nodeList('10', [node('a', '127.0.0.1')]))
      .get('/api/v1/nodes')
      .query({ watch: 'true', resourceVersion: '10', labelSelector: 'role=worker' })
      .times(3)
      .reply(() => watchAnswers[watchCalls++] as [number, string]);
    const t = make();
    await t.start();
    await eventually(async () => expect(await restarts(metrics)).toBe(1));
    expect(watchCalls).toBe(1);
    // The first restart comes after 1 s, not before.
    await time.advance(999);
    expect(watchCalls).toBe(1);
    await time.advance(1);
    await eventually(async () => expect(await restarts(metrics)).toBe(2));
    expect(watchCalls).toBe(2);
    // The second after 2 s.
    await time.advance(1_999);
    expect(watchCalls).toBe(2);
    await time.advance(1);
    await eventually(() => expect(watchCalls).toBe(3));
    watch.send('ADDED', node('b', '127.0.0.2', '11'));
    await eventually(() => expect(t.targets().map((x) => x.nodeName).sort()).toEqual(['a', 'b']));
    expect(await restarts(metrics)).toBe(2);
    // Two different causes (500, then 503): both logged as errors.
    expect(lines.filter((l) => l.msg === 'watch failed, restarting').map((l) => l.level)).toEqual(['error', 'error']);
  });

  it('start waits for a successful list when the first list fails', async () => {
    const watch = watchStream('3');
    nock(apiServer)
      .get('/api/v1/nodes')
      .query(true)
      .reply(500, { kind: 'Status', code: 500 })
      .get('/api/v1/nodes')
      .query((q) => q.watch === undefined)
      .reply(200, nodeList('3', [node('a', '127.0.0.1')]))
      .get('/api/v1/nodes')
      .query((q) => q.watch === 'true')
      .reply(200, () => watch.stream);
    const t = make('');
    let started = false;
    const p = t.start().then(() => (started = true));
    await eventually(async () => expect(await restarts(metrics)).toBe(1));
    expect(started).toBe(false);
    expect(t.targets()).toEqual([]);
    await time.advance(1_000);
    await p;
    expect(t.hasSynced()).toBe(true);
    expect(t.targets().map((x) => x.nodeName)).toEqual(['a']);
  });

  it('stop cancels a pending restart', async () => {
    nock(apiServer).get('/api/v1/nodes').query(true).reply(500, { kind: 'Status', code: 500 });
    const t = make('');
    const p = t.start();
    await eventually(async () => expect(await restarts(metrics)).toBe(1));
    await t.stop();
    await p;
    await time.advance(60_000);
    expect(await restarts(metrics)).toBe(1);
    expect(t.hasSynced()).toBe(false);
  });
});
