/**
 * Steps the simulated world on its (compressed) clock: every simulated second it advances the
 * world, so pods become ready and usage follows the load, and writes the simulated custom and
 * external metrics into the custom store as one cycle.
 * @module
 */
import type { Clock, Logger, Sleep } from '../observability/index.js';
import type { CustomMetricsSink } from '../store/index.js';
import { simulatedMetricsCycle } from './metrics-source.js';
import type { SimWorld } from './world.js';

export interface SimDriverOptions {
  world: SimWorld;
  customStore: CustomMetricsSink;
  clock: Clock;
  sleep: Sleep;
  logger: Logger;
  /** Simulated ms between steps; default 1000. */
  stepMs?: number;
}

export class SimDriver {
  private readonly stopping = new AbortController();
  private running: Promise<void> | undefined;

  constructor(private readonly o: SimDriverOptions) {}

  /** One step now: advance to the clock and publish the custom metrics. */
  step(): void {
    this.o.world.advanceTo(this.o.clock.now());
    const dropped = this.o.customStore.replace(simulatedMetricsCycle(this.o.world));
    if (Object.keys(dropped).length > 0)
      this.o.logger.warn('simulated metrics dropped', { dropped });
  }

  start(): void {
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
  }

  private async loop(): Promise<void> {
    const signal = this.stopping.signal;
    while (!signal.aborted) {
      try {
        this.step();
      } catch (err) {
        this.o.logger.error('simulation step failed', { err });
      }
      await this.o.sleep(this.o.stepMs ?? 1000, signal);
    }
  }
}
