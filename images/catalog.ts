/**
 * The built-in catalog: every folder under images/catalog with an `image.json` is an
 * image (see manifest.ts for the folder format). Read once when the registry starts;
 * files are hashed then, so editing the catalog needs a registry restart (a stale blob
 * would fail the node's digest check rather than be served silently).
 */
import { existsSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { readImageDir, type ImageManifest, type ImageSpec } from './manifest';
import { parseRepositoryName } from './reference';

export interface CatalogImage {
  /** `docker.io/library/nginx`. */
  repository: string;
  tags: ImageSpec['tags'];
  digest: string;
  manifest: ImageManifest;
  blobs: Map<string, string>;
  /** The image's folder. */
  dir: string;
}

/**
 * Where the shipped catalog is: beside this module when run by ts-jest/ts-node
 * (`images/catalog`), or in the source tree when run from `dist/images/` (tsc does not
 * copy non-TypeScript files).
 */
export function defaultCatalogDir(): string {
  const candidates = [path.join(__dirname, 'catalog'), path.join(__dirname, '..', '..', 'images', 'catalog')];
  return candidates.find((c) => existsSync(c)) ?? candidates[0];
}

export async function loadCatalog(dir: string): Promise<CatalogImage[]> {
  const names = (await fsp.readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const out: CatalogImage[] = [];
  for (const name of names) {
    const imageDir = path.join(dir, name);
    if (!existsSync(path.join(imageDir, 'image.json'))) continue;
    const img = await readImageDir(imageDir);
    const repository = parseRepositoryName(img.spec.name ?? name).repository;
    out.push({ repository, tags: img.spec.tags, digest: img.digest, manifest: img.manifest, blobs: img.blobs, dir: imageDir });
  }
  return out;
}
