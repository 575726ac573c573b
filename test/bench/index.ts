/**
 * `npm run bench`: runs every benchmark scenario (files named `*.bench.ts` beside this one) in one
 * process, so each candidate and its baseline are measured in the same run on the same machine.
 * `npm run bench -- hpa kubelet` runs only the scenarios whose file names contain those words.
 */
import { readdirSync } from 'node:fs';
import { arch, cpus, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface BenchModule {
  /** Runs the scenario and prints its own Markdown table to stdout. */
  default: () => Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.js'))
  .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
  .sort();

const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(`# scaleplane benchmarks\n`);
console.log(
  `Machine: ${cpus().length} x ${cpu} (${arch()}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}\n`,
);
for (const file of files) {
  const mod = (await import(pathToFileURL(`${here}/${file}`).href)) as BenchModule;
  await mod.default();
}
