/** --shutdown-delay-duration: readiness fails at once, the wait lasts the delay on fake time. */
import { describe, expect, it } from 'vitest';
import { ShutdownGate } from '../../../src/observability/index.js';
import { FakeTime, flushAsync } from '../../support/fake-time.js';

describe('ShutdownGate', () => {
  const cases = [
    { name: 'a 10s delay keeps serving for 10s with readiness failed', delayMs: 10_000 },
    { name: 'no delay resolves at once with readiness failed', delayMs: 0 },
  ];

  it.each(cases)('$name', async ({ delayMs }) => {
    const time = new FakeTime(0);
    const gate = new ShutdownGate();
    expect(gate.check()).toEqual({ ok: true });
    let done = false;
    void gate.begin(delayMs, time.sleep).then(() => (done = true));
    await flushAsync();
    expect(gate.check()).toEqual({ ok: false, reason: 'the server is shutting down' });
    expect(done).toBe(delayMs === 0);
    await time.advance(Math.max(0, delayMs - 1));
    expect(done).toBe(delayMs === 0);
    await time.advance(1);
    expect(done).toBe(true);
  });
});
