import { afterEach, describe, expect, it } from 'vitest';
import {
  cronSchedule,
  fixedPeriod,
  relistSchedule,
  runSchedule,
  type Schedule,
} from '../../../scraper/prometheus/schedule.js';
import { FakeTime } from '../../support/fake-time.js';

const made: Schedule[] = [];
afterEach(() => made.splice(0).forEach((s) => s.dispose()));
function cron(expr: string): Schedule {
  const s = cronSchedule(expr);
  made.push(s);
  return s;
}
const local = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number =>
  new Date(y, mo - 1, d, h, mi, s).getTime();

describe('fixedPeriod', () => {
  const s = fixedPeriod(10_000, 1000);
  const cases = [
    { name: 'at the origin, the next tick', now: 1000, want: 11_000 },
    { name: 'between ticks', now: 15_000, want: 21_000 },
    { name: 'exactly on a tick, the one after', now: 21_000, want: 31_000 },
    { name: 'before the origin', now: -5000, want: 1000 },
  ];
  it.each(cases)('$name', ({ now, want }) => expect(s.nextAfter(now)).toBe(want));
  it('refuses a non-positive period', () => expect(() => fixedPeriod(0, 0)).toThrow(RangeError));
});

describe('cronSchedule (node-cron syntax, local time)', () => {
  const cases = [
    {
      name: 'every 5 minutes',
      expr: '*/5 * * * *',
      now: local(2030, 1, 1, 10, 2, 30),
      want: local(2030, 1, 1, 10, 5),
    },
    {
      name: 'seconds field',
      expr: '*/20 * * * * *',
      now: local(2030, 1, 1, 10, 0, 20),
      want: local(2030, 1, 1, 10, 0, 40),
    },
    {
      name: 'rolls over midnight',
      expr: '0 30 23 * * *',
      now: local(2030, 1, 1, 23, 45),
      want: local(2030, 1, 2, 23, 30),
    },
    {
      name: 'weekdays by name',
      expr: '0 9 * * MON-FRI',
      now: local(2030, 1, 4, 10),
      want: local(2030, 1, 7, 9),
    },
    {
      name: 'last day of month',
      expr: '0 0 L * *',
      now: local(2030, 2, 3),
      want: local(2030, 2, 28),
    },
    {
      name: 'nth weekday',
      expr: '0 12 * * 1#2',
      now: local(2030, 1, 1),
      want: local(2030, 1, 14, 12),
    },
  ];
  it.each(cases)('$name', ({ expr, now, want }) => {
    expect(new Date(cron(expr).nextAfter(now))).toEqual(new Date(want));
  });

  it.each(['bad', '61 * * * *', '* * * *'])('rejects %j', (expr) => {
    expect(() => cronSchedule(expr)).toThrow(/invalid cron expression/);
  });

  it('relistSchedule picks period or cron', () => {
    expect(relistSchedule({ kind: 'period', periodMs: 600_000 }, 0).nextAfter(1)).toBe(600_000);
    const s = relistSchedule({ kind: 'cron', expression: '0 * * * *' }, 0);
    made.push(s);
    expect(s.nextAfter(local(2030, 1, 1, 10, 1))).toBe(local(2030, 1, 1, 11));
  });
});

describe('runSchedule', () => {
  it('runs at each tick without drift, even when runs take time, and stops on abort', async () => {
    const time = new FakeTime(0);
    const ac = new AbortController();
    const runs: number[] = [];
    const done = runSchedule({
      schedule: fixedPeriod(1000, 0),
      clock: time,
      sleep: time.sleep,
      signal: ac.signal,
      run: async () => {
        runs.push(time.now());
        await time.sleep(300);
      },
    });
    await time.advance(3500);
    expect(runs).toEqual([1000, 2000, 3000]);
    ac.abort();
    await done;
    expect(time.pendingTimers).toBe(0);
  });

  it('skips ticks an overrunning run missed instead of bunching them', async () => {
    const time = new FakeTime(0);
    const ac = new AbortController();
    const runs: number[] = [];
    const run = async (): Promise<void> => {
      runs.push(time.now());
      await time.sleep(2500);
    };
    const done = runSchedule({
      schedule: fixedPeriod(1000, 0),
      clock: time,
      sleep: time.sleep,
      signal: ac.signal,
      run,
    });
    await time.advance(7000);
    ac.abort();
    await time.advance(2500);
    await done;
    expect(runs).toEqual([1000, 4000, 7000]);
  });
});
