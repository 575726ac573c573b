/**
 * APIServices: one per served group version, switchable per group, with the priorities of
 * metrics-server's and prometheus-adapter's manifests and the trust settings of each tls.mode.
 */
import type { V1APIService } from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';
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

const ALL = [
  'v1beta1.metrics.k8s.io',
  'v1beta1.custom.metrics.k8s.io',
  'v1beta2.custom.metrics.k8s.io',
  'v1beta1.external.metrics.k8s.io',
];

describe('APIService switches', () => {
  const cases = [
    { name: 'defaults serve every group version', values: {}, files: [], expected: ALL },
    {
      name: 'ci/all-apis.yaml serves every group version',
      values: {},
      files: ['ci/all-apis.yaml'],
      expected: ALL,
    },
    {
      name: 'ci/custom-external-only.yaml leaves metrics.k8s.io to metrics-server',
      values: {},
      files: ['ci/custom-external-only.yaml'],
      expected: [
        'v1beta1.custom.metrics.k8s.io',
        'v1beta2.custom.metrics.k8s.io',
        'v1beta1.external.metrics.k8s.io',
      ],
    },
    {
      name: 'custom.metrics.k8s.io v1beta2 only',
      values: { apiServices: { custom: { enabled: true, versions: ['v1beta2'] } } },
      files: [],
      expected: [
        'v1beta1.metrics.k8s.io',
        'v1beta2.custom.metrics.k8s.io',
        'v1beta1.external.metrics.k8s.io',
      ],
    },
    {
      name: 'metrics only (prometheus-adapter stays for custom and external)',
      values: { apiServices: { custom: { enabled: false }, external: { enabled: false } } },
      files: [],
      expected: ['v1beta1.metrics.k8s.io'],
    },
    {
      name: 'external only',
      values: { apiServices: { metrics: { enabled: false }, custom: { enabled: false } } },
      files: [],
      expected: ['v1beta1.external.metrics.k8s.io'],
    },
    {
      name: 'none (a release that only runs the HPA engine)',
      values: {
        apiServices: {
          metrics: { enabled: false },
          custom: { enabled: false },
          external: { enabled: false },
        },
      },
      files: [],
      expected: [],
    },
  ];

  it.each(cases)('$name', async ({ values, files, expected }) => {
    const objects = await helmTemplate({ values, valuesFiles: files });
    const names = ofKind<V1APIService>(objects, 'APIService').map((a) => a.metadata!.name);
    expect(names).toEqual(expected);
  });
});

describe('APIService spec', () => {
  const cases = [
    {
      name: 'v1beta1.metrics.k8s.io',
      group: 'metrics.k8s.io',
      version: 'v1beta1',
      versionPriority: 100,
    },
    {
      name: 'v1beta1.custom.metrics.k8s.io',
      group: 'custom.metrics.k8s.io',
      version: 'v1beta1',
      versionPriority: 100,
    },
    {
      name: 'v1beta2.custom.metrics.k8s.io',
      group: 'custom.metrics.k8s.io',
      version: 'v1beta2',
      versionPriority: 200,
    },
    {
      name: 'v1beta1.external.metrics.k8s.io',
      group: 'external.metrics.k8s.io',
      version: 'v1beta1',
      versionPriority: 100,
    },
  ];

  it.each(cases)(
    '$name points at the release Service',
    async ({ name, group, version, versionPriority }) => {
      const objects = await helmTemplate({ releaseName: 'scaleplane', namespace: 'metrics' });
      const api = getObject<V1APIService>(objects, 'APIService', name);
      expect(api.spec).toMatchObject({
        group,
        version,
        groupPriorityMinimum: 100,
        versionPriority,
        service: { name: 'scaleplane', namespace: 'metrics', port: 443 },
      });
    },
  );
});

describe('APIService trust per tls.mode', () => {
  const cases = [
    {
      name: 'generate: caBundle from the generated CA',
      files: [],
      caBundle: 'generated',
      insecure: false,
      inject: false,
    },
    {
      name: 'existingSecret: caBundle from tls.existingSecret.caBundle',
      files: ['ci/existing-secret.yaml'],
      caBundle: 'given',
      insecure: false,
      inject: false,
    },
    {
      name: 'certManager: no caBundle, cainjector annotation',
      files: ['ci/cert-manager.yaml'],
      caBundle: 'none',
      insecure: false,
      inject: true,
    },
    {
      name: 'selfSigned: insecureSkipTLSVerify and no caBundle',
      files: ['ci/insecure.yaml'],
      caBundle: 'none',
      insecure: true,
      inject: false,
    },
  ];

  it.each(cases)('$name', async ({ files, caBundle, insecure, inject }) => {
    const objects = await helmTemplate({
      valuesFiles: files,
      releaseName: 'sp',
      namespace: 'monitoring',
    });
    const apis = ofKind<V1APIService>(objects, 'APIService');
    expect(apis).toHaveLength(4);
    const secret = objects.find(
      (o) => o.kind === 'Secret' && o.metadata.name === 'sp-scaleplane-tls',
    );
    for (const api of apis) {
      expect(api.spec!.insecureSkipTLSVerify ?? false).toBe(insecure);
      const annotation = api.metadata!.annotations?.['cert-manager.io/inject-ca-from'];
      expect(annotation).toBe(inject ? 'monitoring/sp-scaleplane-tls' : undefined);
      if (caBundle === 'none') expect(api.spec!.caBundle).toBeUndefined();
      if (caBundle === 'generated')
        expect(api.spec!.caBundle).toBe((secret!.data as Record<string, string>)['ca.crt']);
      if (caBundle === 'given') {
        expect(Buffer.from(api.spec!.caBundle!, 'base64').toString()).toMatch(
          /^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/,
        );
      }
    }
  });

  it('passes apiServices.annotations to every APIService beside the cainjector annotation', async () => {
    const objects = await helmTemplate({
      valuesFiles: ['ci/cert-manager.yaml'],
      values: { apiServices: { annotations: { 'example.com/owner': 'team-a' } } },
    });
    for (const api of ofKind<V1APIService>(objects, 'APIService')) {
      expect(api.metadata!.annotations).toEqual({
        'example.com/owner': 'team-a',
        'cert-manager.io/inject-ca-from': 'monitoring/sp-scaleplane-tls',
      });
    }
  });
});
