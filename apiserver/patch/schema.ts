/**
 * Per-kind merge schema: which lists merge per element (and on which key), which are sets, which
 * are replaced wholesale, and which objects are atomic. Strategic merge patch reads the
 * `patchStrategy`/`patchMergeKey` half; server-side apply reads the `listType`/`listMapKeys`/
 * atomic half. Both come from the Go struct tags in k8s.io/api, restated here as a small tree.
 *
 * Only the fields that differ from the defaults are listed. Defaults: an object merges key by key
 * (granular); a list is replaced by a patch and is atomic for apply. Anything not in the tree —
 * including every field of a kind we do not know, such as a custom resource — gets the defaults,
 * which is JSON merge patch semantics. `metadata` (ownerReferences by uid, finalizers as a set) is
 * the same for every kind, known or not.
 *
 * The PodSpec subtree is defined once and hung under every place a pod template appears.
 */
import { hasOwn, type JsonValue } from './json';

export interface GroupKind {
  group: string;
  kind: string;
}

/** One field of an associative list's key, with the value it has when omitted (ports' protocol). */
export interface KeyField {
  name: string;
  default?: JsonValue;
}

export interface ObjectSchema {
  type: 'object';
  fields?: Readonly<Record<string, Schema>>;
  /** Schema of every value of a map[string]T whose values need one. */
  values?: Schema;
  /** Apply treats the whole object as one value (`+structType=atomic` / `+mapType=atomic`). */
  atomic?: boolean;
}

export interface ListSchema {
  type: 'list';
  /** Strategic merge: 'merge' merges per element (keyed by mergeKey, or as a set of primitives). */
  strategy: 'merge' | 'replace';
  mergeKey?: string;
  /**
   * Fields that tell apart elements sharing a merge key. Kubernetes' patchMergeKey for ports is
   * the number alone, so two ports 53/TCP and 53/UDP collide; when more than one live element
   * matches, the patch element's protocol (default TCP) picks the right one.
   */
  disambiguate?: readonly KeyField[];
  /** Server-side apply list type. */
  listType: 'map' | 'set' | 'atomic';
  /** Server-side apply key fields for listType 'map'. */
  keys?: readonly KeyField[];
  elem?: ObjectSchema;
}

export type Schema = ObjectSchema | ListSchema;

// ---------------------------------------------------------------------------------------------
// Builders

function obj(fields: Record<string, Schema>, extra: Partial<ObjectSchema> = {}): ObjectSchema {
  return { type: 'object', fields, ...extra };
}

/** Merged per element on `key` by both strategic merge and apply. */
function keyed(key: string, elem?: ObjectSchema, extra: Partial<ListSchema> = {}): ListSchema {
  return { type: 'list', strategy: 'merge', mergeKey: key, listType: 'map', keys: [{ name: key }], elem, ...extra };
}

const ATOMIC: ObjectSchema = { type: 'object', atomic: true };
/** Merged primitive list (union without duplicates); a set for apply. */
const PRIMITIVE_SET: ListSchema = { type: 'list', strategy: 'merge', listType: 'set' };
/** No merge key: a patch replaces the list; apply owns it as one value. */
const REPLACED: ListSchema = { type: 'list', strategy: 'replace', listType: 'atomic' };
const PROTOCOL_TCP: KeyField = { name: 'protocol', default: 'TCP' };

// ---------------------------------------------------------------------------------------------
// Shared subtrees

export const OBJECT_META: ObjectSchema = obj({
  ownerReferences: keyed('uid', obj({})),
  finalizers: PRIMITIVE_SET,
  managedFields: REPLACED,
});

const CONDITIONS = keyed('type', obj({}));

const ENV_VAR = obj({
  valueFrom: obj({ configMapKeyRef: ATOMIC, secretKeyRef: ATOMIC, fieldRef: ATOMIC, resourceFieldRef: ATOMIC }),
});

const CONTAINER = obj({
  ports: keyed('containerPort', obj({}), {
    disambiguate: [PROTOCOL_TCP],
    keys: [{ name: 'containerPort' }, PROTOCOL_TCP],
  }),
  env: keyed('name', ENV_VAR),
  envFrom: REPLACED,
  volumeMounts: keyed('mountPath', obj({})),
  volumeDevices: keyed('devicePath', obj({})),
  resources: obj({
    // ResourceRequirements.claims: listType=map for apply, no patch strategy.
    claims: { type: 'list', strategy: 'replace', listType: 'map', keys: [{ name: 'name' }] },
  }),
});

const LABEL_SELECTOR = ATOMIC;

export const POD_SPEC: ObjectSchema = obj({
  // Volumes are `merge,retainKeys`; $retainKeys is honoured on any map, so no flag is needed.
  volumes: keyed('name', obj({})),
  initContainers: keyed('name', CONTAINER),
  containers: keyed('name', CONTAINER),
  ephemeralContainers: keyed('name', CONTAINER),
  imagePullSecrets: keyed('name', obj({})),
  hostAliases: keyed('ip', obj({})),
  topologySpreadConstraints: keyed('topologyKey', obj({ labelSelector: LABEL_SELECTOR }), {
    keys: [{ name: 'topologyKey' }, { name: 'whenUnsatisfiable' }],
  }),
  schedulingGates: keyed('name', obj({})),
  resourceClaims: keyed('name', obj({})),
  tolerations: REPLACED,
  nodeSelector: ATOMIC,
});

const POD_STATUS = obj({
  conditions: CONDITIONS,
  // Strategic merge merges pod IPs by ip; apply owns the list as a whole (listType=atomic).
  podIPs: { type: 'list', strategy: 'merge', mergeKey: 'ip', listType: 'atomic' },
  hostIPs: { type: 'list', strategy: 'merge', mergeKey: 'ip', listType: 'atomic' },
  resourceClaimStatuses: keyed('name', obj({})),
});

const POD_TEMPLATE = obj({ metadata: OBJECT_META, spec: POD_SPEC });

const JOB_SPEC = obj({ selector: LABEL_SELECTOR, template: POD_TEMPLATE });

const WITH_CONDITIONS = obj({ conditions: CONDITIONS });

function kind(spec: Record<string, Schema>): ObjectSchema {
  return obj({ metadata: OBJECT_META, ...spec });
}

const WORKLOAD = kind({ spec: obj({ selector: LABEL_SELECTOR, template: POD_TEMPLATE }), status: WITH_CONDITIONS });

// ---------------------------------------------------------------------------------------------
// The table: group/kind → schema

const KINDS: ReadonlyMap<string, ObjectSchema> = new Map<string, ObjectSchema>([
  ['/Pod', kind({ spec: POD_SPEC, status: POD_STATUS })],
  ['/PodTemplate', kind({ template: POD_TEMPLATE })],
  ['/ReplicationController', kind({ spec: obj({ selector: ATOMIC, template: POD_TEMPLATE }), status: WITH_CONDITIONS })],
  ['/Service', kind({
    spec: obj({
      ports: keyed('port', obj({}), { disambiguate: [PROTOCOL_TCP], keys: [{ name: 'port' }, PROTOCOL_TCP] }),
      selector: ATOMIC,
    }),
    status: WITH_CONDITIONS,
  })],
  ['/Node', kind({
    spec: obj({ podCIDRs: PRIMITIVE_SET, taints: REPLACED }),
    status: obj({
      conditions: CONDITIONS,
      // Merged by type for strategic merge; atomic for apply (a node may report two InternalIPs).
      addresses: { type: 'list', strategy: 'merge', mergeKey: 'type', listType: 'atomic' },
    }),
  })],
  ['/Namespace', kind({ status: WITH_CONDITIONS })],
  ['/PersistentVolumeClaim', kind({ status: WITH_CONDITIONS })],
  ['/ServiceAccount', kind({ secrets: keyed('name', obj({})) })],
  ['apps/Deployment', WORKLOAD],
  ['apps/ReplicaSet', WORKLOAD],
  ['apps/DaemonSet', WORKLOAD],
  ['apps/StatefulSet', kind({
    spec: obj({ selector: LABEL_SELECTOR, template: POD_TEMPLATE, volumeClaimTemplates: REPLACED }),
    status: WITH_CONDITIONS,
  })],
  ['batch/Job', kind({ spec: JOB_SPEC, status: WITH_CONDITIONS })],
  ['batch/CronJob', kind({ spec: obj({ jobTemplate: obj({ metadata: OBJECT_META, spec: JOB_SPEC }) }) })],
  ['policy/PodDisruptionBudget', kind({ spec: obj({ selector: LABEL_SELECTOR }), status: WITH_CONDITIONS })],
  ['autoscaling/HorizontalPodAutoscaler', kind({ status: WITH_CONDITIONS })],
  ['apiextensions.k8s.io/CustomResourceDefinition', kind({ status: WITH_CONDITIONS })],
  ['certificates.k8s.io/CertificateSigningRequest', kind({ status: WITH_CONDITIONS })],
]);

/** What every kind, known or not, gets: the ObjectMeta rules and defaults elsewhere. */
const UNKNOWN_KIND: ObjectSchema = kind({});

export function schemaFor(gk: GroupKind): ObjectSchema {
  return KINDS.get(`${gk.group}/${gk.kind}`) ?? UNKNOWN_KIND;
}

/**
 * True when the table has rules for this kind beyond metadata. Not a "built-in kind" test:
 * ConfigMap or Lease are built in yet need nothing beyond the defaults.
 */
export function hasKindSchema(gk: GroupKind): boolean {
  return KINDS.has(`${gk.group}/${gk.kind}`);
}

/** The schema of field `key` inside an object schema, or undefined (defaults apply). */
export function fieldSchema(s: Schema | undefined, key: string): Schema | undefined {
  if (!s || s.type !== 'object') return undefined;
  if (s.fields && hasOwn(s.fields, key)) return s.fields[key];
  return s.values;
}

export function asList(s: Schema | undefined): ListSchema | undefined {
  return s && s.type === 'list' ? s : undefined;
}

export function asObject(s: Schema | undefined): ObjectSchema | undefined {
  return s && s.type === 'object' ? s : undefined;
}
