/**
 * When the collector relists series and collects values. A fixed period ticks on a grid from a
 * start time (origin + k × period), so ticks do not drift by the time each run takes, and a run
 * that overruns skips the ticks it missed rather than bunching them. `--metrics-relist-interval`
 * may instead be a cron expression, for which node-cron is the project's scheduler: we use its
 * parser and matcher (5 or 6 fields, names, ranges, steps, `L`, `W`, `#`) to find the next fire
 * time, but drive the waiting with our own Clock and Sleep, because node-cron's own timers read the
 * real clock and could not be driven by tests or by `--sim-speed`.
 * @module
 */
import { createTask, parse, validateDetailed, type ScheduledTask } from 'node-cron';
import type { RelistSchedule } from '../../src/config/index.js';
import type { Clock, Sleep } from '../../src/observability/index.js';

export interface Schedule {
  /** The first fire time strictly after `nowMs`. */
  nextAfter(nowMs: number): number;
  /** Releases what the schedule holds (node-cron's task registry entry). */
  dispose(): void;
}

/** origin + k × period, the first one after now. */
export function fixedPeriod(periodMs: number, originMs: number): Schedule {
  if (!(periodMs > 0)) throw new RangeError(`period must be positive, not ${periodMs}`);
  return {
    nextAfter: (nowMs) => originMs + (Math.floor((nowMs - originMs) / periodMs) + 1) * periodMs,
    dispose: () => undefined,
  };
}

/** How far ahead a cron expression is searched; one that never fires within it is refused. */
const searchDays = 5 * 366;

/** A cron expression in local time, as node-cron evaluates it without a timezone. */
export function cronSchedule(expression: string): Schedule {
  const check = validateDetailed(expression);
  if (!check.valid)
    throw new RangeError(
      `invalid cron expression ${JSON.stringify(expression)}: ${check.errors.map((e) => e.message).join('; ')}`,
    );
  const fields = parse(expression);
  const task: ScheduledTask = createTask(expression, () => undefined);
  const asc = (xs: readonly (number | string)[]): number[] =>
    xs.filter((x): x is number => typeof x === 'number').sort((a, b) => a - b);
  const [seconds, minutes, hours] = [asc(fields.second), asc(fields.minute), asc(fields.hour)];
  return {
    nextAfter(nowMs) {
      const start = new Date(Math.floor(nowMs / 1000) * 1000 + 1000);
      for (let offset = 0; offset < searchDays; offset++) {
        const day = new Date(start.getFullYear(), start.getMonth(), start.getDate() + offset);
        const at = (h: number, m: number, s: number): Date =>
          new Date(day.getFullYear(), day.getMonth(), day.getDate(), h, m, s);
        if (
          !task.match(at(hours[0]!, minutes[0]!, seconds[0]!)) &&
          !task.match(at(hours[hours.length - 1]!, minutes[0]!, seconds[0]!))
        )
          continue;
        for (const h of hours) {
          if (offset === 0 && h < start.getHours()) continue;
          for (const m of minutes) {
            for (const s of seconds) {
              const t = at(h, m, s);
              if (t.getTime() >= start.getTime() && task.match(t)) return t.getTime();
            }
          }
        }
      }
      throw new RangeError(
        `cron expression ${JSON.stringify(expression)} does not fire within ${searchDays} days`,
      );
    },
    dispose: () => void task.destroy(),
  };
}

/** The relist schedule of `--metrics-relist-interval`. */
export function relistSchedule(relist: RelistSchedule, originMs: number): Schedule {
  return relist.kind === 'period'
    ? fixedPeriod(relist.periodMs, originMs)
    : cronSchedule(relist.expression);
}

export interface RunScheduleOptions {
  schedule: Schedule;
  clock: Clock;
  sleep: Sleep;
  signal: AbortSignal;
  /** One run; awaited before the next fire time is computed. Must not reject. */
  run: () => Promise<void>;
}

/** Runs `run` at each fire time until `signal` aborts. The first run is the caller's. */
export async function runSchedule(o: RunScheduleOptions): Promise<void> {
  while (!o.signal.aborted) {
    const now = o.clock.now();
    await o.sleep(o.schedule.nextAfter(now) - now, o.signal);
    if (o.signal.aborted) return;
    await o.run();
  }
}
