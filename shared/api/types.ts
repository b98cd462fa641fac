/**
 * Kubernetes API object shapes, once for every component.
 *
 * The concrete types come from `kubernetes-types` (generated from the Kubernetes
 * OpenAPI spec), so field names and nesting match upstream exactly. `KObject` is the
 * loose shape the generic API machinery works with: anything with TypeMeta + ObjectMeta.
 */
import type { ObjectMeta as K8sObjectMeta, OwnerReference, Status, Time } from 'kubernetes-types/meta/v1';

/** kubernetes-types marks server-set fields readonly; the server is who sets them. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };
export type ObjectMeta = Mutable<K8sObjectMeta>;

export type { OwnerReference, Status, Time };
export type { Pod, PodSpec, PodStatus, Container, ContainerStatus, PodCondition, Node, NodeStatus, NodeSpec, Namespace, Service, ServiceSpec, Endpoints, Event, ConfigMap, Secret, ServiceAccount, PersistentVolume, PersistentVolumeClaim, PodTemplateSpec, Binding } from 'kubernetes-types/core/v1';
export type { Deployment, ReplicaSet, DaemonSet } from 'kubernetes-types/apps/v1';
export type { Job } from 'kubernetes-types/batch/v1';
export type { EndpointSlice } from 'kubernetes-types/discovery/v1';
export type { Lease } from 'kubernetes-types/coordination/v1';
export type { Ingress } from 'kubernetes-types/networking/v1';

/** Any Kubernetes object as the generic machinery sees it. */
export interface KObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** A list as returned by LIST: `{kind: PodList, metadata: {resourceVersion, continue}, items}`. */
export interface KList<T = KObject> {
  apiVersion: string;
  kind: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: T[];
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** One line of a watch stream. */
export interface WatchEvent<T = KObject> {
  type: WatchEventType;
  object: T;
}

/** Group/version/kind, as Kubernetes spells it (core group is ""). */
export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export function apiVersionOf(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** Deep copy for JSON-shaped data. Cache objects are read-only: clone before changing. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}
