/**
 * Runs the real kubectl against a test server. On these machines `kubectl` on PATH is a version
 * dispatcher that first asks the server for /version and caches in ~/.kube; the versioned binary
 * beside its target (`kubectl.1.32`) is run instead, with a temporary HOME, --cache-dir and a
 * generated kubeconfig, so nothing is read from or written to the user's home. $KUBECTL overrides
 * the binary; without a versioned binary the resolved `kubectl` itself is used.
 * @module
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The kubectl executable to run, or undefined when none is installed. */
export function kubectlBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.KUBECTL) return env.KUBECTL;
  let onPath: string;
  try {
    onPath = execFileSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
  if (!onPath) return undefined;
  const target = realpathSync(onPath);
  const versioned = join(dirname(target), 'kubectl.1.32');
  return existsSync(versioned) ? versioned : target;
}

export interface KubectlUser {
  /** PEM files of a client certificate. */
  clientCertificate?: string;
  clientKey?: string;
  token?: string;
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KubectlSession {
  run(args: readonly string[]): Promise<KubectlResult>;
  cleanup(): void;
}

/** A kubeconfig for `server` trusted through `caFile`, with one user, in a fresh temporary HOME. */
export function kubectlSession(options: {
  binary: string;
  server: string;
  caFile: string;
  user: KubectlUser;
}): KubectlSession {
  const home = mkdtempSync(join(tmpdir(), 'scaleplane-kubectl-'));
  const kubeconfig = join(home, 'kubeconfig');
  const u = options.user;
  const userLines = [
    u.clientCertificate ? `    client-certificate: ${u.clientCertificate}` : '',
    u.clientKey ? `    client-key: ${u.clientKey}` : '',
    u.token ? `    token: ${u.token}` : '',
  ].filter(Boolean);
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'current-context: test',
      'clusters:',
      '- name: scaleplane',
      '  cluster:',
      `    server: ${options.server}`,
      `    certificate-authority: ${options.caFile}`,
      'contexts:',
      '- name: test',
      '  context:',
      '    cluster: scaleplane',
      '    user: test',
      'users:',
      '- name: test',
      '  user:',
      ...(userLines.length ? userLines : ['    {}']),
      '',
    ].join('\n'),
  );
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, KUBECONFIG: kubeconfig };
  return {
    run: (args) =>
      new Promise((resolve) => {
        execFile(
          options.binary,
          [
            '--kubeconfig',
            kubeconfig,
            '--cache-dir',
            join(home, 'cache'),
            '--request-timeout',
            '20s',
            ...args,
          ],
          { env, timeout: 30_000, maxBuffer: 16 * 1024 * 1024 },
          (err, stdout, stderr) => {
            const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
            resolve({ code, stdout, stderr });
          },
        );
      }),
    cleanup: () => rmSync(home, { recursive: true, force: true }),
  };
}
