import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeletHttpClient } from '../../../scraper/kubelet/client.js';
import { decodeResourceMetrics } from '../../../scraper/kubelet/decode-resource.js';
import { decodeSummary } from '../../../scraper/kubelet/decode-summary.js';
import { KubeletScrapeError } from '../../../scraper/kubelet/errors.js';
import { KubeletMetricsGetter } from '../../../scraper/kubelet/getter.js';
import { KubeletSimulator } from '../../../scraper/sim/kubelet-simulator.js';
import { FakeTime } from '../../support/fake-time.js';

describe('KubeletMetricsGetter with simulated kubelets', () => {
  const time = new FakeTime(1_800_000_000_000);
  let sim: KubeletSimulator;
  beforeAll(async () => {
    sim = await KubeletSimulator.start({
      nodes: 2,
      podsPerNode: 3,
      containersPerPod: 2,
      clock: time,
    });
  });
  afterAll(() => sim.close());

  const sources = [
    { name: 'resource source', source: 'resource' as const, decoder: decodeResourceMetrics },
    { name: 'summary source', source: 'summary' as const, decoder: decodeSummary },
  ];
  it.each(sources)('fetches and decodes one node: $name', async ({ source, decoder }) => {
    const seconds: number[] = [];
    const client = new KubeletHttpClient({ source, maxBodyBytes: 1 << 20, maxSockets: 2 });
    const getter = new KubeletMetricsGetter({
      client,
      decoder,
      clock: time,
      observeSeconds: (s) => seconds.push(s),
    });
    const target = { nodeName: 'sim-node-1', url: sim.urlFor('sim-node-1', source), ready: true };
    const { batch, dropped } = await getter.getNodeMetrics(target, new AbortController().signal);
    expect([...batch.nodes.keys()]).toEqual(['sim-node-1']);
    expect(batch.pods.size).toBe(3);
    expect(batch.pods.get('sim-0/sim-node-1-p0')!.containers.size).toBe(2);
    expect(dropped).toEqual({});
    expect(seconds).toHaveLength(1);
    client.close();
  });

  it('an undecodable body fails with reason decode, naming the URL', async () => {
    sim.setFault('sim-node-0', { kind: 'garbage' });
    const client = new KubeletHttpClient({
      source: 'resource',
      maxBodyBytes: 1 << 20,
      maxSockets: 2,
    });
    const getter = new KubeletMetricsGetter({
      client,
      decoder: decodeResourceMetrics,
      clock: time,
    });
    const url = sim.urlFor('sim-node-0', 'resource');
    const err = await getter
      .getNodeMetrics({ nodeName: 'sim-node-0', url, ready: true }, new AbortController().signal)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeletScrapeError);
    expect((err as KubeletScrapeError).reason).toBe('decode');
    expect((err as KubeletScrapeError).message).toContain(url);
    client.close();
  });

  it('passes the request start as the default sample time', async () => {
    const stamps: number[] = [];
    const getter = new KubeletMetricsGetter({
      client: { get: () => Promise.resolve(Buffer.from('x')) },
      decoder: (_b, defaultTimeMs, nodeName) => (
        stamps.push(defaultTimeMs),
        { batch: { nodes: new Map(), pods: new Map() }, dropped: { [nodeName]: 0 } }
      ),
      clock: time,
    });
    await getter.getNodeMetrics(
      { nodeName: 'n', url: 'http://127.0.0.1:1/', ready: true },
      new AbortController().signal,
    );
    expect(stamps).toEqual([time.now()]);
  });
});
