/**
 * The stand-in's own process (started by stand-in.ts): an HTTPS server that answers one discovery
 * path and appends every request it sees, as one JSON line, to a file the test reads. It runs as a
 * child so that under 'endpoints' routing it can live inside the test's network namespace, on the
 * namespace-side address (see harness/netns.ts).
 *
 * stand-in.ts runs the compiled file from dist/ (`npm run test:e2e` compiles test/e2e first, tsconfig.e2e.json).
 * @module
 */
import { appendFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { TLSSocket } from 'node:tls';

/** One request as the stand-in saw it. */
export interface SeenRequest {
  path: string;
  /** CN of the verified client certificate, if any. */
  clientCn?: string;
  /** X-Remote-User set by the aggregator for the end user. */
  remoteUser?: string;
  remoteGroups: string[];
}

/** The JSON file named by the only argument. */
export interface StandInConfig {
  host: string;
  /** 0: the kernel picks one, reported in `readyFile`. */
  port: number;
  keyFile: string;
  certFile: string;
  /** Trusted for client certificates (the front-proxy CA). */
  clientCaFile: string;
  discoveryPath: string;
  /** Served with 200 on `discoveryPath`. */
  discovery: unknown;
  /** Receives one {@link SeenRequest} per line, written before the response is sent. */
  requestsFile: string;
  /** Written once listening: `{"port": <n>}`. */
  readyFile: string;
}

const NOT_FOUND = {
  kind: 'Status',
  apiVersion: 'v1',
  status: 'Failure',
  reason: 'NotFound',
  code: 404,
};

function serve(config: StandInConfig): void {
  const server = createServer(
    {
      key: readFileSync(config.keyFile),
      cert: readFileSync(config.certFile),
      ca: readFileSync(config.clientCaFile),
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req, res) => {
      const socket = req.socket as TLSSocket;
      const peer = socket.authorized ? socket.getPeerCertificate() : undefined;
      const seen: SeenRequest = {
        path: req.url ?? '',
        ...(peer?.subject?.CN ? { clientCn: String(peer.subject.CN) } : {}),
        ...(typeof req.headers['x-remote-user'] === 'string'
          ? { remoteUser: req.headers['x-remote-user'] }
          : {}),
        // headersDistinct keeps repeated X-Remote-Group headers apart (one group each).
        remoteGroups: req.headersDistinct['x-remote-group'] ?? [],
      };
      // Recorded before answering, so a test that got the response through the aggregator
      // finds the request in the file.
      appendFileSync(config.requestsFile, `${JSON.stringify(seen)}\n`);
      const found = req.url?.split('?')[0] === config.discoveryPath;
      res.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(found ? config.discovery : NOT_FOUND));
    },
  );
  server.listen(config.port, config.host, () => {
    const address = server.address();
    const port = address && typeof address === 'object' ? address.port : config.port;
    // Renamed into place, so the test never reads a half-written file.
    writeFileSync(`${config.readyFile}.tmp`, JSON.stringify({ port }));
    renameSync(`${config.readyFile}.tmp`, config.readyFile);
  });
}

serve(JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as StandInConfig);
