/**
 * values.schema.json: bad values fail `helm template` (and so `helm install`) with a message that
 * names the offending value; valid edge cases still render.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureHelm, helmTemplateRaw, TOOL_BUILD_TIMEOUT_MS } from '../support/helm.js';

beforeAll(async () => {
  await ensureHelm();
}, TOOL_BUILD_TIMEOUT_MS);

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('rejected values', () => {
  const cases = [
    {
      name: 'replicas as a word',
      values: { replicas: 'two' },
      message: "at '/replicas': got string, want integer",
    },
    {
      name: 'zero replicas',
      values: { replicas: 0 },
      message: "at '/replicas': minimum: got 0, want 1",
    },
    {
      name: 'unknown tls.mode',
      values: { tls: { mode: 'bogus' } },
      message:
        "at '/tls/mode': value must be one of 'generate', 'existingSecret', 'certManager', 'selfSigned'",
    },
    {
      name: 'unknown top-level key',
      values: { replica: 2 },
      message: "at '': additional properties 'replica' not allowed",
    },
    {
      name: 'unknown nested key',
      values: { prometheus: { address: 'http://prom' } },
      message: "at '/prometheus': additional properties 'address' not allowed",
    },
    {
      name: 'insecureSkipTLSVerify as a string',
      values: { tls: { mode: 'selfSigned', insecureSkipTLSVerify: 'true' } },
      message: "at '/tls/insecureSkipTLSVerify': got string, want boolean",
    },
    {
      name: 'selfSigned without the explicit opt-in',
      values: { tls: { mode: 'selfSigned' } },
      message: "at '/tls/insecureSkipTLSVerify': value must be true",
    },
    {
      name: 'insecureSkipTLSVerify with a verifiable mode',
      values: { tls: { insecureSkipTLSVerify: true } },
      message: "at '/tls/insecureSkipTLSVerify': value must be false",
    },
    {
      name: 'existingSecret without a name',
      values: { tls: { mode: 'existingSecret', existingSecret: { caBundle: PEM } } },
      message: "at '/tls/existingSecret/name': minLength: got 0, want 1",
    },
    {
      name: 'existingSecret without a PEM caBundle',
      values: { tls: { mode: 'existingSecret', existingSecret: { name: 's', caBundle: 'abc' } } },
      message: "at '/tls/existingSecret/caBundle': 'abc' does not match pattern",
    },
    {
      name: 'existing issuer without a name',
      values: { tls: { mode: 'certManager', certManager: { existingIssuer: { enabled: true } } } },
      message: "at '/tls/certManager/existingIssuer/name': minLength: got 0, want 1",
    },
    {
      name: 'unknown hpa.mode',
      values: { hpa: { mode: 'scale' } },
      message: "at '/hpa/mode': value must be one of 'off', 'recommend', false",
    },
    {
      name: 'unknown kubelet.source',
      values: { kubelet: { source: 'cadvisor' } },
      message: "at '/kubelet/source': value must be one of 'resource', 'summary'",
    },
    {
      name: 'unknown address type',
      values: { kubelet: { preferredAddressTypes: ['InternalIP', 'PodIP'] } },
      message: "at '/kubelet/preferredAddressTypes/1': value must be one of",
    },
    {
      name: 'metricResolution without a unit',
      values: { metricResolution: '15' },
      message: "at '/metricResolution': '15' does not match pattern",
    },
    {
      name: 'prometheus url without a scheme',
      values: { prometheus: { url: 'prom:9090' } },
      message: "at '/prometheus/url': 'prom:9090' does not match pattern",
    },
    {
      name: 'bearer token without a Secret',
      values: { prometheus: { auth: { type: 'bearerToken' } } },
      message: "at '/prometheus/auth/secretName': minLength: got 0, want 1",
    },
    {
      name: 'basic auth without a user',
      values: { prometheus: { auth: { type: 'basicAuth', secretName: 'pw' } } },
      message: "at '/prometheus/auth/username': minLength: got 0, want 1",
    },
    {
      name: 'unknown custom metrics version',
      values: { apiServices: { custom: { versions: ['v1'] } } },
      message: "at '/apiServices/custom/versions/0': value must be one of 'v1beta1', 'v1beta2'",
    },
    {
      name: 'no custom metrics version',
      values: { apiServices: { custom: { versions: [] } } },
      message: "at '/apiServices/custom/versions': minItems: got 0, want 1",
    },
    {
      name: 'APIService switch as a string',
      values: { apiServices: { metrics: { enabled: 'yes' } } },
      message: "at '/apiServices/metrics/enabled': got string, want boolean",
    },
    {
      name: 'rule with an unknown key (prometheus-adapter UnmarshalStrict)',
      values: { rules: [{ seriesQuery: 'up', metricQuery: 'x' }] },
      message: "at '/rules/0': additional properties 'metricQuery' not allowed",
    },
    {
      name: 'resourceRules without memory and window',
      values: { resourceRules: { cpu: { containerQuery: 'a', nodeQuery: 'b' } } },
      message: "at '/resourceRules': properties 'memory', 'window' required, if 'cpu' exists",
    },
    {
      name: 'extraArgs that are not flags',
      values: { extraArgs: ['serve'] },
      message: "at '/extraArgs/0': 'serve' does not match pattern",
    },
  ];

  it.each(cases)('$name', async ({ values, message }) => {
    const result = await helmTemplateRaw({ values });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("values don't meet the specifications of the schema");
    expect(result.stderr).toContain(message);
  });

  it('requires serviceAccount.name when the chart does not create one', async () => {
    const result = await helmTemplateRaw({ values: { serviceAccount: { create: false } } });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      'serviceAccount.name is required when serviceAccount.create is false',
    );
  });
});

describe('accepted values', () => {
  const cases = [
    {
      name: 'hpa.mode as the YAML 1.1 boolean of an unquoted off',
      values: { hpa: { mode: false } },
    },
    {
      name: 'cron relist interval',
      values: { prometheus: { metricsRelistInterval: '0 */10 * * * *' } },
    },
    { name: 'compound Go duration', values: { metricResolution: '1m30s' } },
    {
      name: 'PodDisruptionBudget percentages',
      values: { replicas: 4, podDisruptionBudget: { maxUnavailable: '25%' } },
    },
    {
      name: 'external rule marked cluster-scoped',
      values: { externalRules: [{ seriesQuery: 'up', resources: { namespaced: false } }] },
    },
    { name: 'global values from a parent chart', values: { global: { imageRegistry: 'r' } } },
  ];

  it.each(cases)('$name', async ({ values }) => {
    const result = await helmTemplateRaw({ values });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});
