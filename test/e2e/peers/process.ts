/**
 * What the peer launchers share: a serving certificate of the cluster CA for 127.0.0.1, a free
 * loopback port, the process started through the cluster (logs in its directory, stopped with it),
 * an HTTPS client acting as the cluster admin, and the wait for the process to answer.
 * @module
 */
import { issue, type CertPair } from '../../support/pki.js';
import { tlsRequest } from '../../support/tls-client.js';
import type { ControlPlane, ManagedProcess } from '../control-plane.js';
import { freePort, waitFor } from '../harness/wait.js';

/** A running metrics server (scaleplane or one of its upstream peers) on 127.0.0.1. */
export interface PeerProcess {
  name: string;
  /** https://127.0.0.1:PORT */
  url: string;
  port: number;
  pid: number;
  process: ManagedProcess;
  /** CA that signed the serving certificate (the cluster CA). */
  caPem: string;
  /**
   * HTTPS GET as the cluster admin (client certificate of the cluster CA, system:masters);
   * `Accept: application/json` unless `headers` say otherwise.
   */
  get(path: string, headers?: Record<string, string>): Promise<{ status: number; body: string }>;
  /** `get` parsed as JSON; throws with the body on a status other than 200. */
  getJson<T>(path: string): Promise<T>;
  stop(): Promise<void>;
}

/** Options every launcher takes. */
export interface PeerCommon {
  extraArgs?: string[];
  /** Process and log name (`<cluster dir>/<name>.log`); default the peer's own name. */
  name?: string;
  /** Path whose 200 means "up"; default each peer's API discovery document. */
  readyPath?: string;
  /** Default 120 s. */
  readyTimeoutMs?: number;
}

let certs = 0;

/** A serving certificate for 127.0.0.1 and localhost, issued by the cluster CA. */
export function servingCert(cluster: ControlPlane, name: string): Promise<CertPair> {
  certs += 1;
  return issue(cluster.pki.dir, {
    name: `serving-${name}-${certs}`,
    cn: name,
    ca: cluster.pki.ca,
    san: ['IP:127.0.0.1', 'DNS:localhost'],
    usage: 'serverAuth',
  });
}

/** The flags every Kubernetes-style aggregated server takes for TLS and delegated auth. */
export function servingArgs(cluster: ControlPlane, cert: CertPair, port: number): string[] {
  return [
    '--bind-address=127.0.0.1',
    `--secure-port=${port}`,
    `--tls-cert-file=${cert.certFile}`,
    `--tls-private-key-file=${cert.keyFile}`,
    `--client-ca-file=${cluster.pki.ca.certFile}`,
    `--requestheader-client-ca-file=${cluster.pki.frontProxyCa.certFile}`,
    '--requestheader-allowed-names=front-proxy-client',
    `--authentication-kubeconfig=${cluster.kubeconfig}`,
    `--authorization-kubeconfig=${cluster.kubeconfig}`,
  ];
}

/** Starts `binary` with `args(port)` and resolves once `readyPath` answers 200. */
export async function launchPeer(
  cluster: ControlPlane,
  spec: {
    name: string;
    binary: string;
    args: (port: number, cert: CertPair) => string[];
    readyPath: string;
    readyTimeoutMs?: number;
    env?: NodeJS.ProcessEnv;
  },
): Promise<PeerProcess> {
  const [port, cert] = await Promise.all([freePort(), servingCert(cluster, spec.name)]);
  const proc = cluster.spawn({
    name: spec.name,
    binary: spec.binary,
    args: spec.args(port, cert),
    ...(spec.env ? { env: spec.env } : {}),
  });
  const url = `https://127.0.0.1:${port}`;
  const get = async (
    path: string,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: string }> => {
    const res = await tlsRequest({
      url,
      path,
      ca: cluster.pki.ca.certPem,
      cert: cluster.pki.admin.certPem,
      key: cluster.pki.admin.keyPem,
      headers: { accept: 'application/json', ...headers },
    });
    return { status: res.status, body: res.body };
  };
  const peer: PeerProcess = {
    name: spec.name,
    url,
    port,
    pid: proc.pid,
    process: proc,
    caPem: cluster.pki.ca.certPem,
    get,
    getJson: async <T>(path: string): Promise<T> => {
      const res = await get(path);
      if (res.status !== 200)
        throw new Error(`${spec.name} GET ${path}: ${res.status} ${res.body.slice(0, 500)}`);
      return JSON.parse(res.body) as T;
    },
    stop: () => proc.stop(),
  };
  try {
    await waitFor(
      `${spec.name} answering ${spec.readyPath}`,
      async () => ((await get(spec.readyPath)).status === 200 ? true : undefined),
      {
        timeoutMs: spec.readyTimeoutMs ?? 120_000,
        intervalMs: 500,
        abort: () => (proc.exited() ? `${spec.name} exited:\n${proc.logTail(30)}` : undefined),
      },
    );
  } catch (err) {
    const tail = proc.logTail(30);
    await proc.stop();
    throw new Error(`${(err as Error).message}\n--- ${spec.name} log\n${tail}`, { cause: err });
  }
  return peer;
}
