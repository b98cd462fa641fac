/**
 * An image's identity. An image folder holds `image.json` (name, tags, config) and
 * `rootfs/` (its files). Its *manifest* is the config plus one entry per file, directory
 * and symlink of the rootfs (path, type, mode, content digest, size); the image digest is
 * `sha256:` of the manifest's canonical JSON (keys sorted, no whitespace, entries sorted
 * by path). Name and tags are not content: the same files pushed under two names have one
 * digest, as in Docker.
 *
 * What must hold: the digest depends only on content, so it is the same on every machine
 * and every checkout. That is why modes are normalised to what git preserves (a file is
 * 0755 if any execute bit is set, else 0644; directories 0755) and why timestamps and
 * owners are left out.
 *
 * `validateManifest` is the gate for manifests that come over the network: a path that
 * could escape the rootfs (absolute, `..`, through a symlink) is refused.
 */
import { createHash } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { ImageConfig } from '../kubelet/runtime/interface';
import { DIGEST_RE } from './reference';

export const MANIFEST_SCHEMA_VERSION = 1;
export const MANIFEST_MEDIA_TYPE = 'application/vnd.k8ts.image.manifest.v1+json';

export interface FileEntry {
  /** Relative to the rootfs, `/`-separated, no leading slash: `usr/sbin/nginx`. */
  path: string;
  type: 'file' | 'dir' | 'symlink';
  mode: number;
  /** Files: `sha256:` of the content (the blob's name in the registry). */
  digest?: string;
  size?: number;
  /** Symlinks: the link target, verbatim. */
  target?: string;
}

/** The content that is hashed into the image digest. */
export interface ImageManifest {
  schemaVersion: number;
  config: ImageConfig;
  files: FileEntry[];
}

/** `image.json` of an image folder. */
export interface ImageSpec {
  /** Repository name, e.g. `nginx` or `gcr.io/kuar-demo/kuard-amd64`. Optional when pushing with --tag. */
  name?: string;
  /**
   * Tags the image answers to. `"*"` = any tag; entries may hold `*` wildcards
   * (`1.*` matches `1.28` and `1.28.0-alpine`), each `*` standing for one or more of
   * `[A-Za-z0-9._-]`.
   */
  tags?: string[] | '*';
  config: ImageConfig;
}

/** Thrown for malformed image folders and manifests; the message says what is wrong. */
export class ManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}

/** JSON with object keys sorted at every level and no whitespace. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

export function sha256(data: string | Buffer): string {
  return 'sha256:' + createHash('sha256').update(data).digest('hex');
}

/** Streams a file through sha256: image files may be large. */
export function hashFile(file: string): Promise<{ digest: string; size: number }> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    let size = 0;
    createReadStream(file)
      .on('data', (chunk) => {
        h.update(chunk);
        size += chunk.length;
      })
      .on('error', reject)
      .on('end', () => resolve({ digest: 'sha256:' + h.digest('hex'), size }));
  });
}

/** Byte-order comparison, so sorting does not depend on the locale. */
function byPath(a: { path: string }, b: { path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** The manifest in canonical form (entries sorted by path); what `manifestDigest` hashes. */
export function canonicalManifest(m: { config: ImageConfig; files: FileEntry[] }): ImageManifest {
  const files = m.files.map((f) => {
    const e: FileEntry = { path: f.path, type: f.type, mode: f.mode };
    if (f.type === 'file') {
      e.digest = f.digest;
      e.size = f.size;
    }
    if (f.type === 'symlink') e.target = f.target;
    return e;
  });
  return { schemaVersion: MANIFEST_SCHEMA_VERSION, config: m.config, files: files.sort(byPath) };
}

export function manifestDigest(m: { config: ImageConfig; files: FileEntry[] }): string {
  return sha256(canonicalJson(canonicalManifest(m)));
}

/** Total size of the image's file contents. */
export function manifestSize(m: ImageManifest): number {
  return m.files.reduce((n, f) => n + (f.size ?? 0), 0);
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === 'string');
}

/** Checks an ImageConfig's shape (an image.json or a manifest from the network). */
export function validateConfig(v: unknown, where = 'config'): ImageConfig {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new ManifestError(`${where}: must be an object`);
  const c = v as Record<string, unknown>;
  const out: ImageConfig = {};
  for (const k of ['entrypoint', 'cmd', 'env', 'exposedPorts'] as const) {
    if (c[k] === undefined || c[k] === null) continue;
    if (!isStringArray(c[k])) throw new ManifestError(`${where}.${k}: must be a list of strings`);
    out[k] = c[k] as string[];
  }
  if (c.workingDir !== undefined && c.workingDir !== null) {
    if (typeof c.workingDir !== 'string') throw new ManifestError(`${where}.workingDir: must be a string`);
    out.workingDir = c.workingDir;
  }
  for (const e of out.env ?? []) {
    if (!/^[^=]+=/.test(e)) throw new ManifestError(`${where}.env: "${e}" is not KEY=value`);
  }
  for (const p of out.exposedPorts ?? []) {
    if (!/^\d{1,5}(\/(tcp|udp|sctp))?$/.test(p)) throw new ManifestError(`${where}.exposedPorts: "${p}" is not PORT/PROTO`);
  }
  const unknown = Object.keys(c).filter((k) => !['entrypoint', 'cmd', 'env', 'exposedPorts', 'workingDir'].includes(k));
  if (unknown.length) throw new ManifestError(`${where}: unknown field "${unknown[0]}"`);
  return out;
}

/** Parses and checks `image.json`. */
export function parseImageSpec(text: string, file = 'image.json'): ImageSpec {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new ManifestError(`${file}: ${(err as Error).message}`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new ManifestError(`${file}: must be a JSON object`);
  const o = v as Record<string, unknown>;
  if (o.name !== undefined && (typeof o.name !== 'string' || o.name === '')) throw new ManifestError(`${file}: name must be a non-empty string`);
  if (o.tags !== undefined && o.tags !== '*' && !isStringArray(o.tags)) throw new ManifestError(`${file}: tags must be "*" or a list of strings`);
  return { name: o.name as string | undefined, tags: o.tags as ImageSpec['tags'], config: validateConfig(o.config ?? {}, `${file}: config`) };
}

const SAFE_COMPONENT_RE = /^(?!\.{1,2}$)[^/\0]+$/;

/** Refuses paths that could land outside the rootfs. */
function checkPath(p: unknown): string {
  if (typeof p !== 'string' || p === '' || p.length > 4096) throw new ManifestError(`invalid path ${JSON.stringify(p)}`);
  if (!p.split('/').every((c) => SAFE_COMPONENT_RE.test(c))) throw new ManifestError(`invalid path ${JSON.stringify(p)}: must be relative, without "." or ".." components`);
  return p;
}

/**
 * Checks a manifest received over the network (shape, safe paths, no path below a
 * symlink, no duplicates) and returns it in canonical form.
 */
export function validateManifest(v: unknown): ImageManifest {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new ManifestError('manifest: must be an object');
  const o = v as Record<string, unknown>;
  if (o.schemaVersion !== undefined && o.schemaVersion !== MANIFEST_SCHEMA_VERSION) throw new ManifestError(`manifest: unsupported schemaVersion ${String(o.schemaVersion)}`);
  const config = validateConfig(o.config ?? {}, 'manifest.config');
  if (!Array.isArray(o.files)) throw new ManifestError('manifest.files: must be a list');
  const seen = new Set<string>();
  const symlinks = new Set<string>();
  const files: FileEntry[] = [];
  for (const raw of o.files as unknown[]) {
    if (!raw || typeof raw !== 'object') throw new ManifestError('manifest.files: entries must be objects');
    const f = raw as Record<string, unknown>;
    const p = checkPath(f.path);
    if (seen.has(p)) throw new ManifestError(`manifest.files: duplicate path ${p}`);
    seen.add(p);
    const type = f.type ?? 'file';
    const mode = f.mode;
    if (typeof mode !== 'number' || !Number.isInteger(mode) || mode < 0 || mode > 0o7777) throw new ManifestError(`manifest.files[${p}].mode: invalid`);
    if (type === 'file') {
      if (typeof f.digest !== 'string' || !DIGEST_RE.test(f.digest)) throw new ManifestError(`manifest.files[${p}].digest: invalid`);
      if (typeof f.size !== 'number' || !Number.isSafeInteger(f.size) || f.size < 0) throw new ManifestError(`manifest.files[${p}].size: invalid`);
      files.push({ path: p, type, mode, digest: f.digest, size: f.size });
    } else if (type === 'dir') {
      files.push({ path: p, type, mode });
    } else if (type === 'symlink') {
      if (typeof f.target !== 'string' || f.target === '' || f.target.includes('\0')) throw new ManifestError(`manifest.files[${p}].target: invalid`);
      files.push({ path: p, type, mode, target: f.target });
      symlinks.add(p);
    } else {
      throw new ManifestError(`manifest.files[${p}].type: must be file, dir or symlink`);
    }
  }
  // Writing below a symlink would follow it, possibly out of the rootfs.
  for (const f of files) {
    const parts = f.path.split('/');
    for (let i = 1; i < parts.length; i++) {
      if (symlinks.has(parts.slice(0, i).join('/'))) throw new ManifestError(`manifest.files: ${f.path} is below the symlink ${parts.slice(0, i).join('/')}`);
    }
  }
  return canonicalManifest({ config, files });
}

/** A file entry plus where its content is on this machine. */
export interface LocalFileEntry extends FileEntry {
  source?: string;
}

/** Walks a rootfs into file entries (sorted), hashing every regular file. */
export async function scanRootfs(rootfs: string): Promise<LocalFileEntry[]> {
  const out: LocalFileEntry[] = [];
  let exists = true;
  try {
    const st = await fsp.stat(rootfs);
    if (!st.isDirectory()) throw new ManifestError(`${rootfs}: not a directory`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    exists = false;
  }
  if (!exists) return out;
  const walk = async (dir: string, rel: string): Promise<void> => {
    const names = (await fsp.readdir(dir)).sort();
    for (const name of names) {
      const abs = path.join(dir, name);
      const p = rel ? `${rel}/${name}` : name;
      const st = await fsp.lstat(abs);
      if (st.isSymbolicLink()) {
        out.push({ path: p, type: 'symlink', mode: 0o777, target: await fsp.readlink(abs) });
      } else if (st.isDirectory()) {
        out.push({ path: p, type: 'dir', mode: 0o755 });
        await walk(abs, p);
      } else if (st.isFile()) {
        const { digest, size } = await hashFile(abs);
        out.push({ path: p, type: 'file', mode: st.mode & 0o111 ? 0o755 : 0o644, digest, size, source: abs });
      } else {
        throw new ManifestError(`${abs}: only regular files, directories and symlinks can be in an image`);
      }
    }
  };
  await walk(rootfs, '');
  return out.sort(byPath);
}

/** An image folder read from disk: its spec, manifest, digest and where each blob is. */
export interface ImageDir {
  spec: ImageSpec;
  manifest: ImageManifest;
  digest: string;
  /** blob digest → a file holding that content. */
  blobs: Map<string, string>;
}

/** Reads an image folder (`image.json` + `rootfs/`). */
export async function readImageDir(dir: string): Promise<ImageDir> {
  const specFile = path.join(dir, 'image.json');
  let text: string;
  try {
    text = await fsp.readFile(specFile, 'utf8');
  } catch (err) {
    throw new ManifestError(`${specFile}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found (an image folder needs image.json and rootfs/)' : (err as Error).message}`);
  }
  const spec = parseImageSpec(text, specFile);
  const entries = await scanRootfs(path.join(dir, 'rootfs'));
  const blobs = new Map<string, string>();
  for (const e of entries) if (e.type === 'file' && e.digest && e.source) blobs.set(e.digest, e.source);
  const manifest = canonicalManifest({ config: spec.config, files: entries });
  return { spec, manifest, digest: sha256(canonicalJson(manifest)), blobs };
}

/** Does `tag` match one of the spec's tag patterns? */
export function tagMatches(tags: ImageSpec['tags'], tag: string): boolean {
  if (tags === undefined) return tag === 'latest';
  if (tags === '*') return true;
  return tags.some((t) => {
    if (!t.includes('*')) return t === tag;
    const re = new RegExp('^' + t.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\-]/g, '\\$&')).join('[A-Za-z0-9._-]+') + '$');
    return re.test(tag);
  });
}
