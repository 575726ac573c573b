/**
 * Query parameters and the Accept header, parsed at the edge into typed values or a 400/406
 * Status. Parameter names and conversions follow the apiserver's ListOptions decoding
 * (apimachinery pkg/apis/meta/internalversion, runtime.ParameterCodec): the first value of a
 * repeated parameter wins, booleans and integers parse as Go's strconv does.
 * @module
 */
import type { Request, Response } from 'express';
import { badRequest, parseFieldSelector, parseSelector, StatusError } from '../src/k8s/index.js';
import type { FieldSelector, Selector } from '../src/k8s/index.js';

/** Bounds on client input, so one request cannot make a handler loop over megabytes of selector. */
export interface RequestLimits {
  /**
   * Longest label, field or metric-label selector, in bytes. Longer ones get 400 BadRequest:
   * upstream has no separate cap (a long selector fails label validation or the header limit), so
   * the refusal keeps the status a bad selector already gets. Default 8 KiB.
   */
  maxSelectorBytes: number;
  /** Handler work longer than this ends in 504 Timeout (the apiserver's default request timeout is 60 s). Default 60 s. */
  requestTimeoutMs: number;
}

export const defaultRequestLimits: RequestLimits = {
  maxSelectorBytes: 8 * 1024,
  requestTimeoutMs: 60_000,
};

/** The query string of the request, parsed once; `req.url` keeps it in mounted routers too. */
export function queryOf(req: Request): URLSearchParams {
  const at = req.url.indexOf('?');
  return new URLSearchParams(at < 0 ? '' : req.url.slice(at + 1));
}

function checkLength(name: string, raw: string, limits: RequestLimits): void {
  if (Buffer.byteLength(raw) > limits.maxSelectorBytes) {
    throw badRequest(`${name} is longer than the limit of ${limits.maxSelectorBytes} bytes`);
  }
}

/** A label selector parameter (`labelSelector`, `metricLabelSelector`); absent selects everything. */
export function labelSelectorParam(
  q: URLSearchParams,
  name: string,
  limits: RequestLimits,
): Selector {
  const raw = q.get(name) ?? '';
  checkLength(name, raw, limits);
  try {
    return parseSelector(raw);
  } catch (err) {
    throw badRequest(`unable to parse ${name}: ${(err as Error).message}`);
  }
}

/**
 * The `fieldSelector` parameter, limited to `fields` as runtime.DefaultMetaV1FieldSelectorConversion
 * limits kinds without their own conversion (metrics-server registers none).
 */
export function fieldSelectorParam(
  q: URLSearchParams,
  fields: readonly string[],
  limits: RequestLimits,
): FieldSelector {
  const raw = q.get('fieldSelector') ?? '';
  checkLength('fieldSelector', raw, limits);
  let selector: FieldSelector;
  try {
    selector = parseFieldSelector(raw);
  } catch (err) {
    throw badRequest(`unable to parse fieldSelector: ${(err as Error).message}`);
  }
  for (const r of selector.requirements) {
    if (!fields.includes(r.field)) {
      const known = fields.map((f) => JSON.stringify(f)).join(', ');
      throw badRequest(`${JSON.stringify(r.field)} is not a known field selector: only ${known}`);
    }
  }
  return selector;
}

const TRUE_WORDS = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE_WORDS = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** A boolean parameter as strconv.ParseBool reads it; absent is `undefined`. */
export function boolParam(q: URLSearchParams, name: string): boolean | undefined {
  const raw = q.get(name);
  if (raw === null) return undefined;
  if (TRUE_WORDS.has(raw)) return true;
  if (FALSE_WORDS.has(raw)) return false;
  throw badRequest(
    `invalid value ${JSON.stringify(raw)} for query parameter ${JSON.stringify(name)}: must be a boolean`,
  );
}

const INT64_MAX = 2n ** 63n - 1n;

/** A base-10 int64 parameter as strconv.ParseInt reads it; absent is `undefined`. */
export function intParam(q: URLSearchParams, name: string): number | undefined {
  const raw = q.get(name);
  if (raw === null) return undefined;
  if (/^[+-]?\d{1,19}$/.test(raw)) {
    const value = BigInt(raw);
    if (value <= INT64_MAX && value >= -INT64_MAX - 1n) return Number(value);
  }
  throw badRequest(
    `invalid value ${JSON.stringify(raw)} for query parameter ${JSON.stringify(name)}: must be an integer`,
  );
}

/** How much of each object a Table row carries (metav1.IncludeObjectPolicy). */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** The `includeObject` parameter; unknown values are a 400, as asTable rejects them. */
export function includeObjectParam(q: URLSearchParams): IncludeObject {
  const raw = q.get('includeObject');
  if (raw === null || raw === '' || raw === 'Metadata') return 'Metadata';
  if (raw === 'None' || raw === 'Object') return raw;
  throw badRequest(`unrecognized includeObject value: ${JSON.stringify(raw)}`);
}

/** The media type a response is written in. */
export type MediaChoice = { kind: 'json' } | { kind: 'table'; version: 'v1' | 'v1beta1' };

interface AcceptClause {
  type: string;
  subtype: string;
  params: Map<string, string>;
  q: number;
}

function parseClause(text: string): AcceptClause | undefined {
  const [range = '', ...rest] = text.split(';').map((s) => s.trim());
  const slash = range.indexOf('/');
  if (slash <= 0) return undefined;
  const params = new Map<string, string>();
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq > 0) params.set(p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim());
  }
  const q = params.has('q') ? Number(params.get('q')) : 1;
  params.delete('q');
  return {
    type: range.slice(0, slash).toLowerCase(),
    subtype: range.slice(slash + 1).toLowerCase(),
    params,
    q: Number.isNaN(q) ? 0 : q,
  };
}

function choiceFor(c: AcceptClause, allowTable: boolean): MediaChoice | undefined {
  const jsonish =
    (c.type === 'application' || c.type === '*') && (c.subtype === 'json' || c.subtype === '*');
  if (!jsonish) return undefined;
  const as = c.params.get('as');
  if (as === undefined) return { kind: 'json' };
  const version = c.params.get('v');
  if (
    allowTable &&
    as === 'Table' &&
    c.params.get('g') === 'meta.k8s.io' &&
    (version === 'v1' || version === 'v1beta1')
  ) {
    return { kind: 'table', version };
  }
  return undefined;
}

/** Longest Accept header looked at; longer headers are cut, not parsed clause by clause forever. */
const MAX_ACCEPT_CHARS = 4096;

/**
 * Picks the response form from the Accept header as the apiserver's negotiation does
 * (handlers/negotiation NegotiateOutputMediaType): clauses by descending q, the first one we can
 * write wins; `as=Table;g=meta.k8s.io;v=v1|v1beta1` only where a Table conversion exists.
 * @throws StatusError 406 NotAcceptable when no clause can be served.
 */
export function negotiate(accept: string | undefined, allowTable: boolean): MediaChoice {
  if (accept === undefined || accept.trim() === '') return { kind: 'json' };
  const clauses = accept
    .slice(0, MAX_ACCEPT_CHARS)
    .split(',')
    .map(parseClause)
    .filter((c): c is AcceptClause => c !== undefined && c.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const clause of clauses) {
    const choice = choiceFor(clause, allowTable);
    if (choice) return choice;
  }
  const offered = allowTable
    ? 'application/json, application/json;as=Table;v=v1;g=meta.k8s.io'
    : 'application/json';
  throw notAcceptable(`only the following media types are accepted: ${offered}`);
}

/** 406 NotAcceptable (errors.NewNotAcceptableError shape; src/k8s has no constructor for it). */
function notAcceptable(message: string): StatusError {
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason: 'NotAcceptable',
    code: 406,
  });
}

/**
 * Writes a JSON body built as text. `pretty` (the `?pretty=true` parameter) re-indents it as the
 * apiserver's pretty encoder does; it costs a parse, which only a human reader asks for.
 */
export function writeJson(
  res: Response,
  body: string | Buffer,
  opts: { pretty?: boolean; contentType?: string; code?: number } = {},
): void {
  // The request deadline may already have answered 504; the late result is dropped.
  if (res.headersSent) return;
  const text = opts.pretty ? `${JSON.stringify(JSON.parse(body.toString()), null, 2)}\n` : body;
  res.status(opts.code ?? 200);
  res.setHeader('Content-Type', opts.contentType ?? 'application/json');
  res.setHeader('Cache-Control', 'no-cache, private');
  res.end(text);
}

/** The Content-Type of a Table response, echoing the negotiated media type parameters. */
export function tableContentType(version: 'v1' | 'v1beta1'): string {
  return `application/json;as=Table;v=${version};g=meta.k8s.io`;
}
