/**
 * The chart, installed with the real `helm install` into the end-to-end cluster, and the process
 * that stands in for its Deployment's pod. No kubelet runs the pod, so the test runs the container's
 * command locally with what the pod would have had: the Deployment's own args, its mounted
 * ConfigMap and Secrets (materialised from the cluster into files, paths rewritten), and the
 * release ServiceAccount's token, so RBAC, delegated authentication and the config are exactly
 * what the chart installed.
 * @module
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../support/fixtures.js';
import { chartDir, runHelm, writeValuesFile } from '../../support/helm.js';
import type { ControlPlane, ManagedProcess } from '../control-plane.js';
import { writeKubeconfig } from '../harness/kubeconfig.js';

/** The executable the image runs (charts/image/Dockerfile ENTRYPOINT); `npm run build` makes it. */
export const SCALEPLANE_MAIN = join(repoRoot, 'dist', 'src', 'main.js');

interface Volume {
  name: string;
  configMap?: { name: string };
  secret?: { secretName: string };
  emptyDir?: object;
}

interface DeploymentObject {
  spec: {
    template: {
      spec: {
        serviceAccountName: string;
        volumes?: Volume[];
        containers: {
          name: string;
          args?: string[];
          volumeMounts?: { name: string; mountPath: string }[];
        }[];
      };
    };
  };
}

/** A release installed by {@link installChart}. */
export interface Release {
  name: string;
  namespace: string;
  /** The Deployment's scaleplane container args, as installed. */
  args: string[];
}

/** Runs `helm install --wait=false` of charts/scaleplane with `values`; throws with helm's stderr. */
export async function installChart(
  cluster: ControlPlane,
  release: { name: string; namespace: string },
  values: unknown,
): Promise<Release> {
  const res = await runHelm(
    [
      'install',
      release.name,
      chartDir,
      '--namespace',
      release.namespace,
      '-f',
      writeValuesFile(values),
    ],
    cluster.kubeconfig,
  );
  if (res.code !== 0) throw new Error(`helm install failed (${res.code}): ${res.stderr}`);
  const deployment = await cluster.kube.getJson<DeploymentObject>([
    'deployment',
    release.name,
    '-n',
    release.namespace,
  ]);
  return { ...release, args: containerOf(deployment).args ?? [] };
}

function containerOf(
  d: DeploymentObject,
): DeploymentObject['spec']['template']['spec']['containers'][number] {
  const container = d.spec.template.spec.containers.find((c) => c.name === 'scaleplane');
  if (!container) throw new Error('the chart Deployment has no scaleplane container');
  return container;
}

/** Writes every key of a ConfigMap or Secret into `dir`, as the kubelet projects a volume. */
async function materialise(
  cluster: ControlPlane,
  ns: string,
  volume: Volume,
  dir: string,
): Promise<void> {
  mkdirSync(dir, { recursive: true });
  if (volume.configMap) {
    const cm = await cluster.kube.getJson<{ data?: Record<string, string> }>([
      'configmap',
      volume.configMap.name,
      '-n',
      ns,
    ]);
    for (const [key, text] of Object.entries(cm.data ?? {})) writeFileSync(join(dir, key), text);
  } else if (volume.secret) {
    const secret = await cluster.kube.getJson<{ data?: Record<string, string> }>([
      'secret',
      volume.secret.secretName,
      '-n',
      ns,
    ]);
    for (const [key, b64] of Object.entries(secret.data ?? {}))
      writeFileSync(join(dir, key), Buffer.from(b64, 'base64'), { mode: 0o600 });
  }
}

/** Inputs of {@link runRelease}. */
export interface RunReleaseOptions {
  /** Loopback port the process serves on (replaces the chart's --secure-port). */
  port: number;
  /** Flags appended after the chart's (later flags win), e.g. shorter test periods. */
  extraArgs?: readonly string[];
  /** Process (and log file) name, to run several replicas of one release; default the release's. */
  name?: string;
}

/**
 * Starts `scaleplane serve` as the release's pod would run: the Deployment's args with volume paths
 * rewritten into the cluster directory, the ServiceAccount's token as its credentials, bound to
 * 127.0.0.1. Resolves with the running process; readiness is the caller's to wait for.
 */
export async function runRelease(
  cluster: ControlPlane,
  release: Release,
  options: RunReleaseOptions,
): Promise<ManagedProcess> {
  const deployment = await cluster.kube.getJson<DeploymentObject>([
    'deployment',
    release.name,
    '-n',
    release.namespace,
  ]);
  const pod = deployment.spec.template.spec;
  const root = join(cluster.dir, `release-${release.name}`);
  const mounts = new Map<string, string>();
  for (const mount of containerOf(deployment).volumeMounts ?? []) {
    const volume = pod.volumes?.find((v) => v.name === mount.name);
    if (!volume) throw new Error(`volumeMount ${mount.name} has no volume`);
    const dir = join(root, 'volumes', volume.name);
    await materialise(cluster, release.namespace, volume, dir);
    mounts.set(mount.mountPath, dir);
  }
  const localPath = (arg: string): string => {
    for (const [mountPath, dir] of mounts) {
      const at = `=${mountPath}`;
      const i = arg.indexOf(at);
      const rest = i < 0 ? undefined : arg.slice(i + at.length);
      if (rest !== undefined && (rest === '' || rest.startsWith('/')))
        return `${arg.slice(0, i)}=${dir}${rest}`;
    }
    return arg;
  };
  const token = await cluster.kube.ok([
    'create',
    'token',
    pod.serviceAccountName,
    '-n',
    release.namespace,
    '--duration=2h',
  ]);
  const kubeconfig = writeKubeconfig(
    join(root, 'serviceaccount.kubeconfig'),
    cluster.server,
    cluster.pki.ca.certFile,
    { token: token.trim() },
  );
  // The pod's port is the container's; locally the process takes the loopback port it is given.
  const chartArgs = release.args.filter((a) => !a.startsWith('--secure-port='));
  const args = [
    SCALEPLANE_MAIN,
    ...chartArgs.map(localPath),
    `--kubeconfig=${kubeconfig}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${options.port}`,
    ...(options.extraArgs ?? []),
  ];
  return cluster.spawn({ name: options.name ?? release.name, binary: process.execPath, args });
}
