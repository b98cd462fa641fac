/**
 * The image registry: an HTTP server in the spirit of the OCI distribution spec, kept
 * simple. It serves the built-in catalog (images/catalog, read at start) and images users
 * push (stored under the data dir).
 *
 *   GET  /v2/                                  200 {} (API version check)
 *   GET  /v2/<name>/manifests/<tag|digest>     {name, tag?, digest, schemaVersion, config, files}
 *                                              404 {errors:[{code:"MANIFEST_UNKNOWN",…}]}
 *   GET  /v2/<name>/blobs/<digest>             the file's bytes (HEAD: does it exist)
 *   POST /v2/<name>/blobs/uploads/?digest=D    push one blob, monolithic (body = bytes); 201
 *   PUT  /v2/<name>/manifests/<tag>            push a manifest {config, files}; every blob
 *                                              must be there already; 201 {digest}
 *   GET  /v2/_catalog, /v2/<name>/tags/list    listings (catalog wildcard tags show as patterns)
 *   GET  /k8ts/v1/images                       one row per name/tag (for `k8ts image ls`)
 *
 * `<name>` is normalised like Docker (`nginx` = `library/nginx` = `docker.io/library/nginx`).
 * Pushed tags win over catalog tags of the same name, so users can replace a stand-in.
 *
 * Storage (data dir): `blobs/<hex>`, `manifests/<hex>.json`, `index.json` (repository →
 * tag → digest). Every file is written to a temp name and renamed, so a crash never
 * leaves a half-written blob or index; index writes are serialised in-process. Blobs are
 * verified against their digest on upload.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { createLogger, type Logger } from '../shared/logger';
import { loadCatalog, defaultCatalogDir, type CatalogImage } from './catalog';
import {
  canonicalJson, manifestDigest, manifestSize, ManifestError, MANIFEST_MEDIA_TYPE, sha256, tagMatches, validateManifest, type ImageManifest,
} from './manifest';
import { DIGEST_RE, InvalidImageNameError, parseRepositoryName } from './reference';

export const DEFAULT_REGISTRY_PORT = 5000;
/** Largest blob accepted in one upload. */
export const MAX_BLOB_BYTES = 512 * 1024 * 1024;
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const TAG_RE = /^[\w][\w.-]{0,127}$/;

export interface RegistryOptions {
  port?: number;
  host?: string;
  /** Where pushed images are kept. */
  dataDir: string;
  /** Defaults to the catalog shipped with k8ts; pass null for none. */
  catalogDir?: string | null;
  logger?: Logger;
}

export interface RunningRegistry {
  url: string;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** One row of `GET /k8ts/v1/images`. */
export interface ImageListing {
  name: string;
  /** A tag, or a pattern (`*`, `1.*`) for catalog images. */
  tag: string;
  digest: string;
  size: number;
  source: 'catalog' | 'pushed';
}

interface Index {
  repositories: Record<string, { tags: Record<string, string> }>;
}

type ErrorCode =
  | 'MANIFEST_UNKNOWN' | 'BLOB_UNKNOWN' | 'NAME_INVALID' | 'TAG_INVALID' | 'DIGEST_INVALID' | 'MANIFEST_INVALID'
  | 'MANIFEST_BLOB_UNKNOWN' | 'SIZE_INVALID' | 'UNSUPPORTED';

class RegistryError extends Error {
  constructor(readonly status: number, readonly code: ErrorCode, message: string, readonly detail?: unknown) {
    super(message);
  }
}

function hex(digest: string): string {
  return digest.slice('sha256:'.length);
}

async function writeAtomic(file: string, data: string | Buffer): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  await fsp.writeFile(tmp, data);
  await fsp.rename(tmp, file);
}

/** Catalog + pushed images; the only thing that touches the data dir. */
export class RegistryStore {
  private index: Index = { repositories: {} };
  private writeChain: Promise<void> = Promise.resolve();
  private catalogBlobs = new Map<string, string>();

  constructor(readonly dataDir: string, private readonly catalog: CatalogImage[]) {
    for (const img of catalog) for (const [d, p] of img.blobs) this.catalogBlobs.set(d, p);
  }

  async init(): Promise<void> {
    await fsp.mkdir(path.join(this.dataDir, 'blobs'), { recursive: true });
    await fsp.mkdir(path.join(this.dataDir, 'manifests'), { recursive: true });
    try {
      this.index = JSON.parse(await fsp.readFile(path.join(this.dataDir, 'index.json'), 'utf8')) as Index;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }

  /** The manifest a name and tag (or digest) resolve to, or undefined. */
  async resolve(repository: string, reference: string): Promise<{ digest: string; manifest: ImageManifest } | undefined> {
    const pushed = this.index.repositories[repository]?.tags ?? {};
    if (DIGEST_RE.test(reference)) {
      if (Object.values(pushed).includes(reference)) return { digest: reference, manifest: await this.readManifest(reference) };
      const c = this.catalog.find((i) => i.repository === repository && i.digest === reference);
      return c && { digest: c.digest, manifest: c.manifest };
    }
    if (pushed[reference]) return { digest: pushed[reference], manifest: await this.readManifest(pushed[reference]) };
    const c = this.catalog.find((i) => i.repository === repository && tagMatches(i.tags, reference));
    return c && { digest: c.digest, manifest: c.manifest };
  }

  private async readManifest(digest: string): Promise<ImageManifest> {
    return JSON.parse(await fsp.readFile(path.join(this.dataDir, 'manifests', `${hex(digest)}.json`), 'utf8')) as ImageManifest;
  }

  /** Where a blob's bytes are, or undefined. Pushed blobs first: they were verified on upload. */
  async blobPath(digest: string): Promise<string | undefined> {
    const p = path.join(this.dataDir, 'blobs', hex(digest));
    try {
      await fsp.access(p);
      return p;
    } catch {
      return this.catalogBlobs.get(digest);
    }
  }

  async putBlob(digest: string, data: Buffer): Promise<void> {
    const actual = sha256(data);
    if (actual !== digest) throw new RegistryError(400, 'DIGEST_INVALID', `provided digest did not match uploaded content: got ${actual}`);
    await writeAtomic(path.join(this.dataDir, 'blobs', hex(digest)), data);
  }

  /** Stores a manifest (all blobs must exist) and points the tag at it; returns the digest. */
  async putManifest(repository: string, reference: string, body: unknown): Promise<string> {
    let manifest: ImageManifest;
    try {
      manifest = validateManifest(body);
    } catch (err) {
      throw new RegistryError(400, 'MANIFEST_INVALID', (err as Error).message);
    }
    const missing: string[] = [];
    for (const f of manifest.files) if (f.type === 'file' && !(await this.blobPath(f.digest!))) missing.push(f.digest!);
    if (missing.length) throw new RegistryError(400, 'MANIFEST_BLOB_UNKNOWN', 'blob unknown to registry', { digests: [...new Set(missing)] });
    const digest = manifestDigest(manifest);
    if (DIGEST_RE.test(reference) && reference !== digest) throw new RegistryError(400, 'DIGEST_INVALID', `manifest digest is ${digest}, not ${reference}`);
    if (!DIGEST_RE.test(reference) && !TAG_RE.test(reference)) throw new RegistryError(400, 'TAG_INVALID', `invalid tag ${JSON.stringify(reference)}`);
    await writeAtomic(path.join(this.dataDir, 'manifests', `${hex(digest)}.json`), canonicalJson(manifest));
    // A digest push without a tag is remembered under the digest so `name@digest` resolves.
    const tag = reference;
    await this.updateIndex((idx) => {
      const repo = (idx.repositories[repository] ??= { tags: {} });
      repo.tags[tag] = digest;
    });
    return digest;
  }

  private updateIndex(change: (idx: Index) => void): Promise<void> {
    const run = this.writeChain.then(async () => {
      change(this.index);
      await writeAtomic(path.join(this.dataDir, 'index.json'), JSON.stringify(this.index, null, 2));
    });
    this.writeChain = run.catch(() => undefined);
    return run;
  }

  /** Every name/tag, catalog and pushed. */
  async list(): Promise<ImageListing[]> {
    const rows: ImageListing[] = [];
    for (const [repo, { tags }] of Object.entries(this.index.repositories)) {
      for (const [tag, digest] of Object.entries(tags)) {
        if (DIGEST_RE.test(tag)) continue;
        rows.push({ name: repo, tag, digest, size: manifestSize(await this.readManifest(digest)), source: 'pushed' });
      }
    }
    for (const img of this.catalog) {
      const tags = img.tags === '*' ? ['*'] : img.tags ?? ['latest'];
      for (const tag of tags) rows.push({ name: img.repository, tag, digest: img.digest, size: manifestSize(img.manifest), source: 'catalog' });
    }
    return rows.sort((a, b) => (a.name === b.name ? (a.tag < b.tag ? -1 : 1) : a.name < b.name ? -1 : 1));
  }
}

function sendError(reply: FastifyReply, err: RegistryError): FastifyReply {
  return reply.code(err.status).send({ errors: [{ code: err.code, message: err.message, detail: err.detail ?? {} }] });
}

function repositoryOf(name: string): string {
  try {
    return parseRepositoryName(name).repository;
  } catch (err) {
    if (err instanceof InvalidImageNameError) throw new RegistryError(400, 'NAME_INVALID', `invalid repository name ${JSON.stringify(name)}`);
    throw err;
  }
}

/** Builds the fastify app (not listening): tests can `inject`. */
export async function buildRegistry(opts: RegistryOptions): Promise<FastifyInstance> {
  const logger = opts.logger ?? createLogger('registry');
  const catalogDir = opts.catalogDir === undefined ? defaultCatalogDir() : opts.catalogDir;
  const catalog = catalogDir ? await loadCatalog(catalogDir) : [];
  const store = new RegistryStore(opts.dataDir, catalog);
  await store.init();
  logger.info({ catalogImages: catalog.length, dataDir: opts.dataDir }, 'registry store ready');

  const app = Fastify({ logger: false, bodyLimit: MAX_MANIFEST_BYTES });
  // Blobs are raw bytes and manifests JSON under our own media type: take every body as a Buffer.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_BLOB_BYTES }, (_req, body, done) => done(null, body));

  app.addHook('onResponse', async (req, reply) => {
    logger.debug({ method: req.method, url: req.url, status: reply.statusCode }, 'request');
  });
  app.setErrorHandler((err: Error & { statusCode?: number }, _req, reply) => {
    if (err instanceof RegistryError) return sendError(reply, err);
    if (err.statusCode === 413) return sendError(reply, new RegistryError(413, 'SIZE_INVALID', err.message));
    logger.error({ err }, 'request failed');
    return reply.code(500).send({ errors: [{ code: 'UNKNOWN', message: err.message, detail: {} }] });
  });

  app.get('/v2/', async (_req, reply) => reply.header('Docker-Distribution-API-Version', 'registry/2.0').send({}));
  app.get('/v2', async (_req, reply) => reply.header('Docker-Distribution-API-Version', 'registry/2.0').send({}));

  app.get('/v2/_catalog', async () => {
    const names = [...new Set((await store.list()).map((r) => r.name))].sort();
    return { repositories: names };
  });

  app.get('/k8ts/v1/images', async () => ({ images: await store.list() }));

  app.route({
    method: ['GET', 'HEAD', 'PUT', 'POST'],
    url: '/v2/*',
    exposeHeadRoute: false,
    handler: async (req, reply) => {
      const rest = (req.params as { '*': string })['*'];
      let m: RegExpExecArray | null;
      if ((m = /^(.+)\/manifests\/([^/]+)$/.exec(rest))) {
        const repository = repositoryOf(m[1]);
        const reference = decodeURIComponent(m[2]);
        if (req.method === 'PUT') {
          const body = req.body as Buffer | undefined;
          let parsed: unknown;
          try {
            parsed = JSON.parse((body ?? Buffer.alloc(0)).toString('utf8'));
          } catch {
            throw new RegistryError(400, 'MANIFEST_INVALID', 'manifest is not JSON');
          }
          const digest = await store.putManifest(repository, reference, parsed);
          logger.info({ repository, reference, digest }, 'manifest pushed');
          return reply
            .code(201)
            .header('Location', `/v2/${repository}/manifests/${digest}`)
            .header('Docker-Content-Digest', digest)
            .send({ name: repository, tag: DIGEST_RE.test(reference) ? undefined : reference, digest });
        }
        if (req.method !== 'GET' && req.method !== 'HEAD') throw new RegistryError(405, 'UNSUPPORTED', `${req.method} not supported on manifests`);
        const found = await store.resolve(repository, reference);
        if (!found) throw new RegistryError(404, 'MANIFEST_UNKNOWN', 'manifest unknown', { name: repository, reference });
        const doc = { name: repository, tag: DIGEST_RE.test(reference) ? undefined : reference, digest: found.digest, ...found.manifest };
        reply.header('Docker-Content-Digest', found.digest).type(MANIFEST_MEDIA_TYPE);
        return req.method === 'HEAD' ? reply.send() : reply.send(JSON.stringify(doc));
      }
      if ((m = /^(.+)\/blobs\/uploads\/?$/.exec(rest))) {
        if (req.method !== 'POST' && req.method !== 'PUT') throw new RegistryError(405, 'UNSUPPORTED', `${req.method} not supported on uploads`);
        const repository = repositoryOf(m[1]);
        const digest = (req.query as { digest?: string }).digest;
        if (!digest || !DIGEST_RE.test(digest)) throw new RegistryError(400, 'DIGEST_INVALID', 'a monolithic upload needs ?digest=sha256:<hex>');
        await store.putBlob(digest, (req.body as Buffer | undefined) ?? Buffer.alloc(0));
        return reply.code(201).header('Location', `/v2/${repository}/blobs/${digest}`).header('Docker-Content-Digest', digest).send();
      }
      if ((m = /^(.+)\/blobs\/([^/]+)$/.exec(rest))) {
        repositoryOf(m[1]);
        const digest = decodeURIComponent(m[2]);
        if (req.method !== 'GET' && req.method !== 'HEAD') throw new RegistryError(405, 'UNSUPPORTED', `${req.method} not supported on blobs`);
        if (!DIGEST_RE.test(digest)) throw new RegistryError(400, 'DIGEST_INVALID', `invalid digest ${JSON.stringify(digest)}`);
        const file = await store.blobPath(digest);
        const st = file ? await fsp.stat(file).catch(() => undefined) : undefined;
        if (!file || !st) throw new RegistryError(404, 'BLOB_UNKNOWN', 'blob unknown to registry', { digest });
        reply.header('Docker-Content-Digest', digest).header('Content-Length', st.size).type('application/octet-stream');
        return req.method === 'HEAD' ? reply.send() : reply.send(createReadStream(file));
      }
      if ((m = /^(.+)\/tags\/list$/.exec(rest)) && req.method === 'GET') {
        const repository = repositoryOf(m[1]);
        const tags = (await store.list()).filter((r) => r.name === repository).map((r) => r.tag);
        if (!tags.length) throw new RegistryError(404, 'MANIFEST_UNKNOWN', 'repository name not known to registry', { name: repository });
        return { name: repository, tags };
      }
      return reply.code(404).send({ errors: [{ code: 'UNSUPPORTED', message: `no route for ${req.method} /v2/${rest}`, detail: {} }] });
    },
  });
  return app;
}

/** Starts the registry listening; `port: 0` picks a free one (tests). */
export async function startRegistry(opts: RegistryOptions): Promise<RunningRegistry> {
  const app = await buildRegistry(opts);
  const host = opts.host ?? '127.0.0.1';
  await app.listen({ port: opts.port ?? DEFAULT_REGISTRY_PORT, host });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return { url: `http://${urlHost}:${port}`, app, close: () => app.close() };
}

export { ManifestError };
