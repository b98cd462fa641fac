/**
 * Printers for batch/v1: Job and CronJob (PRINTERS.md §15, §16).
 *
 * Job STATUS is a precedence list over conditions (Complete, Failed, Terminating,
 * Suspended, FailureTarget, else Running); DURATION runs from startTime to completionTime,
 * or to now while the job is still going.
 */
import type { CronJob, Job, JobCondition } from 'kubernetes-types/batch/v1';
import { ageSince, humanDuration, timestampMs } from './duration';
import { containerCells, formatLabelSelector, hasTrueCondition, orNone } from './format';
import { AGE_COLUMN, CONTAINERS_COLUMN, IMAGES_COLUMN, NAME_COLUMN, SELECTOR_COLUMN, column, definePrinter } from './table';

function jobStatus(job: Job): string {
  const conditions: JobCondition[] | undefined = job.status?.conditions;
  if (hasTrueCondition(conditions, 'Complete')) return 'Complete';
  if (hasTrueCondition(conditions, 'Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp) return 'Terminating';
  if (hasTrueCondition(conditions, 'Suspended')) return 'Suspended';
  if (hasTrueCondition(conditions, 'FailureTarget')) return 'FailureTarget';
  // Also for a job whose pods are still Pending: the Job itself is running.
  return 'Running';
}

function jobCompletions(job: Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  const completions = job.spec?.completions;
  if (completions !== undefined && completions !== null) return `${succeeded}/${completions}`;
  // A work-queue job (completions unset) finishes after one success; show its parallelism.
  const parallelism = job.spec?.parallelism ?? 1;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(job: Job, now: number): string {
  const start = timestampMs(job.status?.startTime);
  if (start === undefined) return '';
  const end = timestampMs(job.status?.completionTime) ?? now;
  return humanDuration(end - start);
}

export const jobPrinter = definePrinter<Job>(
  [
    NAME_COLUMN,
    column('Status', 'string', 'Complete, Failed, Terminating, Suspended, FailureTarget or Running.'),
    column('Completions', 'string', 'Succeeded pods out of the desired completions.'),
    column('Duration', 'string', 'Time the job ran, or has been running.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    SELECTOR_COLUMN,
  ],
  (job, { now }) => {
    const [names, images] = containerCells(job.spec?.template?.spec?.containers);
    return [
      job.metadata?.name ?? '',
      jobStatus(job),
      jobCompletions(job),
      jobDuration(job, now),
      ageSince(job.metadata?.creationTimestamp, now),
      names,
      images,
      formatLabelSelector(job.spec?.selector),
    ];
  },
);

export const cronJobPrinter = definePrinter<CronJob>(
  [
    NAME_COLUMN,
    column('Schedule', 'string', 'Cron schedule of the job.'),
    column('Timezone', 'string', 'Time zone the schedule is interpreted in.'),
    // Declared boolean upstream, but the cell is the text True/False/<unset>.
    column('Suspend', 'boolean', 'Whether new runs are suspended.'),
    column('Active', 'integer', 'Number of currently running jobs.'),
    column('Last Schedule', 'string', 'Time since the job was last scheduled.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    SELECTOR_COLUMN,
  ],
  (cj, { now }) => {
    const jobSpec = cj.spec?.jobTemplate?.spec;
    const [names, images] = containerCells(jobSpec?.template?.spec?.containers);
    // Defaulting sets suspend to false, so the <unset> text upstream keeps for nil never shows.
    const suspend = cj.spec?.suspend ?? false;
    const lastSchedule = cj.status?.lastScheduleTime;
    return [
      cj.metadata?.name ?? '',
      cj.spec?.schedule ?? '',
      orNone(cj.spec?.timeZone),
      suspend ? 'True' : 'False',
      cj.status?.active?.length ?? 0,
      lastSchedule ? ageSince(lastSchedule, now) : '<none>',
      ageSince(cj.metadata?.creationTimestamp, now),
      names,
      images,
      formatLabelSelector(jobSpec?.selector),
    ];
  },
);
