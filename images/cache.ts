/**
 * The node's image cache: what the kubelet calls to have an image's files on disk.
 *
 * Layout of `cacheDir` (one per node; one NodeImageService per cacheDir):
 *   blobs/<hex>               file contents, content-addressed, verified on download
 *   images/<hex>/rootfs/      the materialised image (hex of the image digest)
 *   images/<hex>/image.json   {digest, config}
 *   index.json                normalised reference → image digest (what `cached` answers from)
 * Digests use `<hex>` rather than `sha256:<hex>` in paths: colons break overlayfs
 * `lowerdir=` lists and PATH-like variables.
 *
 * Concurrency: concurrent pulls of one reference share one in-flight promise, and
 * materialisations of one digest share another (two tags of one image). Every file is
 * built under a temp name and renamed into place, so a crash or a second process never
 * sees a half-built rootfs or blob: `images/<hex>` exists ⇒ it is complete.
 *
 * Failures are ImagePullError('ErrImagePull', …) with containerd's wording (the kubelet
 * shows it as the `Failed to pull image "…": <message>` event and the waiting message).
 * Policy (Always / IfNotPresent / Never) lives in `pullWithPolicy`, once.
 */
import { randomBytes } from 'node:crypto';
import { createHash } from 'node:crypto';
import { createWriteStream, promises as fsp, constants as fsc } from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { ImageConfig, LocalImage } from '../kubelet/runtime/interface';
import { RegistryClient, RegistryRequestError, type ManifestResponse } from './client';
import { ManifestError, manifestDigest, validateManifest, type ImageManifest } from './manifest';
import { parseReference, type ImageReference } from './reference';
import { ImagePullError, type ImageService, type PullPolicy } from './types';

/** How many blobs one pull downloads at once. */
const BLOB_DOWNLOAD_CONCURRENCY = 8;
/** Temp dirs older than this are leftovers of a crashed pull. */
const STALE_TEMP_MS = 10 * 60_000;

interface Index {
  refs: Record<string, string>;
}

function hex(digest: string): string {
  return digest.slice('sha256:'.length);
}

function tmpName(base: string): string {
  return `${base}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
}

/** containerd's text for a pull failure, as the CRI returns it to the kubelet. */
function pullFailed(ref: string, grpcCode: 'NotFound' | 'Unknown' | 'FailedPrecondition', detail: string): ImagePullError {
  return new ImagePullError('ErrImagePull', `rpc error: code = ${grpcCode} desc = failed to pull and unpack image "${ref}": ${detail}`);
}

export class NodeImageService implements ImageService {
  readonly client: RegistryClient;
  private index?: Index;
  private indexChain: Promise<void> = Promise.resolve();
  private readonly inflightPulls = new Map<string, Promise<LocalImage>>();
  private readonly inflightImages = new Map<string, Promise<ImageConfig>>();
  private readonly inflightBlobs = new Map<string, Promise<void>>();
  private readonly configs = new Map<string, ImageConfig>();
  private initDone?: Promise<void>;

  constructor(readonly registryUrl: string, readonly cacheDir: string) {
    this.client = new RegistryClient(registryUrl);
  }

  private get blobsDir(): string {
    return path.join(this.cacheDir, 'blobs');
  }

  private get imagesDir(): string {
    return path.join(this.cacheDir, 'images');
  }

  private init(): Promise<void> {
    this.initDone ??= (async () => {
      await fsp.mkdir(this.blobsDir, { recursive: true });
      await fsp.mkdir(this.imagesDir, { recursive: true });
      try {
        this.index = JSON.parse(await fsp.readFile(path.join(this.cacheDir, 'index.json'), 'utf8')) as Index;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        this.index = { refs: {} };
      }
      await this.removeStaleTemps();
    })();
    return this.initDone;
  }

  /** Leftovers of pulls that crashed; young ones may belong to another process mid-pull. */
  private async removeStaleTemps(): Promise<void> {
    const now = Date.now();
    for (const dir of [this.blobsDir, this.imagesDir]) {
      for (const name of await fsp.readdir(dir)) {
        if (!name.includes('.tmp-')) continue;
        const p = path.join(dir, name);
        const st = await fsp.lstat(p).catch(() => undefined);
        if (st && now - st.mtimeMs > STALE_TEMP_MS) await fsp.rm(p, { recursive: true, force: true });
      }
    }
  }

  private localImage(ref: string, digest: string, config: ImageConfig): LocalImage {
    return { ref, digest, rootfs: path.join(this.imagesDir, hex(digest), 'rootfs'), config };
  }

  /** The image's config if it is materialised on this node. */
  private async readImage(digest: string): Promise<ImageConfig | undefined> {
    const known = this.configs.get(digest);
    if (known) return known;
    try {
      const meta = JSON.parse(await fsp.readFile(path.join(this.imagesDir, hex(digest), 'image.json'), 'utf8')) as { config: ImageConfig };
      this.configs.set(digest, meta.config);
      return meta.config;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async cached(image: string): Promise<LocalImage | undefined> {
    const r = parseReference(image);
    await this.init();
    const digest = r.digest ?? this.index!.refs[r.normalized];
    if (!digest) return undefined;
    const config = await this.readImage(digest);
    return config && this.localImage(r.normalized, digest, config);
  }

  /** Every reference this node has pulled (for listings). */
  async list(): Promise<LocalImage[]> {
    await this.init();
    const out: LocalImage[] = [];
    for (const [ref, digest] of Object.entries(this.index!.refs).sort()) {
      const config = await this.readImage(digest);
      if (config) out.push(this.localImage(ref, digest, config));
    }
    return out;
  }

  /** Bytes of the image's files (for the kubelet's `Pulled` event: "Image size: N bytes"). */
  async imageSize(image: LocalImage): Promise<number> {
    const meta = JSON.parse(await fsp.readFile(path.join(this.imagesDir, hex(image.digest), 'image.json'), 'utf8')) as { size?: number };
    return meta.size ?? 0;
  }

  pull(image: string): Promise<LocalImage> {
    let r: ImageReference;
    try {
      r = parseReference(image);
    } catch (err) {
      return Promise.reject(err);
    }
    const existing = this.inflightPulls.get(r.normalized);
    if (existing) return existing;
    const p = this.doPull(r).finally(() => this.inflightPulls.delete(r.normalized));
    this.inflightPulls.set(r.normalized, p);
    return p;
  }

  private async doPull(r: ImageReference): Promise<LocalImage> {
    await this.init();
    const ref = r.normalized;
    let manifest: ManifestResponse | undefined;
    try {
      manifest = await this.client.getManifest(r.repository, r.digest ?? r.tag!);
    } catch (err) {
      throw this.requestFailure(ref, err, true);
    }
    if (!manifest) throw pullFailed(ref, 'NotFound', `failed to resolve reference "${ref}": ${ref}: not found`);
    let content: ImageManifest;
    try {
      content = validateManifest(manifest);
    } catch (err) {
      throw pullFailed(ref, 'Unknown', `invalid manifest: ${(err as ManifestError).message}`);
    }
    const digest = manifestDigest(content);
    if (digest !== manifest.digest || (r.digest && r.digest !== digest)) {
      const want = r.digest ?? manifest.digest;
      throw pullFailed(ref, 'FailedPrecondition', `failed commit on ref "manifest-${want}": unexpected commit digest ${digest}, expected ${want}: failed precondition`);
    }
    const config = await this.ensureImage(r, digest, content);
    await this.updateIndex((idx) => {
      idx.refs[ref] = digest;
    });
    return this.localImage(ref, digest, config);
  }

  private requestFailure(ref: string, err: unknown, resolving: boolean): ImagePullError {
    if (err instanceof ImagePullError) return err;
    if (err instanceof RegistryRequestError) {
      const what = err.status === undefined ? err.message : `unexpected status from ${err.method} request to ${err.url}: ${err.status}${err.code ? ` ${err.code}` : ''}: ${err.message}`;
      return pullFailed(ref, 'Unknown', resolving ? `failed to resolve reference "${ref}": ${what}` : what);
    }
    return pullFailed(ref, 'Unknown', (err as Error)?.message ?? String(err));
  }

  /** Materialises the image once per digest; resolves to its config. */
  private ensureImage(r: ImageReference, digest: string, m: ImageManifest): Promise<ImageConfig> {
    const existing = this.inflightImages.get(digest);
    if (existing) return existing;
    const p = (async () => {
      const have = await this.readImage(digest);
      if (have) return have;
      const blobs = [...new Set(m.files.filter((f) => f.type === 'file').map((f) => f.digest!))];
      await runLimited(blobs, BLOB_DOWNLOAD_CONCURRENCY, (d) => this.ensureBlob(r, d));
      await this.materialise(digest, m);
      this.configs.set(digest, m.config);
      return m.config;
    })().finally(() => this.inflightImages.delete(digest));
    this.inflightImages.set(digest, p);
    return p;
  }

  private ensureBlob(r: ImageReference, digest: string): Promise<void> {
    const existing = this.inflightBlobs.get(digest);
    if (existing) return existing;
    const p = this.downloadBlob(r, digest).finally(() => this.inflightBlobs.delete(digest));
    this.inflightBlobs.set(digest, p);
    return p;
  }

  /** Downloads a blob unless present; verifies its digest before it gets its final name. */
  private async downloadBlob(r: ImageReference, digest: string): Promise<void> {
    const final = path.join(this.blobsDir, hex(digest));
    try {
      await fsp.access(final);
      return;
    } catch {
      /* missing: download */
    }
    const tmp = tmpName(final);
    const h = createHash('sha256');
    try {
      const body = await this.client.getBlob(r.repository, digest);
      const hasher = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          h.update(chunk);
          cb(null, chunk);
        },
      });
      await pipeline(body, hasher, createWriteStream(tmp, { mode: 0o644 }));
      const actual = 'sha256:' + h.digest('hex');
      if (actual !== digest) {
        throw pullFailed(r.normalized, 'FailedPrecondition', `failed commit on ref "blob-${digest}": unexpected commit digest ${actual}, expected ${digest}: failed precondition`);
      }
      await fsp.rename(tmp, final);
    } catch (err) {
      await fsp.rm(tmp, { force: true });
      throw this.requestFailure(r.normalized, err, false);
    }
  }

  /** Builds the rootfs in a temp dir, then renames it into place. */
  private async materialise(digest: string, m: ImageManifest): Promise<void> {
    const final = path.join(this.imagesDir, hex(digest));
    const tmp = tmpName(final);
    const root = path.join(tmp, 'rootfs');
    try {
      await fsp.mkdir(root, { recursive: true, mode: 0o755 });
      // Entries are sorted by path, so a directory comes before what it holds.
      for (const f of m.files) {
        const dest = path.join(root, f.path);
        if (f.type === 'dir') {
          await fsp.mkdir(dest, { recursive: true });
        } else if (f.type === 'symlink') {
          await fsp.mkdir(path.dirname(dest), { recursive: true });
          await fsp.symlink(f.target!, dest);
        } else {
          await fsp.mkdir(path.dirname(dest), { recursive: true });
          // A copy, not a hard link: a container writing into its root must not change the blob.
          await fsp.copyFile(path.join(this.blobsDir, hex(f.digest!)), dest, fsc.COPYFILE_FICLONE);
          await fsp.chmod(dest, f.mode);
        }
      }
      for (const f of m.files) if (f.type === 'dir') await fsp.chmod(path.join(root, f.path), f.mode);
      const size = m.files.reduce((n, f) => n + (f.size ?? 0), 0);
      await fsp.writeFile(path.join(tmp, 'image.json'), JSON.stringify({ digest, size, config: m.config }, null, 2));
      try {
        await fsp.rename(tmp, final);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        // Another process finished the same image first: theirs is identical.
        if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
        await fsp.rm(tmp, { recursive: true, force: true });
      }
    } catch (err) {
      await fsp.rm(tmp, { recursive: true, force: true });
      throw err;
    }
  }

  private updateIndex(change: (idx: Index) => void): Promise<void> {
    const run = this.indexChain.then(async () => {
      change(this.index!);
      const file = path.join(this.cacheDir, 'index.json');
      const tmp = tmpName(file);
      await fsp.writeFile(tmp, JSON.stringify(this.index, null, 2));
      await fsp.rename(tmp, file);
    });
    this.indexChain = run.catch(() => undefined);
    return run;
  }
}

/**
 * The container status's `imageID` as containerd reports it: `docker.io/library/nginx@sha256:…`
 * (repository of the pulled reference + image digest).
 */
export function imageIdOf(image: LocalImage): string {
  return `${parseReference(image.ref).repository}@${image.digest}`;
}

async function runLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: unknown;
  const worker = async () => {
    while (next < items.length && failed === undefined) {
      const item = items[next++];
      try {
        await fn(item);
      } catch (err) {
        failed ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failed !== undefined) throw failed;
}

/**
 * The kubelet's image policy (images/image_manager.go), in one place:
 *   Always        pull every time (even if cached);
 *   IfNotPresent  use the cached image, else pull;
 *   Never         use the cached image, else ErrImageNeverPull (no pull, no back-off).
 * `pulled` says whether a pull happened, i.e. which events to emit ("Pulling"/"Pulled"
 * vs "Container image … already present on machine"). Messages quote `image` exactly
 * as the pod spec wrote it. An unparseable image throws InvalidImageNameError.
 */
export async function pullWithPolicy(svc: ImageService, image: string, policy: PullPolicy): Promise<{ image: LocalImage; pulled: boolean }> {
  parseReference(image);
  if (policy !== 'Always') {
    const present = await svc.cached(image);
    if (present) return { image: present, pulled: false };
    if (policy === 'Never') throw new ImagePullError('ErrImageNeverPull', `Container image "${image}" is not present with pull policy of Never`);
  }
  return { image: await svc.pull(image), pulled: true };
}
