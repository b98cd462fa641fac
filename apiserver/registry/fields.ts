/**
 * The fields each resource can be selected on (`?fieldSelector=`), as kube-apiserver's
 * per-resource `GetAttrs`/field label conversion funcs allow. Every resource supports
 * metadata.name and metadata.namespace; anything else unsupported is a 400
 * `field label not supported: X`, exactly as a real API server answers.
 */
import type { KObject } from '../../shared/api/types';
import type { ResourceInfo } from './resources';

type Getter = (o: any) => string | undefined;

const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));

const EXTRA: Record<string, Record<string, Getter>> = {
  pods: {
    'spec.nodeName': (o) => o.spec?.nodeName,
    'spec.restartPolicy': (o) => o.spec?.restartPolicy,
    'spec.schedulerName': (o) => o.spec?.schedulerName,
    'spec.serviceAccountName': (o) => o.spec?.serviceAccountName,
    'spec.hostNetwork': (o) => str(o.spec?.hostNetwork ?? false),
    'status.phase': (o) => o.status?.phase,
    'status.podIP': (o) => o.status?.podIP,
    'status.nominatedNodeName': (o) => o.status?.nominatedNodeName,
  },
  events: {
    'involvedObject.kind': (o) => o.involvedObject?.kind,
    'involvedObject.namespace': (o) => o.involvedObject?.namespace,
    'involvedObject.name': (o) => o.involvedObject?.name,
    'involvedObject.uid': (o) => o.involvedObject?.uid,
    'involvedObject.apiVersion': (o) => o.involvedObject?.apiVersion,
    'involvedObject.resourceVersion': (o) => o.involvedObject?.resourceVersion,
    'involvedObject.fieldPath': (o) => o.involvedObject?.fieldPath,
    reason: (o) => o.reason,
    reportingComponent: (o) => o.reportingComponent,
    source: (o) => o.source?.component,
    type: (o) => o.type,
  },
  nodes: { 'spec.unschedulable': (o) => str(o.spec?.unschedulable ?? false) },
  namespaces: { 'status.phase': (o) => o.status?.phase },
  secrets: { type: (o) => o.type },
  replicasets: { 'status.replicas': (o) => str(o.status?.replicas ?? 0) },
  replicationcontrollers: { 'status.replicas': (o) => str(o.status?.replicas ?? 0) },
  jobs: { 'status.successful': (o) => str(o.status?.successful ?? 0) },
  services: { 'spec.clusterIP': (o) => o.spec?.clusterIP, 'spec.type': (o) => o.spec?.type },
};

export function supportedFields(r: ResourceInfo): string[] {
  return ['metadata.name', 'metadata.namespace', ...Object.keys(EXTRA[r.resource] ?? {})];
}

/** The selectable field values of one object (missing values are the empty string). */
export function objectFields(r: ResourceInfo, obj: KObject): Record<string, string> {
  const out: Record<string, string> = {
    'metadata.name': obj.metadata?.name ?? '',
    'metadata.namespace': r.namespaced ? obj.metadata?.namespace ?? '' : '',
  };
  for (const [f, get] of Object.entries(EXTRA[r.resource] ?? {})) out[f] = get(obj) ?? '';
  return out;
}
