/**
 * What linear-time matching (re2js, src/config/rules-regex.ts) costs on discovery's hot path:
 * every listed series name through a rule's series filter and its `name.matches`/`as` expansion.
 * Baseline: JavaScript's backtracking RegExp on the same (benign) patterns, which is what the
 * rules used before and which stalls on hostile ones. 10,000 series names shaped like a
 * cluster's container and application metrics.
 */
import { performance } from 'node:perf_hooks';
import { compileGoRegex, goExpand, goRegexTest } from '../../src/config/index.js';

const SERIES = 10_000;
const ROUNDS = 10;

const names = Array.from({ length: SERIES }, (_, i) =>
  i % 2 === 0
    ? `container_${['cpu_usage', 'fs_reads', 'network_receive'][i % 3]}_seconds_total`
    : `app_${i.toString(36)}_http_requests_${i % 5 === 0 ? 'bucket' : 'total'}`,
);
const filter = '^container_.*_seconds_total$|_total$';
const matches = '^(.*)_total$';

function time(run: () => number): { ms: number; hits: number } {
  let hits = run(); // warm-up: JIT for both, and re2js's lazy DFA cache
  const start = performance.now();
  for (let r = 0; r < ROUNDS; r++) hits = run();
  return { ms: (performance.now() - start) / ROUNDS, hits };
}

export default async function main(): Promise<void> {
  const jsFilter = new RegExp(filter);
  const jsName = new RegExp(matches);
  const baseline = time(() => {
    let hits = 0;
    for (const n of names) {
      if (!jsFilter.test(n)) continue;
      const m = jsName.exec(n);
      if (m && `${m[1]}_per_second` !== '') hits++;
    }
    return hits;
  });
  const reFilter = compileGoRegex(filter);
  const reName = compileGoRegex(matches);
  const candidate = time(() => {
    let hits = 0;
    for (const n of names) {
      if (!goRegexTest(reFilter, n)) continue;
      if (goExpand(reName, '${1}_per_second', n) !== undefined) hits++;
    }
    return hits;
  });
  if (baseline.hits !== candidate.hits) throw new Error('baseline and candidate disagree');
  await Promise.resolve();
  console.log(`## Rule regexes over ${SERIES.toLocaleString('en')} series names\n`);
  console.log('| engine | ms per pass | µs per series | ratio |');
  console.log('|---|---:|---:|---:|');
  for (const [label, r] of [
    ['JavaScript RegExp (backtracking, baseline)', baseline],
    ['re2js (linear time, candidate)', candidate],
  ] as const)
    console.log(
      `| ${label} | ${r.ms.toFixed(1)} | ${((r.ms * 1000) / SERIES).toFixed(2)} | ${(r.ms / baseline.ms).toFixed(1)}x |`,
    );
  console.log('');
}
