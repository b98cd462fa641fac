/**
 * Validation of the workload kinds that carry a pod template: Deployment, ReplicaSet,
 * DaemonSet, StatefulSet, Job, CronJob, ReplicationController, PodTemplate — plus the
 * autoscaling/disruption kinds that point at them (HPA, PDB). Messages and paths follow
 * kube-apiserver (apps/batch/core validation), including its quirks (a ReplicaSet's
 * empty selector is "invalid for deployment").
 */
import { field, GoValue, type FieldCause } from '../../shared/api/errors';
import { immutableSelector, selectorIsEmpty, selectorMatches, selectorParses, validateLabelSelector } from './meta';
import { isDNS1123Label, isPercent, PERCENT_MESSAGE } from './names';
import { validatePodTemplateSpec } from './pod';
import { deepEqual, FieldPath, goLabelSelector, goStringMap, isInt, isObj, obj, str, type J } from './util';

const spec = new FieldPath('spec');
const NONNEG = 'must be greater than or equal to 0';
const nonNegative = (v: unknown, path: FieldPath): FieldCause[] => (typeof v === 'number' && v < 0 ? [field.invalid(path.text, v, NONNEG)] : []);

/** `intstr.IntOrString{…}` as Go prints the (non-pointer) value in field errors. */
function goIntOrString(v: unknown): GoValue {
  return typeof v === 'string'
    ? new GoValue(`intstr.IntOrString{Type:1, IntVal:0, StrVal:${JSON.stringify(v)}}`)
    : new GoValue(`intstr.IntOrString{Type:0, IntVal:${typeof v === 'number' ? v : 0}, StrVal:""}`);
}

function intOrPercentValue(v: unknown): { value: number; percent: boolean } {
  if (typeof v === 'number') return { value: v, percent: false };
  if (typeof v === 'string' && isPercent(v)) return { value: Number(v.slice(0, -1)), percent: true };
  return { value: 0, percent: false };
}

function validatePositiveIntOrPercent(v: unknown, path: FieldPath): FieldCause[] {
  if (typeof v === 'string') return isPercent(v) ? [] : [field.invalid(path.text, goIntOrString(v), PERCENT_MESSAGE)];
  if (typeof v === 'number' && v < 0) return [field.invalid(path.text, v, NONNEG)];
  return [];
}

function notMoreThan100Percent(v: unknown, path: FieldPath): FieldCause[] {
  const { value, percent } = intOrPercentValue(v);
  return percent && value > 100 ? [field.invalid(path.text, goIntOrString(v), 'must not be greater than 100%')] : [];
}

/** The selector/template pairing every ReplicaSet-like controller has. */
function validateTemplateForReplicaSet(tplIn: unknown, selector: unknown, path: FieldPath, owner: string): FieldCause[] {
  if (!isObj(tplIn)) return [field.required(path.text)];
  const tpl = tplIn;
  const errs: FieldCause[] = [];
  const labels = obj(tpl.metadata).labels;
  if (isObj(selector) && !selectorIsEmpty(selector) && !selectorMatches(selector, labels)) {
    errs.push(field.invalid(path.child('metadata', 'labels').text, goStringMap(labels), '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodTemplateSpec(tpl, path));
  const podSpec = obj(tpl.spec);
  if (podSpec.restartPolicy !== 'Always') errs.push(field.notSupported(path.child('spec', 'restartPolicy').text, str(podSpec.restartPolicy), ['Always']));
  if (podSpec.activeDeadlineSeconds !== undefined && podSpec.activeDeadlineSeconds !== null) {
    errs.push(field.forbidden(path.child('spec', 'activeDeadlineSeconds').text, `activeDeadlineSeconds in ${owner} is not Supported`));
  }
  return errs;
}

function validateSelectorRequired(s: J, what: string): FieldCause[] {
  if (!isObj(s.selector)) return [field.required(spec.child('selector').text)];
  const errs = validateLabelSelector(s.selector, spec.child('selector'));
  if (selectorIsEmpty(s.selector)) errs.push(field.invalid(spec.child('selector').text, goLabelSelector(s.selector), `empty selector is invalid for ${what}`));
  return errs;
}

/** The template checks run only with a selector that parses; otherwise one "invalid label selector". */
function templateAfterSelector(s: J, check: () => FieldCause[], detail = 'invalid label selector'): FieldCause[] {
  if (!selectorParses(s.selector)) return [field.invalid(spec.child('selector').text, goLabelSelector(s.selector), detail)];
  return check();
}

// ---------------------------------------------------------------- apps/v1

function validateDeploymentStrategy(strategyIn: unknown, path: FieldPath): FieldCause[] {
  const st = obj(strategyIn);
  const type = str(st.type);
  if (type === 'Recreate') {
    return st.rollingUpdate !== undefined && st.rollingUpdate !== null ? [field.forbidden(path.child('rollingUpdate').text, "may not be specified when strategy `type` is 'Recreate'")] : [];
  }
  if (type === 'RollingUpdate') {
    if (!isObj(st.rollingUpdate)) return [field.required(path.child('rollingUpdate').text, 'this should be defaulted and never be nil')];
    const ru = st.rollingUpdate;
    const p = path.child('rollingUpdate');
    const errs = [...validatePositiveIntOrPercent(ru.maxUnavailable, p.child('maxUnavailable')), ...validatePositiveIntOrPercent(ru.maxSurge, p.child('maxSurge'))];
    if (intOrPercentValue(ru.maxUnavailable).value === 0 && intOrPercentValue(ru.maxSurge).value === 0) {
      errs.push(field.invalid(p.child('maxUnavailable').text, goIntOrString(ru.maxUnavailable), 'may not be 0 when `maxSurge` is 0'));
    }
    errs.push(...notMoreThan100Percent(ru.maxUnavailable, p.child('maxUnavailable')));
    return errs;
  }
  const shown = new GoValue(`apps.DeploymentStrategy{Type:${JSON.stringify(type)}, RollingUpdate:(*apps.RollingUpdateDeployment)(${isObj(st.rollingUpdate) ? '…' : 'nil'})}`);
  return [field.notSupported(path.text, shown, ['Recreate', 'RollingUpdate'])];
}

export function validateDeployment(d: J, old?: J): FieldCause[] {
  const s = obj(d.spec);
  const errs = [...nonNegative(s.replicas, spec.child('replicas')), ...validateSelectorRequired(s, 'deployment')];
  errs.push(...templateAfterSelector(s, () => validateTemplateForReplicaSet(s.template, s.selector, spec.child('template'), 'ReplicaSet')));
  errs.push(...validateDeploymentStrategy(s.strategy, spec.child('strategy')));
  errs.push(...nonNegative(s.minReadySeconds, spec.child('minReadySeconds')), ...nonNegative(s.revisionHistoryLimit, spec.child('revisionHistoryLimit')));
  if (typeof s.progressDeadlineSeconds === 'number') {
    errs.push(...nonNegative(s.progressDeadlineSeconds, spec.child('progressDeadlineSeconds')));
    if (s.progressDeadlineSeconds <= (typeof s.minReadySeconds === 'number' ? s.minReadySeconds : 0)) {
      errs.push(field.invalid(spec.child('progressDeadlineSeconds').text, s.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
    }
  }
  if (old) errs.push(...immutableSelector(s, obj(old.spec), spec));
  return errs;
}

export function validateReplicaSet(rs: J, old?: J): FieldCause[] {
  const s = obj(rs.spec);
  const errs = [...nonNegative(s.replicas, spec.child('replicas')), ...nonNegative(s.minReadySeconds, spec.child('minReadySeconds'))];
  // kube-apiserver says "deployment" here too; kept for identical output.
  errs.push(...validateSelectorRequired(s, 'deployment'));
  errs.push(...templateAfterSelector(s, () => validateTemplateForReplicaSet(s.template, s.selector, spec.child('template'), 'ReplicaSet')));
  if (old) errs.push(...immutableSelector(s, obj(old.spec), spec));
  return errs;
}

function validateDaemonSetUpdateStrategy(stIn: unknown, path: FieldPath): FieldCause[] {
  const st = obj(stIn);
  const type = str(st.type);
  if (type === 'OnDelete') return [];
  if (type === 'RollingUpdate') {
    if (!isObj(st.rollingUpdate)) return [field.required(path.child('rollingUpdate').text)];
    const ru = st.rollingUpdate;
    const p = path.child('rollingUpdate');
    const errs = [
      ...validatePositiveIntOrPercent(ru.maxUnavailable, p.child('maxUnavailable')),
      ...validatePositiveIntOrPercent(ru.maxSurge, p.child('maxSurge')),
      ...notMoreThan100Percent(ru.maxUnavailable, p.child('maxUnavailable')),
      ...notMoreThan100Percent(ru.maxSurge, p.child('maxSurge')),
    ];
    const hasUnavailable = intOrPercentValue(ru.maxUnavailable).value !== 0;
    const hasSurge = intOrPercentValue(ru.maxSurge).value !== 0;
    if (hasUnavailable && hasSurge) errs.push(field.invalid(p.child('maxSurge').text, goIntOrString(ru.maxSurge), 'may not be set when maxUnavailable is non-zero'));
    else if (!hasUnavailable && !hasSurge) errs.push(field.required(p.child('maxUnavailable').text, 'cannot be 0 when maxSurge is 0'));
    return errs;
  }
  const shown = new GoValue(`apps.DaemonSetUpdateStrategy{Type:${JSON.stringify(type)}, RollingUpdate:(*apps.RollingUpdateDaemonSet)(${isObj(st.rollingUpdate) ? '…' : 'nil'})}`);
  return [field.notSupported(path.text, shown, ['RollingUpdate', 'OnDelete'])];
}

export function validateDaemonSet(ds: J, old?: J): FieldCause[] {
  const s = obj(ds.spec);
  const errs: FieldCause[] = [];
  if (!isObj(s.selector)) errs.push(field.required(spec.child('selector').text));
  else {
    errs.push(...validateLabelSelector(s.selector, spec.child('selector')));
    const labels = obj(obj(s.template).metadata).labels;
    if (selectorParses(s.selector) && !selectorMatches(s.selector, labels)) errs.push(field.invalid(spec.child('template', 'metadata', 'labels').text, goStringMap(labels), '`selector` does not match template `labels`'));
    if (selectorIsEmpty(s.selector)) errs.push(field.invalid(spec.child('selector').text, goLabelSelector(s.selector), 'empty selector is invalid for daemonset'));
  }
  errs.push(...validatePodTemplateSpec(s.template, spec.child('template')));
  const podSpec = obj(obj(s.template).spec);
  if (podSpec.restartPolicy !== 'Always') errs.push(field.notSupported(spec.child('template', 'spec', 'restartPolicy').text, str(podSpec.restartPolicy), ['Always']));
  if (podSpec.activeDeadlineSeconds !== undefined && podSpec.activeDeadlineSeconds !== null) {
    errs.push(field.invalid(spec.child('template', 'spec', 'activeDeadlineSeconds').text, podSpec.activeDeadlineSeconds, 'activeDeadlineSeconds in DaemonSet is not Supported'));
  }
  errs.push(...nonNegative(s.minReadySeconds, spec.child('minReadySeconds')));
  errs.push(...validateDaemonSetUpdateStrategy(s.updateStrategy, spec.child('updateStrategy')));
  errs.push(...nonNegative(s.revisionHistoryLimit, spec.child('revisionHistoryLimit')));
  if (old) errs.push(...immutableSelector(s, obj(old.spec), spec));
  return errs;
}

export function validateStatefulSet(sts: J, old?: J): FieldCause[] {
  const s = obj(sts.spec);
  const errs: FieldCause[] = [];
  const pmp = str(s.podManagementPolicy);
  if (!pmp) errs.push(field.required(spec.child('podManagementPolicy').text));
  else if (pmp !== 'OrderedReady' && pmp !== 'Parallel') errs.push(field.invalid(spec.child('podManagementPolicy').text, pmp, "must be 'OrderedReady' or 'Parallel'"));
  const us = obj(s.updateStrategy);
  const ust = str(us.type);
  if (!ust) errs.push(field.required(spec.child('updateStrategy').text));
  else if (ust === 'OnDelete') {
    if (isObj(us.rollingUpdate)) errs.push(field.invalid(spec.child('updateStrategy', 'rollingUpdate').text, us.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'"));
  } else if (ust === 'RollingUpdate') {
    const ru = obj(us.rollingUpdate);
    errs.push(...nonNegative(ru.partition, spec.child('updateStrategy', 'rollingUpdate', 'partition')));
    if (ru.maxUnavailable !== undefined) errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, spec.child('updateStrategy', 'rollingUpdate', 'maxUnavailable')));
  } else {
    errs.push(field.invalid(spec.child('updateStrategy').text, us, "must be 'RollingUpdate' or 'OnDelete'"));
  }
  errs.push(...nonNegative(s.revisionHistoryLimit, spec.child('revisionHistoryLimit')), ...nonNegative(s.replicas, spec.child('replicas')));
  errs.push(...nonNegative(obj(s.ordinals).start, spec.child('ordinals', 'start')), ...nonNegative(s.minReadySeconds, spec.child('minReadySeconds')));
  errs.push(...validateSelectorRequired(s, 'statefulset'));
  const tpl = obj(s.template);
  const labels = obj(tpl.metadata).labels;
  errs.push(...templateAfterSelector(s, () => {
    const e: FieldCause[] = [];
    if (isObj(s.selector) && !selectorIsEmpty(s.selector) && !selectorMatches(s.selector, labels)) {
      e.push(field.invalid(spec.child('template', 'metadata', 'labels').text, goStringMap(labels), '`selector` does not match template `labels`'));
    }
    return [...e, ...validatePodTemplateSpec(tpl, spec.child('template'))];
  }, ''));
  const podSpec = obj(tpl.spec);
  if (podSpec.restartPolicy !== 'Always') errs.push(field.notSupported(spec.child('template', 'spec', 'restartPolicy').text, str(podSpec.restartPolicy), ['Always']));
  if (podSpec.activeDeadlineSeconds !== undefined && podSpec.activeDeadlineSeconds !== null) {
    errs.push(field.forbidden(spec.child('template', 'spec', 'activeDeadlineSeconds').text, 'activeDeadlineSeconds in StatefulSet is not Supported'));
  }
  if (old) {
    const o = obj(old.spec);
    const clone: J = { ...s };
    for (const k of ['replicas', 'template', 'updateStrategy', 'minReadySeconds', 'ordinals', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy']) clone[k] = o[k];
    if (!deepEqual(clone, o)) {
      errs.push(field.forbidden('spec', "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"));
    }
  }
  return errs;
}

export function validateControllerRevision(cr: J, old?: J): FieldCause[] {
  const errs = nonNegative(cr.revision, new FieldPath('revision'));
  if (cr.data === undefined || cr.data === null) errs.push(field.required('data'));
  if (old && !deepEqual(cr.data, old.data)) errs.push(field.invalid('data', new GoValue('runtime.RawExtension{…}'), 'field is immutable'));
  return errs;
}

// ---------------------------------------------------------------- batch/v1

/** validateJobSpec: the part shared with CronJob's jobTemplate. */
function validateJobSpec(s: J, path: FieldPath): FieldCause[] {
  const errs: FieldCause[] = [];
  for (const f of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished']) errs.push(...nonNegative(s[f], path.child(f)));
  if (s.completionMode !== undefined && s.completionMode !== null) {
    const mode = str(s.completionMode);
    if (mode !== 'NonIndexed' && mode !== 'Indexed') errs.push(field.notSupported(path.child('completionMode').text, mode, ['NonIndexed', 'Indexed']));
    if (mode === 'Indexed') {
      if (s.completions === undefined || s.completions === null) errs.push(field.required(path.child('completions').text, 'when completion mode is Indexed'));
      if (isInt(s.parallelism) && s.parallelism > 100000) errs.push(field.invalid(path.child('parallelism').text, s.parallelism, 'must be less than or equal to 100000 when completion mode is Indexed'));
    }
  }
  if (s.podReplacementPolicy !== undefined && s.podReplacementPolicy !== null) {
    const prp = str(s.podReplacementPolicy);
    if (prp !== 'TerminatingOrFailed' && prp !== 'Failed') errs.push(field.notSupported(path.child('podReplacementPolicy').text, prp, ['TerminatingOrFailed', 'Failed']));
    else if (isObj(s.podFailurePolicy) && prp !== 'Failed') errs.push(field.notSupported(path.child('podReplacementPolicy').text, prp, ['Failed']));
  }
  errs.push(...validatePodTemplateSpec(s.template, path.child('template')));
  const rp = str(obj(obj(s.template).spec).restartPolicy);
  const rpPath = path.child('template', 'spec', 'restartPolicy').text;
  // The pod-spec defaulting turns an empty restartPolicy into Always, so both mean "not chosen".
  if (rp === 'Always' || rp === '') errs.push(field.required(rpPath, 'valid values: "OnFailure", "Never"'));
  else if (rp !== 'OnFailure' && rp !== 'Never') errs.push(field.notSupported(rpPath, rp, ['OnFailure', 'Never']));
  else if (isObj(s.podFailurePolicy) && rp !== 'Never') errs.push(field.invalid(rpPath, rp, 'only "Never" is supported when podFailurePolicy is specified'));
  return errs;
}

export function validateJob(job: J, old?: J): FieldCause[] {
  const s = obj(job.spec);
  const errs = validateJobSpec(s, spec);
  if (!isObj(s.selector)) errs.push(field.required(spec.child('selector').text));
  else {
    errs.push(...validateLabelSelector(s.selector, spec.child('selector')));
    const labels = obj(obj(s.template).metadata).labels;
    if (selectorParses(s.selector) && !selectorMatches(s.selector, labels)) errs.push(field.invalid(spec.child('template', 'metadata', 'labels').text, goStringMap(labels), '`selector` does not match template `labels`'));
  }
  const meta = obj(job.metadata);
  if (s.completionMode === 'Indexed' && isInt(s.completions) && s.completions > 0) {
    const host = `${str(meta.name)}-${s.completions - 1}`;
    if (isDNS1123Label(host).length) errs.push(field.invalid('metadata.name', str(meta.name), `will not able to create pod with invalid DNS label: ${host}`));
  }
  if (old) {
    const o = obj(old.spec);
    if (!deepEqual(s.completions, o.completions)) {
      const elastic = s.completionMode === 'Indexed' && s.completions !== undefined;
      if (!elastic) errs.push(field.invalid(spec.child('completions').text, s.completions ?? null, 'field is immutable'));
      else if (s.completions !== s.parallelism) errs.push(field.invalid(spec.child('completions').text, s.completions, 'can only be modified in tandem with spec.parallelism'));
    }
    errs.push(...immutableSelector(s, o, spec));
    // A suspended job that never started may change its scheduling directives.
    const tpl = obj(s.template);
    let oldTpl = obj(o.template);
    if (o.suspend === true && !obj(old.status).startTime) {
      const tMeta = obj(tpl.metadata);
      const tSpec = obj(tpl.spec);
      oldTpl = { ...oldTpl, metadata: { ...obj(oldTpl.metadata), labels: tMeta.labels, annotations: tMeta.annotations } };
      oldTpl.spec = { ...obj(oldTpl.spec), nodeSelector: tSpec.nodeSelector, tolerations: tSpec.tolerations, affinity: tSpec.affinity, schedulingGates: tSpec.schedulingGates };
    }
    if (!deepEqual(tpl, oldTpl)) errs.push(field.invalid(spec.child('template').text, new GoValue('core.PodTemplateSpec{…}'), 'field is immutable'));
    for (const f of ['completionMode', 'podFailurePolicy', 'backoffLimitPerIndex']) {
      if (!deepEqual(s[f], o[f])) errs.push(field.invalid(spec.child(f).text, s[f] ?? null, 'field is immutable'));
    }
  }
  return errs;
}

/** A cron schedule as robfig/cron's ParseStandard accepts it, with its error texts. */
export function cronScheduleErrors(schedule: string): string[] {
  const s = schedule.trim();
  if (s.startsWith('@')) {
    if (['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'].includes(s)) return [];
    if (s.startsWith('@every ')) return /^@every\s+(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(s) ? [] : [`failed to parse duration ${s}: time: invalid duration "${s.slice(7)}"`];
    return [`unrecognized descriptor: ${s}`];
  }
  const fields = s.split(/\s+/).filter(Boolean);
  if (fields.length !== 5) return [`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`];
  const bounds: [number, number, Record<string, number>?][] = [
    [0, 59], [0, 23], [1, 31],
    [1, 12, { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 }],
    [0, 6, { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 }],
  ];
  for (let i = 0; i < 5; i++) {
    const [min, max, names] = bounds[i];
    for (const part of fields[i].split(',')) {
      const [rangePart, step] = part.split('/');
      if (step !== undefined && !/^\d+$/.test(step)) return [`failed to parse int from ${step}: strconv.Atoi: parsing ${JSON.stringify(step)}: invalid syntax`];
      if (rangePart === '*' || rangePart === '?') continue;
      const ends = rangePart.split('-');
      if (ends.length > 2) return [`too many hyphens: ${rangePart}`];
      const nums: number[] = [];
      for (const e of ends) {
        const named = names?.[e.toLowerCase()];
        if (named !== undefined) nums.push(named);
        else if (/^\d+$/.test(e)) nums.push(Number(e));
        else return [`failed to parse int from ${e}: strconv.Atoi: parsing ${JSON.stringify(e)}: invalid syntax`];
      }
      const [start, end = start] = nums;
      if (start < min) return [`beginning of range (${start}) below minimum (${min}): ${rangePart}`];
      if (end > max) return [`end of range (${end}) above maximum (${max}): ${rangePart}`];
      if (start > end) return [`beginning of range (${start}) beyond end of range (${end}): ${rangePart}`];
    }
  }
  return [];
}

export function validateCronJob(cj: J, old?: J): FieldCause[] {
  const s = obj(cj.spec);
  const errs: FieldCause[] = [];
  const name = str(obj(cj.metadata).name);
  if (!old && name.length > 52) errs.push(field.invalid('metadata.name', name, 'must be no more than 52 characters'));
  const schedule = str(s.schedule);
  if (!schedule) errs.push(field.required(spec.child('schedule').text));
  else {
    for (const m of cronScheduleErrors(schedule)) errs.push(field.invalid(spec.child('schedule').text, schedule, m));
    if (schedule.includes('TZ') && !(old && str(obj(old.spec).schedule).includes('TZ'))) errs.push(field.invalid(spec.child('schedule').text, schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  }
  errs.push(...nonNegative(s.startingDeadlineSeconds, spec.child('startingDeadlineSeconds')));
  const cp = str(s.concurrencyPolicy);
  if (!cp) errs.push(field.required(spec.child('concurrencyPolicy').text));
  else if (!['Allow', 'Forbid', 'Replace'].includes(cp)) errs.push(field.notSupported(spec.child('concurrencyPolicy').text, cp, ['Allow', 'Forbid', 'Replace']));
  const jt = obj(s.jobTemplate);
  const jts = obj(jt.spec);
  errs.push(...validateJobSpec(jts, spec.child('jobTemplate', 'spec')));
  if (isObj(jts.selector)) errs.push(field.invalid(spec.child('jobTemplate', 'spec', 'selector').text, goLabelSelector(jts.selector), '`selector` will be auto-generated'));
  if (jts.manualSelector === true) errs.push(field.notSupported(spec.child('jobTemplate', 'spec', 'manualSelector').text, true, ['nil', 'false']));
  errs.push(...nonNegative(s.successfulJobsHistoryLimit, spec.child('successfulJobsHistoryLimit')), ...nonNegative(s.failedJobsHistoryLimit, spec.child('failedJobsHistoryLimit')));
  return errs;
}

// ---------------------------------------------------------------- core/v1 controllers

export function validateReplicationController(rc: J): FieldCause[] {
  const s = obj(rc.spec);
  const errs = nonNegative(s.minReadySeconds, spec.child('minReadySeconds'));
  if (Object.keys(obj(s.selector)).length === 0) errs.push(field.required(spec.child('selector').text));
  errs.push(...nonNegative(s.replicas, spec.child('replicas')));
  const selector = Object.keys(obj(s.selector)).length ? { matchLabels: s.selector } : undefined;
  errs.push(...validateTemplateForReplicaSet(s.template, selector, spec.child('template'), 'ReplicationController'));
  return errs;
}

export function validatePodTemplate(pt: J): FieldCause[] {
  return validatePodTemplateSpec(pt.template, new FieldPath('template'));
}

// ---------------------------------------------------------------- autoscaling / policy

export function validateHPA(hpa: J): FieldCause[] {
  const s = obj(hpa.spec);
  const errs: FieldCause[] = [];
  const ref = obj(s.scaleTargetRef);
  const rp = spec.child('scaleTargetRef');
  if (!str(ref.kind)) errs.push(field.required(rp.child('kind').text));
  if (!str(ref.name)) errs.push(field.required(rp.child('name').text));
  else if (/[/%]/.test(str(ref.name)) || str(ref.name) === '.' || str(ref.name) === '..') errs.push(field.invalid(rp.child('name').text, str(ref.name), "may not contain '/' or '%'"));
  if (typeof s.minReplicas === 'number' && s.minReplicas < 1) errs.push(field.invalid(spec.child('minReplicas').text, s.minReplicas, 'must be greater than or equal to 1'));
  if (typeof s.maxReplicas !== 'number' || s.maxReplicas < 1) errs.push(field.invalid(spec.child('maxReplicas').text, s.maxReplicas ?? 0, 'must be greater than 0'));
  else if (typeof s.minReplicas === 'number' && s.maxReplicas < s.minReplicas) errs.push(field.invalid(spec.child('maxReplicas').text, s.maxReplicas, 'must be greater than or equal to `minReplicas`'));
  return errs;
}

export function validatePDB(pdb: J): FieldCause[] {
  const s = obj(pdb.spec);
  const errs: FieldCause[] = [];
  if (s.minAvailable !== undefined && s.minAvailable !== null && s.maxUnavailable !== undefined && s.maxUnavailable !== null) {
    errs.push(field.invalid('spec', new GoValue('policy.PodDisruptionBudgetSpec{…}'), 'minAvailable and maxUnavailable cannot be both set'));
  }
  for (const f of ['minAvailable', 'maxUnavailable']) {
    if (s[f] === undefined || s[f] === null) continue;
    errs.push(...validatePositiveIntOrPercent(s[f], spec.child(f)), ...notMoreThan100Percent(s[f], spec.child(f)));
  }
  errs.push(...validateLabelSelector(s.selector, spec.child('selector')));
  if (s.unhealthyPodEvictionPolicy !== undefined && !['IfHealthyBudget', 'AlwaysAllow'].includes(str(s.unhealthyPodEvictionPolicy))) {
    errs.push(field.notSupported(spec.child('unhealthyPodEvictionPolicy').text, s.unhealthyPodEvictionPolicy, ['AlwaysAllow', 'IfHealthyBudget']));
  }
  return errs;
}
