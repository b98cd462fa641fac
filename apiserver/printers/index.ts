/**
 * Server-side printing: turn a list (or one object, or one watch event) of a resource into
 * the meta.k8s.io/v1 Table that `kubectl get` asks for with
 * `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`.
 *
 * Spec: /work/shared/PRINTERS.md (the columns and cell rules of every printer, the
 * HumanDuration table, the envelope in §0.5) and KUBECTL-WIRE.md §4.1. kubectl has no
 * client-side fallback for rich output, so these tables *are* what users see.
 *
 * Guarantees:
 *  - every row has exactly one cell per column definition, in order, priority 0 and 1
 *    alike (the server always prints "wide"; kubectl hides priority-1 columns itself);
 *  - a resource's column definitions are constants, identical across list chunks and
 *    watch events (kubectl compares them to decide whether to reprint headers);
 *  - the Name column carries `format: "name"`, which kubectl needs for the `kind/` prefix;
 *  - every embedded row object carries `kind` and `apiVersion`, or kubectl fails to decode
 *    the whole table;
 *  - pure: time comes from `opts.now`, nothing is mutated or read from outside.
 *
 * Resources without a dedicated printer (Role, ClusterRole, LimitRange, CRDs, …) get the
 * generic two-column table: Name, Created At (RFC 3339, not an age).
 */
import type { KObject } from '../../shared/api/types';
import { badRequest } from '../../shared/api/errors';
import { apiServicePrinter, certificateSigningRequestPrinter, leasePrinter, podDisruptionBudgetPrinter, priorityClassPrinter, roleBindingPrinter, storageClassPrinter, webhookConfigurationPrinter } from './misc';
import { controllerRevisionPrinter, daemonSetPrinter, deploymentPrinter, replicaSetPrinter, statefulSetPrinter } from './apps';
import { cronJobPrinter, jobPrinter } from './batch';
import { hpaPrinter } from './autoscaling';
import {
  componentStatusPrinter,
  configMapPrinter,
  endpointsPrinter,
  namespacePrinter,
  nodePrinter,
  persistentVolumeClaimPrinter,
  persistentVolumePrinter,
  podTemplatePrinter,
  replicationControllerPrinter,
  resourceQuotaPrinter,
  secretPrinter,
  serviceAccountPrinter,
  servicePrinter,
} from './core';
import { eventPrinter } from './event';
import { endpointSlicePrinter, ingressClassPrinter, ingressPrinter, networkPolicyPrinter } from './networking';
import { podPrinter } from './pod';
import { NAME_COLUMN, Printer, Table, TableRow, column, definePrinter } from './table';

export type { Cell, PartialObjectMetadata, Table, TableColumnDefinition, TableListMeta, TableRow, TableRowCondition } from './table';
export { humanDuration } from './duration';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableOptions {
  /** What each row embeds: Metadata (default) a PartialObjectMetadata, Object the object, None nothing. */
  includeObject?: IncludeObject;
  /** Suppress column definitions (every watch event after the first). */
  noHeaders?: boolean;
  /** The request time ages are computed against; defaults to the current time. */
  now?: Date;
}

/** Printers by `group/resource` (core group is ""). */
const PRINTERS: Record<string, Printer> = {
  '/pods': podPrinter,
  '/nodes': nodePrinter,
  '/namespaces': namespacePrinter,
  '/configmaps': configMapPrinter,
  '/secrets': secretPrinter,
  '/serviceaccounts': serviceAccountPrinter,
  '/events': eventPrinter,
  '/services': servicePrinter,
  '/endpoints': endpointsPrinter,
  '/persistentvolumes': persistentVolumePrinter,
  '/persistentvolumeclaims': persistentVolumeClaimPrinter,
  '/replicationcontrollers': replicationControllerPrinter,
  '/podtemplates': podTemplatePrinter,
  '/resourcequotas': resourceQuotaPrinter,
  '/componentstatuses': componentStatusPrinter,
  'events.k8s.io/events': eventPrinter,
  'apps/deployments': deploymentPrinter,
  'apps/replicasets': replicaSetPrinter,
  'apps/statefulsets': statefulSetPrinter,
  'apps/daemonsets': daemonSetPrinter,
  'apps/controllerrevisions': controllerRevisionPrinter,
  'batch/jobs': jobPrinter,
  'batch/cronjobs': cronJobPrinter,
  'autoscaling/horizontalpodautoscalers': hpaPrinter,
  'policy/poddisruptionbudgets': podDisruptionBudgetPrinter,
  'coordination.k8s.io/leases': leasePrinter,
  'discovery.k8s.io/endpointslices': endpointSlicePrinter,
  'networking.k8s.io/ingresses': ingressPrinter,
  'networking.k8s.io/ingressclasses': ingressClassPrinter,
  'networking.k8s.io/networkpolicies': networkPolicyPrinter,
  'storage.k8s.io/storageclasses': storageClassPrinter,
  'rbac.authorization.k8s.io/rolebindings': roleBindingPrinter,
  'rbac.authorization.k8s.io/clusterrolebindings': roleBindingPrinter,
  'scheduling.k8s.io/priorityclasses': priorityClassPrinter,
  'admissionregistration.k8s.io/validatingwebhookconfigurations': webhookConfigurationPrinter,
  'admissionregistration.k8s.io/mutatingwebhookconfigurations': webhookConfigurationPrinter,
  'certificates.k8s.io/certificatesigningrequests': certificateSigningRequestPrinter,
  'apiregistration.k8s.io/apiservices': apiServicePrinter,
};

/** Go's RFC 3339 rendering of a metav1.Time in UTC: whole seconds, `Z`. Unset → Go's zero time. */
function rfc3339(t: unknown): string {
  const ms = typeof t === 'string' && t !== '' ? Date.parse(t) : NaN;
  const date = new Date(Number.isFinite(ms) ? ms : Date.parse('0001-01-01T00:00:00Z'));
  return date.toISOString().replace(/\.\d+Z$/, 'Z');
}

/** The generic convertor's table (PRINTERS.md §0.9). */
const defaultPrinter = definePrinter<KObject>(
  [NAME_COLUMN, column('Created At', 'date', 'When the object was created (metadata.creationTimestamp).')],
  (obj) => [obj.metadata?.name ?? '', rfc3339(obj.metadata?.creationTimestamp)],
);

function printerFor(group: string, resource: string): Printer {
  return PRINTERS[`${group}/${resource}`] ?? defaultPrinter;
}

/** True when `group/resource` has a dedicated printer (false: the Name/Created At table). */
export function hasPrinter(group: string, resource: string): boolean {
  return `${group}/${resource}` in PRINTERS;
}

/**
 * Validate the `includeObject` query parameter. Absent or empty means Metadata; anything
 * but None/Metadata/Object is a 400, as upstream rejects it in TableOptions validation.
 */
export function parseIncludeObject(value: string | undefined | null): IncludeObject {
  if (value === undefined || value === null || value === '') return 'Metadata';
  if (value === 'None' || value === 'Metadata' || value === 'Object') return value;
  throw badRequest(
    `Unable to convert to Table as requested: includeObject: Unsupported value: ${JSON.stringify(value)}: supported values: "Metadata", "None", "Object"`,
  );
}

function rowObject(obj: KObject, include: IncludeObject): TableRow['object'] {
  switch (include) {
    case 'None':
      return null;
    case 'Object':
      return obj;
    default:
      // Same group/version as the Table itself, carrying the object's full metadata.
      return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
  }
}

/**
 * The Table for `objects` of `resource` in API `group` ('' for core). For a list pass the
 * list's resourceVersion/continue/remainingItemCount; for a single GET, the object's
 * resourceVersion. The caller converts Object-mode objects to the request's version.
 */
export function toTable(
  group: string,
  resource: string,
  objects: KObject[],
  opts: TableOptions & { resourceVersion?: string; continue?: string; remainingItemCount?: number } = {},
): Table {
  const printer = printerFor(group, resource);
  const ctx = { now: (opts.now ?? new Date()).getTime() };
  const include = opts.includeObject ?? 'Metadata';

  const rows = objects.map((obj): TableRow => {
    const printed = printer.print(obj, ctx);
    const row: TableRow = { cells: printed.cells };
    if (printed.conditions) row.conditions = printed.conditions;
    row.object = rowObject(obj, include);
    return row;
  });

  // ListMeta fields are all omitempty upstream.
  const metadata: Table['metadata'] = {};
  if (opts.resourceVersion) metadata.resourceVersion = opts.resourceVersion;
  if (opts.continue) metadata.continue = opts.continue;
  if (opts.remainingItemCount !== undefined) metadata.remainingItemCount = opts.remainingItemCount;

  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    // Copies, so a caller editing one response cannot change the shared definitions.
    columnDefinitions: opts.noHeaders ? null : printer.columns.map((c) => ({ ...c })),
    rows,
  };
}
