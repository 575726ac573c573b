import { describe, expect, it } from 'vitest';
import { SimWorld, walkthroughWorld, loadAt, walkthroughLoad } from '../../../src/sim/index.js';

const T0 = 1_800_000_000_000;

function world(): SimWorld {
  return new SimWorld(walkthroughWorld({ startMs: T0, readinessDelayMs: 10_000 }));
}

describe('loadAt', () => {
  const cases = [
    { name: 'quiet before the generator starts', atMs: 10_000, cores: 0 },
    { name: 'the generator runs from 30 s', atMs: 30_000, cores: 0.9 },
    { name: 'still running at 5 min', atMs: 300_000, cores: 0.9 },
    { name: 'stopped after 330 s', atMs: 330_000, cores: 0 },
  ];
  it.each(cases)('$name', ({ atMs, cores }) =>
    expect(loadAt(walkthroughLoad, atMs).cpuCores).toBe(cores),
  );
});

describe('SimWorld: should pass', () => {
  it('starts with one php-apache pod, unready until its readiness delay has passed', () => {
    const w = world();
    expect(w.pods()).toHaveLength(1);
    const [pod] = w.pods();
    expect(pod!.readyAtMs).toBe(T0 + 10_000);
    expect(pod!.cpuRequestCores).toBe(0.2);
  });

  it('a single pod under load is capped at its 500m limit (250% of its request, as in the walkthrough)', () => {
    const w = world();
    w.advanceTo(T0 + 40_000);
    expect(w.pods()[0]!.cpuCores).toBe(0.5);
  });

  it('integrates CPU on the simulated clock, so rate = usage', () => {
    const w = world();
    w.advanceTo(T0 + 40_000);
    const before = w.pods()[0]!.cpuCoreSeconds;
    w.advanceTo(T0 + 55_000);
    expect(w.pods()[0]!.cpuCoreSeconds - before).toBeCloseTo(0.5 * 15, 6);
  });

  it('ready pods share the load; new pods get none until ready', () => {
    const w = world();
    w.advanceTo(T0 + 40_000);
    w.setReplicas('default', 'php-apache', 3);
    const pods = w.pods();
    expect(pods).toHaveLength(3);
    expect(pods[1]!.cpuCores).toBe(0.001);
    w.advanceTo(T0 + 51_000);
    for (const p of w.pods()) expect(p.cpuCores).toBeCloseTo(0.001 + 0.3, 6);
  });

  it('scaling down deletes the newest pods and spreads pods over the nodes', () => {
    const w = world();
    w.setReplicas('default', 'php-apache', 4);
    expect(new Set(w.pods().map((p) => p.nodeName)).size).toBe(3);
    const first = w.pods()[0]!.name;
    w.setReplicas('default', 'php-apache', 1);
    expect(w.pods().map((p) => p.name)).toEqual([first]);
  });

  it('time never goes back', () => {
    const w = world();
    w.advanceTo(T0 + 40_000);
    const used = w.pods()[0]!.cpuCoreSeconds;
    w.advanceTo(T0 + 20_000);
    expect(w.nowMs).toBe(T0 + 40_000);
    expect(w.pods()[0]!.cpuCoreSeconds).toBe(used);
  });
});

describe('SimWorld: should fail', () => {
  it('scaling an unknown Deployment throws NotFound wording', () => {
    expect(() => world().setReplicas('default', 'nope', 2)).toThrow(
      'deployments.apps "nope" not found',
    );
  });
});
