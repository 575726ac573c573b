/**
 * HPA engine cost against the cheapest thing any caller must do with a snapshot: JSON.parse of
 * its text. Two shapes, both measured in this run on this machine:
 *
 * - one HPA over 100 pods (CPU utilization, two containers per pod, a few unready and missing);
 * - a pass over 10,000 HPAs of 10 pods each (the runtime's fleet sync).
 *
 * The candidate is evaluate() on the already-parsed scenario; "parse + validate + evaluate" adds
 * parseScenario (the CLI path) for reference. Each figure is the median of repeated samples after
 * a warm-up; the goal is evaluate ≤ 1.0 × JSON.parse.
 */
import { evaluate, parseScenario, type Scenario } from '../../src/hpa/index.js';
import { cpuMetrics, hpa, pod, resourceUtilization, scenario } from '../support/hpa-builders.js';

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

/** A 1:1 copy of what the CLI would read: `pods` pods at varied load, some unready or missing. */
function snapshot(pods: number, seed: number): Scenario {
  const list = Array.from({ length: pods }, (_, i) =>
    pod({
      name: `web-${seed}-${i}`,
      cpuRequest: '250m',
      ready: i % 17 === 5 ? 'False' : 'True',
      labels: { name: 'test-pod', hpa: String(seed) },
    }),
  );
  return scenario({
    hpa: hpa({ minReplicas: 2, maxReplicas: pods * 3, metrics: [resourceUtilization('cpu', 60)] }),
    pods: list,
    selector: `name=test-pod,hpa=${seed}`,
    podMetrics: list
      .filter((_, i) => i % 13 !== 7)
      .map((p, i) => cpuMetrics(p.metadata!.name!, 100 + ((i * 37 + seed) % 300))),
    history: { recommendations: [{ timestamp: '2026-01-01T11:58:00Z', replicas: pods }] },
  });
}

function parsed(text: string): Scenario {
  const result = parseScenario(JSON.parse(text));
  if (!('scenario' in result)) throw new Error(JSON.stringify(result.issues));
  return result.scenario;
}

/**
 * Median milliseconds per call of each function; every sample runs each function for `batch`
 * calls in turn (interleaved), so a busy machine slows baseline and candidates alike. One forced
 * GC up front only: a forced full GC before every batch also throws away V8's warmed-up state
 * and made short batches measure that instead (evaluate of 100 pods: 0.34 ms vs 1.9 ms).
 */
function medians(samples: number, batch: number, runs: (() => void)[]): number[] {
  const times: number[][] = runs.map(() => []);
  gc();
  for (let s = 0; s < samples; s++) {
    runs.forEach((run, k) => {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < batch; i++) run();
      times[k]!.push(Number(process.hrtime.bigint() - t0) / 1e6 / batch);
    });
  }
  return times.map((t) => t.sort((a, b) => a - b)[Math.floor(t.length / 2)]!);
}

interface Row {
  name: string;
  baselineMs: number;
  evaluateMs: number;
  fullMs: number;
  bytes: number;
}

function measureOne(): Row {
  const text = JSON.stringify(snapshot(100, 1));
  const s = parsed(text);
  let sink = 0;
  const parse = (): void => void (sink += (JSON.parse(text) as { pods: unknown[] }).pods.length);
  const candidate = (): void => void (sink += evaluate(s).desiredReplicas);
  const full = (): void => void (sink += evaluate(parsed(text)).desiredReplicas);
  medians(5, 200, [parse, candidate, full]);
  const [baselineMs, evaluateMs, fullMs] = medians(41, 100, [parse, candidate, full]);
  const row = {
    name: 'one HPA, 100 pods',
    baselineMs: baselineMs!,
    evaluateMs: evaluateMs!,
    fullMs: fullMs!,
    bytes: text.length,
  };
  if (Number.isNaN(sink)) console.log(sink);
  return row;
}

function measureFleet(): Row {
  const texts = Array.from({ length: 10_000 }, (_, i) => JSON.stringify(snapshot(10, i)));
  const scenarios = texts.map(parsed);
  let sink = 0;
  const parse = (): void => {
    for (const t of texts) sink += (JSON.parse(t) as { pods: unknown[] }).pods.length;
  };
  const candidate = (): void => {
    for (const s of scenarios) sink += evaluate(s).desiredReplicas;
  };
  const full = (): void => {
    for (const t of texts) sink += evaluate(parsed(t)).desiredReplicas;
  };
  medians(2, 1, [parse, candidate, full]);
  const [baselineMs, evaluateMs, fullMs] = medians(9, 1, [parse, candidate, full]);
  const row = {
    name: '10,000 HPAs x 10 pods (one pass)',
    baselineMs: baselineMs!,
    evaluateMs: evaluateMs!,
    fullMs: fullMs!,
    bytes: texts.reduce((n, t) => n + t.length, 0),
  };
  if (Number.isNaN(sink)) console.log(sink);
  return row;
}

const fmt = (ms: number): string =>
  ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`;

export default function (): Promise<void> {
  const rows = [measureOne(), measureFleet()];
  console.log('## HPA engine: evaluate() vs JSON.parse of the same snapshot text\n');
  console.log(
    '| scenario | snapshot JSON | JSON.parse (baseline) | evaluate | ratio | parse + validate + evaluate | ratio |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const size =
      r.bytes > 1e6 ? `${(r.bytes / 1e6).toFixed(1)} MB` : `${(r.bytes / 1e3).toFixed(1)} kB`;
    console.log(
      `| ${r.name} | ${size} | ${fmt(r.baselineMs)} | ${fmt(r.evaluateMs)} | ${(r.evaluateMs / r.baselineMs).toFixed(2)} | ${fmt(r.fullMs)} | ${(r.fullMs / r.baselineMs).toFixed(2)} |`,
    );
  }
  console.log(
    '\nGoal: evaluate ratio ≤ 1.00 (medians after warm-up; baseline and candidate in this run).\n',
  );
  return Promise.resolve();
}
