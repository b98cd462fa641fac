/**
 * The protobuf schema k8ts understands: all .proto sources, and which message encodes
 * which apiVersion/kind. A kind missing from KINDS is refused (415) rather than
 * guessed, because decoding bytes with the wrong message yields plausible garbage.
 */
import { APIMACHINERY_PROTO, INTSTR_PROTO, RESOURCE_PROTO, RUNTIME_PROTO } from './apimachinery';
import { CORE_V1_PROTO } from './core';
import {
  APPS_V1_PROTO, AUTHENTICATION_V1_PROTO, AUTOSCALING_V1_PROTO, BATCH_V1_PROTO, NETWORKING_V1_PROTO,
  POLICY_V1_PROTO, RBAC_V1_PROTO, SCHEDULING_V1_PROTO,
} from './groups';

export const PROTO_SOURCES: readonly string[] = [
  APIMACHINERY_PROTO, RUNTIME_PROTO, INTSTR_PROTO, RESOURCE_PROTO, CORE_V1_PROTO, APPS_V1_PROTO,
  BATCH_V1_PROTO, POLICY_V1_PROTO, NETWORKING_V1_PROTO, AUTOSCALING_V1_PROTO, RBAC_V1_PROTO,
  SCHEDULING_V1_PROTO, AUTHENTICATION_V1_PROTO,
];

/** Our protobuf package for each apiVersion (the Kubernetes group/version). */
const PACKAGES: Record<string, { pkg: string; kinds: string[] }> = {
  'v1': {
    pkg: 'core.v1',
    kinds: ['Namespace', 'ConfigMap', 'Secret', 'ServiceAccount', 'Service', 'ResourceQuota', 'Pod', 'PodTemplate', 'Binding'],
  },
  'apps/v1': { pkg: 'apps.v1', kinds: ['Deployment', 'ReplicaSet', 'DaemonSet', 'ControllerRevision'] },
  'batch/v1': { pkg: 'batch.v1', kinds: ['Job', 'CronJob'] },
  'policy/v1': { pkg: 'policy.v1', kinds: ['PodDisruptionBudget', 'Eviction'] },
  'networking.k8s.io/v1': { pkg: 'networking.v1', kinds: ['Ingress'] },
  'autoscaling/v1': { pkg: 'autoscaling.v1', kinds: ['Scale', 'HorizontalPodAutoscaler'] },
  'rbac.authorization.k8s.io/v1': { pkg: 'rbac.v1', kinds: ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'] },
  'scheduling.k8s.io/v1': { pkg: 'scheduling.v1', kinds: ['PriorityClass'] },
  'authentication.k8s.io/v1': { pkg: 'authentication.v1', kinds: ['TokenRequest'] },
};

/** `apiVersion/kind` → fully qualified message name, e.g. `apps/v1/Deployment` → `apps.v1.Deployment`. */
export const KINDS: ReadonlyMap<string, string> = (() => {
  const m = new Map<string, string>();
  for (const [apiVersion, { pkg, kinds }] of Object.entries(PACKAGES)) {
    for (const kind of kinds) m.set(`${apiVersion}/${kind}`, `${pkg}.${kind}`);
  }
  // Status is meta/v1 but travels as apiVersion v1 (it is what error responses carry).
  m.set('v1/Status', 'meta.v1.Status');
  return m;
})();
