import { afterEach, describe, expect, it } from 'vitest';
import {
  decodeResourceMetrics,
  decodeSummary,
  WorldKubelets,
  type WorldNode,
} from '../../../scraper/index.js';

const atMs = 1_800_000_000_000;
let server: WorldKubelets | undefined;
afterEach(() => server?.close());

const node: WorldNode = {
  name: 'n0',
  startTimeMs: atMs - 3_600_000,
  pods: [
    {
      namespace: 'default',
      name: 'web-1',
      uid: 'u1',
      startTimeMs: atMs - 60_000,
      containers: [
        {
          name: 'web',
          startTimeMs: atMs - 60_000,
          cpuCores: 0.25,
          cpuCoreSeconds: 12.5,
          memoryBytes: 1_048_576,
        },
      ],
    },
  ],
};

async function fetchText(url: string): Promise<{ status: number; body: Buffer }> {
  const r = await fetch(url);
  return { status: r.status, body: Buffer.from(await r.arrayBuffer()) };
}

describe('WorldKubelets: should pass', () => {
  const sources = [
    { name: 'resource', source: 'resource' as const },
    { name: 'summary', source: 'summary' as const },
  ];
  it.each(sources)(
    'the $name body decodes to the state the function returned',
    async ({ source }) => {
      const seen: number[] = [];
      server = await WorldKubelets.start({
        state: (t) => (seen.push(t), [node]),
        nodeNames: ['n0'],
        clock: { now: () => atMs + 400 },
      });
      const { status, body } = await fetchText(server.staticNodes(source).n0!);
      expect(status).toBe(200);
      expect(seen).toEqual([atMs + 400]);
      const decoded = (source === 'resource' ? decodeResourceMetrics : decodeSummary)(
        body,
        atMs,
        'n0',
      );
      const point = decoded.batch.pods.get('default/web-1')?.containers.get('web');
      expect(point?.cpuUsageCoreSeconds).toBeCloseTo(12.5, 6);
      expect(point?.memoryWorkingSetBytes).toBe(1_048_576);
      expect(point?.timestampMs).toBe(atMs + 400);
      expect(decoded.batch.nodes.get('n0')?.cpuUsageCoreSeconds).toBeCloseTo(
        0.05 * 3600.4 + 12.5,
        3,
      );
    },
  );
});

describe('WorldKubelets: should fail', () => {
  const paths = [
    { name: 'an unknown node', path: '/nodes/zz/metrics/resource' },
    { name: 'an unknown endpoint', path: '/nodes/n0/metrics/cadvisor' },
  ];
  it.each(paths)('404 for $name', async ({ path }) => {
    server = await WorldKubelets.start({
      state: () => [node],
      nodeNames: ['n0'],
      clock: { now: () => atMs },
    });
    expect((await fetchText(`${server.baseUrl}${path}`)).status).toBe(404);
  });
});
