/**
 * Notices when files change content, for certificate rotation without restart (k8s.io/apiserver
 * dynamiccertificates DynamicCertKeyPairContent / DynamicFileCAContent: fsnotify plus a periodic
 * re-read, compared by content). Directories are watched rather than files because Secret volumes
 * rotate by swapping a `..data` symlink, which a watch on the old file never reports; polling
 * covers file systems where fs.watch reports nothing.
 * @module
 */
import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger, Sleep } from '../../src/observability/index.js';

export interface WatchFilesOptions {
  files: readonly string[];
  /** Called with every file's new content after any of them changed. */
  onChange: (contents: Buffer[]) => void;
  /** Re-read interval; upstream re-reads every minute. */
  pollIntervalMs: number;
  sleep: Sleep;
  logger: Logger;
  /** Content hash of the files as last loaded, so the first check does not report them again. */
  initialHash?: string;
}

export interface FileWatch {
  /** Re-reads now; resolves once any change has been reported. */
  check(): Promise<void>;
  close(): void;
}

/** sha256 over the files' contents, each prefixed with its length so boundaries cannot shift. */
export function contentHash(contents: readonly Buffer[]): string {
  const hash = createHash('sha256');
  for (const c of contents) hash.update(`${c.length}:`).update(c);
  return hash.digest('hex');
}

/** Watches `files` until close(); missing or unreadable files are retried on the next event or poll. */
export function watchFiles(options: WatchFilesOptions): FileWatch {
  const abort = new AbortController();
  let lastHash = options.initialHash;
  let running: Promise<void> | undefined;
  let again = false;

  const readAll = async (): Promise<Buffer[] | undefined> => {
    try {
      return await Promise.all(options.files.map((f) => readFile(f)));
    } catch (err) {
      options.logger.warn('watched file unreadable', { files: options.files, err });
      return undefined;
    }
  };
  const checkOnce = async (): Promise<void> => {
    const contents = await readAll();
    if (!contents) return;
    const hash = contentHash(contents);
    if (hash === lastHash) return;
    lastHash = hash;
    options.onChange(contents);
  };
  // Serialises checks: an event during a read schedules exactly one more read afterwards.
  const check = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await checkOnce();
      } while (again && !abort.signal.aborted);
    })().finally(() => {
      running = undefined;
    });
    return running;
  };

  const watchers: FSWatcher[] = [];
  for (const dir of new Set(options.files.map((f) => dirname(f)))) {
    try {
      const w = watch(dir, { persistent: false }, () => void check());
      w.on('error', (err) =>
        options.logger.debug('file watch failed; polling continues', { dir, err }),
      );
      watchers.push(w);
    } catch (err) {
      options.logger.debug('file watch unavailable; polling only', { dir, err });
    }
  }
  void (async () => {
    while (!abort.signal.aborted) {
      await options.sleep(options.pollIntervalMs, abort.signal);
      if (!abort.signal.aborted) await check();
    }
  })();

  return {
    check,
    close: () => {
      abort.abort();
      for (const w of watchers) w.close();
    },
  };
}
