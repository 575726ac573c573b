import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, type HealthCheck } from '../../src/observability/index.js';
import { startApp, type Running } from './serve.js';

const check = (name: string, ok: boolean, reason?: string): HealthCheck => ({
  name,
  check: () => ({ ok, reason }),
});
const throwing: HealthCheck = {
  name: 'informer-sync',
  check: () => {
    throw new Error('watch closed');
  },
};

const logLines: string[] = [];
let app: Running;
beforeAll(async () => {
  app = await startApp({
    health: {
      live: [check('metric-collection-timely', true)],
      ready: [check('metric-storage-ready', false, 'no complete collection yet'), throwing],
    },
    logger: createLogger({ stream: { write: (l: string) => logLines.push(l) > 0 } }),
  });
});
afterAll(async () => {
  await app.close();
});

async function text(path: string): Promise<[number, string, string | null]> {
  const res = await app.get(path);
  return [res.status, await res.text(), res.headers.get('content-type')];
}

describe('health endpoints: should pass', () => {
  const cases = [
    { name: 'livez passing is a bare ok', path: '/livez', code: 200, body: 'ok' },
    {
      name: 'livez verbose lists every check',
      path: '/livez?verbose',
      code: 200,
      body: '[+]ping ok\n[+]metric-collection-timely ok\nlivez check passed\n',
    },
    { name: 'one check by name', path: '/livez/ping', code: 200, body: 'ok' },
    {
      name: 'readyz with the failing checks excluded passes',
      path: '/readyz?verbose&exclude=metric-storage-ready&exclude=informer-sync',
      code: 200,
      body: '[+]ping ok\n[+]metric-storage-ready excluded: ok\n[+]informer-sync excluded: ok\nreadyz check passed\n',
    },
  ];
  it.each(cases)('$name', async ({ path, code, body }) => {
    const [status, got, type] = await text(path);
    expect(status).toBe(code);
    expect(got).toBe(body);
    expect(type).toBe('text/plain; charset=utf-8');
  });
});

describe('health endpoints: should fail', () => {
  const cases = [
    {
      name: 'readyz before the first collection lists the failure and its reason',
      path: '/readyz',
      body: '[+]ping ok\n[-]metric-storage-ready failed: no complete collection yet\n[-]informer-sync failed: watch closed\nreadyz check failed\n',
    },
    {
      name: 'healthz runs live and ready checks',
      path: '/healthz?verbose',
      body: '[+]ping ok\n[+]metric-collection-timely ok\n[-]metric-storage-ready failed: no complete collection yet\n[-]informer-sync failed: watch closed\nhealthz check failed\n',
    },
    {
      name: 'an exclusion naming no check is reported',
      path: '/readyz?exclude=informer-sync&exclude=nope',
      body: '[+]ping ok\n[-]metric-storage-ready failed: no complete collection yet\n[+]informer-sync excluded: ok\nwarn: some health checks cannot be excluded: no matches for "nope"\nreadyz check failed\n',
    },
    {
      name: 'one failing check by name',
      path: '/readyz/metric-storage-ready',
      body: 'internal server error: no complete collection yet\n',
    },
  ];
  it.each(cases)('$name', async ({ path, body }) => {
    const [status, got] = await text(path);
    expect(status).toBe(500);
    expect(got).toBe(body);
  });

  it('an unknown check is 404', async () => {
    const [status] = await text('/readyz/nope');
    expect(status).toBe(404);
  });

  it('readiness is logged once per change, not per probe', async () => {
    await text('/readyz');
    await text('/readyz');
    const changes = logLines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.msg === 'readiness changed');
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      level: 'info',
      ready: false,
      failedChecks: ['metric-storage-ready', 'informer-sync'],
    });
  });
});

// Issue 14 item 11: Prometheus being down must not take the replica's readiness (and with it
// metrics.k8s.io) away, but /readyz?verbose still says so.
describe('health endpoints: informational checks', () => {
  let informational: Running;
  beforeAll(async () => {
    informational = await startApp({
      health: {
        live: [],
        ready: [
          check('metric-collection', true),
          {
            name: 'prometheus-collection',
            informational: true,
            check: () => ({ ok: false, reason: 'connect ECONNREFUSED 127.0.0.1:9090' }),
          },
        ],
      },
      logger: createLogger({ stream: { write: () => true } }),
    });
  });
  afterAll(async () => {
    await informational.close();
  });

  const cases = [
    { name: 'readyz passes while it fails', path: '/readyz', code: 200, body: 'ok' },
    {
      name: 'readyz verbose names it and why',
      path: '/readyz?verbose',
      code: 200,
      body: '[+]ping ok\n[+]metric-collection ok\n[+]prometheus-collection failing (informational, not required): connect ECONNREFUSED 127.0.0.1:9090\nreadyz check passed\n',
    },
    {
      name: 'asked for by name, it answers its own state',
      path: '/readyz/prometheus-collection',
      code: 500,
      body: 'internal server error: connect ECONNREFUSED 127.0.0.1:9090\n',
    },
  ];
  it.each(cases)('$name', async ({ path, code, body }) => {
    const res = await informational.get(path);
    expect(res.status).toBe(code);
    expect(await res.text()).toBe(body);
  });
});
