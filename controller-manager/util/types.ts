/**
 * The API types as controllers handle them: kubernetes-types marks `metadata` optional,
 * but every object a controller reads from the API has one, so these aliases make it
 * required (and keep them assignable to the generic KObject).
 */
import type { Deployment as K8sDeployment, KObject, Pod as K8sPod, ReplicaSet as K8sReplicaSet } from '../../shared/api/types';

export type Pod = K8sPod & KObject;
export type ReplicaSet = K8sReplicaSet & KObject;
export type Deployment = K8sDeployment & KObject;
