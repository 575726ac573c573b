/**
 * The cluster's own authentication settings for extension API servers: the ConfigMap
 * kube-system/extension-apiserver-authentication that kube-apiserver maintains, holding the client
 * CA (`client-ca-file`), the front-proxy CA (`requestheader-client-ca-file`) and the requestheader
 * header names and allowed names as JSON arrays (k8s.io/apiserver options/authentication.go,
 * headerrequest/requestheader_controller.go, dynamiccertificates ConfigMapCAController). A missing
 * ConfigMap means "nothing configured"; a forbidden one gets upstream's RoleBinding hint.
 * @module
 */
import type { Logger, Sleep } from '../../src/observability/index.js';
import { parseCABundle, type CABundle } from './ca-bundle.js';
import type { RequestHeaderSettings } from './requestheader.js';

export const authenticationConfigMapNamespace = 'kube-system';
export const authenticationConfigMapName = 'extension-apiserver-authentication';
/** The Role that grants reading the ConfigMap, named in the hint for a 403. */
const authenticationRoleName = 'extension-apiserver-authentication-reader';

/** Reads a ConfigMap's data; undefined when it does not exist. Errors may carry `httpCode`. */
export interface ConfigMapReader {
  read(namespace: string, name: string): Promise<Record<string, string> | undefined>;
}

export interface ExtensionAuthentication {
  clientCA?: CABundle;
  requestHeaderCA?: CABundle;
  requestHeader: RequestHeaderSettings;
}

const emptySettings: RequestHeaderSettings = {
  usernameHeaders: [],
  groupHeaders: [],
  extraHeaderPrefixes: [],
  allowedNames: [],
};

/** deserializeStrings: empty means none; otherwise a JSON array of strings. */
function jsonStrings(data: Record<string, string>, key: string): string[] {
  const raw = data[key];
  if (!raw) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw new Error(
      `configmap/${authenticationConfigMapName} key ${key}: not valid JSON: ${(err as Error).message}`,
      { cause: err },
    );
  }
  if (!Array.isArray(parsed) || parsed.some((v) => typeof v !== 'string')) {
    throw new Error(
      `configmap/${authenticationConfigMapName} key ${key}: expected a JSON array of strings`,
    );
  }
  return parsed as string[];
}

function caBundle(data: Record<string, string>, key: string): CABundle | undefined {
  const pem = data[key];
  return pem && pem.trim() !== ''
    ? parseCABundle(pem, `configmap/${authenticationConfigMapName} key ${key}`)
    : undefined;
}

/** Decodes the ConfigMap's data; throws naming the key at fault. */
export function decodeExtensionAuthentication(
  data: Record<string, string>,
): ExtensionAuthentication {
  const headers = (key: string): string[] =>
    jsonStrings(data, key)
      .map((h) => h.trim().toLowerCase())
      .filter((h) => h !== '');
  const clientCA = caBundle(data, 'client-ca-file');
  const requestHeaderCA = caBundle(data, 'requestheader-client-ca-file');
  return {
    ...(clientCA ? { clientCA } : {}),
    ...(requestHeaderCA ? { requestHeaderCA } : {}),
    requestHeader: {
      usernameHeaders: headers('requestheader-username-headers'),
      groupHeaders: headers('requestheader-group-headers'),
      extraHeaderPrefixes: headers('requestheader-extra-headers-prefix'),
      allowedNames: jsonStrings(data, 'requestheader-allowed-names'),
    },
  };
}

/** Reads and decodes the ConfigMap once; a missing one yields empty settings. */
export async function readExtensionAuthentication(
  reader: ConfigMapReader,
): Promise<ExtensionAuthentication> {
  const data = await reader.read(authenticationConfigMapNamespace, authenticationConfigMapName);
  return data === undefined
    ? { requestHeader: emptySettings }
    : decodeExtensionAuthentication(data);
}

export interface LookupOptions {
  reader: ConfigMapReader;
  /** --authentication-tolerate-lookup-failure: go on without the cluster's settings. */
  tolerateLookupFailure: boolean;
  logger: Logger;
}

/**
 * The start-up lookup (RequestHeaderAuthRequestController.RunOnce): a missing ConfigMap is
 * tolerated with a warning; other failures stop start-up unless tolerated.
 */
export async function lookupExtensionAuthentication(
  options: LookupOptions,
): Promise<ExtensionAuthentication | undefined> {
  const where = {
    configmap: authenticationConfigMapName,
    namespace: authenticationConfigMapNamespace,
  };
  try {
    const data = await options.reader.read(
      authenticationConfigMapNamespace,
      authenticationConfigMapName,
    );
    if (data === undefined) {
      options.logger.warn(
        'authentication configmap not found; client certificates are only trusted from files',
        where,
      );
      return { requestHeader: emptySettings };
    }
    return decodeExtensionAuthentication(data);
  } catch (err) {
    if ((err as { httpCode?: unknown }).httpCode === 403) {
      options.logger.warn('authentication configmap is forbidden; grant it with a RoleBinding', {
        ...where,
        hint: `kubectl create rolebinding -n ${authenticationConfigMapNamespace} ROLEBINDING_NAME --role=${authenticationRoleName} --serviceaccount=YOUR_NS:YOUR_SA`,
      });
    }
    if (!options.tolerateLookupFailure) {
      throw new Error(
        `unable to load configmap based authentication configuration: ${(err as Error).message}`,
        { cause: err },
      );
    }
    options.logger.warn('authentication configmap lookup failed; continuing without it', {
      ...where,
      err,
    });
    return undefined;
  }
}

export interface RefreshOptions {
  reader: ConfigMapReader;
  intervalMs: number;
  sleep: Sleep;
  logger: Logger;
  apply: (settings: ExtensionAuthentication) => void;
}

/** Re-reads the ConfigMap every interval; a failed read keeps the settings in force. */
export function refreshExtensionAuthentication(options: RefreshOptions): { close(): void } {
  const abort = new AbortController();
  void (async () => {
    while (!abort.signal.aborted) {
      await options.sleep(options.intervalMs, abort.signal);
      if (abort.signal.aborted) return;
      try {
        options.apply(await readExtensionAuthentication(options.reader));
      } catch (err) {
        options.logger.warn(
          'authentication configmap refresh failed; keeping the previous settings',
          { err },
        );
      }
    }
  })();
  return { close: () => abort.abort() };
}
