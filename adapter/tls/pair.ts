/**
 * The serving key pair: `--tls-cert-file` and `--tls-private-key-file`, or else the self-signed
 * pair that metrics-server asks for with MaybeDefaultWithSelfSignedCerts("localhost", nil,
 * [127.0.0.1]).
 * @module
 */
import { readFile } from 'node:fs/promises';
import type { Clock, Logger } from '../../src/observability/index.js';
import { ensureSelfSignedPair, type ServingPair } from './selfsigned.js';

export interface PairOptions {
  certFile?: string;
  keyFile?: string;
  certDir?: string;
  bindAddress: string;
  logger: Logger;
}

async function readPemFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read serving certificate file ${file}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

/** Loads the configured pair, or reuses or generates the self-signed one. */
export async function loadServingPair(options: PairOptions, clock: Clock): Promise<ServingPair> {
  if (Boolean(options.certFile) !== Boolean(options.keyFile)) {
    throw new Error('--tls-cert-file and --tls-private-key-file must be given together');
  }
  if (options.certFile && options.keyFile) {
    const [certPem, keyPem] = await Promise.all([
      readPemFile(options.certFile),
      readPemFile(options.keyFile),
    ]);
    return {
      certPem,
      keyPem,
      certFile: options.certFile,
      keyFile: options.keyFile,
      generated: false,
    };
  }
  // The bind address joins the IPs unless it is unspecified, in which case "localhost" joins the
  // names (SecureServingOptions.MaybeDefaultWithSelfSignedCerts).
  const unspecified = ['0.0.0.0', '::', ''].includes(options.bindAddress);
  const extraIP = unspecified || options.bindAddress === '127.0.0.1' ? [] : [options.bindAddress];
  const pair = await ensureSelfSignedPair({
    ...(options.certDir ? { certDir: options.certDir } : {}),
    host: 'localhost',
    alternateIPs: ['127.0.0.1', ...extraIP],
    alternateDNS: unspecified ? ['localhost'] : [],
    clock,
  });
  if (pair.generated) {
    options.logger.info('generated self-signed serving certificate', {
      certFile: pair.certFile ?? '(in memory)',
    });
  }
  return pair;
}
