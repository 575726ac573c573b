import { describe, expect, it } from 'vitest';
import { defaultWebhookBackoff } from '../../../adapter/auth/index.js';
import { withBackoff } from '../../../adapter/auth/backoff.js';

function attempts(failures: Error[]) {
  const pauses: number[] = [];
  let calls = 0;
  const run = withBackoff(
    () => {
      const failure = failures[calls++];
      return failure === undefined ? Promise.resolve('ok') : Promise.reject(failure);
    },
    (err) => (err as Error).message === 'transient',
    defaultWebhookBackoff,
    { sleep: (ms) => (pauses.push(ms), Promise.resolve()), random: () => 0.5 },
  );
  return { run, pauses, calls: () => calls };
}
const transient = new Error('transient');

describe('withBackoff', () => {
  it('should pass: transient failures are retried with growing jittered pauses', async () => {
    const a = attempts([transient, transient]);
    expect(await a.run).toBe('ok');
    expect(a.pauses.map((ms) => Math.round(ms))).toEqual([550, 825]);
  });

  it('should fail: a permanent failure is not retried', async () => {
    const a = attempts([new Error('forbidden')]);
    await expect(a.run).rejects.toThrow('forbidden');
    expect(a.calls()).toBe(1);
  });

  it('should fail: after five attempts the last error is reported', async () => {
    const a = attempts([transient, transient, transient, transient, transient, transient]);
    await expect(a.run).rejects.toThrow('transient');
    expect(a.calls()).toBe(5);
    expect(a.pauses).toHaveLength(4);
  });
});
