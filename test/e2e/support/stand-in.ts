/**
 * A minimal aggregated API server standing in for scaleplane while proving the cluster's routing:
 * it serves the discovery document of one group version over HTTPS, asks for a client
 * certificate (the aggregator's front-proxy identity) and records who called.
 * @module
 */
import { createServer, type Server } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { issue, type CertPair } from '../../support/pki.js';

/** One request as the stand-in saw it. */
export interface SeenRequest {
  path: string;
  /** CN of the verified client certificate, if any. */
  clientCn?: string;
  /** X-Remote-User set by the aggregator for the end user. */
  remoteUser?: string;
  remoteGroups: string[];
}

export interface StandIn {
  readonly url: string;
  readonly requests: readonly SeenRequest[];
  close(): Promise<void>;
}

/** Inputs of {@link startStandIn}. */
export interface StandInOptions {
  dir: string;
  host: string;
  port: number;
  /** Issues the serving certificate; the aggregator verifies `<service>.<namespace>.svc`. */
  ca: CertPair;
  /** Trusted for client certificates (the front-proxy CA). */
  clientCa: CertPair;
  service: { namespace: string; name: string };
  group: string;
  version: string;
  /** Resources listed in the APIResourceList. */
  resources: readonly string[];
}

function resourceList(options: StandInOptions): unknown {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: `${options.group}/${options.version}`,
    resources: options.resources.map((name) => ({
      name,
      singularName: '',
      namespaced: name !== 'nodes',
      kind: name,
      verbs: ['get', 'list'],
    })),
  };
}

/** Starts the stand-in; it answers the discovery path with 200 and everything else with 404. */
export async function startStandIn(options: StandInOptions): Promise<StandIn> {
  const { namespace, name } = options.service;
  const cert = await issue(options.dir, {
    name: `stand-in-${name}`,
    cn: name,
    ca: options.ca,
    san: [`DNS:${name}.${namespace}.svc`, `IP:${options.host}`],
    usage: 'serverAuth',
  });
  const requests: SeenRequest[] = [];
  const discoveryPath = `/apis/${options.group}/${options.version}`;
  const server: Server = createServer(
    {
      key: cert.keyPem,
      cert: cert.certPem,
      ca: options.clientCa.certPem,
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req, res) => {
      const socket = req.socket as TLSSocket;
      const peer = socket.authorized ? socket.getPeerCertificate() : undefined;
      requests.push({
        path: req.url ?? '',
        ...(peer?.subject?.CN ? { clientCn: String(peer.subject.CN) } : {}),
        ...(typeof req.headers['x-remote-user'] === 'string'
          ? { remoteUser: req.headers['x-remote-user'] }
          : {}),
        // headersDistinct keeps repeated X-Remote-Group headers apart (one group each).
        remoteGroups: req.headersDistinct['x-remote-group'] ?? [],
      });
      const found = req.url?.split('?')[0] === discoveryPath;
      res.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          found
            ? resourceList(options)
            : {
                kind: 'Status',
                apiVersion: 'v1',
                status: 'Failure',
                reason: 'NotFound',
                code: 404,
              },
        ),
      );
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  return {
    url: `https://${options.host}:${options.port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
