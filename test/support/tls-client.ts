/**
 * A one-shot HTTPS client for tests: a fresh connection per request (so certificate rotation and
 * TLS settings are observed), with the peer certificate and negotiated protocol in the answer.
 * @module
 */
import { request as httpsRequest } from 'node:https';
import type { OutgoingHttpHeaders } from 'node:http';
import type { DetailedPeerCertificate, SecureVersion, TLSSocket } from 'node:tls';

export interface TlsRequestOptions {
  /** Base URL such as https://127.0.0.1:port. */
  url: string;
  path?: string;
  method?: string;
  /** Trust anchors for the server certificate; verification is on whenever this is set. */
  ca?: string;
  /** Name the server certificate is verified against (and sent as SNI) instead of the URL's host. */
  servername?: string;
  cert?: string;
  key?: string;
  headers?: OutgoingHttpHeaders;
  minVersion?: SecureVersion;
  maxVersion?: SecureVersion;
  ciphers?: string;
  body?: string;
}

export interface TlsResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  peerCertificate: DetailedPeerCertificate;
  protocol: string | null;
  cipher: string;
}

export function tlsRequest(options: TlsRequestOptions): Promise<TlsResponse> {
  const url = new URL(options.path ?? '/', options.url);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        method: options.method ?? 'GET',
        agent: false,
        rejectUnauthorized: options.ca !== undefined,
        ...(options.ca ? { ca: options.ca } : {}),
        ...(options.servername ? { servername: options.servername } : {}),
        ...(options.cert ? { cert: options.cert, key: options.key } : {}),
        ...(options.minVersion ? { minVersion: options.minVersion } : {}),
        ...(options.maxVersion ? { maxVersion: options.maxVersion } : {}),
        ...(options.ciphers ? { ciphers: options.ciphers } : {}),
        headers: options.headers ?? {},
      },
      (res) => {
        const socket = res.socket as TLSSocket;
        const peerCertificate = socket.getPeerCertificate(true);
        const protocol = socket.getProtocol();
        const cipher = socket.getCipher().name;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            peerCertificate,
            protocol,
            cipher,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
