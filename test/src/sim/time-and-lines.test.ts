import { describe, expect, it } from 'vitest';
import {
  curlCommand,
  embeddedPaths,
  instructions,
  scaledTime,
  simulatedMetricsCycle,
  SimWorld,
  syncLine,
  walkthroughWorld,
  type SyncRecord,
} from '../../../src/sim/index.js';

describe('scaledTime', () => {
  it('runs the clock speed times faster and sleeps 1/speed', async () => {
    let real = 1000;
    const slept: number[] = [];
    const t = scaledTime({
      speed: 20,
      base: { now: () => real },
      baseSleep: (ms) => (slept.push(ms), Promise.resolve()),
      startMs: 5000,
    });
    real += 1500;
    expect(t.clock.now()).toBe(5000 + 30_000);
    await t.sleep(15_000);
    expect(slept).toEqual([750]);
  });

  const bad = [
    { name: 'below 1', speed: 0.5 },
    { name: 'NaN', speed: Number.NaN },
    { name: 'infinite', speed: Infinity },
  ];
  it.each(bad)('refuses a speed $name', ({ speed }) => {
    expect(() =>
      scaledTime({ speed, base: { now: () => 0 }, baseSleep: () => Promise.resolve() }),
    ).toThrow(RangeError);
  });
});

describe('simulatedMetricsCycle', () => {
  it('per-pod packets_per_second shares the requests; the queue metric follows the load', () => {
    const w = new SimWorld(walkthroughWorld({ startMs: 0, readinessDelayMs: 0 }));
    w.setReplicas('default', 'php-apache', 3);
    w.advanceTo(60_000);
    const cycle = simulatedMetricsCycle(w);
    expect(cycle.custom[0]?.samples.map((s) => s.value)).toEqual([300, 300, 300]);
    expect(cycle.external[0]?.samples).toEqual([
      {
        metric: 'queue_messages_ready',
        labels: { queue: 'worker_tasks' },
        value: 180,
        timestampMs: 60_000,
      },
    ]);
  });
});

describe('syncLine and instructions', () => {
  const record: SyncRecord = {
    hpa: { namespace: 'default', name: 'php-apache' },
    decision: {
      desiredReplicas: 5,
      currentReplicas: 1,
      rescale: true,
      metricsFailed: false,
      currentMetrics: [],
      history: {} as never,
      explanation: ['x'],
      metrics: [
        {
          index: 0,
          type: 'Resource',
          name: 'cpu resource utilization (percentage of request)',
          ok: true,
          rule: 'proportional',
          current: '250%',
          target: '50%',
          ignoredPods: [],
          unreadyPods: [],
          missingPods: [],
          podReasons: [],
        },
      ],
      conditions: [
        {
          type: 'ScalingLimited',
          status: 'True',
          reason: 'ScaleUpLimit',
          message: 'the desired replica count is increasing faster than the maximum scale rate',
          lastTransitionTime: '',
        },
      ],
    },
  };
  it('says replicas, utilization and the limiting reason', () => {
    expect(syncLine(record, Date.UTC(2026, 0, 1, 12, 0, 15))).toBe(
      'sync 12:00:15 default/php-apache replicas 1 -> 5 cpu 250% of 50% (ScaleUpLimit: the desired replica count is increasing faster than the maximum scale rate)',
    );
  });

  it('prints one pasteable curl per path, quoted for the shell', () => {
    const text = instructions({
      url: 'https://127.0.0.1:6443',
      caFile: '/tmp/x/ca.crt',
      token: 'tok',
      speed: 10,
      kubeconfigFile: '/tmp/x/kubeconfig',
    });
    expect(text).toContain("kubectl --kubeconfig '/tmp/x/kubeconfig' top nodes\n");
    expect(text).toContain(
      "node dist/src/main.js hpa explain --kubeconfig '/tmp/x/kubeconfig' default/php-apache\n",
    );
    for (const p of embeddedPaths())
      expect(text).toContain(
        curlCommand(
          { url: 'https://127.0.0.1:6443', caFile: '/tmp/x/ca.crt', token: 'tok' },
          p.path,
        ),
      );
    expect(curlCommand({ url: 'https://h', caFile: '/c', token: 't' }, '/p?a=b')).toBe(
      "curl --cacert '/c' -H 'Authorization: Bearer t' 'https://h/p?a=b'",
    );
  });
});
