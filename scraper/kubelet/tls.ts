/**
 * TLS material for kubelet connections, read once at start from the `--kubelet-*` file flags.
 * Precedence follows metrics-server cmd/metrics-server/app/options/kubelet_client.go `Config`:
 * the kubelet client starts from the API server's rest config (its CA), `--kubelet-insecure-tls`
 * drops CA verification, and `--kubelet-certificate-authority` replaces the CA.
 * @module
 */
import { readFile as fsReadFile } from 'node:fs/promises';

export interface KubeletTlsFiles {
  insecureTls: boolean;
  certificateAuthority?: string;
  /** --kubelet-certificate-authority-text: PEM given inline (metrics-server KubeletCAText). */
  certificateAuthorityText?: string;
  clientCertificate?: string;
  clientKey?: string;
}

/** What the HTTPS agent needs; buffers are PEM. */
export interface KubeletTlsMaterial {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  /** Skip verification of the kubelet serving certificate (`--kubelet-insecure-tls`). */
  insecureSkipVerify: boolean;
}

export type ReadFileFn = (path: string) => Promise<Buffer>;

/**
 * Reads the files named by the flags. `clusterCa` is the API server CA from the kubeconfig or
 * the in-cluster service account, used when no kubelet CA is given (as metrics-server copies its
 * rest config). Rejects with the flag name when a file cannot be read.
 */
export async function loadKubeletTls(
  files: KubeletTlsFiles,
  clusterCa?: Buffer,
  readFile: ReadFileFn = fsReadFile,
): Promise<KubeletTlsMaterial> {
  const read = async (flag: string, path: string | undefined): Promise<Buffer | undefined> => {
    if (!path) return undefined;
    try {
      return await readFile(path);
    } catch (err) {
      throw new Error(`cannot read ${flag} file ${path}`, { cause: err });
    }
  };
  const [caFile, cert, key] = await Promise.all([
    read('--kubelet-certificate-authority', files.certificateAuthority),
    read('--kubelet-client-certificate', files.clientCertificate),
    read('--kubelet-client-key', files.clientKey),
  ]);
  const material: KubeletTlsMaterial = { insecureSkipVerify: files.insecureTls };
  const caText = files.certificateAuthorityText
    ? Buffer.from(files.certificateAuthorityText)
    : undefined;
  const ca = files.insecureTls ? undefined : (caFile ?? caText ?? clusterCa);
  if (ca) material.ca = ca;
  if (cert) material.cert = cert;
  if (key) material.key = key;
  return material;
}
