/**
 * CA bundles that client certificates are verified against, changing at run time as upstream's
 * dynamiccertificates.DynamicFileCAContent (a file re-read when it changes) and
 * ConfigMapCAController (a ConfigMap key) do. The TLS server advertises their names and reloads
 * when they change; authentication verifies against the current bundle.
 * @module
 */
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ClientCASource } from '../tls/index.js';
import { watchFiles } from '../tls/index.js';
import type { Logger, Sleep } from '../../src/observability/index.js';

export interface CABundle {
  readonly pem: string;
  readonly certs: readonly X509Certificate[];
}

const pemBlock = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Parses every certificate of a PEM bundle; `source` names the file or ConfigMap key in errors. */
export function parseCABundle(pem: string, source: string): CABundle {
  const blocks = pem.match(pemBlock) ?? [];
  if (blocks.length === 0) throw new Error(`${source}: no PEM certificates found`);
  const certs = blocks.map((block, i) => {
    try {
      return new X509Certificate(block);
    } catch (err) {
      throw new Error(`${source}: certificate ${i + 1} is not valid: ${(err as Error).message}`, {
        cause: err,
      });
    }
  });
  return { pem: blocks.join('\n') + '\n', certs };
}

/** A CA bundle that can be replaced; listeners hear about every change of content. */
export class DynamicCABundle implements ClientCASource {
  private bundle: CABundle | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(
    /** For logs: `client-ca` or `requestheader-client-ca`. */
    readonly name: string,
    initial?: CABundle,
  ) {
    this.bundle = initial;
  }

  /** The bundle in force; undefined means no CA, so no certificate of this kind authenticates. */
  current(): CABundle | undefined {
    return this.bundle;
  }

  currentPem(): string {
    return this.bundle?.pem ?? '';
  }

  /** Replaces the bundle and notifies listeners when the content differs. */
  set(bundle: CABundle | undefined): void {
    if ((bundle?.pem ?? '') === this.currentPem()) return;
    this.bundle = bundle;
    for (const listener of this.listeners) listener();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export interface CAFileOptions {
  pollIntervalMs: number;
  sleep: Sleep;
  logger: Logger;
}

/**
 * Loads a CA file (`--client-ca-file`, `--requestheader-client-ca-file`) and keeps it current.
 * The first load must succeed; a later unreadable or invalid version is logged and the previous
 * bundle stays in force, as DynamicFileCAContent does.
 */
export async function watchCAFile(
  name: string,
  path: string,
  options: CAFileOptions,
): Promise<{ bundle: DynamicCABundle; close(): void }> {
  const text = await readFile(path, 'utf8').catch((err: unknown) => {
    throw new Error(`cannot read ${name} file ${path}: ${(err as Error).message}`, { cause: err });
  });
  const bundle = new DynamicCABundle(name, parseCABundle(text, path));
  const watch = watchFiles({
    files: [path],
    pollIntervalMs: options.pollIntervalMs,
    sleep: options.sleep,
    logger: options.logger,
    onChange: ([content]) => {
      try {
        bundle.set(parseCABundle(content!.toString('utf8'), path));
        options.logger.info('CA bundle reloaded', { name, file: path });
      } catch (err) {
        options.logger.error('CA bundle reload failed; keeping the previous one', {
          name,
          file: path,
          err,
        });
      }
    },
  });
  // The watcher's first read reports the content just loaded; setting identical content is a no-op.
  return { bundle, close: () => watch.close() };
}
