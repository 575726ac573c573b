/**
 * `npm start`'s embedded mode as a person meets it: the command of package.json's `start` script
 * started as a child process, with a HOME and KUBECONFIG whose current context points at a
 * reachable loopback "cluster" that records every request (it must receive none); its printed curl
 * commands run with the real curl on loopback, its printed kubeconfig with the real kubectl and
 * `hpa explain`, and php-apache seen scaling up under the walkthrough's load and back down after
 * the 5-minute stabilization window, compressed by --sim-speed. Then SIGTERM, exit 0, and its
 * temporary directory gone.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Quantity } from '../../src/k8s/index.js';
import { suiteUnavailable } from '../support/promised-suites.js';
import { kubectlBinary } from '../support/kubectl.js';
import { issue } from '../support/pki.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const entry = join(root, 'dist', 'src', 'main.js');

interface Started {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** The arguments `npm start` passes to the built entry (package.json scripts.start). */
function npmStartArgs(): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  const m = /node dist\/src\/main\.js (.+)$/.exec(pkg.scripts.start);
  if (!m) throw new Error(`unexpected start script: ${pkg.scripts.start}`);
  return m[1]!.trim().split(/\s+/);
}

/**
 * A loopback HTTPS "API server" that records every request (and answers /version like one): a
 * real cluster the demo must not touch. HTTPS, because client-node refuses plain http.
 */
interface TrapCluster {
  server: Server;
  requests: string[];
  /** A HOME whose ~/.kube/config (also $KUBECONFIG) has it as the current context. */
  home: string;
  kubeconfig: string;
}

async function trapCluster(): Promise<TrapCluster> {
  const requests: string[] = [];
  const home = mkdtempSync(join(tmpdir(), 'scaleplane-trap-home-'));
  const pair = await issue(home, { name: 'trap', cn: '127.0.0.1', san: ['IP:127.0.0.1'] });
  const server = createHttpsServer({ cert: pair.certPem, key: pair.keyPem }, (req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"major":"1","minor":"32","gitVersion":"v1.32.2"}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const kubeconfig = join(home, '.kube', 'config');
  mkdirSync(dirname(kubeconfig));
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- {name: prod, cluster: {server: "https://127.0.0.1:${(server.address() as AddressInfo).port}", insecure-skip-tls-verify: true}}`,
      'users:',
      '- {name: admin, user: {token: real-cluster-token}}',
      'contexts:',
      '- {name: prod, context: {cluster: prod, user: admin}}',
      'current-context: prod',
      '',
    ].join('\n'),
  );
  return { server, requests, home, kubeconfig };
}

function start(
  args: string[],
  env: Record<string, string | undefined> = {},
  command: string[] = npmStartArgs(),
): Started {
  const child = spawn(process.execPath, [entry, ...command, ...args], {
    cwd: root,
    env: {
      ...process.env,
      KUBECONFIG: '/nonexistent',
      HOME: '/nonexistent',
      KUBERNETES_SERVICE_HOST: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function waitFor(
  what: string,
  check: () => boolean,
  timeoutMs: number,
  s: Started,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${what}\nstdout:\n${s.stdout().slice(-3000)}\nstderr:\n${s.stderr().slice(-3000)}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The printed commands, by the comment line above each. */
function printedCommands(stdout: string): Map<string, string> {
  const lines = stdout.split('\n');
  const commands = new Map<string, string>();
  lines.forEach((line, i) => {
    if (line.startsWith('curl ') && lines[i - 1]?.startsWith('# '))
      commands.set(lines[i - 1]!.slice(2), line);
  });
  return commands;
}

/** Runs a printed command through the shell exactly as pasted. */
async function curl(command: string, extra = ''): Promise<string> {
  const { stdout } = await run(
    '/bin/sh',
    ['-c', `${command} --silent --show-error --fail-with-body ${extra}`],
    { timeout: 10_000 },
  );
  return stdout;
}

interface SyncLine {
  from: number;
  to: number;
}

function syncLines(stdout: string): SyncLine[] {
  return [...stdout.matchAll(/^sync \S+ default\/php-apache replicas (\d+) -> (\d+) /gm)].map(
    (m) => ({ from: Number(m[1]), to: Number(m[2]) }),
  );
}

/** `npm test` builds first (pretest); a bare `vitest run` without a build says why it skips. */
const skip = suiteUnavailable(
  'npm start',
  existsSync(entry) ? undefined : `${entry} is missing: run \`npm run build\` (npm test does)`,
  'test/integration/npm-start.test.ts',
);

/** The printed kubeconfig's path (from the printed kubectl lines). */
function printedKubeconfig(stdout: string): string {
  const m = /^kubectl --kubeconfig '([^']+)' top nodes$/m.exec(stdout);
  if (!m) throw new Error(`no kubeconfig printed:\n${stdout}`);
  return m[1]!;
}

describe.skipIf(skip)('npm start: the embedded cluster', () => {
  let s: Started;
  let commands: Map<string, string>;
  let trap: TrapCluster;

  beforeAll(async () => {
    trap = await trapCluster();
    // A user with a reachable current context: npm start must still run the simulation only.
    s = start(['--sim-speed', '20', '--secure-port', '0'], {
      HOME: trap.home,
      KUBECONFIG: trap.kubeconfig,
    });
    await waitFor(
      'the printed curl commands',
      () => s.stdout().includes('One line per HPA sync follows'),
      30_000,
      s,
    );
    commands = printedCommands(s.stdout());
  }, 40_000);

  afterAll(async () => {
    if (s.child.exitCode === null) s.child.kill('SIGKILL');
    await s.exited;
    trap.server.close();
  });

  it('the printed kubeconfig serves the real kubectl top nodes, top pods and hpa explain', async () => {
    const kubeconfig = printedKubeconfig(s.stdout());
    const kubectl = kubectlBinary();
    expect(kubectl, 'kubectl is a test-only system tool (README)').toBeDefined();
    const home = mkdtempSync(join(tmpdir(), 'scaleplane-kubectl-'));
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home };
    const kc = ['--kubeconfig', kubeconfig, '--cache-dir', join(home, 'cache')];
    await waitFor(
      'a first scrape',
      () => s.stderr().includes('"msg":"hpa evaluation recovered"'),
      30_000,
      s,
    );
    const nodes = await run(kubectl!, [...kc, 'top', 'nodes', '--no-headers'], { env });
    expect(
      nodes.stdout
        .trim()
        .split('\n')
        .map((l) => l.split(/\s+/)[0]),
    ).toEqual(['embedded-node-0', 'embedded-node-1', 'embedded-node-2']);
    for (const line of nodes.stdout.trim().split('\n'))
      expect(line.trim()).toMatch(/^\S+\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%$/);
    const pods = await run(kubectl!, [...kc, 'top', 'pods', '--no-headers'], { env });
    expect(pods.stdout).toMatch(/^php-apache-\S+\s+\d+m\s+\d+Mi\s*$/m);
    const explain = await run(
      process.execPath,
      [entry, 'hpa', 'explain', '--kubeconfig', kubeconfig, 'default/php-apache'],
      { env },
    );
    expect(explain.stdout).toContain(
      'HorizontalPodAutoscaler default/php-apache -> Deployment php-apache (apps/v1)',
    );
    expect(explain.stdout).toMatch(/^pods: \d+ selected by "run=php-apache"/m);
    expect(explain.stdout).toMatch(/cpu resource utilization/);
  }, 60_000);

  it('prints a command per API with a CA file and a token, on 127.0.0.1', () => {
    expect([...commands.keys()]).toEqual([
      'node metrics (metrics.k8s.io)',
      'pod metrics (metrics.k8s.io)',
      'Pods custom metric packets_per_second',
      'External metric queue_messages_ready',
      'why php-apache has its size',
    ]);
    for (const c of commands.values())
      expect(c).toMatch(
        /^curl --cacert '\/\S+\/ca\.crt' -H 'Authorization: Bearer [\w-]{20,}' 'https:\/\/127\.0\.0\.1:\d+\//,
      );
  });

  it('the printed commands answer with the real curl', async () => {
    await waitFor(
      'a first scrape',
      () =>
        s.stderr().includes('"msg":"hpa evaluation recovered"') ||
        syncLines(s.stdout()).some((l) => l.to > 1),
      30_000,
      s,
    );
    const nodes = JSON.parse(await curl(commands.get('node metrics (metrics.k8s.io)')!));
    expect(nodes.kind).toBe('NodeMetricsList');
    expect(nodes.items.map((n: { metadata: { name: string } }) => n.metadata.name).sort()).toEqual([
      'embedded-node-0',
      'embedded-node-1',
      'embedded-node-2',
    ]);
    const pods = JSON.parse(await curl(commands.get('pod metrics (metrics.k8s.io)')!));
    expect(pods.kind).toBe('PodMetricsList');
    expect(pods.items.length).toBeGreaterThan(0);
    expect(pods.items[0].metadata.name).toMatch(/^php-apache-/);
    // metrics-server serves CPU as a canonical Quantity: nanocores unless a shorter form is exact.
    expect(Quantity.parse(pods.items[0].containers[0].usage.cpu).milliValue()).toBeGreaterThan(0);
    const custom = JSON.parse(await curl(commands.get('Pods custom metric packets_per_second')!));
    expect(custom.kind).toBe('MetricValueList');
    expect(custom.items[0].metric.name).toBe('packets_per_second');
    expect(custom.items[0].describedObject.kind).toBe('Pod');
    const external = JSON.parse(await curl(commands.get('External metric queue_messages_ready')!));
    expect(external.kind).toBe('ExternalMetricValueList');
    expect(external.items[0].metricLabels).toEqual({ queue: 'worker_tasks' });
    const text = await curl(commands.get('why php-apache has its size')!);
    expect(text).toContain('php-apache');
    expect(text).toMatch(/cpu/);
  }, 45_000);

  it('refuses requests without the token', async () => {
    const withoutToken = commands
      .get('node metrics (metrics.k8s.io)')!
      .replace(/-H 'Authorization: Bearer [^']+' /, '');
    const { stdout } = await run(
      '/bin/sh',
      ['-c', `${withoutToken} --silent --write-out '\\n%{http_code}'`],
      { timeout: 10_000 },
    );
    expect(stdout.trim().split('\n').at(-1)).toBe('401');
  });

  it('php-apache scales up under load and back down after the stabilization window', async () => {
    await waitFor(
      'a scale up',
      () => syncLines(s.stdout()).some((l) => l.to > l.from && l.from >= 1),
      40_000,
      s,
    );
    const up = syncLines(s.stdout()).find((l) => l.to > l.from)!;
    expect(up.to).toBeGreaterThan(1);
    await waitFor(
      'a scale down to 1',
      () =>
        syncLines(s.stdout()).some((l) => l.to < l.from) && syncLines(s.stdout()).at(-1)!.to === 1,
      60_000,
      s,
    );
    const peak = Math.max(...syncLines(s.stdout()).map((l) => l.to));
    expect(peak).toBeGreaterThanOrEqual(4);
    expect(s.stdout()).toMatch(/ScaleDownStabilized/);
  }, 90_000);

  it('stops on SIGTERM with exit code 0', async () => {
    s.child.kill('SIGTERM');
    const code = await Promise.race([
      s.exited,
      new Promise<string>((r) => setTimeout(() => r('timeout'), 15_000)),
    ]);
    expect(code).toBe(0);
    expect(s.stderr()).toContain('"msg":"stopped"');
    // The key, certificates and kubeconfig went with it.
    expect(existsSync(dirname(printedKubeconfig(s.stdout())))).toBe(false);
  }, 20_000);

  it("never contacted the cluster of the user's kubeconfig", () => {
    expect(trap.requests).toEqual([]);
  });
});

/** Resolves with the exit code, or 'timeout'. */
function exitWithin(s: Started, ms: number): Promise<number | null | 'timeout'> {
  return Promise.race([
    s.exited,
    new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms).unref()),
  ]);
}

describe.skipIf(skip)('npm start and serve: edges', () => {
  const traps: TrapCluster[] = [];
  const children: Started[] = [];
  afterAll(async () => {
    for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGKILL');
    await Promise.all(children.map((c) => c.exited));
    for (const t of traps) t.server.close();
  });
  const track = (s: Started): Started => (children.push(s), s);

  it('a taken port: the demo listens on a free one and says where', async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
    const port = (taken.address() as AddressInfo).port;
    try {
      const s = track(start(['--secure-port', String(port)]));
      await waitFor('the banner', () => s.stdout().includes('One line per HPA sync'), 30_000, s);
      const url = /serving at https:\/\/127\.0\.0\.1:(\d+)/.exec(s.stdout());
      expect(Number(url?.[1])).not.toBe(port);
      expect(Number(url?.[1])).toBeGreaterThan(0);
      expect(s.stderr()).toContain(
        '"msg":"port in use: the embedded cluster listens on a free port"',
      );
      s.child.kill('SIGTERM');
      expect(await exitWithin(s, 15_000)).toBe(0);
    } finally {
      taken.close();
    }
  }, 60_000);

  it('a failed start leaves no temporary directory behind', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'scaleplane-tmpdir-'));
    // Parsed fine, refused when the TLS listener is built: after the key and certificate exist.
    const s = track(
      start(['--secure-port', '0', '--tls-cipher-suites=TLS_BOGUS'], { TMPDIR: tmp }),
    );
    expect(await exitWithin(s, 30_000)).toBe(1);
    expect(s.stderr()).toContain('unknown cipher suite "TLS_BOGUS"');
    expect(readdirSync(tmp).filter((f) => f.startsWith('scaleplane-embedded-'))).toEqual([]);
  }, 40_000);

  it("the demo's temporary directory is made where TMPDIR says (so the test above can fail)", async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'scaleplane-tmpdir-'));
    const s = track(start(['--secure-port', '0'], { TMPDIR: tmp }));
    await waitFor('the banner', () => s.stdout().includes('One line per HPA sync'), 30_000, s);
    expect(readdirSync(tmp).filter((f) => f.startsWith('scaleplane-embedded-'))).toHaveLength(1);
    s.child.kill('SIGTERM');
    expect(await exitWithin(s, 15_000)).toBe(0);
    expect(readdirSync(tmp)).toEqual([]);
  }, 40_000);

  it('plain serve without any cluster fails naming the way out, and simulates nothing', async () => {
    const s = track(start(['--secure-port', '0'], {}, ['serve']));
    expect(await exitWithin(s, 30_000)).toBe(1);
    expect(s.stderr()).toContain('no cluster to serve');
    expect(s.stderr()).toContain('--kubeconfig FILE, or --embedded');
    expect(s.stdout()).toBe('');
  }, 40_000);

  it('plain serve with an unreachable current context names the file, the context and the way out', async () => {
    const trap = await trapCluster();
    traps.push(trap);
    const kubeconfig = join(trap.home, 'refused.yaml');
    writeFileSync(
      kubeconfig,
      readFileSync(trap.kubeconfig, 'utf8').replace(/127\.0\.0\.1:\d+/, '127.0.0.1:1'),
    );
    const s = track(start(['--secure-port', '0'], { KUBECONFIG: kubeconfig }, ['serve']));
    expect(await exitWithin(s, 30_000)).toBe(1);
    expect(s.stderr()).toContain(
      `cannot reach the Kubernetes API server https://127.0.0.1:1 (from kubeconfig ${kubeconfig}, context "prod")`,
    );
    expect(s.stderr()).toContain('npm start (serve --embedded)');
  }, 40_000);

  it('a taken port in plain serve names --secure-port', async () => {
    const trap = await trapCluster();
    traps.push(trap);
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
    const port = (taken.address() as AddressInfo).port;
    try {
      const s = track(
        start(
          [
            '--secure-port',
            String(port),
            '--bind-address',
            '127.0.0.1',
            '--hpa-mode',
            'off',
            '--cert-dir',
            mkdtempSync(join(tmpdir(), 'scaleplane-certs-')),
            '--authorization-always-allow-paths=/',
          ],
          { KUBECONFIG: trap.kubeconfig },
          ['serve'],
        ),
      );
      expect(await exitWithin(s, 40_000)).toBe(1);
      expect(s.stderr()).toContain(
        `cannot listen on 127.0.0.1:${port}: the address is already in use; choose another port with --secure-port`,
      );
    } finally {
      taken.close();
    }
  }, 50_000);
});
