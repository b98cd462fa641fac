/**
 * Dev-time generator of `schemas.generated.ts`, the compact schema table behind strict
 * field validation and `/openapi/v3`.
 *
 * Source of facts: the `kubernetes-types` package (a devDependency), whose `.d.ts` files
 * are generated from the upstream OpenAPI spec and carry every type's property names,
 * optionality and descriptions. We read them with the TypeScript compiler API rather than
 * hand-writing schemas, then add the few facts the `.d.ts` cannot express:
 * - which integers are int64 (TypeScript only says `number`; the rest are int32), and
 *   which strings are base64 `[]byte`,
 * - fields added upstream after the package's release (1.31/1.32) that k8ts accepts,
 * - enum values for a handful of string fields (OpenAPI `enum`, shown by `kubectl explain`).
 *
 * Only schemas reachable from the kinds in `RESOURCES` (plus their List kinds, Status,
 * DeleteOptions, Scale, Eviction) are emitted, keeping the table small.
 *
 * Run: `UPDATE_OPENAPI_SCHEMAS=1 npx jest test/unit/openapi-schemas` (the test also fails
 * when the committed table is stale), or `node dist/apiserver/openapi/generate-schemas.js`
 * after a build. Never imported at run time: it needs `typescript`, a devDependency.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { RESOURCES } from '../registry/resources';
import type { RawSchema, SchemaTable, TypeSpec } from './schema-table';

/** kubernetes-types folder → Kubernetes schema-name prefix. */
function prefixFor(relFile: string): string {
  const noExt = relFile.replace(/\.d\.ts$/, '').split(path.sep).join('/');
  if (noExt === 'meta/v1') return 'io.k8s.apimachinery.pkg.apis.meta.v1.';
  if (noExt === 'api/resource') return 'io.k8s.apimachinery.pkg.api.resource.';
  if (noExt === 'runtime') return 'io.k8s.apimachinery.pkg.runtime.';
  if (noExt === 'version') return 'io.k8s.apimachinery.pkg.version.';
  return `io.k8s.api.${noExt.replace('/', '.')}.`;
}

/** API group → kubernetes-types folder. */
function folderForGroup(group: string): string {
  return group === '' ? 'core' : group.split('.')[0];
}

const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

/** Integer fields that are int64 in Go (fact list; every other integer is int32). */
const INT64 = new Set([
  'ObjectMeta.generation', 'ObjectMeta.deletionGracePeriodSeconds', 'ListMeta.remainingItemCount',
  'Condition.observedGeneration', 'DeleteOptions.gracePeriodSeconds',
  'PodSpec.activeDeadlineSeconds', 'PodSpec.terminationGracePeriodSeconds', 'Probe.terminationGracePeriodSeconds',
  'PodSecurityContext.fsGroup', 'PodSecurityContext.runAsGroup', 'PodSecurityContext.runAsUser', 'PodSecurityContext.supplementalGroups',
  'SecurityContext.runAsGroup', 'SecurityContext.runAsUser', 'Toleration.tolerationSeconds', 'SleepAction.seconds',
  'ServiceAccountTokenProjection.expirationSeconds', 'LinuxContainerUser.uid', 'LinuxContainerUser.gid', 'LinuxContainerUser.supplementalGroups',
  'ContainerImage.sizeBytes', 'ControllerRevision.revision', 'JobSpec.activeDeadlineSeconds', 'CronJobSpec.startingDeadlineSeconds',
  'DaemonSetStatus.observedGeneration', 'DeploymentStatus.observedGeneration', 'ReplicaSetStatus.observedGeneration',
  'StatefulSetStatus.observedGeneration', 'ReplicationControllerStatus.observedGeneration', 'PodDisruptionBudgetStatus.observedGeneration',
  'HorizontalPodAutoscalerStatus.observedGeneration',
]);

/** String fields that are []byte in Go: base64 on the wire (fact list). */
const BYTES = new Set(['Secret.data', 'ConfigMap.binaryData']);

/** Fields added upstream in 1.31/1.32 that kubernetes-types 1.30 lacks: schema → property → [type, description]. */
const EXTRA_PROPS: Record<string, Record<string, [TypeSpec, string]>> = {
  'io.k8s.api.core.v1.PodSpec': {
    resources: ['@io.k8s.api.core.v1.ResourceRequirements', 'Resources is the total amount of CPU and Memory resources required by all containers in the pod. It supports specifying Requests and Limits for "cpu" and "memory" resource names only. ResourceClaims are not supported.\n\nThis field enables fine-grained control over resource allocation for the entire pod, allowing resource sharing among containers in a pod.\n\nThis is an alpha field and requires enabling the PodLevelResources feature gate.'],
  },
  'io.k8s.api.core.v1.PodSecurityContext': {
    supplementalGroupsPolicy: ['string', 'Defines how supplemental groups of the first container processes are calculated. Valid values are "Merge" and "Strict". If not specified, "Merge" is used. (Alpha) Using the field requires the SupplementalGroupsPolicy feature gate to be enabled and the container runtime must implement support for this feature. Note that this field cannot be set when spec.os.name is windows.'],
    seLinuxChangePolicy: ['string', 'seLinuxChangePolicy defines how the container\'s SELinux label is applied to all volumes used by the Pod. It has no effect on nodes that do not support SELinux or to volumes does not support SELinux. Valid values are "MountOption" and "Recursive".'],
  },
  // Volume inlines every VolumeSource member in the OpenAPI, so the new source goes on Volume.
  'io.k8s.api.core.v1.Volume': {
    image: ['@io.k8s.api.core.v1.ImageVolumeSource', 'image represents an OCI object (a container image or artifact) pulled and mounted on the kubelet\'s host machine.'],
  },
  'io.k8s.api.core.v1.ContainerStatus': {
    user: ['@io.k8s.api.core.v1.ContainerUser', 'User represents user identity information initially attached to the first process of the container'],
    allocatedResourcesStatus: ['[]@io.k8s.api.core.v1.ResourceStatus', 'AllocatedResourcesStatus represents the status of various resources allocated for this Pod.'],
  },
  'io.k8s.api.core.v1.NodeStatus': {
    features: ['@io.k8s.api.core.v1.NodeFeatures', 'Features describes the set of features implemented by the CRI implementation.'],
  },
  'io.k8s.api.core.v1.ResourceClaim': {
    request: ['string', 'Request is the name chosen for a request in the referenced claim. If empty, everything from the claim is made available, otherwise only the result of this request.'],
  },
  // 1.31 replaced PodResourceClaim.source (a ClaimSource) with these two fields.
  'io.k8s.api.core.v1.PodResourceClaim': {
    resourceClaimName: ['string', 'ResourceClaimName is the name of a ResourceClaim object in the same namespace as this pod.\n\nExactly one of ResourceClaimName and ResourceClaimTemplateName must be set.'],
    resourceClaimTemplateName: ['string', 'ResourceClaimTemplateName is the name of a ResourceClaimTemplate object in the same namespace as this pod.\n\nThe template will be used to create a new ResourceClaim, which will be bound to this pod. When this pod is deleted, the ResourceClaim will also be deleted. The pod name and resource name, along with a generated component, will be used to form a unique name for the ResourceClaim, which will be recorded in pod.status.resourceClaimStatuses.\n\nExactly one of ResourceClaimName and ResourceClaimTemplateName must be set.'],
  },
  'io.k8s.api.core.v1.NodeRuntimeHandlerFeatures': {
    userNamespaces: ['boolean', 'UserNamespaces is set to true if the runtime handler supports UserNamespaces, including for volumes.'],
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions': {
    ignoreStoreReadErrorWithClusterBreakingPotential: ['boolean', 'if set to true, it will trigger an unsafe deletion of the resource in case the normal deletion flow fails with a corrupt object error. A resource is considered corrupt if it can not be retrieved from the underlying storage successfully because of a) its data can not be transformed e.g. decryption failure, or b) it fails to decode into an object. NOTE: unsafe deletion ignores finalizer constraints, skips precondition checks, and removes the object from the storage. WARNING: This may potentially break the cluster if the workload associated with the resource being unsafe-deleted relies on normal deletion flow. Use only if you REALLY know what you are doing. The default value is false, and the user must opt in to enable it'],
  },
  'io.k8s.api.coordination.v1.LeaseSpec': {
    strategy: ['string', 'Strategy indicates the strategy for picking the leader for coordinated leader election. If the field is not specified, there is no active coordination for this lease. (Alpha) Using this field requires the CoordinatedLeaderElection feature gate to be enabled.'],
    preferredHolder: ['string', 'PreferredHolder signals to a lease holder that the lease has a more optimal holder and should be given up. This field can only be set if Strategy is also set.'],
  },
};

/** Fields removed upstream by 1.32 (schema → property names). */
const REMOVED_PROPS: Record<string, string[]> = {
  'io.k8s.api.core.v1.PodResourceClaim': ['source'],
};

/** Whole schemas for the extra fields above. */
const EXTRA_SCHEMAS: SchemaTable = {
  'io.k8s.api.core.v1.ImageVolumeSource': {
    d: 'ImageVolumeSource represents a image volume resource.',
    p: {
      pullPolicy: ['string', 'Policy for pulling OCI objects. Possible values are: Always, Never, IfNotPresent. Defaults to Always if :latest tag is specified, or IfNotPresent otherwise.'],
      reference: ['string', 'Required: Image or artifact reference to be used. Behaves in the same way as pod.spec.containers[*].image.'],
    },
    e: { pullPolicy: ['Always', 'IfNotPresent', 'Never'] },
  },
  'io.k8s.api.core.v1.ContainerUser': {
    d: 'ContainerUser represents user identity information',
    p: { linux: ['@io.k8s.api.core.v1.LinuxContainerUser', 'Linux holds user identity information initially attached to the first process of the containers in Linux.'] },
  },
  'io.k8s.api.core.v1.LinuxContainerUser': {
    d: 'LinuxContainerUser represents user identity information in Linux containers',
    p: {
      gid: ['int64', 'GID is the primary gid initially attached to the first process in the container'],
      supplementalGroups: ['[]int64', 'SupplementalGroups are the supplemental groups initially attached to the first process in the container'],
      uid: ['int64', 'UID is the primary uid initially attached to the first process in the container'],
    },
    r: ['uid', 'gid'],
  },
  'io.k8s.api.core.v1.ResourceStatus': {
    d: 'ResourceStatus represents the status of a single resource allocated to a Pod.',
    p: {
      name: ['string', 'Name of the resource. Must be unique within the pod and in case of non-DRA resource, match one of the resources from the pod spec.'],
      resources: ['[]@io.k8s.api.core.v1.ResourceHealth', 'List of unique resources health. Each element in the list contains an unique resource ID and its health.'],
    },
    r: ['name'],
  },
  'io.k8s.api.core.v1.ResourceHealth': {
    d: 'ResourceHealth represents the health of a resource.',
    p: {
      health: ['string', 'Health of the resource. can be one of: Healthy, Unhealthy, Unknown.'],
      resourceID: ['string', 'ResourceID is the unique identifier of the resource.'],
    },
    r: ['resourceID'],
  },
  'io.k8s.api.core.v1.NodeFeatures': {
    d: 'NodeFeatures describes the set of features implemented by the CRI implementation.',
    p: { supplementalGroupsPolicy: ['boolean', 'SupplementalGroupsPolicy is set to true if the runtime supports SupplementalGroupsPolicy and ContainerUser.'] },
  },
  [INT_OR_STRING]: {
    d: 'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.',
    t: 'string',
    f: 'int-or-string',
  },
};

/** Enum values of string fields that Kubernetes' OpenAPI marks as enums (schema → property → values). */
const ENUMS: Record<string, Record<string, string[]>> = {
  'io.k8s.api.core.v1.Container': { imagePullPolicy: ['Always', 'IfNotPresent', 'Never'], terminationMessagePolicy: ['FallbackToLogsOnError', 'File'] },
  'io.k8s.api.core.v1.EphemeralContainer': { imagePullPolicy: ['Always', 'IfNotPresent', 'Never'], terminationMessagePolicy: ['FallbackToLogsOnError', 'File'] },
  'io.k8s.api.core.v1.PodSpec': { restartPolicy: ['Always', 'Never', 'OnFailure'], dnsPolicy: ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'], preemptionPolicy: ['Never', 'PreemptLowerPriority'] },
  'io.k8s.api.core.v1.PodStatus': { phase: ['Failed', 'Pending', 'Running', 'Succeeded', 'Unknown'], qosClass: ['BestEffort', 'Burstable', 'Guaranteed'] },
  'io.k8s.api.core.v1.ContainerPort': { protocol: ['SCTP', 'TCP', 'UDP'] },
  'io.k8s.api.core.v1.ServicePort': { protocol: ['SCTP', 'TCP', 'UDP'] },
  'io.k8s.api.core.v1.EndpointPort': { protocol: ['SCTP', 'TCP', 'UDP'] },
  'io.k8s.api.core.v1.HTTPGetAction': { scheme: ['HTTP', 'HTTPS'] },
  'io.k8s.api.core.v1.ServiceSpec': {
    type: ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'], sessionAffinity: ['ClientIP', 'None'],
    externalTrafficPolicy: ['Cluster', 'Local'], internalTrafficPolicy: ['Cluster', 'Local'], ipFamilyPolicy: ['PreferDualStack', 'RequireDualStack', 'SingleStack'],
  },
  'io.k8s.api.core.v1.Toleration': { effect: ['NoExecute', 'NoSchedule', 'PreferNoSchedule'], operator: ['Equal', 'Exists'] },
  'io.k8s.api.core.v1.Taint': { effect: ['NoExecute', 'NoSchedule', 'PreferNoSchedule'] },
  'io.k8s.api.core.v1.PersistentVolumeSpec': { persistentVolumeReclaimPolicy: ['Delete', 'Recycle', 'Retain'], volumeMode: ['Block', 'Filesystem'] },
  'io.k8s.api.core.v1.PersistentVolumeClaimSpec': { volumeMode: ['Block', 'Filesystem'] },
  'io.k8s.api.core.v1.NamespaceStatus': { phase: ['Active', 'Terminating'] },
  'io.k8s.api.apps.v1.DeploymentStrategy': { type: ['Recreate', 'RollingUpdate'] },
  'io.k8s.api.apps.v1.DaemonSetUpdateStrategy': { type: ['OnDelete', 'RollingUpdate'] },
  'io.k8s.api.apps.v1.StatefulSetUpdateStrategy': { type: ['OnDelete', 'RollingUpdate'] },
  'io.k8s.api.apps.v1.StatefulSetSpec': { podManagementPolicy: ['OrderedReady', 'Parallel'] },
  'io.k8s.api.batch.v1.JobSpec': { completionMode: ['Indexed', 'NonIndexed'], podReplacementPolicy: ['Failed', 'TerminatingOrFailed'] },
  'io.k8s.api.batch.v1.CronJobSpec': { concurrencyPolicy: ['Allow', 'Forbid', 'Replace'] },
  'io.k8s.api.discovery.v1.EndpointSlice': { addressType: ['FQDN', 'IPv4', 'IPv6'] },
  'io.k8s.api.discovery.v1.EndpointPort': { protocol: ['SCTP', 'TCP', 'UDP'] },
  'io.k8s.api.networking.v1.HTTPIngressPath': { pathType: ['Exact', 'ImplementationSpecific', 'Prefix'] },
};

export interface GeneratedTable {
  source: string;
  table: SchemaTable;
}

/** Reads kubernetes-types and returns the table of every schema reachable from the served kinds. */
export function generateSchemaTable(): GeneratedTable {
  const pkgDir = path.dirname(require.resolve('kubernetes-types/package.json'));
  const pkgVersion = (JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { version: string }).version;
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.d.ts')) files.push(p);
    }
  };
  walk(pkgDir);
  const program = ts.createProgram(files, { noEmit: true, types: [], skipLibCheck: true });
  const checker = program.getTypeChecker();

  const rel = (sf: ts.SourceFile): string => path.relative(pkgDir, sf.fileName);
  const interfaces = new Map<string, ts.InterfaceDeclaration | ts.TypeAliasDeclaration>();
  for (const f of files) {
    const sf = program.getSourceFile(f);
    if (!sf) continue;
    for (const st of sf.statements) {
      if (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) interfaces.set(prefixFor(rel(sf)) + st.name.text, st);
    }
  }

  const table: SchemaTable = {};
  const queue: string[] = [];
  const want = (name: string): void => {
    if (!(name in table) && !queue.includes(name)) queue.push(name);
  };

  const docOf = (node: ts.Node & { name?: ts.Node }): string => {
    const sym = node.name ? checker.getSymbolAtLocation(node.name) : undefined;
    return sym ? ts.displayPartsToString(sym.getDocumentationComment(checker)).trim() : '';
  };

  const refName = (ref: ts.TypeReferenceNode): string => {
    let sym = checker.getSymbolAtLocation(ref.typeName);
    if (sym && sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
    const decl = sym?.declarations?.[0];
    if (!decl || !sym) throw new Error(`unresolved type ${ref.getText()}`);
    return prefixFor(rel(decl.getSourceFile())) + sym.name;
  };

  const typeOf = (node: ts.TypeNode, owner: string, prop: string): TypeSpec => {
    const intKind = INT64.has(`${owner}.${prop}`) ? 'int64' : 'int32';
    switch (node.kind) {
      case ts.SyntaxKind.StringKeyword: return BYTES.has(`${owner}.${prop}`) ? 'bytes' : 'string';
      case ts.SyntaxKind.BooleanKeyword: return 'boolean';
      case ts.SyntaxKind.NumberKeyword: return intKind;
      case ts.SyntaxKind.LiteralType: return 'string';
      default: break;
    }
    if (ts.isUnionTypeNode(node)) {
      const kinds = node.types.map((t) => t.kind).sort();
      if (kinds.length === 2 && kinds.includes(ts.SyntaxKind.NumberKeyword) && kinds.includes(ts.SyntaxKind.StringKeyword)) {
        want(INT_OR_STRING);
        return `@${INT_OR_STRING}`;
      }
      throw new Error(`unsupported union in ${owner}.${prop}: ${node.getText()}`);
    }
    if (ts.isArrayTypeNode(node)) return `[]${typeOf(node.elementType, owner, prop)}`;
    if (ts.isTypeLiteralNode(node)) {
      const idx = node.members.find(ts.isIndexSignatureDeclaration);
      if (idx && node.members.length === 1) return `{}${typeOf(idx.type, owner, prop)}`;
      throw new Error(`unsupported literal type in ${owner}.${prop}`);
    }
    if (ts.isTypeReferenceNode(node)) {
      if (ts.isIdentifier(node.typeName) && node.typeName.text === 'Array' && node.typeArguments?.length === 1) {
        return `[]${typeOf(node.typeArguments[0], owner, prop)}`;
      }
      const name = refName(node);
      want(name);
      return `@${name}`;
    }
    throw new Error(`unsupported type in ${owner}.${prop}: ${ts.SyntaxKind[node.kind]}`);
  };

  const convert = (name: string): RawSchema => {
    if (EXTRA_SCHEMAS[name]) return EXTRA_SCHEMAS[name];
    const decl = interfaces.get(name);
    if (!decl) throw new Error(`no declaration for ${name}`);
    const out: RawSchema = {};
    const d = docOf(decl);
    if (d) out.d = d;
    if (ts.isTypeAliasDeclaration(decl)) {
      // Quantity, Time, MicroTime: strings on the wire.
      out.t = 'string';
      if (/Time$/.test(name)) out.f = 'date-time';
      return out;
    }
    const short = name.slice(name.lastIndexOf('.') + 1);
    const props: NonNullable<RawSchema['p']> = {};
    const required: string[] = [];
    let group: string | undefined;
    let version: string | undefined;
    let kind: string | undefined;
    const removed = REMOVED_PROPS[name] ?? [];
    for (const m of decl.members) {
      if (!ts.isPropertySignature(m) || !m.type) continue;
      const pname = (m.name as ts.Identifier | ts.StringLiteral).text;
      if (removed.includes(pname)) continue;
      const pd = docOf(m);
      props[pname] = pd ? [typeOf(m.type, short, pname), pd] : [typeOf(m.type, short, pname)];
      if (!m.questionToken) required.push(pname);
      if (ts.isLiteralTypeNode(m.type) && ts.isStringLiteral(m.type.literal)) {
        if (pname === 'apiVersion') {
          const av = m.type.literal.text;
          const slash = av.indexOf('/');
          group = slash < 0 ? '' : av.slice(0, slash);
          version = slash < 0 ? av : av.slice(slash + 1);
        } else if (pname === 'kind') kind = m.type.literal.text;
      }
    }
    if (decl.members.length === 0) out.t = 'object'; // FieldsV1, RawExtension: free-form JSON
    for (const [pname, spec] of Object.entries(EXTRA_PROPS[name] ?? {})) {
      props[pname] = spec;
      if (spec[0].startsWith('@') || spec[0].startsWith('[]@')) want(spec[0].replace(/^(\[\])?@/, ''));
    }
    if (Object.keys(props).length) out.p = Object.fromEntries(Object.entries(props).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    if (required.length) out.r = required;
    if (group !== undefined && version !== undefined && kind) out.k = [group, version, kind];
    if (ENUMS[name]) out.e = ENUMS[name];
    return out;
  };

  // Roots: every served kind and its list, then the kinds the API machinery itself speaks.
  for (const r of RESOURCES) {
    const prefix = `io.k8s.api.${folderForGroup(r.group)}.${r.version}.`;
    want(prefix + r.kind);
    if (interfaces.has(`${prefix}${r.kind}List`)) want(`${prefix}${r.kind}List`);
  }
  for (const extra of ['io.k8s.apimachinery.pkg.apis.meta.v1.Status', 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions', 'io.k8s.api.autoscaling.v1.Scale', 'io.k8s.api.policy.v1.Eviction', 'io.k8s.api.core.v1.Binding']) want(extra);

  while (queue.length) {
    const name = queue.shift() as string;
    const schema = convert(name);
    table[name] = schema;
    // Hand-written extras refer to schemas too; every reference must land in the table.
    for (const [spec] of Object.values(schema.p ?? {})) {
      const m = /@(.+)$/.exec(spec);
      if (m) want(m[1]);
    }
  }
  // Status and DeleteOptions are served in every group-version; their GVK is meta.k8s.io's own.
  table['io.k8s.apimachinery.pkg.apis.meta.v1.Status'].k = ['', 'v1', 'Status'];
  table['io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions'].k = ['', 'v1', 'DeleteOptions'];

  const sorted: SchemaTable = {};
  for (const k of Object.keys(table).sort()) sorted[k] = table[k];
  return { source: `kubernetes-types@${pkgVersion} + 1.31/1.32 additions`, table: sorted };
}

/** The text of `schemas.generated.ts`: one schema per line, so diffs stay readable. */
export function renderSchemaModule(g: GeneratedTable): string {
  const lines = [
    '/**',
    ' * GENERATED by generate-schemas.ts — do not edit by hand.',
    ` * Source: ${g.source}.`,
    ' * Kubernetes schema name → compact schema (see schema-table.ts for the format).',
    ' */',
    "import type { SchemaTable } from './schema-table';",
    '',
    `export const SCHEMA_SOURCE = ${JSON.stringify(g.source)};`,
    '',
    '/* eslint-disable */',
    'export const SCHEMAS: SchemaTable = {',
  ];
  for (const [name, s] of Object.entries(g.table)) lines.push(`  ${JSON.stringify(name)}: ${JSON.stringify(s)},`);
  lines.push('};', '');
  return lines.join('\n');
}

export const GENERATED_FILE = path.join(__dirname, 'schemas.generated.ts');

if (require.main === module) {
  fs.writeFileSync(GENERATED_FILE.replace(/dist[\\/]/, ''), renderSchemaModule(generateSchemaTable()));
}
