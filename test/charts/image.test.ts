/**
 * The container image (charts/image/Dockerfile): its contract with the chart and package.json is
 * checked statically; the build itself runs only where a container engine answers `docker info`.
 */
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/fixtures.js';
import { chartDir, TOOL_BUILD_TIMEOUT_MS } from '../support/helm.js';
import { suiteUnavailable } from '../support/promised-suites.js';

const dockerfilePath = join(repoRoot, 'charts', 'image', 'Dockerfile');
const dockerfile = readFileSync(dockerfilePath, 'utf8');
const readJson = <T>(file: string) => JSON.parse(readFileSync(join(repoRoot, file), 'utf8')) as T;

/** Instructions of the stage named `name` (text between its FROM and the next FROM). */
function stage(name: string): string[] {
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const body = stages.find((s) => new RegExp(`^\\S+ AS ${name}\\n`).test(s));
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
