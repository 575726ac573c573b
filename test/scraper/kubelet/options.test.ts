import { describe, expect, it } from 'vitest';
import {
  defaultKubeletScrapeOptions,
  validateKubeletScrapeOptions,
  type KubeletScrapeOptions,
} from '../../../scraper/kubelet/options.js';

const base = defaultKubeletScrapeOptions;
const withOpts = (o: Partial<KubeletScrapeOptions>): KubeletScrapeOptions => ({ ...base, ...o });

describe('validateKubeletScrapeOptions: should pass', () => {
  const cases = [
    { name: 'flag defaults', o: base, minResolutionMs: undefined },
    {
      name: 'timeout exactly 90% of the resolution',
      o: withOpts({ metricResolutionMs: 10_000, requestTimeoutMs: 9_000 }),
      minResolutionMs: undefined,
    },
    {
      name: 'resolution of exactly 10 s',
      o: withOpts({ metricResolutionMs: 10_000, requestTimeoutMs: 5_000 }),
      minResolutionMs: undefined,
    },
    {
      name: 'short resolution when a test lowers the floor',
      o: withOpts({ metricResolutionMs: 200, requestTimeoutMs: 150 }),
      minResolutionMs: 100,
    },
    {
      name: 'client certificate with its key',
      o: withOpts({ clientCertificate: '/c.pem', clientKey: '/k.pem' }),
      minResolutionMs: undefined,
    },
    {
      name: 'summary source, IPs only',
      o: withOpts({ source: 'summary', preferredAddressTypes: ['InternalIP', 'ExternalIP'] }),
      minResolutionMs: undefined,
    },
  ];
  it.each(cases)('$name', ({ o, minResolutionMs }) => {
    expect(validateKubeletScrapeOptions(o, { minResolutionMs })).toEqual([]);
  });
});

describe('validateKubeletScrapeOptions: should fail', () => {
  const cases: {
    name: string;
    o: KubeletScrapeOptions;
    paths: string[];
    minResolutionMs?: number;
  }[] = [
    {
      name: 'resolution under 10 s in production',
      o: withOpts({ metricResolutionMs: 5_000, requestTimeoutMs: 1_000 }),
      paths: ['--metric-resolution'],
    },
    {
      name: 'resolution under a lowered floor',
      o: withOpts({ metricResolutionMs: 50, requestTimeoutMs: 10 }),
      paths: ['--metric-resolution'],
      minResolutionMs: 100,
    },
    {
      name: 'timeout just above 90% (metrics-server MetricResolution*9/10 < timeout)',
      o: withOpts({ metricResolutionMs: 10_000, requestTimeoutMs: 9_001 }),
      paths: ['--kubelet-request-timeout'],
    },
    {
      name: 'timeout equal to the resolution',
      o: withOpts({ metricResolutionMs: 15_000, requestTimeoutMs: 15_000 }),
      paths: ['--kubelet-request-timeout'],
    },
    {
      name: 'zero timeout',
      o: withOpts({ requestTimeoutMs: 0 }),
      paths: ['--kubelet-request-timeout'],
    },
    {
      name: 'CA with insecure TLS',
      o: withOpts({ certificateAuthority: '/ca.pem', insecureTls: true }),
      paths: ['--kubelet-certificate-authority'],
    },
    {
      name: 'inline CA with a CA file',
      o: withOpts({
        certificateAuthority: '/ca.pem',
        certificateAuthorityText: '-----BEGIN CERTIFICATE-----',
      }),
      paths: ['--kubelet-certificate-authority-text'],
    },
    {
      name: 'inline CA that is not PEM',
      o: withOpts({ certificateAuthorityText: 'not a certificate' }),
      paths: ['--kubelet-certificate-authority-text'],
    },
    {
      name: 'client certificate without key',
      o: withOpts({ clientCertificate: '/c.pem' }),
      paths: ['--kubelet-client-key'],
    },
    {
      name: 'client key without certificate',
      o: withOpts({ clientKey: '/k.pem' }),
      paths: ['--kubelet-client-certificate'],
    },
    {
      name: 'unknown address type, by index',
      o: withOpts({ preferredAddressTypes: ['InternalIP', 'PodIP'] }),
      paths: ['--kubelet-preferred-address-types[1]'],
    },
    {
      name: 'no address type',
      o: withOpts({ preferredAddressTypes: [] }),
      paths: ['--kubelet-preferred-address-types'],
    },
    { name: 'port out of range', o: withOpts({ port: 70000 }), paths: ['--kubelet-port'] },
    {
      name: 'zero concurrency',
      o: withOpts({ maxConcurrency: 0 }),
      paths: ['--kubelet-max-concurrency'],
    },
    {
      name: 'zero body limit',
      o: withOpts({ maxBodyBytes: 0 }),
      paths: ['--kubelet-max-body-bytes'],
    },
    {
      name: 'unknown source',
      o: withOpts({ source: 'cadvisor' as 'resource' }),
      paths: ['--kubelet-source'],
    },
    {
      name: 'node selector with static nodes',
      o: withOpts({ staticNodesFile: '/n.yaml', nodeSelector: 'a=b' }),
      paths: ['--node-selector'],
    },
    {
      name: 'every issue at once, not only the first',
      o: withOpts({ metricResolutionMs: 1_000, requestTimeoutMs: 2_000, clientKey: '/k', port: 0 }),
      paths: [
        '--metric-resolution',
        '--kubelet-request-timeout',
        '--kubelet-client-certificate',
        '--kubelet-port',
      ],
    },
  ];
  it.each(cases)('$name', ({ o, paths, minResolutionMs }) => {
    const issues = validateKubeletScrapeOptions(o, { minResolutionMs });
    expect(issues.map((i) => i.path)).toEqual(paths);
    for (const i of issues) expect(i.message).not.toBe('');
  });
});
