/**
 * A minimal aggregated API server standing in for scaleplane while proving the cluster's routing:
 * it serves the discovery document of one group version over HTTPS, asks for a client
 * certificate (the aggregator's front-proxy identity) and records who called.
 *
 * The server is a child process (stand-in-main.ts) started with {@link ControlPlane.spawnBackend}:
 * under 'endpoints' routing it runs inside the network namespace the test created and listens on
 * the namespace-side address, because tests may contact only loopback or hosts in namespaces they
 * create (harness/netns.ts). It reports what it sees through a file in the cluster directory.
 * @module
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../support/fixtures.js';
import { issue } from '../../support/pki.js';
import type { ControlPlane } from '../control-plane.js';
import { waitFor } from '../harness/wait.js';
import type { SeenRequest, StandInConfig } from './stand-in-main.js';

export type { SeenRequest } from './stand-in-main.js';

export interface StandIn {
  readonly url: string;
  readonly requests: readonly SeenRequest[];
  close(): Promise<void>;
}

/** Inputs of {@link startStandIn}. */
export interface StandInOptions {
  /** Its CA issues the serving certificate; its front-proxy CA is trusted for client certs. */
  cluster: ControlPlane;
  /** The aggregator verifies the serving certificate for `<service>.<namespace>.svc`. */
  service: { namespace: string; name: string };
  group: string;
  version: string;
  /** Resources listed in the APIResourceList. */
  resources: readonly string[];
}

/** The child's entry, compiled by `npm run test:e2e` (tsconfig.e2e.json: the build plus test/e2e). */
const MAIN = join(repoRoot, 'dist', 'test', 'e2e', 'support', 'stand-in-main.js');

function resourceList(options: StandInOptions): unknown {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: `${options.group}/${options.version}`,
    resources: options.resources.map((name) => ({
      name,
      singularName: '',
      namespaced: name !== 'nodes',
      kind: name,
      verbs: ['get', 'list'],
    })),
  };
}

function readRequests(file: string): SeenRequest[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as SeenRequest);
}

/**
 * Starts the stand-in on the cluster's `localServeAddress` at a port of the kernel's choosing; it
 * answers the discovery path with 200 and everything else with 404.
 */
export async function startStandIn(options: StandInOptions): Promise<StandIn> {
  const { cluster } = options;
  const { namespace, name } = options.service;
  const host = cluster.localServeAddress;
  const cert = await issue(cluster.dir, {
    name: `stand-in-${name}`,
    cn: name,
    ca: cluster.pki.ca,
    san: [`DNS:${name}.${namespace}.svc`, `IP:${host}`],
    usage: 'serverAuth',
  });
  const file = (suffix: string): string => join(cluster.dir, `stand-in-${name}.${suffix}`);
  const config: StandInConfig = {
    host,
    port: 0,
    keyFile: cert.keyFile,
    certFile: cert.certFile,
    clientCaFile: cluster.pki.frontProxyCa.certFile,
    discoveryPath: `/apis/${options.group}/${options.version}`,
    discovery: resourceList(options),
    requestsFile: file('requests.jsonl'),
    readyFile: file('ready.json'),
  };
  writeFileSync(file('config.json'), JSON.stringify(config));
  const proc = cluster.spawnBackend({
    name: `stand-in-${name}`,
    binary: process.execPath,
    args: [MAIN, file('config.json')],
  });
  try {
    const { port } = await waitFor(
      `the stand-in listening on ${host}`,
      () =>
        Promise.resolve(
          existsSync(config.readyFile)
            ? (JSON.parse(readFileSync(config.readyFile, 'utf8')) as { port: number })
            : undefined,
        ),
      {
        timeoutMs: 30_000,
        intervalMs: 100,
        abort: () => (proc.exited() ? `it exited:\n${proc.logTail()}` : undefined),
      },
    );
    return {
      url: `https://${host}:${port}`,
      get requests() {
        return readRequests(config.requestsFile);
      },
      close: () => proc.stop(),
    };
  } catch (err) {
    await proc.stop();
    throw err;
  }
}
