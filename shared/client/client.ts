/**
 * KubeClient: the REST client every k8ts component and the CLI use to talk to the API
 * server (undici over one keep-alive connection pool per client).
 *
 * Guarantees:
 * - Every non-2xx answer becomes an `ApiError` (from the `Status` body when there is one,
 *   otherwise with client-go's wording for the code), so callers switch on `reason`.
 * - Connection failures become `ConnectionError` with kubectl's wording.
 * - `watch` parses the NDJSON stream whatever the chunking, delivers events in order
 *   and awaits the handler before reading on (back-pressure), and ends quietly when the
 *   caller aborts. It never reconnects by itself: that policy belongs to the informer.
 * - Timeouts: 10 s to connect, 30 s for response headers and between body chunks of
 *   ordinary requests; watches and streams have no body timeout (they may idle).
 *   `timeoutMs` per request (or client-wide) caps a whole request.
 */
import { Agent, type Dispatcher } from 'undici';
import { ApiError, type StatusReason } from '../api/errors';
import type { KList, KObject, Status } from '../api/types';
import { loadKubeconfig, resolveKubeconfig, defaultKubeconfigPaths } from '../kubeconfig';
import { NdjsonSplitter, parseWatchLine } from './ndjson';
import { encodeQuery, type Query } from './paths';

export interface KubeClientOptions {
  /** `https://127.0.0.1:6443` (a path prefix is allowed). */
  server: string;
  token?: string;
  username?: string;
  password?: string;
  /** PEM CA bundle for the server's certificate. */
  ca?: string | Buffer;
  insecure?: boolean;
  tlsServerName?: string;
  clientCert?: string | Buffer;
  clientKey?: string | Buffer;
  userAgent?: string;
  /** Cap on a whole ordinary request (not watches). Default: none beyond the idle timeouts. */
  timeoutMs?: number;
  /** Called with the text of each `Warning: 299 - "..."` response header. */
  onWarning?: (message: string) => void;
}

export type PatchType = 'merge' | 'strategic' | 'json' | 'apply';

export const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
};

/** The Accept header that asks for server-side printing (kubectl's, v1 then v1beta1 then plain). */
export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

export interface RequestOptions {
  query?: Query;
  /** Object → JSON; string/Buffer sent as is. */
  body?: unknown;
  contentType?: string;
  accept?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface WatchOptions {
  signal?: AbortSignal;
  accept?: string;
  /** Lines that are not JSON watch events; ignored when not given. */
  onParseError?: (line: string) => void;
}

export interface WatchEventOf<T> {
  type: string;
  object: T;
}

/** The server could not be reached at all (kubectl: "The connection to the server … was refused"). */
export class ConnectionError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
    this.name = 'ConnectionError';
  }
}

const CONNECT_TIMEOUT_MS = 10_000;
const IDLE_TIMEOUT_MS = 30_000;
const KEEPALIVE_MS = 30_000;

/** client-go's messages for error responses that carry no Status. */
function reasonForCode(code: number): { reason: StatusReason; message: string } {
  switch (code) {
    case 400: return { reason: 'BadRequest', message: 'the server rejected our request for an unknown reason' };
    case 401: return { reason: 'Unauthorized', message: 'the server has asked for the client to provide credentials' };
    case 403: return { reason: 'Forbidden', message: 'the server does not allow access to the requested resource' };
    case 404: return { reason: 'NotFound', message: 'the server could not find the requested resource' };
    case 405: return { reason: 'MethodNotAllowed', message: 'the server does not allow this method on the requested resource' };
    case 406: return { reason: 'NotAcceptable', message: 'the server was unable to respond with a content type that the client supports' };
    case 409: return { reason: 'Conflict', message: 'the server reported a conflict' };
    case 410: return { reason: 'Gone', message: 'the requested resource is no longer available' };
    case 413: return { reason: 'RequestEntityTooLarge', message: 'the server has rejected the request because it is too large' };
    case 415: return { reason: 'UnsupportedMediaType', message: 'the server does not support the requested media type' };
    case 422: return { reason: 'Invalid', message: 'the server rejected our request due to an error in our request' };
    case 429: return { reason: 'TooManyRequests', message: 'the server has received too many requests and has asked us to try again later' };
    case 503: return { reason: 'ServiceUnavailable', message: 'the server is currently unable to handle the request' };
    case 504: return { reason: 'Timeout', message: 'the server was unable to return a response in the time allotted, but may still be processing the request' };
    default: return { reason: 'InternalError', message: '' };
  }
}

/** Builds the ApiError for a non-2xx response body. */
export function errorFromResponse(status: number, body: Buffer | string): ApiError {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  try {
    const parsed = JSON.parse(text) as Partial<Status> & { kind?: string };
    if (parsed && parsed.kind === 'Status') return ApiError.fromStatus(parsed as Status, status);
  } catch {
    // not JSON: fall through to the generic message
  }
  const { reason, message } = reasonForCode(status);
  const trimmed = text.trim();
  const msg = message || `an error on the server (${JSON.stringify(trimmed || 'unknown')}) has prevented the request from succeeding`;
  return new ApiError(status, reason, msg);
}

/** `299 - "text"` (possibly several, comma-separated) → the texts. */
export function parseWarningHeader(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  const values = Array.isArray(value) ? value : [value];
  const out: string[] = [];
  for (const v of values) {
    const re = /\d{3}\s+\S+\s+"((?:[^"\\]|\\.)*)"/g;
    let m: RegExpExecArray | null;
    let any = false;
    while ((m = re.exec(v)) !== null) {
      out.push(m[1].replace(/\\(.)/g, '$1'));
      any = true;
    }
    if (!any && v.trim() !== '') out.push(v.trim());
  }
  return out;
}

function isAbort(err: unknown, signal?: AbortSignal): boolean {
  if (signal?.aborted) return true;
  const name = (err as { name?: string } | undefined)?.name;
  return name === 'AbortError' || name === 'RequestAbortedError';
}

export class KubeClient {
  readonly server: string;
  private readonly origin: string;
  private readonly basePath: string;
  private readonly agent: Agent;
  private readonly authHeader?: string;
  private readonly userAgent: string;
  private readonly timeoutMs?: number;
  private readonly onWarning?: (message: string) => void;

  constructor(opts: KubeClientOptions) {
    let url: URL;
    try {
      url = new URL(opts.server);
    } catch {
      throw new Error(`invalid server URL ${JSON.stringify(opts.server)}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`invalid server URL ${JSON.stringify(opts.server)}: scheme must be http or https`);
    this.server = opts.server.replace(/\/+$/, '');
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.userAgent = opts.userAgent ?? `k8ts/v0.1.0 (${process.platform}/${process.arch})`;
    this.timeoutMs = opts.timeoutMs;
    this.onWarning = opts.onWarning;
    if (opts.token) this.authHeader = `Bearer ${opts.token}`;
    else if (opts.username !== undefined) this.authHeader = `Basic ${Buffer.from(`${opts.username}:${opts.password ?? ''}`).toString('base64')}`;
    const connect: Record<string, unknown> = { timeout: CONNECT_TIMEOUT_MS };
    if (url.protocol === 'https:') {
      if (opts.ca) connect.ca = opts.ca;
      if (opts.insecure) connect.rejectUnauthorized = false;
      if (opts.tlsServerName) connect.servername = opts.tlsServerName;
      if (opts.clientCert) connect.cert = opts.clientCert;
      if (opts.clientKey) connect.key = opts.clientKey;
    }
    this.agent = new Agent({
      connect,
      keepAliveTimeout: KEEPALIVE_MS,
      headersTimeout: IDLE_TIMEOUT_MS,
      bodyTimeout: IDLE_TIMEOUT_MS,
      // Watches hold a connection each; leave room for plenty of them next to requests.
      connections: 128,
    });
  }

  /**
   * A client for the kubeconfig at `path` (default: `$KUBECONFIG`, else
   * `.k8ts/kubeconfig`, else `~/.kube/config`) and `context` (default: current-context).
   */
  static fromKubeconfig(path?: string, context?: string, extra: Partial<KubeClientOptions> = {}): KubeClient {
    const cfg = loadKubeconfig(path ? [path] : defaultKubeconfigPaths());
    const r = resolveKubeconfig(cfg, context);
    return new KubeClient({
      server: r.server,
      token: r.token,
      username: r.username,
      password: r.password,
      ca: r.ca,
      insecure: r.insecure,
      tlsServerName: r.tlsServerName,
      clientCert: r.clientCert,
      clientKey: r.clientKey,
      ...extra,
    });
  }

  /** Closes the pool; in-flight watches end. */
  async close(): Promise<void> {
    await this.agent.close();
  }

  // ------------------------------------------------------------------ verbs

  get<T = KObject>(path: string, opts: { query?: Query; accept?: string; signal?: AbortSignal } = {}): Promise<T> {
    return this.request<T>('GET', path, opts);
  }

  list<T = KList>(path: string, opts: { query?: Query; accept?: string; signal?: AbortSignal } = {}): Promise<T> {
    return this.request<T>('GET', path, opts);
  }

  create<T = KObject>(path: string, body: unknown, opts: { query?: Query; signal?: AbortSignal } = {}): Promise<T> {
    return this.request<T>('POST', path, { ...opts, body });
  }

  update<T = KObject>(path: string, body: unknown, opts: { query?: Query; signal?: AbortSignal } = {}): Promise<T> {
    return this.request<T>('PUT', path, { ...opts, body });
  }

  /** `patchType` is a short name (`merge`, `strategic`, `json`, `apply`) or a content type. */
  patch<T = KObject>(path: string, body: unknown, patchType: PatchType | string, opts: { query?: Query; signal?: AbortSignal } = {}): Promise<T> {
    const contentType = (PATCH_CONTENT_TYPES as Record<string, string>)[patchType] ?? patchType;
    return this.request<T>('PATCH', path, { ...opts, body, contentType });
  }

  /** DELETE with a DeleteOptions body (e.g. `{propagationPolicy: 'Background'}`). */
  delete<T = KObject | Status>(path: string, deleteOptions?: Record<string, unknown>, opts: { query?: Query; signal?: AbortSignal } = {}): Promise<T> {
    const body = deleteOptions ? { kind: 'DeleteOptions', apiVersion: 'v1', ...deleteOptions } : undefined;
    return this.request<T>('DELETE', path, { ...opts, body });
  }

  /**
   * Streams `GET path?watch=true&…` and calls `onEvent` for each event in order (awaiting
   * it). Resolves when the server ends the stream or the signal aborts; rejects with
   * ApiError on a non-2xx answer (e.g. 410 Expired). ERROR events are delivered like any
   * other: the caller decides (see `watchEventError`).
   */
  async watch<T = KObject>(
    path: string,
    query: Query,
    onEvent: (event: WatchEventOf<T>) => void | Promise<void>,
    opts: WatchOptions = {},
  ): Promise<void> {
    const { signal } = opts;
    let res: Dispatcher.ResponseData;
    try {
      res = await this.dispatch('GET', path, { query: { ...query, watch: 'true' }, accept: opts.accept ?? 'application/json', signal }, { bodyTimeout: 0 });
    } catch (err) {
      if (isAbort(err, signal)) return;
      throw err;
    }
    if (res.statusCode < 200 || res.statusCode >= 300) {
      throw errorFromResponse(res.statusCode, await readBody(res));
    }
    const splitter = new NdjsonSplitter();
    // Errors thrown by the caller's handler pass through untouched; only stream
    // failures become ConnectionError.
    let handlerError: { err: unknown } | undefined;
    const handle = async (line: string) => {
      const ev = parseWatchLine<T>(line);
      try {
        if (ev) await onEvent(ev);
        else opts.onParseError?.(line);
      } catch (err) {
        handlerError = { err };
        throw err;
      }
    };
    try {
      for await (const chunk of res.body) {
        for (const line of splitter.push(chunk as Buffer)) {
          await handle(line);
          if (signal?.aborted) break;
        }
        if (signal?.aborted) break;
      }
      if (!signal?.aborted) for (const line of splitter.end()) await handle(line);
    } catch (err) {
      if (handlerError) throw handlerError.err;
      if (isAbort(err, signal)) return;
      throw new ConnectionError(`watch of ${path} ended: ${(err as Error).message}`, (err as { code?: string }).code);
    } finally {
      if (!res.body.destroyed) res.body.destroy();
    }
  }

  /** Parsed JSON of a request; non-2xx → ApiError. An empty 2xx body gives `{}`. */
  async request<T = unknown>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const res = await this.requestRaw(method, path, opts);
    if (res.status < 200 || res.status >= 300) throw errorFromResponse(res.status, res.body);
    if (res.body.length === 0) return {} as T;
    const text = res.body.toString('utf8');
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new Error(`${method} ${path}: the server answered ${res.status} with a body that is not JSON: ${text.slice(0, 200)}`);
    }
  }

  /** The response as bytes, whatever the status (for logs and other non-JSON answers). */
  async requestRaw(method: string, path: string, opts: RequestOptions = {}): Promise<RawResponse> {
    const res = await this.dispatch(method, path, opts, {});
    const body = await readBody(res);
    return { status: res.statusCode, headers: res.headers, body };
  }

  /**
   * A streaming response (e.g. `pods/x/log?follow=true`): yields body chunks until the
   * server ends or the signal aborts. Non-2xx → ApiError before the first chunk.
   */
  async *stream(method: string, path: string, opts: RequestOptions = {}): AsyncGenerator<Buffer> {
    let res: Dispatcher.ResponseData;
    try {
      res = await this.dispatch(method, path, opts, { bodyTimeout: 0 });
    } catch (err) {
      if (isAbort(err, opts.signal)) return;
      throw err;
    }
    if (res.statusCode < 200 || res.statusCode >= 300) throw errorFromResponse(res.statusCode, await readBody(res));
    try {
      for await (const chunk of res.body) yield chunk as Buffer;
    } catch (err) {
      if (isAbort(err, opts.signal)) return;
      throw err;
    } finally {
      if (!res.body.destroyed) res.body.destroy();
    }
  }

  // ------------------------------------------------------------------ plumbing

  /** The full URL of a path (for messages such as cluster-info). */
  url(path: string, query?: Query): string {
    return `${this.origin}${this.basePath}${path}${encodeQuery(query)}`;
  }

  private async dispatch(
    method: string,
    path: string,
    opts: RequestOptions,
    timeouts: { bodyTimeout?: number },
  ): Promise<Dispatcher.ResponseData> {
    const headers: Record<string, string> = {
      accept: opts.accept ?? 'application/json',
      'user-agent': this.userAgent,
      ...opts.headers,
    };
    if (this.authHeader) headers.authorization = this.authHeader;
    let body: string | Buffer | undefined;
    if (opts.body !== undefined) {
      if (typeof opts.body === 'string' || Buffer.isBuffer(opts.body)) body = opts.body;
      else body = JSON.stringify(opts.body);
      headers['content-type'] = opts.contentType ?? 'application/json';
    }
    let signal = opts.signal;
    const timeoutMs = opts.timeoutMs ?? (timeouts.bodyTimeout === 0 ? undefined : this.timeoutMs);
    if (timeoutMs !== undefined && timeoutMs > 0) {
      const t = AbortSignal.timeout(timeoutMs);
      signal = signal ? AbortSignal.any([signal, t]) : t;
    }
    let res: Dispatcher.ResponseData;
    try {
      res = await this.agent.request({
        origin: this.origin,
        path: `${this.basePath}${path}${encodeQuery(opts.query)}`,
        method: method as Dispatcher.HttpMethod,
        headers,
        body,
        signal,
        bodyTimeout: timeouts.bodyTimeout ?? IDLE_TIMEOUT_MS,
      });
    } catch (err) {
      throw this.connectionError(err, opts.signal);
    }
    const warnings = parseWarningHeader(res.headers.warning);
    if (warnings.length && this.onWarning) for (const w of warnings) this.onWarning(w);
    return res;
  }

  private connectionError(err: unknown, signal?: AbortSignal): unknown {
    if (isAbort(err, signal) && signal?.aborted) return err;
    const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string }; name?: string };
    const code = e.code ?? e.cause?.code;
    const hostPort = new URL(this.origin).host;
    if (code === 'ECONNREFUSED') return new ConnectionError(`The connection to the server ${hostPort} was refused - did you specify the right host or port?`, code);
    if (e.name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ABORT_ERR') {
      return new ConnectionError(`Unable to connect to the server: net/http: request canceled (Client.Timeout exceeded while awaiting headers)`, code);
    }
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new ConnectionError(`Unable to connect to the server: dial tcp: lookup ${new URL(this.origin).hostname}: no such host`, code);
    const msg = e.cause?.message ?? e.message ?? String(err);
    return new ConnectionError(`Unable to connect to the server: ${msg}`, code);
  }
}

async function readBody(res: Dispatcher.ResponseData): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of res.body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** An ERROR watch event's Status as an ApiError (e.g. 410 Expired → relist). */
export function watchEventError(event: WatchEventOf<unknown>): ApiError | undefined {
  if (event.type !== 'ERROR') return undefined;
  const obj = event.object as Partial<Status> | undefined;
  if (obj && obj.kind === 'Status') return ApiError.fromStatus(obj as Status, 500);
  return new ApiError(500, 'InternalError', `watch error: ${JSON.stringify(event.object)}`);
}
