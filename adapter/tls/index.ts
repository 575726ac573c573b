/**
 * HTTPS serving for the aggregated API: certificates (files, rotation, self-signed), TLS flags and
 * connection limits.
 * @module
 */
export * from './server.js';
export { defaultServerLimits, type ServerLimits } from './listener.js';
export { tlsCipherString, tlsMinVersion } from './options.js';
export {
  ensureSelfSignedPair,
  pairName,
  type SelfSignedOptions,
  type ServingPair,
} from './selfsigned.js';
export { watchFiles, contentHash, type FileWatch, type WatchFilesOptions } from './watch.js';
