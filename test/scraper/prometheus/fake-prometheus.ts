/**
 * A hand-written fake of the {@link PrometheusApi} seam (design habit 8): series answered from a
 * list, queries from a function of the PromQL, every call recorded. Answers can be made to fail.
 */
import type { PrometheusApi } from '../../../scraper/prometheus/client.js';
import type {
  Labels,
  PromSample,
  QueryResult,
  SeriesResult,
} from '../../../scraper/prometheus/decode.js';
import { PrometheusError } from '../../../scraper/prometheus/errors.js';

export type QueryAnswer = PromSample[] | QueryResult | PrometheusError;

export class FakePrometheus implements PrometheusApi {
  readonly seriesCalls: { matchers: readonly string[]; startMs?: number }[] = [];
  readonly queries: { promql: string; timeMs?: number }[] = [];
  /** seriesQuery → label sets, or an error to throw. */
  seriesByQuery = new Map<string, Labels[] | PrometheusError>();

  constructor(public answer: (promql: string) => QueryAnswer = () => []) {}

  async series(
    matchers: readonly string[],
    range: { startMs?: number } = {},
  ): Promise<SeriesResult> {
    await Promise.resolve();
    this.seriesCalls.push({ matchers, startMs: range.startMs });
    const found = this.seriesByQuery.get(matchers[0]!) ?? [];
    if (found instanceof PrometheusError) throw found;
    return { series: found, malformed: 0 };
  }

  async query(promql: string, timeMs?: number): Promise<QueryResult> {
    await Promise.resolve();
    this.queries.push({ promql, timeMs });
    const a = this.answer(promql);
    if (a instanceof PrometheusError) throw a;
    return Array.isArray(a) ? { resultType: 'vector', samples: a, malformed: 0 } : a;
  }

  /** Queries sent so far whose text contains `part`. */
  sent(part: string): string[] {
    return this.queries.map((q) => q.promql).filter((q) => q.includes(part));
  }
}

export function sample(labels: Labels, value: number, timestampMs = 1_800_000_000_000): PromSample {
  return { labels, value, timestampMs };
}
