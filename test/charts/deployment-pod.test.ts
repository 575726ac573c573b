/**
 * The Deployment's pod: Secrets mounted behind the file flags, hardening, probes, scheduling and
 * image reference.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/fixtures.js';
import { ensureHelm, renderPod, TOOL_BUILD_TIMEOUT_MS } from '../support/helm.js';

beforeAll(async () => {
  await ensureHelm();
}, TOOL_BUILD_TIMEOUT_MS);

const packageVersion = (
  JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }
).version;

const render = (values: unknown = {}, valuesFiles: string[] = []) =>
  renderPod({ values, valuesFiles });

describe('file flags have their Secret mounted', () => {
  const cases = [
    {
      name: 'prometheus token',
      files: ['ci/prometheus-auth.yaml'],
      volume: 'prometheus-auth',
      secret: 'prometheus-reader-token',
    },
    {
      name: 'prometheus CA',
      files: ['ci/prometheus-auth.yaml'],
      volume: 'prometheus-ca',
      secret: 'prometheus-serving-ca',
    },
    {
      name: 'prometheus client cert',
      files: ['ci/prometheus-auth.yaml'],
      volume: 'prometheus-client',
      secret: 'prometheus-client-cert',
    },
  ];

  it.each(cases)('$name', async ({ files, volume, secret }) => {
    const { pod, main } = await render({}, files);
    expect(pod.volumes!.find((v) => v.name === volume)?.secret?.secretName).toBe(secret);
    const mount = main.volumeMounts!.find((m) => m.name === volume)!;
    expect(mount.readOnly).toBe(true);
    expect(main.args!.filter((a) => a.includes(`=${mount.mountPath}/`)).length).toBeGreaterThan(0);
  });
});

describe('pod hardening', () => {
  it('runs non-root, read-only, without privilege escalation or capabilities', async () => {
    const { pod, main } = await render();
    expect(main.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.priorityClassName).toBe('system-cluster-critical');
  });

  it('probes /livez and /readyz over HTTPS on the serving port', async () => {
    const { main } = await render({ containerPort: 7443 });
    expect(main.ports).toEqual([{ name: 'https', containerPort: 7443, protocol: 'TCP' }]);
    expect(main.livenessProbe?.httpGet).toEqual({ path: '/livez', port: 'https', scheme: 'HTTPS' });
    expect(main.readinessProbe?.httpGet).toEqual({
      path: '/readyz',
      port: 'https',
      scheme: 'HTTPS',
    });
  });

  it('passes scheduling values through', async () => {
    const values = {
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }],
      priorityClassName: 'platform',
      resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
    };
    const { pod, main } = await render(values);
    expect(pod.nodeSelector).toEqual(values.nodeSelector);
    expect(pod.tolerations).toEqual(values.tolerations);
    expect(pod.priorityClassName).toBe('platform');
    expect(main.resources).toEqual(values.resources);
  });

  it('uses the image digest over the tag when given', async () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect((await render()).main.image).toBe(`scaleplane:${packageVersion}`);
    expect(
      (await render({ image: { repository: 'registry.example/sp', tag: '9.9.9' } })).main.image,
    ).toBe('registry.example/sp:9.9.9');
    expect(
      (await render({ image: { repository: 'registry.example/sp', digest } })).main.image,
    ).toBe(`registry.example/sp@${digest}`);
  });
});
