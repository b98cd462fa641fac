/**
 * Image references, parsed and normalised the way Docker and containerd do it
 * (distribution/reference's grammar and "familiar" normalisation):
 * `nginx` → `docker.io/library/nginx:latest`, `luksa/kubia` → `docker.io/luksa/kubia:latest`,
 * `gcr.io/kuar-demo/kuard-amd64:blue` stays, `nginx@sha256:…` keeps its digest and gets no tag.
 *
 * Pure functions, no I/O. A reference that does not parse throws InvalidImageNameError
 * carrying the kubelet's `InvalidImageName` wording.
 */
import type { PullPolicy } from './types';

export const DEFAULT_DOMAIN = 'docker.io';
/** Docker Hub's official images live under `library/`. */
const OFFICIAL_REPO_PREFIX = 'library/';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const DEFAULT_TAG = 'latest';
/** distribution/reference: NameTotalLengthMax. */
const NAME_TOTAL_LENGTH_MAX = 255;

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN_RE = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`);
const PATH_COMPONENT_RE = /^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$/;
const TAG_RE = /^[\w][\w.-]{0,127}$/;
/** Only sha256 is used for content here; other algorithms are rejected as unparseable. */
export const DIGEST_RE = /^sha256:[a-f0-9]{64}$/;

/** The kubelet reports this as waiting reason `InvalidImageName`. */
export class InvalidImageNameError extends Error {
  readonly reason = 'InvalidImageName';
  constructor(readonly image: string) {
    super(`Failed to apply default image tag "${image}": couldn't parse image name "${image}": invalid reference format`);
    this.name = 'InvalidImageNameError';
  }
}

export interface ImageReference {
  /** `docker.io`, `gcr.io`, `127.0.0.1:5000`. */
  domain: string;
  /** `library/nginx`, `kuar-demo/kuard-amd64`. */
  path: string;
  /** `docker.io/library/nginx`: the registry-independent name used as the repository key. */
  repository: string;
  /** The tag, defaulted to `latest` when neither tag nor digest was given. */
  tag?: string;
  digest?: string;
  /** `docker.io/library/nginx:1.28`, `docker.io/library/nginx@sha256:…`, or both. */
  normalized: string;
}

/** Splits `domain/path` the way Docker decides whether the first component is a registry host. */
function splitDomain(name: string): { domain: string; path: string } {
  const i = name.indexOf('/');
  const first = i < 0 ? '' : name.slice(0, i);
  let domain: string;
  let path: string;
  if (i < 0 || (!/[.:]/.test(first) && first !== 'localhost' && first.toLowerCase() === first)) {
    domain = DEFAULT_DOMAIN;
    path = name;
  } else {
    domain = first;
    path = name.slice(i + 1);
  }
  if (domain === LEGACY_DEFAULT_DOMAIN) domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !path.includes('/')) path = OFFICIAL_REPO_PREFIX + path;
  return { domain, path };
}

/** Parses and normalises a repository name without tag or digest (`nginx`, `gcr.io/x/y`). */
export function parseRepositoryName(name: string): { domain: string; path: string; repository: string } {
  const { domain, path } = splitDomain(name);
  if (!DOMAIN_RE.test(domain) || path === '' || !path.split('/').every((c) => PATH_COMPONENT_RE.test(c))) {
    throw new InvalidImageNameError(name);
  }
  const repository = `${domain}/${path}`;
  if (repository.length > NAME_TOTAL_LENGTH_MAX) throw new InvalidImageNameError(name);
  return { domain, path, repository };
}

/** Parses an image reference as a pod spec writes it; throws InvalidImageNameError. */
export function parseReference(image: string): ImageReference {
  if (typeof image !== 'string' || image === '' || image.trim() !== image) throw new InvalidImageNameError(String(image));
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST_RE.test(digest)) throw new InvalidImageNameError(image);
  }
  let tag: string | undefined;
  // A tag is after the last ':' that follows the last '/' (a ':' before it is a port).
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG_RE.test(tag)) throw new InvalidImageNameError(image);
  }
  let name;
  try {
    name = parseRepositoryName(rest);
  } catch {
    throw new InvalidImageNameError(image);
  }
  if (!tag && !digest) tag = DEFAULT_TAG;
  const normalized = `${name.repository}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
  return { ...name, tag, digest, normalized };
}

/** `docker.io/library/nginx:1.28` → `nginx:1.28`, as `docker images`/`kubectl` would show it. */
export function familiarName(ref: ImageReference | string): string {
  const r = typeof ref === 'string' ? parseReference(ref) : ref;
  let name = r.repository;
  if (r.domain === DEFAULT_DOMAIN) {
    name = r.path.startsWith(OFFICIAL_REPO_PREFIX) ? r.path.slice(OFFICIAL_REPO_PREFIX.length) : r.path;
  }
  return `${name}${r.tag ? `:${r.tag}` : ''}${r.digest ? `@${r.digest}` : ''}`;
}

/**
 * Kubernetes' defaulting of `imagePullPolicy` (core/v1 defaults.go): Always when the tag,
 * after defaulting, is `latest` (so `nginx` and `nginx:latest@sha256:…`, not `nginx@sha256:…`),
 * IfNotPresent otherwise — including for images that don't parse (the kubelet
 * reports InvalidImageName later).
 */
export function defaultPullPolicy(image: string): PullPolicy {
  let r: ImageReference;
  try {
    r = parseReference(image);
  } catch {
    return 'IfNotPresent';
  }
  return r.tag === DEFAULT_TAG ? 'Always' : 'IfNotPresent';
}
