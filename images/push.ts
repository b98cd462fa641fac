/**
 * Pushing an image folder (`image.json` + `rootfs/`) to the registry: blobs the registry
 * lacks first (HEAD, then a monolithic upload each), then the manifest under the tag —
 * so a manifest never points at a missing blob. Re-pushing the same content uploads
 * nothing and yields the same digest.
 */
import { RegistryClient } from './client';
import { readImageDir, ManifestError } from './manifest';
import { parseReference } from './reference';

export interface PushResult {
  /** `docker.io/library/myapp:1.0`. */
  ref: string;
  digest: string;
  uploaded: number;
  skipped: number;
}

/** Pushes `dir` as `tag` (default: image.json's name, tag latest). */
export async function pushImageDir(dir: string, registryUrl: string, tag?: string): Promise<PushResult> {
  const img = await readImageDir(dir);
  const refText = tag ?? img.spec.name;
  if (!refText) throw new ManifestError(`${dir}: no --tag given and image.json has no name`);
  const r = parseReference(refText);
  if (r.digest) throw new ManifestError(`push by digest is not supported: use NAME:TAG`);
  const client = new RegistryClient(registryUrl);
  let uploaded = 0;
  let skipped = 0;
  for (const [digest, file] of img.blobs) {
    if (await client.hasBlob(r.repository, digest)) {
      skipped++;
      continue;
    }
    const size = img.manifest.files.find((f) => f.digest === digest)?.size ?? 0;
    await client.uploadBlob(r.repository, digest, file, size);
    uploaded++;
  }
  const digest = await client.putManifest(r.repository, r.tag!, img.manifest);
  return { ref: r.normalized, digest, uploaded, skipped };
}
