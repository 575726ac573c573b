/**
 * The certificates and keys of one end-to-end cluster, laid out as kubeadm does
 * (cmd/kubeadm/app/phases/certs): a cluster CA for serving and client certificates, a separate
 * front-proxy CA for the aggregation layer's client certificate, and a service-account key pair.
 * Every serving certificate names loopback only.
 * @module
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { issue, type CertPair } from '../../support/pki.js';

/** The certificate of the user the tests act as: system:masters, like kubeadm's admin.conf. */
export const ADMIN_USER = 'kubernetes-admin';
/** The CN the aggregator presents (--requestheader-allowed-names). */
export const FRONT_PROXY_CLIENT_CN = 'front-proxy-client';

/** Files of the cluster PKI. */
export interface ClusterPki {
  dir: string;
  ca: CertPair;
  apiserver: CertPair;
  frontProxyCa: CertPair;
  frontProxyClient: CertPair;
  /** CN=kubernetes-admin, O=system:masters. */
  admin: CertPair;
  /** CN=system:kube-controller-manager (bootstrap RBAC binds its role). */
  controllerManager: CertPair;
  /** CN=system:kube-scheduler. */
  scheduler: CertPair;
  /** kwok's client identity (O=system:masters: it writes node and pod status and leases). */
  kwokClient: CertPair;
  /** kwok's serving certificate for its emulated kubelet endpoints on 127.0.0.1. */
  kwokServing: CertPair;
  serviceAccountKeyFile: string;
  serviceAccountPublicKeyFile: string;
}

/** Writes an EC P-256 service-account signing key pair (kube-apiserver accepts ES256). */
function serviceAccountKeys(dir: string): { keyFile: string; publicKeyFile: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const keyFile = join(dir, 'sa.key');
  const publicKeyFile = join(dir, 'sa.pub');
  writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(publicKeyFile, publicKey.export({ type: 'spki', format: 'pem' }));
  return { keyFile, publicKeyFile };
}

/** Creates the cluster PKI under `<dir>/pki`. */
export async function createClusterPki(dir: string): Promise<ClusterPki> {
  const pkiDir = join(dir, 'pki');
  mkdirSync(pkiDir, { recursive: true });
  const [ca, frontProxyCa] = await Promise.all([
    issue(pkiDir, { name: 'ca', cn: 'scaleplane-e2e-ca' }),
    issue(pkiDir, { name: 'front-proxy-ca', cn: 'scaleplane-e2e-front-proxy-ca' }),
  ]);
  const loopback = ['IP:127.0.0.1', 'DNS:localhost'];
  const client = (name: string, cn: string, o?: string[]): Promise<CertPair> =>
    issue(pkiDir, { name, cn, ca, usage: 'clientAuth', ...(o ? { o } : {}) });
  const serving = (name: string, cn: string): Promise<CertPair> =>
    issue(pkiDir, { name, cn, ca, san: loopback, usage: 'serverAuth' });
  const [
    apiserver,
    frontProxyClient,
    admin,
    controllerManager,
    scheduler,
    kwokClient,
    kwokServing,
  ] = await Promise.all([
    serving('apiserver', 'kube-apiserver'),
    issue(pkiDir, {
      name: 'front-proxy-client',
      cn: FRONT_PROXY_CLIENT_CN,
      ca: frontProxyCa,
      usage: 'clientAuth',
    }),
    client('admin', ADMIN_USER, ['system:masters']),
    client('controller-manager', 'system:kube-controller-manager'),
    client('scheduler', 'system:kube-scheduler'),
    client('kwok', 'kwok-controller', ['system:masters']),
    serving('kwok-serving', 'kwok'),
  ]);
  const sa = serviceAccountKeys(pkiDir);
  return {
    dir: pkiDir,
    ca,
    apiserver,
    frontProxyCa,
    frontProxyClient,
    admin,
    controllerManager,
    scheduler,
    kwokClient,
    kwokServing,
    serviceAccountKeyFile: sa.keyFile,
    serviceAccountPublicKeyFile: sa.publicKeyFile,
  };
}
