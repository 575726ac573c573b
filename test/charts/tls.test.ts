/**
 * Serving-certificate wiring per tls.mode: the Secret (generated, existing or cert-manager's), the
 * volume that mounts it, the --tls-* flags that read it, and the generated PKI itself.
 */
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import type { V1Deployment, V1Secret } from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';
import type { K8sObject } from '../support/helm.js';
import {
  ensureHelm,
  getObject,
  helmTemplate,
  ofKind,
  TOOL_BUILD_TIMEOUT_MS,
} from '../support/helm.js';

beforeAll(async () => {
  await ensureHelm();
}, TOOL_BUILD_TIMEOUT_MS);

function container(objects: K8sObject[]) {
  const deployment = getObject<V1Deployment>(objects, 'Deployment');
  return {
    pod: deployment.spec!.template.spec!,
    main: deployment.spec!.template.spec!.containers[0]!,
  };
}

function pem(data: Record<string, string>, key: string): string {
  return Buffer.from(data[key]!, 'base64').toString();
}

describe('serving certificate wiring', () => {
  const cases = [
    {
      name: 'generate mounts the chart Secret',
      files: [],
      secretName: 'sp-scaleplane-tls',
      chartSecret: true,
    },
    {
      name: 'existingSecret mounts the named Secret',
      files: ['ci/existing-secret.yaml'],
      secretName: 'scaleplane-serving-cert',
      chartSecret: false,
    },
    {
      name: 'certManager mounts the Certificate Secret',
      files: ['ci/cert-manager.yaml'],
      secretName: 'sp-scaleplane-tls',
      chartSecret: false,
    },
  ];

  it.each(cases)('$name', async ({ files, secretName, chartSecret }) => {
    const objects = await helmTemplate({ valuesFiles: files });
    const { pod, main } = container(objects);
    const volume = pod.volumes!.find((v) => v.name === 'serving-cert');
    expect(volume?.secret?.secretName).toBe(secretName);
    const mount = main.volumeMounts!.find((m) => m.name === 'serving-cert');
    expect(mount).toEqual({
      name: 'serving-cert',
      mountPath: '/var/run/scaleplane/serving-cert',
      readOnly: true,
    });
    expect(main.args).toContain(`--tls-cert-file=${mount!.mountPath}/tls.crt`);
    expect(main.args).toContain(`--tls-private-key-file=${mount!.mountPath}/tls.key`);
    expect(main.args!.some((a) => a.startsWith('--cert-dir'))).toBe(false);
    expect(ofKind<V1Secret>(objects, 'Secret').map((s) => s.metadata!.name)).toEqual(
      chartSecret ? [secretName] : [],
    );
  });

  it('selfSigned writes its own certificate to the writable emptyDir', async () => {
    const objects = await helmTemplate({ valuesFiles: ['ci/insecure.yaml'] });
    const { pod, main } = container(objects);
    expect(main.args).toContain('--cert-dir=/tmp/serving-cert');
    expect(
      main.args!.filter(
        (a) => a.startsWith('--tls-cert-file') || a.startsWith('--tls-private-key-file'),
      ),
    ).toEqual([]);
    expect(pod.volumes!.find((v) => v.name === 'tmp')).toEqual({ name: 'tmp', emptyDir: {} });
    expect(main.volumeMounts!.find((m) => m.name === 'tmp')?.mountPath).toBe('/tmp');
    expect(pod.volumes!.some((v) => v.name === 'serving-cert')).toBe(false);
  });
});

describe('generated PKI (tls.mode generate)', () => {
  it('signs a serving certificate for the Service DNS names with the CA put on the APIServices', async () => {
    const objects = await helmTemplate({ releaseName: 'sp', namespace: 'monitoring' });
    const secret = getObject<V1Secret>(objects, 'Secret', 'sp-scaleplane-tls');
    expect(secret.type).toBe('kubernetes.io/tls');
    const data = secret.data!;
    const ca = new X509Certificate(pem(data, 'ca.crt'));
    const cert = new X509Certificate(pem(data, 'tls.crt'));
    expect(ca.ca).toBe(true);
    expect(cert.verify(ca.publicKey)).toBe(true);
    // kube-apiserver's aggregator dials <service>.<namespace>.svc (apiserver proxy resolver).
    expect(cert.checkHost('sp-scaleplane.monitoring.svc')).toBe('sp-scaleplane.monitoring.svc');
    expect(cert.subjectAltName).toBe(
      'DNS:sp-scaleplane, DNS:sp-scaleplane.monitoring, DNS:sp-scaleplane.monitoring.svc, DNS:sp-scaleplane.monitoring.svc.cluster.local',
    );
    const key = createPrivateKey(pem(data, 'tls.key'));
    expect(createPublicKey(key).export({ format: 'pem', type: 'spki' })).toBe(
      cert.publicKey.export({ format: 'pem', type: 'spki' }),
    );
  });

  it('honours tls.clusterDomain and tls.generate.certDurationDays', async () => {
    const objects = await helmTemplate({
      values: { tls: { clusterDomain: 'corp.internal', generate: { certDurationDays: 30 } } },
    });
    const cert = new X509Certificate(pem(getObject<V1Secret>(objects, 'Secret').data!, 'tls.crt'));
    expect(cert.subjectAltName).toContain('DNS:sp-scaleplane.monitoring.svc.corp.internal');
    const days = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 86_400_000;
    expect(Math.round(days)).toBe(30);
  });
});

describe('cert-manager objects', () => {
  const cases = [
    {
      name: 'self-signed Issuer by default',
      values: {},
      issuers: ['sp-scaleplane-issuer'],
      issuerRef: { name: 'sp-scaleplane-issuer', kind: 'Issuer', group: 'cert-manager.io' },
    },
    {
      name: 'existing ClusterIssuer',
      values: { tls: { certManager: { existingIssuer: { enabled: true, name: 'corp-ca' } } } },
      issuers: [],
      issuerRef: { name: 'corp-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' },
    },
  ];

  it.each(cases)('$name', async ({ values, issuers, issuerRef }) => {
    const objects = await helmTemplate({ valuesFiles: ['ci/cert-manager.yaml'], values });
    expect(ofKind<K8sObject>(objects, 'Issuer').map((i) => i.metadata.name)).toEqual(issuers);
    const certificate = getObject<K8sObject>(objects, 'Certificate', 'sp-scaleplane-tls');
    expect(certificate.apiVersion).toBe('cert-manager.io/v1');
    expect(certificate.spec).toMatchObject({
      secretName: 'sp-scaleplane-tls',
      dnsNames: [
        'sp-scaleplane',
        'sp-scaleplane.monitoring',
        'sp-scaleplane.monitoring.svc',
        'sp-scaleplane.monitoring.svc.cluster.local',
      ],
      duration: '2160h',
      renewBefore: '360h',
      usages: ['server auth'],
      issuerRef,
    });
  });
});
