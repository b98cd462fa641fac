/**
 * Printers for the smaller API groups: policy (PodDisruptionBudget §18), coordination
 * (Lease §19), and the §23 kinds whose columns PRINTERS.md gives: storage (StorageClass),
 * rbac (RoleBinding, ClusterRoleBinding), scheduling (PriorityClass), admissionregistration
 * (webhook configurations), certificates (CertificateSigningRequest) and
 * apiregistration (APIService).
 */
import type { ValidatingWebhookConfiguration } from 'kubernetes-types/admissionregistration/v1';
import type { CertificateSigningRequest } from 'kubernetes-types/certificates/v1';
import type { Lease } from 'kubernetes-types/coordination/v1';
import type { ObjectMeta } from 'kubernetes-types/meta/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import type { RoleBinding, Subject } from 'kubernetes-types/rbac/v1';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import { ageSince, humanDuration } from './duration';
import { findCondition, intOrStringText } from './format';
import { AGE_COLUMN, NAME_COLUMN, column, definePrinter, wide } from './table';

export const podDisruptionBudgetPrinter = definePrinter<PodDisruptionBudget>(
  [
    NAME_COLUMN,
    column('Min Available', 'string', 'Pods that must stay available, as a number or percentage.'),
    column('Max Unavailable', 'string', 'Pods that may be unavailable, as a number or percentage.'),
    column('Allowed Disruptions', 'integer', 'Disruptions currently allowed.'),
    AGE_COLUMN,
  ],
  (pdb, { now }) => {
    const spec = pdb.spec;
    return [
      pdb.metadata?.name ?? '',
      spec?.minAvailable !== undefined ? intOrStringText(spec.minAvailable) : 'N/A',
      spec?.maxUnavailable !== undefined ? intOrStringText(spec.maxUnavailable) : 'N/A',
      pdb.status?.disruptionsAllowed ?? 0,
      ageSince(pdb.metadata?.creationTimestamp, now),
    ];
  },
);

export const leasePrinter = definePrinter<Lease>(
  [NAME_COLUMN, column('Holder', 'string', 'Identity of the current lease holder.'), AGE_COLUMN],
  (lease, { now }) => [lease.metadata?.name ?? '', lease.spec?.holderIdentity ?? '', ageSince(lease.metadata?.creationTimestamp, now)],
);

const DEFAULT_CLASS_ANNOTATIONS = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];

export const storageClassPrinter = definePrinter<StorageClass>(
  [
    NAME_COLUMN,
    column('Provisioner', 'string', 'The volume plugin that provisions volumes of this class.'),
    column('ReclaimPolicy', 'string', 'Reclaim policy of volumes provisioned from this class.'),
    column('VolumeBindingMode', 'string', 'When volumes are bound and provisioned.'),
    column('AllowVolumeExpansion', 'boolean', 'Whether claims of this class may be expanded.'),
    AGE_COLUMN,
  ],
  (sc, { now }) => {
    const annotations = sc.metadata?.annotations ?? {};
    const isDefault = DEFAULT_CLASS_ANNOTATIONS.some((a) => annotations[a] === 'true');
    return [
      `${sc.metadata?.name ?? ''}${isDefault ? ' (default)' : ''}`,
      sc.provisioner ?? '',
      // Defaulting: Delete and Immediate.
      sc.reclaimPolicy || 'Delete',
      sc.volumeBindingMode || 'Immediate',
      sc.allowVolumeExpansion ?? false,
      ageSince(sc.metadata?.creationTimestamp, now),
    ];
  },
);

/** Users, groups and service accounts (`namespace/name`) of a binding, each joined with ", ". */
function bindingSubjects(subjects: readonly Subject[] | undefined): [string, string, string] {
  const users: string[] = [];
  const groups: string[] = [];
  const serviceAccounts: string[] = [];
  for (const s of subjects ?? []) {
    if (s.kind === 'User') users.push(s.name);
    else if (s.kind === 'Group') groups.push(s.name);
    else if (s.kind === 'ServiceAccount') serviceAccounts.push(`${s.namespace ?? ''}/${s.name}`);
  }
  return [users.join(', '), groups.join(', '), serviceAccounts.join(', ')];
}

/** Same table for RoleBinding and ClusterRoleBinding; the shapes agree on roleRef and subjects. */
export const roleBindingPrinter = definePrinter<RoleBinding>(
  [
    NAME_COLUMN,
    column('Role', 'string', 'The bound role, as Kind/name.'),
    AGE_COLUMN,
    wide('Users', 'string', 'Users bound to the role.'),
    wide('Groups', 'string', 'Groups bound to the role.'),
    wide('ServiceAccounts', 'string', 'Service accounts bound to the role, as namespace/name.'),
  ],
  (rb, { now }) => [
    rb.metadata?.name ?? '',
    `${rb.roleRef?.kind ?? ''}/${rb.roleRef?.name ?? ''}`,
    ageSince(rb.metadata?.creationTimestamp, now),
    ...bindingSubjects(rb.subjects),
  ],
);

export const priorityClassPrinter = definePrinter<PriorityClass>(
  [
    NAME_COLUMN,
    column('Value', 'integer', 'Priority of pods using this class.'),
    column('Global-Default', 'boolean', 'Whether this is the default class for pods without one.'),
    AGE_COLUMN,
    column('PreemptionPolicy', 'string', 'Whether pods of this class may preempt lower-priority pods.'),
  ],
  (pc, { now }) => [
    pc.metadata?.name ?? '',
    pc.value ?? 0,
    pc.globalDefault ?? false,
    ageSince(pc.metadata?.creationTimestamp, now),
    // Defaulting: PreemptLowerPriority.
    pc.preemptionPolicy || 'PreemptLowerPriority',
  ],
);

/** Validating and mutating webhook configurations print the same: how many webhooks they hold. */
export const webhookConfigurationPrinter = definePrinter<ValidatingWebhookConfiguration>(
  [NAME_COLUMN, column('Webhooks', 'integer', 'Number of webhooks in the configuration.'), AGE_COLUMN],
  (wh, { now }) => [wh.metadata?.name ?? '', wh.webhooks?.length ?? 0, ageSince(wh.metadata?.creationTimestamp, now)],
);

/** Pending, Approved or Denied (Denied wins), then ",Failed" and ",Issued" as they apply. */
function csrCondition(csr: CertificateSigningRequest): string {
  const types = new Set((csr.status?.conditions ?? []).map((c) => c.type));
  let text = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending';
  if (types.has('Failed')) text += ',Failed';
  if (csr.status?.certificate) text += ',Issued';
  return text;
}

export const certificateSigningRequestPrinter = definePrinter<CertificateSigningRequest>(
  [
    NAME_COLUMN,
    AGE_COLUMN,
    column('SignerName', 'string', 'The signer asked to sign the request.'),
    column('Requestor', 'string', 'The user who created the request.'),
    column('RequestedDuration', 'string', 'Requested validity of the certificate.'),
    column('Condition', 'string', 'Approval state of the request.'),
  ],
  (csr, { now }) => {
    const seconds = csr.spec?.expirationSeconds;
    return [
      csr.metadata?.name ?? '',
      ageSince(csr.metadata?.creationTimestamp, now),
      csr.spec?.signerName || '<none>',
      csr.spec?.username ?? '',
      typeof seconds === 'number' ? humanDuration(seconds * 1000) : '<none>',
      csrCondition(csr),
    ];
  },
);

/** apiregistration.k8s.io/v1 APIService, the fields the printer reads (kubernetes-types lacks this group). */
interface APIService {
  metadata?: ObjectMeta;
  spec?: { service?: { namespace?: string; name?: string } | null };
  status?: { conditions?: { type: string; status: string; reason?: string }[] };
}

export const apiServicePrinter = definePrinter<APIService>(
  [
    NAME_COLUMN,
    column('Service', 'string', 'The backing service as namespace/name, or Local.'),
    column('Available', 'string', 'The Available condition, with its reason when not True.'),
    AGE_COLUMN,
  ],
  (svc, { now }) => {
    const ref = svc.spec?.service;
    const available = findCondition(svc.status?.conditions, 'Available');
    let status = 'Unknown';
    if (available) status = available.status === 'True' || !available.reason ? available.status : `${available.status} (${available.reason})`;
    return [svc.metadata?.name ?? '', ref ? `${ref.namespace ?? ''}/${ref.name ?? ''}` : 'Local', status, ageSince(svc.metadata?.creationTimestamp, now)];
  },
);
