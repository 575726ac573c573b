import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createKubeletScraper, type KubeletScraper } from '../../scraper/kubelet-scraper.js';
import {
  defaultKubeletScrapeOptions,
  type KubeletScrapeOptions,
} from '../../scraper/kubelet/options.js';
import type { CycleReport } from '../../scraper/loop.js';
import { KubeletSimulator } from '../../scraper/sim/kubelet-simulator.js';
import { createSelfMetrics, silentLogger } from '../../src/observability/index.js';
import { ResourceStore } from '../../src/store/index.js';
import { FakeTime } from '../support/fake-time.js';

async function eventually(check: () => void, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

describe('createKubeletScraper with simulated kubelets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scaleplane-scraper-'));
  const time = new FakeTime(1_800_000_000_000);
  let sim: KubeletSimulator;
  let scraper: KubeletScraper | undefined;
  beforeAll(async () => {
    sim = await KubeletSimulator.start({
      nodes: 4,
      podsPerNode: 3,
      containersPerPod: 2,
      clock: time,
      cpuCores: (r) => (r.containerIndex === 0 ? 0.5 : 0.1),
      memoryBytes: () => 100 * 2 ** 20,
    });
  });
  afterEach(async () => {
    await scraper?.stop();
    scraper = undefined;
  });
  afterAll(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const sources = [{ source: 'resource' as const }, { source: 'summary' as const }];
  it.each(sources)(
    'serves rates of the supplied usage after two ticks: $source',
    async ({ source }) => {
      const staticNodesFile = join(dir, `nodes-${source}.json`);
      writeFileSync(staticNodesFile, JSON.stringify(sim.staticNodes(source)));
      const store = new ResourceStore({ now: () => time.now(), metricResolutionMs: 10_000 });
      const reports: CycleReport[] = [];
      const options: KubeletScrapeOptions = {
        ...defaultKubeletScrapeOptions,
        source,
        staticNodesFile,
        metricResolutionMs: 10_000,
        requestTimeoutMs: 5_000,
      };
      const built = await createKubeletScraper({
        options,
        sink: store,
        clock: time,
        sleep: time.sleep,
        random: () => 0,
        logger: silentLogger,
        metrics: createSelfMetrics(),
        onCycle: (r) => reports.push(r),
      });
      scraper = built.scraper!;
      await scraper.start();
      await eventually(() => expect(reports).toHaveLength(1));
      expect(scraper.health.check().ok).toBe(true);
      await time.advance(10_000);
      await eventually(() => expect(reports).toHaveLength(2));
      expect(reports[1]).toMatchObject({
        targets: 4,
        succeeded: 4,
        failures: {},
        nodes: 4,
        pods: 12,
      });
      const pods = store.getPodMetrics(undefined);
      expect(pods).toHaveLength(12);
      for (const pod of pods) {
        expect(pod.windowMs).toBe(10_000);
        expect(pod.containers.map((c) => [c.name, Math.round(c.usage.cpuNanoCores / 1e6)])).toEqual(
          [
            ['c0', 500],
            ['c1', 100],
          ],
        );
        expect(pod.containers[0]!.usage.memoryBytes).toBe(100 * 2 ** 20);
      }
      expect(
        store
          .getNodeMetrics()
          .map((n) => n.name)
          .sort(),
      ).toEqual(sim.nodeNames());
    },
  );

  it('a hostile kubelet is absent and counted while the others are served', async () => {
    const staticNodesFile = join(dir, 'nodes-hostile.json');
    writeFileSync(staticNodesFile, JSON.stringify(sim.staticNodes('resource')));
    sim.setFault('sim-node-3', { kind: 'huge', bytes: 64 * 1024 * 1024 });
    const metrics = createSelfMetrics();
    const reports: CycleReport[] = [];
    const store = new ResourceStore({ now: () => time.now() });
    const options = { ...defaultKubeletScrapeOptions, staticNodesFile, maxBodyBytes: 256 * 1024 };
    scraper = (
      await createKubeletScraper({
        options,
        sink: store,
        clock: time,
        sleep: time.sleep,
        random: () => 0,
        logger: silentLogger,
        metrics,
        onCycle: (r) => reports.push(r),
      })
    ).scraper!;
    await scraper.start();
    await eventually(() => expect(reports).toHaveLength(1));
    sim.setFault('sim-node-3', undefined);
    expect(reports[0]).toMatchObject({ succeeded: 3, failures: { body_too_large: 1 }, nodes: 3 });
    const failures = (await metrics.scrapeFailures.get()).values;
    expect(failures).toEqual([
      expect.objectContaining({
        labels: { source: 'kubelet', reason: 'body_too_large' },
        value: 1,
      }),
    ]);
  });
});

describe('createKubeletScraper: should fail', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scaleplane-scraper-bad-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const deps = {
    sink: new ResourceStore({ now: Date.now }),
    clock: new FakeTime(),
    sleep: new FakeTime().sleep,
    random: Math.random,
    logger: silentLogger,
    metrics: createSelfMetrics(),
  };

  const cases = [
    {
      name: 'static nodes file with a bad entry',
      file: 'n1: ftp://127.0.0.1/\n',
      extra: {},
      issue: {
        path: '--kubelet-static-nodes n1',
        message: 'scheme must be https or http, not ftp',
      },
    },
    {
      name: 'unreadable CA file',
      file: 'n1: https://127.0.0.1:1\n',
      extra: { certificateAuthority: join(dir, 'absent.pem') },
      issue: { path: '--kubelet-certificate-authority' },
    },
    {
      name: 'no static nodes and no cluster',
      file: undefined,
      extra: {},
      issue: {
        path: '--kubelet-static-nodes',
        message: 'required when no cluster (kubeconfig) is available',
      },
    },
  ];
  it.each(cases)('$name', async ({ file, extra, issue }) => {
    let staticNodesFile: string | undefined;
    if (file !== undefined) {
      staticNodesFile = join(dir, `${Math.random()}.yaml`);
      writeFileSync(staticNodesFile, file);
    }
    const result = await createKubeletScraper({
      ...deps,
      options: { ...defaultKubeletScrapeOptions, staticNodesFile, ...extra },
    });
    expect(result.scraper).toBeUndefined();
    expect(result.issues).toEqual([expect.objectContaining(issue)]);
  });
});
