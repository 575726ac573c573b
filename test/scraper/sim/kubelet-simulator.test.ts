import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeletSimulator } from '../../../scraper/sim/kubelet-simulator.js';

describe('KubeletSimulator', () => {
  let sim: KubeletSimulator;
  beforeAll(async () => {
    sim = await KubeletSimulator.start({
      nodes: 3,
      podsPerNode: 2,
      containersPerPod: 1,
      podRef: (_n, p) => ({ namespace: 'shared', name: `web-${p}` }),
    });
  });
  afterAll(() => sim.close());

  it('serves every node on loopback under its own path', async () => {
    expect(sim.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.nodeNames()).toEqual(['sim-node-0', 'sim-node-1', 'sim-node-2']);
    const res = await fetch(sim.urlFor('sim-node-2', 'resource'));
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    expect(text).toContain('pod="web-1"');
    const summary = (await (await fetch(sim.urlFor('sim-node-2', 'summary'))).json()) as {
      node: { nodeName: string };
    };
    expect(summary.node.nodeName).toBe('sim-node-2');
  });

  it('pod names from podRef can repeat across nodes (duplicate pods)', async () => {
    const bodies = await Promise.all(
      sim.nodeNames().map(async (n) => (await fetch(sim.urlFor(n, 'resource'))).text()),
    );
    for (const b of bodies) expect(b).toContain('namespace="shared",pod="web-0"');
  });

  const notFound = [
    { name: 'unknown node', path: '/nodes/ghost/metrics/resource' },
    { name: 'unknown endpoint', path: '/nodes/sim-node-0/metrics/cadvisor' },
    { name: 'root', path: '/' },
  ];
  it.each(notFound)('404 for $name', async ({ path }) => {
    expect((await fetch(`${sim.baseUrl}${path}`)).status).toBe(404);
  });

  it('staticNodes maps every node to its URL', () => {
    expect(sim.staticNodes('summary')).toEqual(
      Object.fromEntries(
        sim.nodeNames().map((n) => [n, `${sim.baseUrl}/nodes/${n}/stats/summary`]),
      ),
    );
  });

  it('a slow node answers late, and behaves again when its fault is cleared', async () => {
    sim.setFault('sim-node-1', { kind: 'slow', delayMs: 150 });
    let started = Date.now();
    expect((await fetch(sim.urlFor('sim-node-1', 'resource'))).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    sim.setFault('sim-node-1', undefined);
    started = Date.now();
    await fetch(sim.urlFor('sim-node-1', 'resource'));
    expect(Date.now() - started).toBeLessThan(140);
  });

  it('counts requests', async () => {
    const before = sim.requests;
    await fetch(sim.urlFor('sim-node-0', 'resource'));
    await fetch(`${sim.baseUrl}/nope`);
    expect(sim.requests).toBe(before + 2);
  });

  it('close ends hanging requests too', async () => {
    const other = await KubeletSimulator.start({ nodes: 1, podsPerNode: 1, containersPerPod: 1 });
    other.setFault('sim-node-0', { kind: 'hang' });
    const hanging = fetch(other.urlFor('sim-node-0', 'resource')).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    await other.close();
    expect(await hanging).toBeInstanceOf(Error);
  });
});
