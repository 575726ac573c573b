import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KubeConfigError,
  loadDelegationKubeConfigs,
  loadKubeConfig,
  loadKubeConfigFile,
} from '../../../src/cluster/kubeconfig.js';

let dir: string;

/** A kubeconfig document with one context per entry of `contexts`: [context, cluster, server]. */
function kubeconfigYaml(opts: {
  current?: string;
  entries: Array<[string, string, string]>;
  ca?: string;
}): string {
  const clusters = opts.entries
    .map(
      ([, cluster, server]) =>
        `- name: ${cluster}\n  cluster:\n    server: ${server}\n${opts.ca ? `    certificate-authority: ${opts.ca}\n` : ''}`,
    )
    .join('');
  const contexts = opts.entries
    .map(([ctx, cluster]) => `- name: ${ctx}\n  context:\n    cluster: ${cluster}\n    user: u\n`)
    .join('');
  const current = opts.current ? `current-context: ${opts.current}\n` : '';
  return `apiVersion: v1\nkind: Config\n${current}clusters:\n${clusters}contexts:\n${contexts}users:\n- name: u\n  user:\n    token: abc\n`;
}

function write(name: string, text: string): string {
  const file = join(dir, name);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  return file;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scaleplane-kubeconfig-'));
  write('ca.crt', 'not checked here, only read\n');
  write('sa/token', 'sa-token');
  write('sa/ca.crt', 'ca');
  write('sa-no-token/ca.crt', 'ca');
  write(
    'home/.kube/config',
    kubeconfigYaml({
      current: 'home',
      entries: [['home', 'home-cluster', 'https://127.0.0.1:7001']],
    }),
  );
  write(
    'a.yaml',
    kubeconfigYaml({ current: 'a', entries: [['a', 'shared', 'https://127.0.0.1:7002']] }),
  );
  write(
    'b.yaml',
    kubeconfigYaml({
      current: 'b',
      entries: [
        ['b', 'shared', 'https://127.0.0.1:9999'],
        ['a2', 'other', 'https://127.0.0.1:7003'],
      ],
    }),
  );
  write(
    'relative.yaml',
    kubeconfigYaml({
      current: 'r',
      entries: [['r', 'rc', 'https://127.0.0.1:7004']],
      ca: 'ca.crt',
    }),
  );
  write(
    'authn.yaml',
    kubeconfigYaml({ current: 'n', entries: [['n', 'nc', 'https://127.0.0.1:7005']] }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const inClusterEnv = { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' };

describe('loadKubeConfig: should pass', () => {
  const cases = [
    {
      name: 'explicit file wins over everything',
      opts: () => ({
        kubeconfig: join(dir, 'a.yaml'),
        env: { ...inClusterEnv, HOME: join(dir, 'home') },
      }),
      server: 'https://127.0.0.1:7002',
    },
    {
      name: 'in-cluster when service host and token exist',
      opts: () => ({ env: { ...inClusterEnv, HOME: join(dir, 'home') } }),
      server: 'https://10.0.0.1:443',
    },
    {
      name: 'in-cluster brackets an IPv6 service host',
      opts: () => ({ env: { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' } }),
      server: 'https://[fd00::1]:443',
    },
    {
      name: 'inCluster: false skips the service account',
      opts: () => ({ inCluster: false, env: { ...inClusterEnv, HOME: join(dir, 'home') } }),
      server: 'https://127.0.0.1:7001',
    },
    {
      name: 'no token file: falls through to ~/.kube/config',
      opts: () => ({
        env: { ...inClusterEnv, HOME: join(dir, 'home') },
        serviceAccountDir: join(dir, 'sa-no-token'),
      }),
      server: 'https://127.0.0.1:7001',
    },
    {
      name: 'KUBECONFIG list: first current-context and first cluster definition win',
      opts: () => ({
        env: {
          KUBECONFIG: `${join(dir, 'missing.yaml')}:${join(dir, 'a.yaml')}:${join(dir, 'b.yaml')}`,
        },
      }),
      server: 'https://127.0.0.1:7002',
    },
    {
      name: 'KUBECONFIG is preferred over ~/.kube/config',
      opts: () => ({ env: { KUBECONFIG: join(dir, 'b.yaml'), HOME: join(dir, 'home') } }),
      server: 'https://127.0.0.1:9999',
    },
  ];
  it.each(cases)('$name', ({ opts, server }) => {
    const kc = loadKubeConfig({ serviceAccountDir: join(dir, 'sa'), ...opts() });
    expect(kc?.getCurrentCluster()?.server).toBe(server);
  });

  it('no configuration anywhere means no cluster', () => {
    expect(
      loadKubeConfig({ env: { HOME: join(dir, 'nowhere') }, serviceAccountDir: join(dir, 'sa') }),
    ).toBeUndefined();
  });

  it('in-cluster config reads the token file and mounted CA', async () => {
    const kc = loadKubeConfig({ env: inClusterEnv, serviceAccountDir: join(dir, 'sa') })!;
    expect(kc.getCurrentCluster()?.caFile).toBe(join(dir, 'sa', 'ca.crt'));
    const opts: { headers?: Record<string, string> } = { headers: {} };
    await kc.applyToHTTPSOptions(opts);
    expect(opts.headers?.Authorization).toBe('Bearer sa-token');
  });

  it('relative certificate-authority paths resolve against the kubeconfig folder', () => {
    const kc = loadKubeConfigFile(join(dir, 'relative.yaml'));
    expect(kc.getCurrentCluster()?.caFile).toBe(join(dir, 'ca.crt'));
  });

  it('delegation kubeconfigs fall back to the main one and honour dedicated files', () => {
    const main = loadKubeConfigFile(join(dir, 'a.yaml'));
    const both = loadDelegationKubeConfigs({
      main,
      authenticationKubeconfig: join(dir, 'authn.yaml'),
    });
    expect(both.authentication?.getCurrentCluster()?.server).toBe('https://127.0.0.1:7005');
    expect(both.authorization).toBe(main);
    expect(loadDelegationKubeConfigs({ main: undefined })).toEqual({
      authentication: undefined,
      authorization: undefined,
    });
  });
});

describe('loadKubeConfig: should fail', () => {
  const cases = [
    {
      name: 'explicit file missing',
      file: 'absent.yaml',
      text: undefined,
      message: /absent\.yaml: file not found/,
    },
    {
      name: 'invalid YAML',
      file: 'bad-yaml.yaml',
      text: 'clusters: [\n',
      message: /bad-yaml\.yaml: not valid YAML/,
    },
    {
      name: 'not a mapping',
      file: 'list.yaml',
      text: '- a\n- b\n',
      message: /list\.yaml: not a kubeconfig/,
    },
    {
      name: 'cluster without server',
      file: 'noserver.yaml',
      text: 'clusters:\n- name: c\n  cluster: {}\n',
      message: /noserver\.yaml: clusters\[0\]\.cluster(\.server)? is missing/,
    },
    {
      name: 'no current-context',
      file: 'nocurrent.yaml',
      text: kubeconfigYaml({ entries: [['x', 'c', 'https://127.0.0.1:1']] }),
      message: /nocurrent\.yaml: no current-context is set/,
    },
    {
      name: 'current-context not defined',
      file: 'undefctx.yaml',
      text: kubeconfigYaml({ current: 'zzz', entries: [['x', 'c', 'https://127.0.0.1:1']] }),
      message: /current-context "zzz" is not defined/,
    },
    {
      name: 'context refers to a missing cluster',
      file: 'nocluster.yaml',
      text: 'current-context: x\ncontexts:\n- name: x\n  context:\n    cluster: ghost\n    user: u\nusers:\n- name: u\n  user: {}\n',
      message: /context "x" refers to cluster "ghost", which is not defined/,
    },
    {
      name: 'certificate-authority unreadable',
      file: 'noca.yaml',
      text: kubeconfigYaml({
        current: 'x',
        entries: [['x', 'c', 'https://127.0.0.1:1']],
        ca: 'nope.crt',
      }),
      message: /certificate-authority .*nope\.crt cannot be read \(ENOENT\)/,
    },
  ];
  it.each(cases)('$name', ({ file, text, message }) => {
    const path = text === undefined ? join(dir, file) : write(file, text);
    let thrown: unknown;
    try {
      loadKubeConfig({ kubeconfig: path, env: {} });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(KubeConfigError);
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as KubeConfigError).file).toBe(path);
  });

  it('in-cluster requested without the service environment', () => {
    expect(() =>
      loadKubeConfig({ inCluster: true, env: {}, serviceAccountDir: join(dir, 'sa') }),
    ).toThrow(/KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined/);
  });

  it('in-cluster requested without a token names the token file', () => {
    expect(() =>
      loadKubeConfig({
        inCluster: true,
        env: inClusterEnv,
        serviceAccountDir: join(dir, 'sa-no-token'),
      }),
    ).toThrow(/sa-no-token\/token: file not found/);
  });
});
