/**
 * What the kubelet needs from images: pull by reference into the node's cache, honouring
 * imagePullPolicy, or fail the way Kubernetes reports it.
 */
import type { LocalImage } from '../kubelet/runtime/interface';

export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never';

export class ImagePullError extends Error {
  constructor(
    /** `ErrImagePull` (not found, registry down) or `ErrImageNeverPull` (policy Never and not cached). */
    readonly reason: 'ErrImagePull' | 'ErrImageNeverPull',
    message: string,
  ) {
    super(message);
    this.name = 'ImagePullError';
  }
}

export interface ImageService {
  /** The cached image, if present (for "already present on machine"). */
  cached(image: string): Promise<LocalImage | undefined>;
  /** Pulls from the registry into the node cache (always fetches the manifest: tags can move). */
  pull(image: string): Promise<LocalImage>;
}
