/**
 * HTTP client of the registry (registry.ts), used by the node cache to pull and by
 * `k8ts image push/ls`. Thin: it maps HTTP answers to results and leaves wording of
 * failures to its callers, but it keeps the facts they need (status, registry error
 * code, the URL and the socket error) in RegistryRequestError.
 */
import { createReadStream } from 'node:fs';
import { request, type Dispatcher } from 'undici';
import type { ImageManifest } from './manifest';
import type { ImageListing } from './registry';

export interface ManifestResponse extends ImageManifest {
  name: string;
  tag?: string;
  digest: string;
}

/** A request that failed: connection error (`status` undefined) or a non-2xx answer. */
export class RegistryRequestError extends Error {
  constructor(
    message: string,
    readonly method: string,
    readonly url: string,
    readonly status?: number,
    /** The registry's error code (`MANIFEST_UNKNOWN`, `BLOB_UNKNOWN`, …). */
    readonly code?: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'RegistryRequestError';
  }
}

/** Go's net error wording, which users of containerd know: `dial tcp 127.0.0.1:5000: connect: connection refused`. */
function describeSocketError(err: unknown, url: string): string {
  const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = e?.code ?? e?.cause?.code;
  const host = (() => {
    try {
      return new URL(url).host;
    } catch {
      return url;
    }
  })();
  switch (code) {
    case 'ECONNREFUSED':
      return `dial tcp ${host}: connect: connection refused`;
    case 'ENOTFOUND':
      return `dial tcp: lookup ${host}: no such host`;
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `dial tcp ${host}: i/o timeout`;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return `read tcp ${host}: read: connection reset by peer`;
    default:
      return (e?.message ?? String(err)) || String(code);
  }
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export class RegistryClient {
  readonly baseUrl: string;
  constructor(baseUrl: string, private readonly timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  private async send(
    method: Dispatcher.HttpMethod,
    pathname: string,
    body?: Dispatcher.DispatchOptions['body'],
    headers: Record<string, string> = {},
  ): Promise<Dispatcher.ResponseData> {
    const url = this.baseUrl + pathname;
    try {
      return await request(url, { method, body, headers, headersTimeout: this.timeoutMs, bodyTimeout: this.timeoutMs });
    } catch (err) {
      // Go's http client phrasing: `Get "URL": dial tcp …`.
      const verb = method[0] + method.slice(1).toLowerCase();
      throw new RegistryRequestError(`failed to do request: ${verb} "${url}": ${describeSocketError(err, url)}`, method, url, undefined, undefined, err);
    }
  }

  /** Reads an error body `{errors:[{code,message}]}` into a RegistryRequestError. */
  private async failure(res: Dispatcher.ResponseData, method: string, pathname: string): Promise<RegistryRequestError> {
    const text = await res.body.text().catch(() => '');
    let code: string | undefined;
    let message = text.trim() || `HTTP ${res.statusCode}`;
    try {
      const e = (JSON.parse(text) as { errors?: { code?: string; message?: string }[] }).errors?.[0];
      if (e) {
        code = e.code;
        message = e.message ?? message;
      }
    } catch {
      /* not JSON: keep the text */
    }
    return new RegistryRequestError(message, method, this.baseUrl + pathname, res.statusCode, code);
  }

  /** The manifest for `repository` at a tag or digest; undefined when the registry does not know it. */
  async getManifest(repository: string, reference: string): Promise<ManifestResponse | undefined> {
    const p = `/v2/${repository}/manifests/${encodeURIComponent(reference)}`;
    const res = await this.send('GET', p);
    if (res.statusCode === 404) {
      await res.body.dump();
      return undefined;
    }
    if (res.statusCode !== 200) throw await this.failure(res, 'GET', p);
    return (await res.body.json()) as ManifestResponse;
  }

  /** The blob's bytes as a stream (the caller verifies the digest). */
  async getBlob(repository: string, digest: string): Promise<Dispatcher.ResponseData['body']> {
    const p = `/v2/${repository}/blobs/${digest}`;
    const res = await this.send('GET', p);
    if (res.statusCode !== 200) throw await this.failure(res, 'GET', p);
    return res.body;
  }

  async hasBlob(repository: string, digest: string): Promise<boolean> {
    const res = await this.send('HEAD', `/v2/${repository}/blobs/${digest}`);
    await res.body.dump();
    return res.statusCode === 200;
  }

  /** Monolithic upload of one file's content. */
  async uploadBlob(repository: string, digest: string, file: string, size: number): Promise<void> {
    const p = `/v2/${repository}/blobs/uploads/?digest=${encodeURIComponent(digest)}`;
    const res = await this.send('POST', p, createReadStream(file), { 'content-type': 'application/octet-stream', 'content-length': String(size) });
    if (res.statusCode !== 201) throw await this.failure(res, 'POST', p);
    await res.body.dump();
  }

  async putManifest(repository: string, tag: string, manifest: ImageManifest): Promise<string> {
    const p = `/v2/${repository}/manifests/${encodeURIComponent(tag)}`;
    const res = await this.send('PUT', p, JSON.stringify(manifest), { 'content-type': 'application/vnd.k8ts.image.manifest.v1+json' });
    if (res.statusCode !== 201) throw await this.failure(res, 'PUT', p);
    return ((await res.body.json()) as { digest: string }).digest;
  }

  async listImages(): Promise<ImageListing[]> {
    const p = '/k8ts/v1/images';
    const res = await this.send('GET', p);
    if (res.statusCode !== 200) throw await this.failure(res, 'GET', p);
    return ((await res.body.json()) as { images: ImageListing[] }).images;
  }
}
