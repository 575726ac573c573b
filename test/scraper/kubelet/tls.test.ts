import { describe, expect, it } from 'vitest';
import { loadKubeletTls } from '../../../scraper/kubelet/tls.js';

const files: Record<string, string> = { '/ca.pem': 'CA', '/cert.pem': 'CERT', '/key.pem': 'KEY' };
const read = (path: string): Promise<Buffer> =>
  path in files
    ? Promise.resolve(Buffer.from(files[path]!))
    : Promise.reject(new Error(`ENOENT ${path}`));
const text = (b: Buffer | undefined): string | undefined => b?.toString();

describe('loadKubeletTls: should pass', () => {
  const cases = [
    {
      name: 'no flags: the cluster CA verifies kubelets (metrics-server copies its rest config)',
      flags: { insecureTls: false },
      clusterCa: 'CLUSTER',
      want: { ca: 'CLUSTER', insecure: false },
    },
    {
      name: '--kubelet-certificate-authority replaces the cluster CA',
      flags: { insecureTls: false, certificateAuthority: '/ca.pem' },
      clusterCa: 'CLUSTER',
      want: { ca: 'CA', insecure: false },
    },
    {
      name: '--kubelet-certificate-authority-text replaces the cluster CA (metrics-server KubeletCAText)',
      flags: { insecureTls: false, certificateAuthorityText: 'INLINE' },
      clusterCa: 'CLUSTER',
      want: { ca: 'INLINE', insecure: false },
    },
    {
      name: '--kubelet-insecure-tls drops the CA',
      flags: { insecureTls: true },
      clusterCa: 'CLUSTER',
      want: { ca: undefined, insecure: true },
    },
    {
      name: 'no CA at all: the system trust store',
      flags: { insecureTls: false },
      clusterCa: undefined,
      want: { ca: undefined, insecure: false },
    },
    {
      name: 'client certificate and key',
      flags: { insecureTls: false, clientCertificate: '/cert.pem', clientKey: '/key.pem' },
      clusterCa: undefined,
      want: { ca: undefined, insecure: false, cert: 'CERT', key: 'KEY' },
    },
  ];
  it.each(cases)('$name', async ({ flags, clusterCa, want }) => {
    const m = await loadKubeletTls(
      flags,
      clusterCa === undefined ? undefined : Buffer.from(clusterCa),
      read,
    );
    expect({
      ca: text(m.ca),
      insecure: m.insecureSkipVerify,
      ...(m.cert ? { cert: text(m.cert), key: text(m.key) } : {}),
    }).toEqual(want);
  });
});

describe('loadKubeletTls: should fail', () => {
  const cases = [
    {
      name: 'unreadable CA',
      flags: { insecureTls: false, certificateAuthority: '/nope.pem' },
      flag: '--kubelet-certificate-authority',
    },
    {
      name: 'unreadable client key',
      flags: { insecureTls: false, clientCertificate: '/cert.pem', clientKey: '/nope.key' },
      flag: '--kubelet-client-key',
    },
  ];
  it.each(cases)('$name', async ({ flags, flag }) => {
    await expect(loadKubeletTls(flags, undefined, read)).rejects.toThrow(flag);
  });
});
