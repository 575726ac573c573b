/**
 * Simulated kubelets in a child process for the kubelet benchmark, so the simulator's CPU is not
 * counted as ours. `forkSimulator` forks this very module; in the child (marked by an environment
 * variable) it starts a KubeletSimulator and reports the node URLs over IPC.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  KubeletSimulator,
  type KubeletSimulatorOptions,
} from '../../scraper/sim/kubelet-simulator.js';

const childFlag = 'SCALEPLANE_SIM_KUBELETS_CHILD';

type SimSpec = Pick<
  KubeletSimulatorOptions,
  'nodes' | 'podsPerNode' | 'containersPerPod' | 'sampleEveryMs'
>;

interface Ready {
  urls: Record<string, string>;
}

export interface ForkedSimulator {
  /** Node name to `/metrics/resource` URL. */
  urls: Record<string, string>;
  /** CPU seconds the child has used so far (user + system). */
  cpuSeconds(): Promise<number>;
  stop(): Promise<void>;
}

/** Forks the simulator and resolves once it listens. */
export async function forkSimulator(spec: SimSpec): Promise<ForkedSimulator> {
  const child = fork(fileURLToPath(import.meta.url), [], {
    env: { ...process.env, [childFlag]: '1' },
    stdio: 'inherit',
  });
  const next = <T>(): Promise<T> =>
    new Promise((resolve, reject) => {
      child.once('message', (m) => resolve(m as T));
      child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
    });
  child.send({ type: 'start', spec });
  const ready = await next<Ready>();
  return {
    urls: ready.urls,
    cpuSeconds: async () => {
      child.send({ type: 'cpu' });
      return next<number>();
    },
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.send({ type: 'stop' });
      await exited;
    },
  };
}

function runChild(): void {
  let sim: KubeletSimulator | undefined;
  process.on('message', (m: { type: string; spec?: SimSpec }) => {
    if (m.type === 'start') {
      void KubeletSimulator.start(m.spec!).then((s) => {
        sim = s;
        process.send!({ urls: s.staticNodes('resource') } satisfies Ready);
      });
    } else if (m.type === 'cpu') {
      const u = process.cpuUsage();
      process.send!((u.user + u.system) / 1e6);
    } else if (m.type === 'stop') {
      void (sim?.close() ?? Promise.resolve()).then(() => process.exit(0));
    }
  });
  process.on('disconnect', () => process.exit(0));
}

if (process.env[childFlag] === '1') runChild();
