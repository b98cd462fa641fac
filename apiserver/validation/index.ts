/**
 * Object validation for the API server: `validate(r, obj, old?)` returns the field
 * causes kube-apiserver would report for a create (no `old`) or an update (`old` is the
 * stored object, which also brings the immutability rules into play). An empty list
 * means valid; the caller turns causes into a 422 with `invalid(kind, name, causes)`.
 *
 * Runs AFTER defaulting (see defaults.ts), as in Kubernetes, so defaulted fields are
 * required here. Pure: never mutates, never throws on odd shapes (JSON type errors are
 * the decoder's — openapi/strict.ts — and are reported before this runs).
 */
import { field, type FieldCause } from '../../shared/api/errors';
import type { KObject } from '../../shared/api/types';
import type { ResourceInfo } from '../registry/resources';
import {
  validateBinding, validateConfigMap, validateCoreEvent, validateEndpoints, validateEventsV1Event, validateLimitRange, validateNamespace, validateNode,
  validatePersistentVolume, validatePersistentVolumeClaim, validateResourceQuota, validateSecret, validateService, validateServiceAccount,
} from './core';
import { validateObjectMeta, validateObjectMetaUpdate, type NameFn } from './meta';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain } from './names';
import {
  validateEndpointSlice, validateIngress, validateIngressClass, validateLease, validateNetworkPolicy, validatePriorityClass, validateStorageClass,
} from './network';
import { validatePod, validatePodSpecUpdate } from './pod';
import {
  validateControllerRevision, validateCronJob, validateDaemonSet, validateDeployment, validateHPA, validateJob, validatePDB, validatePodTemplate,
  validateReplicaSet, validateReplicationController, validateStatefulSet,
} from './workloads';
import type { J } from './util';

type KindValidator = (obj: J, old?: J) => FieldCause[];

interface KindRules {
  /** Name syntax (ValidateObjectMeta's nameFn); DNS-1123 subdomain unless said otherwise. */
  name?: NameFn;
  validate?: KindValidator;
}

/** Per `group/kind`: core kinds are keyed `/Kind`. */
const RULES: Record<string, KindRules> = {
  '/Pod': {
    validate: (pod, old) => {
      const errs = validatePod(pod);
      // Ephemeral containers come only through the pods/ephemeralcontainers subresource.
      if (!old && Array.isArray(pod.spec?.ephemeralContainers) && pod.spec.ephemeralContainers.length > 0) {
        errs.push(field.forbidden('spec.ephemeralContainers', 'cannot be set on create'));
      }
      return old ? [...errs, ...validatePodSpecUpdate(pod, old)] : errs;
    },
  },
  '/Service': { name: isDNS1035Label, validate: validateService },
  '/Namespace': { name: isDNS1123Label, validate: validateNamespace },
  '/ConfigMap': { validate: validateConfigMap },
  '/Secret': { validate: validateSecret },
  '/Node': { validate: validateNode },
  '/Event': { validate: validateCoreEvent },
  '/Endpoints': { validate: validateEndpoints },
  '/PersistentVolume': { validate: validatePersistentVolume },
  '/PersistentVolumeClaim': { validate: validatePersistentVolumeClaim },
  '/ServiceAccount': { validate: validateServiceAccount },
  '/Binding': { validate: validateBinding },
  '/LimitRange': { validate: validateLimitRange },
  '/ResourceQuota': { validate: validateResourceQuota },
  '/PodTemplate': { validate: validatePodTemplate },
  '/ReplicationController': { validate: validateReplicationController },
  'apps/Deployment': { validate: validateDeployment },
  'apps/ReplicaSet': { validate: validateReplicaSet },
  'apps/DaemonSet': { validate: validateDaemonSet },
  'apps/StatefulSet': { validate: validateStatefulSet },
  'apps/ControllerRevision': { validate: validateControllerRevision },
  'batch/Job': { validate: validateJob },
  'batch/CronJob': { validate: validateCronJob },
  'autoscaling/HorizontalPodAutoscaler': { validate: validateHPA },
  'policy/PodDisruptionBudget': { validate: validatePDB },
  'coordination.k8s.io/Lease': { validate: validateLease },
  'discovery.k8s.io/EndpointSlice': { validate: validateEndpointSlice },
  'events.k8s.io/Event': { validate: validateEventsV1Event },
  'networking.k8s.io/Ingress': { validate: validateIngress },
  'networking.k8s.io/IngressClass': { validate: validateIngressClass },
  'networking.k8s.io/NetworkPolicy': { validate: validateNetworkPolicy },
  'scheduling.k8s.io/PriorityClass': { validate: validatePriorityClass },
  'storage.k8s.io/StorageClass': { validate: validateStorageClass },
};

/**
 * Field causes for creating (`old` absent) or updating `obj` as resource `r`.
 * Metadata first, then the kind's own rules, in kube-apiserver's order.
 */
export function validate(r: ResourceInfo, obj: KObject, old?: KObject): FieldCause[] {
  const rules = RULES[`${r.group}/${r.kind}`] ?? {};
  const errs: FieldCause[] = validateObjectMeta(obj.metadata, { namespaced: r.namespaced, nameFn: rules.name ?? isDNS1123Subdomain });
  if (old) errs.push(...validateObjectMetaUpdate(obj.metadata, old.metadata));
  if (rules.validate) errs.push(...rules.validate(obj as J, old as J | undefined));
  return errs;
}

export { applyDefaults } from './defaults';
