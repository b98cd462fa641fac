/**
 * ControllerRef helpers and the claim algorithm (CONTROLLERS.md 0.1): a controller keeps
 * children that carry its ControllerRef and still match, releases those that no longer
 * match, and adopts matching orphans. Adoption and release are JSON patches fenced by
 * `test` ops (the child's uid; for adoption also its resourceVersion), so two controllers
 * racing for an orphan cannot both win and a recreated namesake is never touched; a
 * NotFound just means the child is already gone.
 */
import { fromLabelSelector, type Requirement } from '../../shared/selectors';
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import type { KObject, OwnerReference } from '../../shared/api/types';
import { ApiError } from '../../shared/api/errors';
import type { KubeClient } from '../../shared/client';

export function controllerRefOf(obj: KObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** The reference a controller puts on what it creates: controller + blockOwnerDeletion. */
export function newControllerRef(owner: KObject, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

export interface ClaimOptions<T extends KObject> {
  owner: KObject;
  apiVersion: string;
  kind: string;
  children: T[];
  matches: (child: T) => boolean;
  /** Path of a child, for PATCH. */
  pathOf: (child: T) => string;
  client: KubeClient;
  /** Uncached read of the owner before the first adoption ("recheck deletion timestamp"). */
  recheck: () => Promise<KObject | undefined>;
  signal?: AbortSignal;
}

function ignoreNotFound(err: unknown): void {
  if (err instanceof ApiError && err.code === 404) return;
  throw err;
}

/** Runs the claim and returns the children this owner now controls (adopted ones included). */
export async function claimChildren<T extends KObject>(o: ClaimOptions<T>): Promise<T[]> {
  const ownerUid = o.owner.metadata.uid;
  const ownerDeleting = !!o.owner.metadata.deletionTimestamp;
  const claimed: T[] = [];
  let rechecked: boolean | undefined;
  for (const child of o.children) {
    const ref = controllerRefOf(child);
    if (ref) {
      if (ref.uid !== ownerUid) continue;
      if (o.matches(child)) {
        claimed.push(child);
        continue;
      }
      if (ownerDeleting) continue;
      // JSON patch fenced by `test` ops: removes exactly our reference, and fails (422/409)
      // rather than removing someone else's if the list changed since we read it.
      const i = child.metadata.ownerReferences!.findIndex((r) => r.uid === ownerUid);
      const patch = [
        { op: 'test', path: '/metadata/uid', value: child.metadata.uid },
        { op: 'test', path: `/metadata/ownerReferences/${i}/uid`, value: ownerUid },
        { op: 'remove', path: `/metadata/ownerReferences/${i}` },
      ];
      await o.client.patch(o.pathOf(child), patch, 'json', { signal: o.signal }).catch(ignoreNotFound);
      continue;
    }
    if (ownerDeleting || child.metadata.deletionTimestamp || !o.matches(child)) continue;
    if (rechecked === undefined) {
      const fresh = await o.recheck();
      rechecked = !!fresh && fresh.metadata.uid === ownerUid && !fresh.metadata.deletionTimestamp;
    }
    if (!rechecked) continue;
    // Fenced on uid and resourceVersion: if the child changed since we read it (say another
    // controller adopted it first), the `test` fails and the next sync decides from fresh state.
    const ownRef = newControllerRef(o.owner, o.apiVersion, o.kind);
    const patch = [
      { op: 'test', path: '/metadata/uid', value: child.metadata.uid },
      { op: 'test', path: '/metadata/resourceVersion', value: child.metadata.resourceVersion },
      child.metadata.ownerReferences?.length ? { op: 'add', path: '/metadata/ownerReferences/-', value: ownRef } : { op: 'add', path: '/metadata/ownerReferences', value: [ownRef] },
    ];
    try {
      const adopted = await o.client.patch<T>(o.pathOf(child), patch, 'json', { signal: o.signal });
      // Someone else may have adopted it first; only count it if our ref is the controller.
      if (controllerRefOf(adopted)?.uid === ownerUid) claimed.push(adopted);
    } catch (err) {
      ignoreNotFound(err);
    }
  }
  return claimed;
}

/**
 * A workload's pod selector as requirements; null when it is missing, invalid or empty.
 * An empty selector would match every pod in the namespace: a ReplicaSet, Job or
 * DaemonSet must never adopt all of them.
 */
export function nonEmptySelector(obj: { spec?: { selector?: LabelSelector | null } }): Requirement[] | null {
  try {
    const reqs = fromLabelSelector(obj.spec?.selector ?? undefined);
    return reqs && reqs.length ? reqs : null;
  } catch {
    return null;
  }
}
