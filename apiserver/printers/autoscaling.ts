/**
 * The HorizontalPodAutoscaler printer (PRINTERS.md §17), for autoscaling/v1 and /v2.
 *
 * Upstream prints the internal (v2-shaped) object after defaulting, and HPAs are stored as
 * v2, whose defaulting fills minReplicas = 1 and, when no metrics are given, an 80 % CPU
 * utilisation target. So a v1 object is first lifted to the v2 shape (its single CPU
 * target and current utilisation become a Resource metric), then those defaults apply.
 *
 * TARGETS pairs each metric spec with the current metric status *at the same index*, as
 * upstream does; a missing status reads `<unknown>`.
 */
import type { HorizontalPodAutoscaler as HpaV1 } from 'kubernetes-types/autoscaling/v1';
import type { HorizontalPodAutoscaler as HpaV2, MetricSpec, MetricStatus, MetricTarget, MetricValueStatus } from 'kubernetes-types/autoscaling/v2';
import { ageSince } from './duration';
import { canonicalQuantity } from '../../shared/quantity';
import { AGE_COLUMN, NAME_COLUMN, column, definePrinter } from './table';

const DEFAULT_CPU_UTILIZATION = 80;
const MAX_LISTED_METRICS = 2;

type AnyHpa = HpaV2 & { spec?: HpaV1['spec'] & HpaV2['spec']; status?: HpaV1['status'] & HpaV2['status'] };

interface NormalizedHpa {
  metrics: MetricSpec[];
  current: MetricStatus[];
  minReplicas?: number;
}

function cpuUtilization(averageUtilization: number | undefined): MetricSpec {
  return { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization } } };
}

/** Lift v1 fields to v2 metrics, then apply v2 defaulting. */
function normalize(hpa: AnyHpa): NormalizedHpa {
  const spec = hpa.spec;
  const status = hpa.status;
  let metrics = spec?.metrics ?? [];
  let current = status?.currentMetrics ?? [];
  if (metrics.length === 0 && typeof spec?.targetCPUUtilizationPercentage === 'number') {
    metrics = [cpuUtilization(spec.targetCPUUtilizationPercentage)];
  }
  if (current.length === 0 && typeof status?.currentCPUUtilizationPercentage === 'number') {
    current = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } } }];
  }
  if (metrics.length === 0) metrics = [cpuUtilization(DEFAULT_CPU_UTILIZATION)];
  return { metrics, current, minReplicas: spec?.minReplicas ?? 1 };
}

function quantityOr(q: string | undefined, fallback: string): string {
  return q === undefined || q === null ? fallback : canonicalQuantity(q);
}

/** `<current>/<target>` for Object/External metrics; averageValue targets get ` (avg)`. */
function valueOrAverage(target: MetricTarget | undefined, current: MetricValueStatus | undefined, hasStatus: boolean): string {
  if (target?.averageValue !== undefined) {
    return `${quantityOr(hasStatus ? current?.averageValue : undefined, '<unknown>')}/${canonicalQuantity(target.averageValue)} (avg)`;
  }
  return `${quantityOr(hasStatus ? current?.value : undefined, '<unknown>')}/${canonicalQuantity(target?.value)}`;
}

/** `cpu: 12%/80%` (utilisation) or `memory: 100Mi/200Mi` (average value). */
function resourceEntry(name: string, target: MetricTarget | undefined, current: MetricValueStatus | undefined): string {
  if (target?.averageValue !== undefined) {
    return `${name}: ${quantityOr(current?.averageValue, '<unknown>')}/${canonicalQuantity(target.averageValue)}`;
  }
  const cur = typeof current?.averageUtilization === 'number' ? `${current.averageUtilization}%` : '<unknown>';
  const tgt = typeof target?.averageUtilization === 'number' ? `${target.averageUtilization}%` : '<auto>';
  return `${name}: ${cur}/${tgt}`;
}

function metricEntry(spec: MetricSpec, status: MetricStatus | undefined): string {
  switch (spec.type) {
    case 'External':
      return valueOrAverage(spec.external?.target, status?.external?.current, status?.external !== undefined);
    case 'Object':
      return valueOrAverage(spec.object?.target, status?.object?.current, status?.object !== undefined);
    case 'Pods':
      return `${quantityOr(status?.pods?.current?.averageValue, '<unknown>')}/${canonicalQuantity(spec.pods?.target?.averageValue)}`;
    case 'Resource':
      return resourceEntry(spec.resource?.name ?? '', spec.resource?.target, status?.resource?.current);
    case 'ContainerResource':
      return resourceEntry(spec.containerResource?.name ?? '', spec.containerResource?.target, status?.containerResource?.current);
    default:
      return '<unknown type>';
  }
}

/** TARGETS: at most two entries joined with ", ", then `+ N more...`. */
export function formatHpaTargets(metrics: readonly MetricSpec[], current: readonly MetricStatus[]): string {
  if (metrics.length === 0) return '<none>';
  const entries = metrics.slice(0, MAX_LISTED_METRICS).map((m, i) => metricEntry(m, current[i]));
  const text = entries.join(', ');
  return metrics.length > MAX_LISTED_METRICS ? `${text} + ${metrics.length - MAX_LISTED_METRICS} more...` : text;
}

export const hpaPrinter = definePrinter<AnyHpa>(
  [
    NAME_COLUMN,
    column('Reference', 'string', 'The scale target, as Kind/name.'),
    column('Targets', 'string', 'Current and target value of each metric.'),
    column('MinPods', 'string', 'Lower limit for the number of replicas.'),
    column('MaxPods', 'string', 'Upper limit for the number of replicas.'),
    column('Replicas', 'string', 'Current number of replicas.'),
    AGE_COLUMN,
  ],
  (hpa, { now }) => {
    const { metrics, current, minReplicas } = normalize(hpa);
    const ref = hpa.spec?.scaleTargetRef;
    return [
      hpa.metadata?.name ?? '',
      `${ref?.kind ?? ''}/${ref?.name ?? ''}`,
      formatHpaTargets(metrics, current),
      minReplicas === undefined ? '<unset>' : String(minReplicas),
      hpa.spec?.maxReplicas ?? 0,
      hpa.status?.currentReplicas ?? 0,
      ageSince(hpa.metadata?.creationTimestamp, now),
    ];
  },
);
