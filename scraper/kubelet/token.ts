/**
 * The bearer token for kubelets, re-read from its file when the file changes: projected service
 * account tokens rotate (the kubelet rewrites them about hourly), and client-go's
 * transport/token_source.go `cachingTokenSource` likewise re-reads the file rather than keeping the
 * first token forever. We stat at most once per `recheckMs` and read only when the file changed.
 * @module
 */
import { readFile, stat } from 'node:fs/promises';
import type { Clock } from '../../src/observability/index.js';

/** Where the client gets the `Authorization: Bearer` token for each request. */
export interface BearerTokenSource {
  /** The current token, or rejects when none was ever readable. */
  token(): Promise<string>;
}

export interface FileTokenSourceOptions {
  clock: Clock;
  /** Minimum time between two stat calls; default 1 s. */
  recheckMs?: number;
}

interface CachedToken {
  token: string;
  mtimeMs: number;
  size: number;
  ino: number;
}

/** A token read from a file and refreshed when the file's identity, size or mtime changes. */
export class FileTokenSource implements BearerTokenSource {
  private cached: CachedToken | undefined;
  private checkedAtMs = Number.NEGATIVE_INFINITY;
  private pending: Promise<string> | undefined;
  private readonly recheckMs: number;

  constructor(
    readonly path: string,
    private readonly options: FileTokenSourceOptions,
  ) {
    this.recheckMs = options.recheckMs ?? 1000;
  }

  token(): Promise<string> {
    if (this.cached && this.options.clock.now() - this.checkedAtMs < this.recheckMs)
      return Promise.resolve(this.cached.token);
    this.pending ??= this.refresh().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async refresh(): Promise<string> {
    this.checkedAtMs = this.options.clock.now();
    try {
      const st = await stat(this.path);
      const c = this.cached;
      if (c && c.mtimeMs === st.mtimeMs && c.size === st.size && c.ino === st.ino) return c.token;
      const token = (await readFile(this.path, 'utf8')).trim();
      if (token === '') throw new Error('the file is empty');
      this.cached = { token, mtimeMs: st.mtimeMs, size: st.size, ino: st.ino };
      return token;
    } catch (err) {
      // A rotation caught mid-write or a briefly missing file must not fail every scrape: keep the
      // last good token until the file reads again.
      if (this.cached) return this.cached.token;
      throw new Error(`cannot read kubelet token file ${this.path}`, { cause: err });
    }
  }
}
