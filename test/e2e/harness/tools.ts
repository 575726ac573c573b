/**
 * Locates the pinned upstream binaries of the end-to-end cluster, building them on first use with
 * test/tools/build-tools.sh (minutes on a cold machine, milliseconds once cached outside the
 * repository; `npm run test:e2e` builds them before vitest starts, so the hook budget below is a
 * safety net).
 * @module
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import { buildTool, buildToolsScript } from '../../support/pinned-tools.js';

const execFileAsync = promisify(execFile);

/** Budget for building every control-plane tool from a cold Go cache on a 2-core machine. */
export const CONTROL_PLANE_BUILD_TIMEOUT_MS = 60 * 60_000;

/** Absolute paths of the binaries the control plane runs. */
export interface ControlPlaneBinaries {
  etcd: string;
  kubeApiserver: string;
  kubeControllerManager: string;
  kubeScheduler: string;
  kwok: string;
}

/** Runs build-tools.sh for the tools and maps every printed binary path by its file name. */
export async function buildTools(tools: readonly string[]): Promise<Map<string, string>> {
  const { stdout } = await execFileAsync(buildToolsScript, [...tools], {
    timeout: CONTROL_PLANE_BUILD_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  const byName = new Map<string, string>();
  for (const line of stdout.split('\n'))
    if (line.trim()) byName.set(basename(line.trim()), line.trim());
  return byName;
}

/** A version pinned in build-tools.sh, e.g. `pinnedVersion('KUBERNETES')` is `v1.32.2`. */
export function pinnedVersion(name: string): string {
  const match = new RegExp(`^${name}_VERSION=(\\S+)$`, 'm').exec(
    readFileSync(buildToolsScript, 'utf8'),
  );
  if (!match) throw new Error(`no ${name}_VERSION pin in ${buildToolsScript}`);
  return match[1]!;
}

/**
 * The binary a pinned tool builds under its own name (metrics-server, ...): the memoised getter
 * the unit and integration tests use for helm and prometheus, so each tool is built once per process.
 */
export function pinnedBinary(tool: string): Promise<string> {
  return buildTool(tool);
}

let binaries: Promise<ControlPlaneBinaries> | undefined;

/** Builds (once per process) and returns the control plane's binaries. */
export function controlPlaneBinaries(): Promise<ControlPlaneBinaries> {
  binaries ??= buildTools(['etcd', 'kubernetes', 'kwok']).then((byName) => {
    const get = (name: string): string => {
      const path = byName.get(name);
      if (!path) throw new Error(`build-tools.sh printed no path for ${name}`);
      return path;
    };
    return {
      etcd: get('etcd'),
      kubeApiserver: get('kube-apiserver'),
      kubeControllerManager: get('kube-controller-manager'),
      kubeScheduler: get('kube-scheduler'),
      kwok: get('kwok'),
    };
  });
  return binaries;
}
