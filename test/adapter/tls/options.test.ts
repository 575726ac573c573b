import { describe, expect, it } from 'vitest';
import { tlsCipherString, tlsMinVersion } from '../../../adapter/tls/index.js';

const tls13 = 'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256';

describe('tlsMinVersion', () => {
  const pass = [
    { name: 'VersionTLS12', input: 'VersionTLS12', want: 'TLSv1.2' },
    { name: 'VersionTLS13', input: 'VersionTLS13', want: 'TLSv1.3' },
    { name: 'unset keeps the Node default', input: undefined, want: undefined },
    { name: 'empty keeps the Node default', input: '', want: undefined },
  ];
  it.each(pass)('should pass: $name', ({ input, want }) => expect(tlsMinVersion(input)).toBe(want));

  const fail = [
    { name: 'Node spelling', input: 'TLSv1.2' },
    { name: 'lower case', input: 'versiontls12' },
  ];
  it.each(fail)('should fail: $name', ({ input }) =>
    expect(() => tlsMinVersion(input)).toThrow(`unknown TLS version "${input}"`),
  );
});

describe('tlsCipherString', () => {
  const pass = [
    {
      name: 'one ECDHE suite keeps the TLS 1.3 suites',
      input: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
      want: `${tls13}:ECDHE-RSA-AES128-GCM-SHA256`,
    },
    {
      name: 'pre-RFC ChaCha20 alias maps like the RFC name and duplicates collapse',
      input: [
        'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305',
        'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
      ],
      want: `${tls13}:ECDHE-RSA-CHACHA20-POLY1305`,
    },
    {
      name: 'TLS 1.3 names are accepted (Go ignores them)',
      input: ['TLS_AES_128_GCM_SHA256'],
      want: tls13,
    },
    {
      name: 'surrounding blanks from a comma list are trimmed',
      input: [' TLS_RSA_WITH_AES_128_GCM_SHA256 '],
      want: `${tls13}:AES128-GCM-SHA256`,
    },
    { name: 'no list keeps the Node default', input: [], want: undefined },
  ];
  it.each(pass)('should pass: $name', ({ input, want }) =>
    expect(tlsCipherString(input)).toBe(want),
  );

  const fail = [
    {
      name: 'OpenSSL spelling',
      input: ['ECDHE-RSA-AES128-GCM-SHA256'],
      message: 'unknown cipher suite "ECDHE-RSA-AES128-GCM-SHA256"',
    },
    {
      name: 'typo',
      input: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA265'],
      message: 'unknown cipher suite "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA265"',
    },
    {
      name: '3DES is not in this OpenSSL',
      input: ['TLS_RSA_WITH_3DES_EDE_CBC_SHA'],
      message: '"TLS_RSA_WITH_3DES_EDE_CBC_SHA" (DES-CBC3-SHA) is not available',
    },
  ];
  it.each(fail)('should fail: $name', ({ input, message }) =>
    expect(() => tlsCipherString(input)).toThrow(message),
  );
});
