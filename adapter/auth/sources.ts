/**
 * Where the trusted CAs and requestheader settings come from (k8s.io/apiserver
 * DelegatingAuthenticationOptions.ApplyTo): `--client-ca-file` and `--requestheader-client-ca-file`
 * with their flags win; whatever they leave open is taken from the
 * extension-apiserver-authentication ConfigMap, looked up at start and refreshed afterwards.
 * @module
 */
import type { Logger, Sleep } from '../../src/observability/index.js';
import { DynamicCABundle, watchCAFile } from './ca-bundle.js';
import {
  lookupExtensionAuthentication,
  refreshExtensionAuthentication,
  type ConfigMapReader,
  type ExtensionAuthentication,
} from './extension-config.js';
import { normaliseHeaderNames, type RequestHeaderSettings } from './requestheader.js';

/** The flags this module reads (a subset of DelegatingAuthOptions). */
export interface SourceOptions {
  clientCAFile?: string;
  requestHeaderClientCAFile?: string;
  requestHeaderAllowedNames?: readonly string[];
  requestHeaderUsernameHeaders?: readonly string[];
  requestHeaderGroupHeaders?: readonly string[];
  requestHeaderExtraHeadersPrefix?: readonly string[];
  tolerateLookupFailure?: boolean;
  /** --authentication-skip-lookup: the CAs and requestheader settings come from flags only. */
  skipLookup?: boolean;
  filePollIntervalMs?: number;
  configMapRefreshIntervalMs?: number;
  logger: Logger;
}

export interface CASources {
  clientCA: DynamicCABundle;
  requestHeaderCA: DynamicCABundle;
  /** Undefined while no requestheader settings are known. */
  requestHeader: () => RequestHeaderSettings | undefined;
  closers: Array<() => void>;
}

/** The requestheader flags, with upstream's defaults (x-remote-user, x-remote-group, x-remote-extra-). */
function flagSettings(options: SourceOptions): RequestHeaderSettings {
  return {
    usernameHeaders: normaliseHeaderNames(
      '--requestheader-username-headers',
      options.requestHeaderUsernameHeaders ?? ['X-Remote-User'],
    ),
    groupHeaders: normaliseHeaderNames(
      '--requestheader-group-headers',
      options.requestHeaderGroupHeaders ?? ['X-Remote-Group'],
    ),
    extraHeaderPrefixes: normaliseHeaderNames(
      '--requestheader-extra-headers-prefix',
      options.requestHeaderExtraHeadersPrefix ?? ['X-Remote-Extra-'],
    ),
    allowedNames: options.requestHeaderAllowedNames ?? [],
  };
}

/** CA bundles from the flag files, watched; empty bundles for what the flags leave open. */
async function fileSources(options: SourceOptions, sleep: Sleep): Promise<CASources> {
  const closers: Array<() => void> = [];
  const fromFile = async (name: string, file: string | undefined): Promise<DynamicCABundle> => {
    if (!file) return new DynamicCABundle(name);
    const watched = await watchCAFile(name, file, {
      pollIntervalMs: options.filePollIntervalMs ?? 60_000,
      sleep,
      logger: options.logger,
    });
    closers.push(() => watched.close());
    return watched.bundle;
  };
  const clientCA = await fromFile('client-ca', options.clientCAFile);
  const requestHeaderCA = await fromFile(
    'requestheader-client-ca',
    options.requestHeaderClientCAFile,
  );
  const settings = options.requestHeaderClientCAFile ? flagSettings(options) : undefined;
  return { clientCA, requestHeaderCA, requestHeader: () => settings, closers };
}

/** Fills what the flags left open from the ConfigMap, now and on every refresh. */
async function attachCluster(
  sources: CASources,
  options: SourceOptions,
  reader: ConfigMapReader,
  sleep: Sleep,
): Promise<void> {
  let current: ExtensionAuthentication | undefined = await lookupExtensionAuthentication({
    reader,
    tolerateLookupFailure: options.tolerateLookupFailure ?? false,
    logger: options.logger,
  });
  const apply = (ext: ExtensionAuthentication): void => {
    current = ext;
    if (!options.clientCAFile) sources.clientCA.set(ext.clientCA);
    if (!options.requestHeaderClientCAFile) sources.requestHeaderCA.set(ext.requestHeaderCA);
  };
  if (current) apply(current);
  if (!options.requestHeaderClientCAFile) sources.requestHeader = () => current?.requestHeader;
  const intervalMs = options.configMapRefreshIntervalMs ?? 60_000;
  const refresh = refreshExtensionAuthentication({
    reader,
    intervalMs,
    sleep,
    logger: options.logger,
    apply,
  });
  sources.closers.push(() => refresh.close());
}

/** Builds the CA sources; resolves after the start-up ConfigMap lookup when one is needed. */
export async function caSources(
  options: SourceOptions,
  reader: ConfigMapReader | undefined,
  sleep: Sleep,
): Promise<CASources> {
  const sources = await fileSources(options, sleep);
  if (options.clientCAFile && options.requestHeaderClientCAFile) return sources;
  if (options.skipLookup) {
    options.logger.info('authentication configmap lookup skipped (--authentication-skip-lookup)', {
      clientCAFile: options.clientCAFile ?? '',
      requestHeaderClientCAFile: options.requestHeaderClientCAFile ?? '',
    });
    return sources;
  }
  if (!reader) {
    options.logger.warn(
      'no authentication kubeconfig; client CAs are not looked up in the cluster',
      {
        clientCAFile: options.clientCAFile ?? '',
        requestHeaderClientCAFile: options.requestHeaderClientCAFile ?? '',
      },
    );
    return sources;
  }
  try {
    await attachCluster(sources, options, reader, sleep);
  } catch (err) {
    // A failed start-up leaves no file watcher behind.
    sources.closers.forEach((close) => close());
    throw err;
  }
  return sources;
}
