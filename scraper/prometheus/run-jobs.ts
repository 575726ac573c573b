/**
 * Runs one cycle's {@link QueryJob}s against Prometheus with bounded concurrency, sending each
 * distinct query once, and sorts the answers into store values, failures and drop counts. A
 * failed query fails only its own job.
 * @module
 */
import {
  mergeDropCounts,
  type CustomValuesInput,
  type DropCounts,
  type ExternalValuesInput,
} from '../../src/store/index.js';
import type { PrometheusApi } from './client.js';
import type { QueryResult } from './decode.js';
import { PrometheusError } from './errors.js';
import type { QueryJob } from './jobs.js';

export interface JobFailure {
  job: QueryJob;
  error: PrometheusError;
}

export interface JobsOutcome {
  custom: CustomValuesInput[];
  external: ExternalValuesInput[];
  failures: JobFailure[];
  dropped: DropCounts;
  /** Requests sent, by outcome. */
  requests: { success: number; error: number };
}

export interface RunJobsOptions {
  api: PrometheusApi;
  /** Evaluation time of every query in the cycle. */
  timeMs: number;
  concurrency: number;
  signal?: AbortSignal;
}

function asPrometheusError(err: unknown): PrometheusError {
  return err instanceof PrometheusError
    ? err
    : new PrometheusError('bad_response', (err as Error)?.message ?? String(err), { cause: err });
}

/** Sends each distinct query once per cycle, counting requests by outcome. */
function dedupedSender(
  o: RunJobsOptions,
  requests: JobsOutcome['requests'],
): (query: string) => Promise<QueryResult> {
  const inFlight = new Map<string, Promise<QueryResult>>();
  return (query) => {
    let p = inFlight.get(query);
    if (!p) {
      p = o.api.query(query, o.timeMs, o.signal);
      p.then(
        () => requests.success++,
        () => requests.error++,
      );
      inFlight.set(query, p);
    }
    return p;
  };
}

export async function runJobs(jobs: readonly QueryJob[], o: RunJobsOptions): Promise<JobsOutcome> {
  const out: JobsOutcome = {
    custom: [],
    external: [],
    failures: [],
    dropped: {},
    requests: { success: 0, error: 0 },
  };
  const send = dedupedSender(o, out.requests);
  const runOne = async (job: QueryJob): Promise<void> => {
    if (job.query instanceof PrometheusError) {
      out.failures.push({ job, error: job.query });
      return;
    }
    try {
      const values = job.toValues(await send(job.query));
      if (values.custom) out.custom.push(values.custom);
      if (values.external) out.external.push(values.external);
      mergeDropCounts(out.dropped, values.dropped);
    } catch (err) {
      out.failures.push({ job, error: asPrometheusError(err) });
    }
  };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length && !o.signal?.aborted) await runOne(jobs[next++]!);
  };
  const workers = Math.max(1, Math.min(o.concurrency, jobs.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return out;
}
