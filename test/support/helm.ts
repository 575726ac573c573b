/**
 * Runs the pinned helm that test/tools/build-tools.sh builds, for the chart tests.
 *
 * The binary comes from the memoised getter of pinned-tools.ts (a no-op taking milliseconds once
 * the binary is cached outside the repository; minutes on a cold machine, hence
 * TOOL_BUILD_TIMEOUT_MS). helm runs with its cache, config and data homes in a temporary
 * folder, so tests neither read nor write the user's helm state.
 * @module
 */
import type { V1Container, V1Deployment, V1PodSpec } from '@kubernetes/client-node';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from './fixtures.js';
import { buildTool } from './pinned-tools.js';

const execFileAsync = promisify(execFile);

export { buildTool, buildToolsScript, TOOL_BUILD_TIMEOUT_MS } from './pinned-tools.js';

/** The chart under test. */
export const chartDir = join(repoRoot, 'charts', 'scaleplane');
/** Budget for one helm invocation. */
const HELM_TIMEOUT_MS = 60_000;

/** Path of the pinned helm binary, building it on first use. */
export function ensureHelm(): Promise<string> {
  return buildTool('helm');
}

let helmHome: string | undefined;

/** A private HELM_*_HOME root for this process, removed when the process exits. */
function helmEnv(): NodeJS.ProcessEnv {
  if (!helmHome) {
    const dir = mkdtempSync(join(tmpdir(), 'scaleplane-helm-'));
    helmHome = dir;
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return {
    PATH: process.env.PATH,
    HOME: helmHome,
    HELM_CACHE_HOME: join(helmHome, 'cache'),
    HELM_CONFIG_HOME: join(helmHome, 'config'),
    HELM_DATA_HOME: join(helmHome, 'data'),
    // No cluster: point kubeconfig at a missing file so nothing reads ~/.kube/config.
    KUBECONFIG: join(helmHome, 'no-kubeconfig'),
  };
}

/** Outcome of one helm run; a non-zero exit is data, not an exception. */
export interface HelmResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs helm with the given arguments in a clean environment; `kubeconfig` points helm at a
 * (loopback, fake) API server for `lookup`, otherwise helm sees no cluster.
 */
export async function runHelm(args: readonly string[], kubeconfig?: string): Promise<HelmResult> {
  const helm = await ensureHelm();
  const env = helmEnv();
  if (kubeconfig) env.KUBECONFIG = kubeconfig;
  try {
    const { stdout, stderr } = await execFileAsync(helm, args, {
      env,
      cwd: repoRoot,
      timeout: HELM_TIMEOUT_MS,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw err;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/**
 * Writes a values object to a temporary file for `-f`. JSON (a YAML subset) keeps every value's
 * type: helm reads YAML 1.1, where a plain `yes` or `off` written by a YAML 1.2 serializer would
 * turn into a boolean.
 */
export function writeValuesFile(values: unknown): string {
  helmEnv();
  const file = join(helmHome!, `values-${process.hrtime.bigint()}.json`);
  writeFileSync(file, JSON.stringify(values));
  return file;
}

/** Inputs of {@link helmTemplate}. */
export interface TemplateOptions {
  /** Values as an object (written to a temporary file). */
  values?: unknown;
  /** Values files, relative to the chart folder (e.g. `ci/all-apis.yaml`) or absolute. */
  valuesFiles?: readonly string[];
  releaseName?: string;
  namespace?: string;
  /** Extra helm arguments, e.g. ['--show-only', 'templates/deployment.yaml']. */
  extraArgs?: readonly string[];
  /** Chart folder; defaults to {@link chartDir}. */
  chart?: string;
  /** Kubeconfig of a fake API server; add '--dry-run=server' to extraArgs so `lookup` uses it. */
  kubeconfig?: string;
}

/** `helm template` arguments for the options, values files before the inline values. */
function templateArgs(options: TemplateOptions): string[] {
  const chart = options.chart ?? chartDir;
  const args = [
    'template',
    options.releaseName ?? 'sp',
    chart,
    '--namespace',
    options.namespace ?? 'monitoring',
  ];
  for (const file of options.valuesFiles ?? [])
    args.push('-f', file.startsWith('/') ? file : join(chart, file));
  if (options.values !== undefined) args.push('-f', writeValuesFile(options.values));
  args.push(...(options.extraArgs ?? []));
  return args;
}

/** Runs `helm template` and returns the raw result (for tests of failures). */
export function helmTemplateRaw(options: TemplateOptions = {}): Promise<HelmResult> {
  return runHelm(templateArgs(options), options.kubeconfig);
}

/** A rendered Kubernetes object; tests narrow it with client-node types. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

/** Parses a multi-document manifest; empty documents are dropped, YAML errors throw. */
export function parseManifests(text: string): K8sObject[] {
  const objects: K8sObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`invalid YAML from helm: ${doc.errors[0]!.message}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    objects.push(value as K8sObject);
  }
  return objects;
}

/** Runs `helm template` and parses the manifests; a failed render throws with helm's stderr. */
export async function helmTemplate(options: TemplateOptions = {}): Promise<K8sObject[]> {
  const result = await helmTemplateRaw(options);
  if (result.code !== 0) throw new Error(`helm template failed (${result.code}): ${result.stderr}`);
  return parseManifests(result.stdout);
}

/** All objects of a kind, typed by the caller (e.g. `ofKind<V1Deployment>(objs, 'Deployment')`). */
export function ofKind<T>(objects: readonly K8sObject[], kind: string): T[] {
  return objects.filter((o) => o.kind === kind) as unknown as T[];
}

/** The single object of a kind and name; throws when missing so assertions read naturally. */
export function getObject<T>(objects: readonly K8sObject[], kind: string, name?: string): T {
  const matches = objects.filter(
    (o) => o.kind === kind && (name === undefined || o.metadata.name === name),
  );
  if (matches.length !== 1) {
    const present = objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ');
    throw new Error(
      `expected one ${kind}${name ? `/${name}` : ''}, found ${matches.length} among: ${present}`,
    );
  }
  return matches[0] as unknown as T;
}

/** The rendered Deployment's pod spec and its scaleplane container. */
export async function renderPod(
  options: TemplateOptions = {},
): Promise<{ pod: V1PodSpec; main: V1Container }> {
  const deployment = getObject<V1Deployment>(await helmTemplate(options), 'Deployment');
  const pod = deployment.spec!.template.spec!;
  return { pod, main: pod.containers[0]! };
}
