/**
 * Secrets read from files for each Prometheus request (`--prometheus-token-file`,
 * `--prometheus-basic-auth-password-file`). Mounted secrets and projected tokens rotate, so the
 * file is re-read when it changes (client-go transport/token_source.go cachingTokenSource also
 * re-reads rather than keeping the first token), checked at most once per `recheckMs`.
 * @module
 */
import { readFile, stat } from 'node:fs/promises';
import type { Clock } from '../../src/observability/index.js';
import { PrometheusError } from './errors.js';

/** A file's trimmed content, refreshed when its identity, size or mtime changes. */
export class CachedSecretFile {
  private cached: { value: string; key: string } | undefined;
  private checkedAtMs = Number.NEGATIVE_INFINITY;
  private pending: Promise<string> | undefined;

  constructor(
    readonly path: string,
    private readonly what: string,
    private readonly clock: Clock,
    private readonly recheckMs = 1000,
  ) {}

  /** The current content; rejects with reason `credentials` when it was never readable. */
  read(): Promise<string> {
    if (this.cached && this.clock.now() - this.checkedAtMs < this.recheckMs)
      return Promise.resolve(this.cached.value);
    this.pending ??= this.refresh().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async refresh(): Promise<string> {
    this.checkedAtMs = this.clock.now();
    try {
      const st = await stat(this.path);
      const key = `${st.ino}:${st.size}:${st.mtimeMs}`;
      if (this.cached?.key === key) return this.cached.value;
      const value = (await readFile(this.path, 'utf8')).trim();
      if (value === '') throw new Error('the file is empty');
      this.cached = { value, key };
      return value;
    } catch (err) {
      // Keep the last good secret through a rotation caught mid-write.
      if (this.cached) return this.cached.value;
      throw new PrometheusError('credentials', `cannot read ${this.what} file ${this.path}`, {
        cause: err,
      });
    }
  }
}
