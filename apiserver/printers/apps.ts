/**
 * Printers for apps/v1: Deployment, ReplicaSet, StatefulSet, DaemonSet (PRINTERS.md
 * §11–§14) and ControllerRevision (§23).
 *
 * apps/v1 defaulting sets `spec.replicas` to 1 when absent, so DESIRED and the READY
 * denominator read 1 for an object created without replicas, as on a real cluster.
 */
import type { ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1';
import { ageSince } from './duration';
import { containerCells, formatLabelMap, formatLabelSelector, labelSelectorString } from './format';
import { AGE_COLUMN, CONTAINERS_COLUMN, IMAGES_COLUMN, NAME_COLUMN, SELECTOR_COLUMN, column, definePrinter } from './table';

export const deploymentPrinter = definePrinter<Deployment>(
  [
    NAME_COLUMN,
    column('Ready', 'string', 'Ready replicas out of desired replicas.'),
    column('Up-to-date', 'string', 'Replicas updated to the current pod template.'),
    column('Available', 'string', 'Replicas available to users.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    SELECTOR_COLUMN,
  ],
  (d, { now }) => {
    const [names, images] = containerCells(d.spec?.template?.spec?.containers);
    // Unlike ReplicaSet, Deployment prints the raw selector: "" when empty, <invalid> when unconvertible.
    const selector = labelSelectorString(d.spec?.selector) ?? '<invalid>';
    return [
      d.metadata?.name ?? '',
      `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 1}`,
      d.status?.updatedReplicas ?? 0,
      d.status?.availableReplicas ?? 0,
      ageSince(d.metadata?.creationTimestamp, now),
      names,
      images,
      selector,
    ];
  },
);

export const replicaSetPrinter = definePrinter<ReplicaSet>(
  [
    NAME_COLUMN,
    column('Desired', 'integer', 'Desired number of replicas.'),
    column('Current', 'integer', 'Number of replicas that exist.'),
    column('Ready', 'integer', 'Number of ready replicas.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    SELECTOR_COLUMN,
  ],
  (rs, { now }) => {
    const [names, images] = containerCells(rs.spec?.template?.spec?.containers);
    return [
      rs.metadata?.name ?? '',
      rs.spec?.replicas ?? 1,
      rs.status?.replicas ?? 0,
      rs.status?.readyReplicas ?? 0,
      ageSince(rs.metadata?.creationTimestamp, now),
      names,
      images,
      formatLabelSelector(rs.spec?.selector),
    ];
  },
);

export const statefulSetPrinter = definePrinter<StatefulSet>(
  // No selector column: upstream never had one for StatefulSets.
  [NAME_COLUMN, column('Ready', 'string', 'Ready replicas out of desired replicas.'), AGE_COLUMN, CONTAINERS_COLUMN, IMAGES_COLUMN],
  (ss, { now }) => {
    const [names, images] = containerCells(ss.spec?.template?.spec?.containers);
    return [ss.metadata?.name ?? '', `${ss.status?.readyReplicas ?? 0}/${ss.spec?.replicas ?? 1}`, ageSince(ss.metadata?.creationTimestamp, now), names, images];
  },
);

export const daemonSetPrinter = definePrinter<DaemonSet>(
  [
    NAME_COLUMN,
    column('Desired', 'integer', 'Number of nodes that should run the daemon pod.'),
    column('Current', 'integer', 'Number of nodes running at least one daemon pod.'),
    column('Ready', 'integer', 'Number of nodes whose daemon pod is ready.'),
    column('Up-to-date', 'integer', 'Number of nodes running the updated daemon pod.'),
    column('Available', 'integer', 'Number of nodes whose daemon pod is available.'),
    column('Node Selector', 'string', 'Node selector of the pod template.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    SELECTOR_COLUMN,
  ],
  (ds, { now }) => {
    const status = ds.status;
    const [names, images] = containerCells(ds.spec?.template?.spec?.containers);
    return [
      ds.metadata?.name ?? '',
      status?.desiredNumberScheduled ?? 0,
      status?.currentNumberScheduled ?? 0,
      status?.numberReady ?? 0,
      status?.updatedNumberScheduled ?? 0,
      status?.numberAvailable ?? 0,
      formatLabelMap(ds.spec?.template?.spec?.nodeSelector),
      ageSince(ds.metadata?.creationTimestamp, now),
      names,
      images,
      formatLabelSelector(ds.spec?.selector),
    ];
  },
);

/** `lower(Kind.group)/name` of the controlling owner, e.g. `statefulset.apps/web`; `<none>` without one. */
function controllerOf(obj: ControllerRevision): string {
  const ref = (obj.metadata?.ownerReferences ?? []).find((r) => r.controller === true);
  if (!ref) return '<none>';
  const slash = ref.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : ref.apiVersion.slice(0, slash);
  const groupKind = group ? `${ref.kind}.${group}` : ref.kind;
  return `${groupKind.toLowerCase()}/${ref.name}`;
}

export const controllerRevisionPrinter = definePrinter<ControllerRevision>(
  [NAME_COLUMN, column('Controller', 'string', 'The controller owning this revision.'), column('Revision', 'integer', 'Revision number.'), AGE_COLUMN],
  (cr, { now }) => [cr.metadata?.name ?? '', controllerOf(cr), cr.revision ?? 0, ageSince(cr.metadata?.creationTimestamp, now)],
);
