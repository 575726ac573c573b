/**
 * The container image (charts/image/Dockerfile): its contract with the chart and package.json is
 * checked statically; the build itself runs only where a container engine answers `docker info`.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/fixtures.js';
import { suiteUnavailable } from '../support/promised-suites.js';
import { chartDir, getObject, helmTemplate, TOOL_BUILD_TIMEOUT_MS } from '../support/helm.js';
import {
  buildLayout,
  productionPackages,
  readStrace,
  runtimeStage,
  type FileAccess,
} from '../support/image-layout.js';
import type { V1ConfigMap, V1Deployment } from '@kubernetes/client-node';

const dockerfilePath = join(repoRoot, 'charts', 'image', 'Dockerfile');
const dockerfile = readFileSync(dockerfilePath, 'utf8');
const readJson = <T>(file: string) => JSON.parse(readFileSync(join(repoRoot, file), 'utf8')) as T;

/** Instructions of the stage named `name` (text between its FROM and the next FROM). */
function stage(name: string): string[] {
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const body = stages.find((s) => new RegExp(`^.+ AS ${name}\\n`).test(s));
  if (!body) throw new Error(`no stage ${name} in ${dockerfilePath}`);
  return body.split('\n').filter((l) => /^[A-Z]+ /.test(l));
}

/** Context paths copied by COPY lines (every word but the instruction and the destination). */
const copySources = (lines: string[]) =>
  lines
    .filter((l) => l.startsWith('COPY ') && !l.includes('--from'))
    .flatMap((l) => l.split(/\s+/).slice(1, -1));

describe('Dockerfile contract', () => {
  const values = parse(readFileSync(join(chartDir, 'values.yaml'), 'utf8')) as {
    securityContext: { runAsUser: number; runAsGroup: number };
  };
  const pkg = readJson<{ bin: Record<string, string> }>('package.json');
  const buildIncludes = readJson<{ include: string[] }>('tsconfig.build.json').include;

  it('runs as the uid/gid the chart securityContext sets', () => {
    expect(stage('runtime')).toContain(
      `USER ${values.securityContext.runAsUser}:${values.securityContext.runAsGroup}`,
    );
  });

  it('starts the package bin with serve, the first arg the chart passes', () => {
    const runtime = stage('runtime');
    expect(runtime).toContain(`ENTRYPOINT ["node", "${pkg.bin.scaleplane}"]`);
    expect(runtime).toContain('CMD ["serve"]');
  });

  it('copies every folder tsconfig.build.json compiles into the build stage', () => {
    const sources = copySources(stage('build'));
    for (const include of buildIncludes) expect(sources).toContain(include);
  });

  it('ships the compiled production roots and not the tests', () => {
    const runtime = stage('runtime').filter((l) => l.startsWith('COPY --from=build /app/dist/'));
    const shipped = runtime.map((l) => l.split(/\s+/)[2]!.replace('/app/dist/', ''));
    expect(shipped).toEqual(buildIncludes.filter((i) => !i.startsWith('test')));
  });

  it('.dockerignore lets exactly those sources into the context', () => {
    const allowed = readFileSync(join(repoRoot, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('!'))
      .map((l) => l.slice(1).replace(/\/\*\*$/, ''));
    expect(allowed.sort()).toEqual(copySources(stage('build')).sort());
  });
});

describe('Node.js version', () => {
  const pkg = readJson<{
    engines: { node: string };
    devDependencies: Record<string, string>;
  }>('package.json');
  const nodeMajor = Number(/^ARG NODE_MAJOR=(\d+)$/m.exec(dockerfile)?.[1]);

  it('the image builds on a supported LTS line: an even major of 22 or later, not the EOL 20', () => {
    expect(nodeMajor % 2).toBe(0);
    expect(nodeMajor).toBeGreaterThanOrEqual(22);
    expect(dockerfile).toMatch(/^FROM node:\$\{NODE_MAJOR\}-alpine AS runtime$/m);
  });

  it('the code keeps to the Node 20.19 API that tests and developers run', () => {
    expect(pkg.engines.node).toBe('>=20.19');
    // Compiling against @types/node 20 keeps Node 22+-only APIs out of the code.
    expect(pkg.devDependencies['@types/node']).toMatch(/^\^?20\./);
  });

  it('the build stage may run on the builder platform: no production package is native', () => {
    const lock = readJson<{
      packages: Record<
        string,
        { dev?: boolean; os?: unknown; cpu?: unknown; hasInstallScript?: boolean }
      >;
    }>('package-lock.json');
    const native = Object.entries(lock.packages)
      .filter(([path, p]) => path !== '' && !p.dev && (p.os || p.cpu || p.hasInstallScript))
      .map(([path]) => path);
    expect(dockerfile).toMatch(/^FROM --platform=\$BUILDPLATFORM .+ AS build$/m);
    expect(native).toEqual([]);
  });

  it('the README documents the multi-arch build', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    expect(readme).toContain('--platform linux/amd64,linux/arm64');
  });
});

/**
 * Paths any Node base image provides: kernel file systems, the dynamic loader's libraries,
 * /etc files of libc and OpenSSL (hosts, resolv.conf, ld.so.cache, openssl.cnf), zoneinfo and
 * the node executable itself.
 */
function isSystemPath(path: string): boolean {
  if (path === process.execPath) return true;
  return /^\/(proc|sys|dev|etc|lib|lib64|usr\/lib|usr\/lib64|usr\/share\/zoneinfo|usr\/ssl)(\/|$)/.test(
    path,
  );
}

const hasStrace = (() => {
  try {
    execFileSync('strace', ['-V'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
})();

/** Starts `node dist/src/main.js <args>` in `cwd` under strace until it serves, then SIGTERM. */
async function tracedStart(
  cwd: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  traceDir: string,
): Promise<{ output: string; accesses: FileAccess[] }> {
  mkdirSync(traceDir);
  const trace = ['-f', '-ff', '-qq', '-e', 'trace=open,openat,creat,mkdir,mkdirat'];
  const child = spawn(
    'strace',
    [...trace, '-o', join(traceDir, 'fs'), process.execPath, 'dist/src/main.js', ...args],
    { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  child.stdout.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr.on('data', (b: Buffer) => (output += b.toString()));
  const deadline = Date.now() + 30_000;
  while (!/"msg":"serving"/.test(output) && child.exitCode === null && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 100));
  // The server itself gets the SIGTERM (strace, signalled, would detach and keep waiting).
  let tracee = 0;
  try {
    tracee = Number(
      readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(' ')[0],
    );
  } catch {
    // strace has already exited with its tracee.
  }
  if (tracee > 0) process.kill(tracee, 'SIGTERM');
  const killer = setTimeout(() => {
    if (tracee > 0) process.kill(tracee, 'SIGKILL');
    child.kill('SIGKILL');
  }, 20_000);
  await exited;
  clearTimeout(killer);
  return { output, accesses: readStrace(traceDir, 'fs', cwd) };
}

describe('the image at start, without a container engine', () => {
  let root: string;
  let accesses: FileAccess[] = [];
  let workdir = '/app';
  let mounts: Array<{ mountPath: string; readOnly: boolean }> = [];
  let output = '';
  let referenceOpens: string[] = [];

  beforeAll(async () => {
    if (!hasStrace)
      throw new Error('strace is required for the image file audit (apt-get install strace)');
    const entry = join(repoRoot, 'dist', 'src', 'main.js');
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\``);
    const objects = await helmTemplate({
      values: { tls: { mode: 'selfSigned', insecureSkipTLSVerify: true } },
    });
    const pod = getObject<V1Deployment>(objects, 'Deployment').spec!.template.spec!;
    const container = pod.containers[0]!;
    const config = getObject<V1ConfigMap>(objects, 'ConfigMap');
    mounts = (container.volumeMounts ?? []).map((m) => ({
      mountPath: m.mountPath,
      readOnly: m.readOnly ?? false,
    }));

    root = mkdtempSync(join(tmpdir(), 'scaleplane-image-'));
    const runtime = runtimeStage(stage('runtime'));
    workdir = runtime.workdir;
    buildLayout(root, runtime, repoRoot);
    for (const m of mounts) mkdirSync(join(root, m.mountPath), { recursive: true });
    for (const [key, text] of Object.entries(config.data ?? {}))
      writeFileSync(join(root, '/etc/scaleplane', key), text);

    // The chart's arguments with every mounted path moved under the fake root; --embedded stands
    // in for the cluster (a test has none), on loopback and a free port.
    const args = (container.args ?? []).map((a) => {
      if (a.startsWith('--secure-port=')) return '--secure-port=0';
      const m = mounts.find((m) => a.includes(`=${m.mountPath}/`));
      return m ? a.replace(`=${m.mountPath}/`, `=${root}${m.mountPath}/`) : a;
    });
    args.push('--embedded', '--bind-address=127.0.0.1');
    const cwd = join(root, workdir);
    const env = {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      HOME: root,
      TMPDIR: join(root, 'tmp'),
      KUBECONFIG: join(root, 'nonexistent'),
    };
    const run = await tracedStart(cwd, args, env, join(root, 'trace'));
    output = run.output;
    accesses = run.accesses;
    // The same start from the full checkout: what it opens there, the image must have too.
    const again = await tracedStart(repoRoot, args, env, join(root, 'trace-checkout'));
    referenceOpens = again.accesses
      .filter((a) => a.ok && !a.write && a.path.startsWith(`${repoRoot}/`))
      .map((a) => a.path.slice(repoRoot.length + 1));
  }, TOOL_BUILD_TIMEOUT_MS);

  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it("starts with the chart's arguments from what the runtime stage copies", () => {
    expect(output, output).toMatch(/"msg":"serving"/);
    expect(accesses.length).toBeGreaterThan(100);
  });

  it('has every file the same start opens in the full checkout', () => {
    const opened = new Set(
      accesses.filter((a) => a.ok).map((a) => a.path.slice(join(root, workdir).length + 1)),
    );
    // A dev-only package found in the checkout (debug's optional supports-color) is no need.
    const prod = new Set(productionPackages(repoRoot));
    const needed = referenceOpens.filter((p) => {
      const pkg = /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(p)?.[1];
      return pkg === undefined || prod.has(pkg);
    });
    expect(needed.length).toBeGreaterThan(100);
    expect([...new Set(needed.filter((p) => !opened.has(p)))]).toEqual([]);
  });

  it('opens only shipped, mounted or system files', () => {
    const shipped = join(root, workdir);
    const foreign = accesses
      .filter((a) => a.ok && !a.write)
      .map((a) => a.path)
      .filter(
        (p) =>
          !p.startsWith(`${shipped}/`) &&
          !mounts.some((m) => p.startsWith(`${root}${m.mountPath}/`)) &&
          !isSystemPath(p),
      );
    expect([...new Set(foreign)]).toEqual([]);
  });

  it('writes only to writable mounts: the read-only root filesystem holds', () => {
    const writable = mounts.filter((m) => !m.readOnly).map((m) => `${root}${m.mountPath}/`);
    const writes = accesses
      .filter((a) => a.write && !a.path.startsWith('/dev/'))
      .map((a) => a.path)
      .filter((p) => !writable.some((w) => p.startsWith(w)) && !p.startsWith(join(root, 'trace')));
    expect([...new Set(writes)]).toEqual([]);
    expect(
      accesses.some((a) => a.write && a.ok && writable.some((w) => a.path.startsWith(w))),
    ).toBe(true);
  });

  it('loads production packages only, each shipped', () => {
    const prod = new Set(productionPackages(repoRoot));
    const loaded = new Set(
      accesses
        .filter((a) => a.ok)
        .map((a) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(a.path)?.[1])
        .filter((n): n is string => n !== undefined),
    );
    expect(loaded.size).toBeGreaterThan(3);
    for (const name of loaded) expect(prod.has(name), name).toBe(true);
  });

  it('the shipped tree is what the Dockerfile copies', () => {
    const shipped = readdirSync(join(root, workdir)).sort();
    expect(shipped).toEqual(
      [
        ...new Set(
          runtimeStage(stage('runtime')).copies.map(
            (c) => c.dst.slice(workdir.length + 1).split('/')[0]!,
          ),
        ),
      ].sort(),
    );
  });
});

/** Why the build test cannot run here, or undefined when a container engine answers. */
function engineUnavailable(): string | undefined {
  try {
    execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
      stdio: 'pipe',
      timeout: 15_000,
    });
    return undefined;
  } catch (err) {
    const failed = err as { code?: string; stderr?: Buffer };
    if (failed.code === 'ENOENT') return 'no docker client on PATH';
    const detail = failed.stderr?.toString().trim().split('\n').pop() ?? String(err);
    return `no container engine answers \`docker info\` (${detail})`;
  }
}

const skipReason = engineUnavailable();

describe('docker build', () => {
  it.skipIf(suiteUnavailable('docker build', skipReason, 'test/charts/image.test.ts'))(
    `builds the image${skipReason ? ` [skipped: ${skipReason}]` : ''}`,
    async () => {
      const tag = `scaleplane:test-${process.pid}`;
      const run = promisify(execFile);
      await run('docker', ['build', '-f', dockerfilePath, '-t', tag, '.'], {
        cwd: repoRoot,
        timeout: TOOL_BUILD_TIMEOUT_MS,
        maxBuffer: 64 * 1024 * 1024,
      });
      try {
        const { stdout } = await run('docker', [
          'image',
          'inspect',
          tag,
          '--format',
          '{{json .Config}}',
        ]);
        const config = JSON.parse(stdout) as { User: string; Entrypoint: string[]; Cmd: string[] };
        expect(config).toMatchObject({
          User: '65532:65532',
          Entrypoint: ['node', 'dist/src/main.js'],
          Cmd: ['serve'],
        });
      } finally {
        await run('docker', ['image', 'rm', tag]);
      }
    },
    TOOL_BUILD_TIMEOUT_MS,
  );
});
