/**
 * A network namespace of the test's own, with a private address where a backend the aggregator
 * reaches by Endpoints can listen.
 *
 * Endpoints validation rejects loopback addresses (pkg/apis/core/validation: ValidateEndpointIP),
 * so with `--enable-aggregator-routing` a local backend needs another address; and tests may
 * contact only loopback or hosts inside network namespaces the test itself creates, never an
 * address of the host's own namespace. So the harness creates a namespace and a veth pair whose
 * namespace end carries 10.213.N.2/30: the backend runs inside the namespace (`ip netns exec`,
 * see RunningCluster.spawnBackend) and listens there, and kube-apiserver, in the host namespace,
 * dials it through the veth. The host end carries 10.213.N.1/30 only for routing: it gives the
 * host its route to the /30 and the source address the namespace answers to; nothing connects to
 * it. Both go away with the namespace. Needs root (CAP_NET_ADMIN for the link, CAP_SYS_ADMIN for
 * `ip netns exec`), as in the CI container.
 * @module
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { promisify } from 'node:util';
import { processAlive } from './processes.js';

const run = promisify(execFile);

/** A veth pair between the host and a namespace the harness owns. */
export interface LocalLink {
  namespace: string;
  /** Address on the host end, for routing only: nothing listens on or connects to it. */
  hostAddress: string;
  /** Address on the namespace end: backends in the namespace listen here, Endpoints carry it. */
  peerAddress: string;
  remove(): Promise<void>;
}

const owned = new Set<string>();
process.on('exit', () => {
  for (const ns of owned) {
    try {
      execFileSync('ip', ['netns', 'delete', ns], { stdio: 'ignore' });
    } catch {
      // Already gone.
    }
  }
});

/**
 * Deletes namespaces left by test processes that died without cleanup (SIGKILL skips 'exit'
 * handlers); the owner's pid is part of each name.
 */
async function removeStaleLinks(): Promise<void> {
  const { stdout } = await run('ip', ['netns', 'list']);
  for (const match of stdout.matchAll(/^(sp-e2e-(\d+)-\d+)/gm)) {
    if (!processAlive(Number(match[2])))
      await run('ip', ['netns', 'delete', match[1]!]).catch(() => undefined);
  }
}

async function addressInUse(prefix: string): Promise<boolean> {
  const { stdout } = await run('ip', ['-o', '-4', 'addr', 'show']);
  return stdout.includes(` ${prefix}`);
}

/** Creates the namespace and veth pair; the subnet is picked at random among free 10.213.N.0/30. */
export async function createLocalLink(): Promise<LocalLink> {
  await removeStaleLinks();
  let n = 0;
  for (let attempt = 0; ; attempt++) {
    n = randomInt(1, 255);
    if (!(await addressInUse(`10.213.${n}.`))) break;
    if (attempt > 20) throw new Error('no free 10.213.N.0/30 subnet for the local link');
  }
  // Interface names are limited to 15 characters; the namespace name carries the full pid.
  const tag = `${process.pid % 100_000}x${n}`;
  const namespace = `sp-e2e-${process.pid}-${n}`;
  const hostEnd = `sph${tag}`.slice(0, 15);
  const peerEnd = `spp${tag}`.slice(0, 15);
  const hostAddress = `10.213.${n}.1`;
  const peerAddress = `10.213.${n}.2`;
  await run('ip', ['netns', 'add', namespace]);
  owned.add(namespace);
  const remove = async (): Promise<void> => {
    // Deleting the namespace destroys its veth end, and a veth pair never outlives either end.
    await run('ip', ['netns', 'delete', namespace]).catch(() => undefined);
    owned.delete(namespace);
  };
  try {
    await run('ip', [
      'link',
      'add',
      hostEnd,
      'type',
      'veth',
      'peer',
      'name',
      peerEnd,
      'netns',
      namespace,
    ]);
    await run('ip', ['addr', 'add', `${hostAddress}/30`, 'dev', hostEnd]);
    await run('ip', ['link', 'set', hostEnd, 'up']);
    await run('ip', ['-n', namespace, 'addr', 'add', `${peerAddress}/30`, 'dev', peerEnd]);
    await run('ip', ['-n', namespace, 'link', 'set', peerEnd, 'up']);
    await run('ip', ['-n', namespace, 'link', 'set', 'lo', 'up']);
  } catch (err) {
    await remove();
    throw err;
  }
  return { namespace, hostAddress, peerAddress, remove };
}
