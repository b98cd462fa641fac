/**
 * `k8ts rollout status|history|undo|pause|resume|restart TYPE/NAME`, following kubectl's
 * algorithms and wording (KUBECTL-WIRE.md §6–7):
 *
 * - status: GET, then list+watch the object by name and print the status viewer's
 *   message for every event until it says done (`deployment "web" successfully rolled
 *   out`), fails (`exceeded its progress deadline`) or `--timeout` passes. Deployments,
 *   DaemonSets and StatefulSets.
 * - history / undo: the Deployment's ReplicaSets are those listed by its selector whose
 *   controller ownerReference has its uid; the revision is their
 *   `deployment.kubernetes.io/revision` annotation. Undo writes the chosen template
 *   (minus `pod-template-hash`) and its annotations back with a JSON patch, as kubectl
 *   does, and skips when the template already matches.
 * - pause / resume / restart: strategic merge patches (`fieldManager=kubectl-rollout`)
 *   of `spec.paused` and of the template annotation `kubectl.kubernetes.io/restartedAt`.
 */
import type { Command } from 'commander';
import type { KList, KObject } from '../shared/api/types';
import { groupKindName, type ResourceMapping } from '../shared/client/restmapper';
import type { Runner } from './command';
import { parseDuration, type CliContext } from './context';
import { describePodTemplate } from './describers/common';
import { PrefixWriter } from './describers/writer';
import { CliError, ExitError, formatError } from './errors';
import { ObjectPrinter } from './object-printer';
import { TabWriter, DESCRIBE_OPTIONS } from './printers/tabwriter';
import { collectionPath, dryRunSuffix, objectPath, parseBool, parseDryRun, parseOutput } from './resources';
import { resolveSubjects, type Subject } from './subjects';
import { WaitTimeout, watchUntil } from './watch-until';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';
export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';
const HASH_LABEL = 'pod-template-hash';

/** Deployment annotations an undo keeps from the Deployment rather than the ReplicaSet. */
const ANNOTATIONS_TO_SKIP = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

type Json = Record<string, any>;

interface CommonOptions {
  selector?: string;
  all?: boolean;
  dryRun?: string | boolean;
  output?: string;
  fieldManager?: string;
}

export function registerRollout(program: Command, run: Runner): void {
  const rollout = program.command('rollout').description('Manage the rollout of a resource');
  const common = (c: Command) =>
    c
      .argument('[resources...]', 'TYPE NAME | TYPE/NAME')
      .option('-l, --selector <selector>', 'label selector')
      .option('--all', 'select all resources of the type in the namespace');

  common(rollout.command('status'))
    .description('Show the status of the rollout')
    .option('-w, --watch [bool]', 'watch the status until the rollout finishes', 'true')
    .option('--timeout <duration>', 'how long to wait (0: forever)', '0s')
    .option('--revision <n>', 'pin to a revision (StatefulSet only; ignored here)', '0')
    .action(run(async (ctx, opts, cmd) => runRolloutStatus(ctx, cmd.args, opts as CommonOptions & { watch?: string | boolean; timeout?: string })));

  common(rollout.command('history'))
    .description('View rollout history')
    .option('--revision <n>', 'show the pod template of this revision', '0')
    .action(run(async (ctx, opts, cmd) => runRolloutHistory(ctx, cmd.args, opts as CommonOptions & { revision?: string })));

  common(rollout.command('undo'))
    .description('Undo a previous rollout')
    .option('--to-revision <n>', 'the revision to roll back to (0: the previous one)', '0')
    .option('--dry-run [strategy]', 'none|client|server')
    .option('-o, --output <format>', 'json|yaml|name')
    .action(run(async (ctx, opts, cmd) => runRolloutUndo(ctx, cmd.args, opts as CommonOptions & { toRevision?: string })));

  for (const verb of ['pause', 'resume', 'restart'] as const) {
    common(rollout.command(verb))
      .description(verb === 'pause' ? 'Mark the provided resource as paused' : verb === 'resume' ? 'Resume a paused resource' : 'Restart a resource')
      .option('--dry-run [strategy]', 'none|client|server')
      .option('-o, --output <format>', 'json|yaml|name')
      .option('--field-manager <name>', 'name of the manager used to track field ownership', 'kubectl-rollout')
      .action(run(async (ctx, opts, cmd) => runRolloutPatchVerb(ctx, verb, cmd.args, opts as CommonOptions)));
  }
}

// ---------------------------------------------------------------- status

export interface StatusResult {
  message: string;
  done: boolean;
}

const num = (v: unknown) => (typeof v === 'number' ? v : 0);

/** kubectl's status viewers. Throws kubectl's error for a failed rollout. */
export function rolloutStatus(obj: Json): StatusResult {
  const name = obj.metadata?.name ?? '';
  const gen = num(obj.metadata?.generation);
  const st = obj.status ?? {};
  switch (obj.kind) {
    case 'Deployment': {
      if (gen <= num(st.observedGeneration)) {
        const progressing = (st.conditions ?? []).find((c: Json) => c.type === 'Progressing');
        if (progressing?.reason === 'ProgressDeadlineExceeded') throw new CliError(`deployment ${JSON.stringify(name)} exceeded its progress deadline`);
        const want = obj.spec?.replicas;
        if (typeof want === 'number' && num(st.updatedReplicas) < want) {
          return { message: `Waiting for deployment ${JSON.stringify(name)} rollout to finish: ${num(st.updatedReplicas)} out of ${want} new replicas have been updated...`, done: false };
        }
        if (num(st.replicas) > num(st.updatedReplicas)) {
          return { message: `Waiting for deployment ${JSON.stringify(name)} rollout to finish: ${num(st.replicas) - num(st.updatedReplicas)} old replicas are pending termination...`, done: false };
        }
        if (num(st.availableReplicas) < num(st.updatedReplicas)) {
          return { message: `Waiting for deployment ${JSON.stringify(name)} rollout to finish: ${num(st.availableReplicas)} of ${num(st.updatedReplicas)} updated replicas are available...`, done: false };
        }
        return { message: `deployment ${JSON.stringify(name)} successfully rolled out`, done: true };
      }
      return { message: 'Waiting for deployment spec update to be observed...', done: false };
    }
    case 'DaemonSet': {
      const type = obj.spec?.updateStrategy?.type ?? 'RollingUpdate';
      if (type !== 'RollingUpdate') throw new CliError('rollout status is only available for RollingUpdate strategy type');
      if (gen <= num(st.observedGeneration)) {
        if (num(st.updatedNumberScheduled) < num(st.desiredNumberScheduled)) {
          return { message: `Waiting for daemon set ${JSON.stringify(name)} rollout to finish: ${num(st.updatedNumberScheduled)} out of ${num(st.desiredNumberScheduled)} new pods have been updated...`, done: false };
        }
        if (num(st.numberAvailable) < num(st.desiredNumberScheduled)) {
          return { message: `Waiting for daemon set ${JSON.stringify(name)} rollout to finish: ${num(st.numberAvailable)} of ${num(st.desiredNumberScheduled)} updated pods are available...`, done: false };
        }
        return { message: `daemon set ${JSON.stringify(name)} successfully rolled out`, done: true };
      }
      return { message: 'Waiting for daemon set spec update to be observed...', done: false };
    }
    case 'StatefulSet': {
      const strategy = obj.spec?.updateStrategy ?? {};
      const type = strategy.type ?? 'RollingUpdate';
      if (type !== 'RollingUpdate') throw new CliError('rollout status is only available for RollingUpdate strategy type');
      if (num(st.observedGeneration) === 0 || gen > num(st.observedGeneration)) return { message: 'Waiting for statefulset spec update to be observed...', done: false };
      const want = obj.spec?.replicas;
      if (typeof want === 'number' && num(st.readyReplicas) < want) return { message: `Waiting for ${want - num(st.readyReplicas)} pods to be ready...`, done: false };
      const partition = strategy.rollingUpdate?.partition;
      if (strategy.rollingUpdate) {
        if (typeof want === 'number' && typeof partition === 'number' && num(st.updatedReplicas) < want - partition) {
          return { message: `Waiting for partitioned roll out to finish: ${num(st.updatedReplicas)} out of ${want - partition} new pods have been updated...`, done: false };
        }
        return { message: `partitioned roll out complete: ${num(st.updatedReplicas)} new pods have been updated...`, done: true };
      }
      if (st.updateRevision !== st.currentRevision) {
        return { message: `waiting for statefulset rolling update to complete ${num(st.updatedReplicas)} pods at revision ${st.updateRevision}...`, done: false };
      }
      return { message: `statefulset rolling update complete ${num(st.currentReplicas)} pods at revision ${st.currentRevision}...`, done: true };
    }
    default:
      throw new CliError(`no status viewer has been implemented for ${obj.kind}`);
  }
}

export async function runRolloutStatus(ctx: CliContext, args: string[], opts: CommonOptions & { watch?: string | boolean; timeout?: string }): Promise<void> {
  const watch = parseBool(opts.watch, true);
  const timeoutMs = parseDuration(opts.timeout) ?? 0;
  const subjects = await resolveSubjects(ctx, args, opts);
  for (const s of subjects) {
    const obj = await ctx.client().get<Json>(objectPath(s.mapping, s.namespace, s.name), { signal: ctx.signal });
    // Fail early for kinds without a viewer (before watching).
    rolloutStatus({ ...obj, kind: s.mapping.kind, status: { observedGeneration: -1 } });
    if (!watch) {
      const r = rolloutStatus({ ...obj, kind: s.mapping.kind });
      ctx.out(r.message + '\n');
      continue;
    }
    try {
      const done = await watchUntil(ctx, s.mapping, s.namespace, s.name, (obs) => {
        if (obs.type === 'DELETED') throw new CliError('object has been deleted');
        const r = rolloutStatus({ ...obs.object, kind: s.mapping.kind });
        ctx.out(r.message + '\n');
        return r.done ? true : undefined;
      }, timeoutMs);
      if (!done) throw new ExitError(130);
    } catch (err) {
      if (err instanceof WaitTimeout) throw new CliError('timed out waiting for the condition');
      throw err;
    }
  }
}

// ---------------------------------------------------------------- history and undo

const HISTORY_KINDS = new Set(['Deployment', 'DaemonSet', 'StatefulSet']);

function requireHistoryKind(s: Subject): void {
  if (!HISTORY_KINDS.has(s.mapping.kind) || s.mapping.group !== 'apps') throw new CliError(`no history viewer has been implemented for ${JSON.stringify(s.mapping.kind)}`);
}

/**
 * DaemonSet/StatefulSet history, from their ControllerRevisions (found like a
 * Deployment's ReplicaSets: selector, then controller uid; the number is `.revision`).
 * The template is in the revision's `data.spec.template`.
 */
async function controllerRevisionHistory(ctx: CliContext, owner: Json, namespace: string | undefined): Promise<Map<number, Json>> {
  const mapper = await ctx.mapper();
  const m: ResourceMapping = mapper.kindFor('apps/v1', 'ControllerRevision');
  const list = await ctx.client().list<KList>(collectionPath(m, namespace), { query: { labelSelector: selectorString(owner) }, signal: ctx.signal });
  const out = new Map<number, Json>();
  for (const cr of (list.items ?? []) as Json[]) {
    if (!((cr.metadata?.ownerReferences ?? []) as Json[]).some((r) => r.controller === true && r.uid === owner.metadata?.uid)) continue;
    const template = structuredClone(cr.data?.spec?.template ?? {});
    delete template.$patch;
    const cause = cr.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION];
    if (cause) template.metadata = { ...template.metadata, annotations: { ...template.metadata?.annotations, [CHANGE_CAUSE_ANNOTATION]: cause } };
    out.set(Number(cr.revision ?? 0), template);
  }
  return out;
}

export function revisionOf(rs: Json): number | undefined {
  const v = rs.metadata?.annotations?.[REVISION_ANNOTATION];
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  return Number(v);
}

/** `k=v,k2=v2` for a Deployment's matchLabels (kubectl lists its ReplicaSets with it). */
export function selectorString(deploy: Json): string {
  const sel = deploy.spec?.selector ?? {};
  const parts = Object.entries((sel.matchLabels ?? {}) as Record<string, string>).map(([k, v]) => `${k}=${v}`);
  for (const e of (sel.matchExpressions ?? []) as { key: string; operator: string; values?: string[] }[]) {
    switch (e.operator) {
      case 'In':
        parts.push(`${e.key} in (${(e.values ?? []).join(',')})`);
        break;
      case 'NotIn':
        parts.push(`${e.key} notin (${(e.values ?? []).join(',')})`);
        break;
      case 'Exists':
        parts.push(e.key);
        break;
      case 'DoesNotExist':
        parts.push(`!${e.key}`);
        break;
    }
  }
  return parts.join(',');
}

/** The Deployment's ReplicaSets, as kubectl finds them: by selector, then controller uid. */
export async function ownedReplicaSets(ctx: CliContext, deploy: Json, namespace: string | undefined): Promise<Json[]> {
  const mapper = await ctx.mapper();
  const rsMapping: ResourceMapping = mapper.kindFor('apps/v1', 'ReplicaSet');
  const list = await ctx.client().list<KList>(collectionPath(rsMapping, namespace), { query: { labelSelector: selectorString(deploy) }, signal: ctx.signal });
  const uid = deploy.metadata?.uid;
  return ((list.items ?? []) as Json[]).filter((rs) => ((rs.metadata?.ownerReferences ?? []) as Json[]).some((r) => r.controller === true && r.uid === uid));
}

/** The history map: revision → the RS's template (with its change cause as an annotation). */
export function historyOf(replicaSets: Json[]): Map<number, Json> {
  const out = new Map<number, Json>();
  for (const rs of replicaSets) {
    const v = revisionOf(rs);
    if (v === undefined) continue;
    const template = structuredClone(rs.spec?.template ?? {});
    const cause = rs.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION];
    if (cause) template.metadata = { ...template.metadata, annotations: { ...template.metadata?.annotations, [CHANGE_CAUSE_ANNOTATION]: cause } };
    out.set(v, template);
  }
  return out;
}

/**
 * A pod template described as `rollout history --revision` shows it: kubectl writes the
 * describer's lines to a plain buffer, not a tab writer, so the tabs stay raw.
 */
export function rawTemplateText(template: Json | undefined): string {
  let out = '';
  const w = {
    write: (level: number, text: string) => void (out += '  '.repeat(level) + text),
    line: (text: string) => void (out += text + '\n'),
    flush: () => undefined,
    toString: () => out,
  };
  describePodTemplate(template as never, w as unknown as PrefixWriter);
  return out;
}

/** kubectl's history text (without the `deployment.apps/web` line). */
export function formatHistory(history: Map<number, Json>, revision: number): string {
  if (history.size === 0) return 'No rollout history found.';
  if (revision > 0) {
    const t = history.get(revision);
    if (!t) throw new CliError('unable to find the specified revision');
    return rawTemplateText(t);
  }
  const tw = new TabWriter(DESCRIBE_OPTIONS);
  tw.write('REVISION\tCHANGE-CAUSE\n');
  for (const r of [...history.keys()].sort((a, b) => a - b)) {
    tw.write(`${r}\t${history.get(r)!.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION] || '<none>'}\n`);
  }
  return tw.flush();
}

export async function runRolloutHistory(ctx: CliContext, args: string[], opts: CommonOptions & { revision?: string }): Promise<void> {
  const revision = Number(opts.revision ?? '0');
  if (!Number.isInteger(revision)) throw new CliError(`invalid argument "${opts.revision}" for "--revision" flag`);
  const subjects = await resolveSubjects(ctx, args, opts);
  for (const s of subjects) {
    requireHistoryKind(s);
    const obj = await ctx.client().get<Json>(objectPath(s.mapping, s.namespace, s.name), { signal: ctx.signal });
    const history = s.mapping.kind === 'Deployment' ? historyOf(await ownedReplicaSets(ctx, obj, s.namespace)) : await controllerRevisionHistory(ctx, obj, s.namespace);
    const text = formatHistory(history, revision);
    const withRevision = revision > 0 ? `with revision #${revision}` : '';
    ctx.out(`${groupKindName(s.mapping)}/${s.name} ${withRevision}\n${text}\n`);
  }
}

/** kubectl's deploymentRevision: the RS of `toRevision`, or (0) the second newest. */
export function pickRevision(replicaSets: Json[], toRevision: number, name: string): Json {
  if (toRevision < 0) throw new CliError(`unable to find specified revision ${toRevision} in history`);
  let latest: Json | undefined;
  let latestRev = -1;
  let previous: Json | undefined;
  let previousRev = -1;
  for (const rs of replicaSets) {
    const v = revisionOf(rs);
    if (v === undefined) continue;
    if (toRevision === 0) {
      if (latestRev < v) {
        previousRev = latestRev;
        previous = latest;
        latestRev = v;
        latest = rs;
      } else if (previousRev < v) {
        previousRev = v;
        previous = rs;
      }
    } else if (v === toRevision) {
      return rs;
    }
  }
  if (toRevision > 0) throw new CliError(`unable to find specified revision ${toRevision} in history`);
  if (!previous) throw new CliError(`no rollout history found for deployment ${JSON.stringify(name)}`);
  return previous;
}

/** A template without the hash label and the server's empty defaults, for comparison. */
function normalizeTemplate(t: Json | undefined): string {
  const c = structuredClone(t ?? {});
  if (c.metadata?.labels) {
    delete c.metadata.labels[HASH_LABEL];
    if (Object.keys(c.metadata.labels).length === 0) delete c.metadata.labels;
  }
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === 'object') {
      const out: Json = {};
      for (const k of Object.keys(v).sort()) {
        const x = strip((v as Json)[k]);
        if (x === null || x === undefined) continue;
        if (typeof x === 'object' && !Array.isArray(x) && Object.keys(x as object).length === 0) continue;
        out[k] = x;
      }
      return out;
    }
    return v;
  };
  return JSON.stringify(strip(c));
}

export function templatesEqualIgnoringHash(a: Json | undefined, b: Json | undefined): boolean {
  return normalizeTemplate(a) === normalizeTemplate(b);
}

/** The JSON patch kubectl sends for an undo. */
export function undoPatch(deploy: Json, rs: Json): unknown[] {
  const template = structuredClone(rs.spec?.template ?? {});
  if (template.metadata?.labels) delete template.metadata.labels[HASH_LABEL];
  // kubectl marshals its typed template: an unset creationTimestamp goes out as null.
  template.metadata = { creationTimestamp: null, ...template.metadata };
  const annotations: Record<string, string> = {};
  const own = (deploy.metadata?.annotations ?? {}) as Record<string, string>;
  for (const k of ANNOTATIONS_TO_SKIP) if (k in own) annotations[k] = own[k];
  for (const [k, v] of Object.entries((rs.metadata?.annotations ?? {}) as Record<string, string>)) if (!ANNOTATIONS_TO_SKIP.has(k)) annotations[k] = v;
  return [
    { op: 'replace', path: '/spec/template', value: template },
    { op: 'replace', path: '/metadata/annotations', value: annotations },
  ];
}

export async function runRolloutUndo(ctx: CliContext, args: string[], opts: CommonOptions & { toRevision?: string }): Promise<void> {
  const output = parseOutput(opts.output, ['', 'json', 'yaml', 'name']);
  const dryRun = parseDryRun(opts.dryRun);
  const toRevision = Number(opts.toRevision ?? '0');
  if (!Number.isInteger(toRevision)) throw new CliError(`invalid argument "${opts.toRevision}" for "--to-revision" flag`);
  const subjects = await resolveSubjects(ctx, args, opts);
  const printer = new ObjectPrinter(ctx, output);
  const errors: unknown[] = [];
  for (const s of subjects) {
    try {
      if (s.mapping.kind !== 'Deployment') {
        // DaemonSet/StatefulSet undo (ControllerRevision data patches) is not done yet;
        // with no revisions this is kubectl's answer, otherwise say so plainly.
        if ((s.mapping.kind === 'DaemonSet' || s.mapping.kind === 'StatefulSet') && s.mapping.group === 'apps') {
          const obj = await ctx.client().get<Json>(objectPath(s.mapping, s.namespace, s.name), { signal: ctx.signal });
          const history = await controllerRevisionHistory(ctx, obj, s.namespace);
          if (history.size <= 1) throw new CliError('no last revision to roll back to');
          throw new CliError(`rollout undo of a ${s.mapping.kind} is not supported yet`);
        }
        throw new CliError(`no rollbacker has been implemented for ${JSON.stringify(s.mapping.kind)}`);
      }
      const path = objectPath(s.mapping, s.namespace, s.name);
      const deploy = await ctx.client().get<Json>(path, { signal: ctx.signal });
      const rs = pickRevision(await ownedReplicaSets(ctx, deploy, s.namespace), toRevision, s.name);
      if (dryRun === 'client') {
        ctx.out(`${groupKindName(s.mapping)}/${s.name} ${rawTemplateText(rs.spec?.template)}${dryRunSuffix(dryRun)}\n`);
        continue;
      }
      if (deploy.spec?.paused) throw new CliError(`you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again`);
      if (templatesEqualIgnoringHash(rs.spec?.template, deploy.spec?.template)) {
        printer.print(deploy as KObject, `${groupKindName(s.mapping)}/${s.name} skipped rollback (current template already matches revision ${revisionOf(rs)})`);
        continue;
      }
      let result: KObject;
      try {
        result = await ctx.client().patch<KObject>(path, undoPatch(deploy, rs), 'json', { query: { dryRun: dryRun === 'server' ? 'All' : undefined }, signal: ctx.signal });
      } catch (err) {
        throw new CliError(`failed restoring revision ${toRevision}: ${formatError(err).replace(/^error: /, '')}`);
      }
      printer.print(result, `${groupKindName(s.mapping)}/${s.name} rolled back${dryRunSuffix(dryRun)}`);
    } catch (err) {
      errors.push(err);
    }
  }
  for (const err of errors) ctx.err(formatError(err) + '\n');
  if (errors.length > 0) throw new ExitError(1);
}

// ---------------------------------------------------------------- pause, resume, restart

/** Go's time.Now().Format(time.RFC3339) in the local zone (`2026-11-23T14:50:00Z` in UTC). */
export function rfc3339(d: Date): string {
  const off = -d.getTimezoneOffset();
  const pad = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, '0');
  const local = new Date(d.getTime() + off * 60_000);
  const base = local.toISOString().slice(0, 19);
  return off === 0 ? `${base}Z` : `${base}${off > 0 ? '+' : '-'}${pad(off / 60)}:${pad(off % 60)}`;
}

const TEMPLATED = new Set(['Deployment', 'DaemonSet', 'StatefulSet']);

/**
 * The patch for pause/resume/restart, or kubectl's error (`is already paused`, `is not
 * paused`, kinds that do not support the verb), which the caller prefixes with
 * `deployments.apps "web"`.
 */
export function rolloutVerbPatch(verb: 'pause' | 'resume' | 'restart', obj: Json, now: Date): Json {
  const kind = obj.kind;
  if (verb === 'pause' || verb === 'resume') {
    if (kind !== 'Deployment') throw new CliError(`${verb === 'pause' ? 'pausing' : 'resuming'} is not supported`);
    const paused = !!obj.spec?.paused;
    if (verb === 'pause') {
      if (paused) throw new CliError('is already paused');
      return { spec: { paused: true } };
    }
    if (!paused) throw new CliError('is not paused');
    // false is Go's omitted zero value, so kubectl's two-way patch deletes the field.
    return { spec: { paused: null } };
  }
  if (!TEMPLATED.has(kind)) throw new CliError(`restarting is not supported`);
  if (kind === 'Deployment' && obj.spec?.paused) throw new CliError("can't restart paused deployment (run rollout resume first)");
  if (kind === 'DaemonSet' && obj.spec?.updateStrategy?.type === 'OnDelete') throw new CliError("can't restart daemonset with OnDelete strategy");
  if (kind === 'StatefulSet' && obj.spec?.updateStrategy?.type === 'OnDelete') throw new CliError("can't restart statefulset with OnDelete strategy");
  return { spec: { template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: rfc3339(now) } } } } };
}

export async function runRolloutPatchVerb(ctx: CliContext, verb: 'pause' | 'resume' | 'restart', args: string[], opts: CommonOptions): Promise<void> {
  const output = parseOutput(opts.output, ['', 'json', 'yaml', 'name']);
  const dryRun = parseDryRun(opts.dryRun);
  const subjects = await resolveSubjects(ctx, args, opts);
  const printer = new ObjectPrinter(ctx, output);
  const past = verb === 'pause' ? 'paused' : verb === 'resume' ? 'resumed' : 'restarted';
  const errors: unknown[] = [];
  for (const s of subjects) {
    try {
      const path = objectPath(s.mapping, s.namespace, s.name);
      const obj = await ctx.client().get<Json>(path, { signal: ctx.signal });
      let patch: Json;
      try {
        patch = rolloutVerbPatch(verb, { ...obj, kind: s.mapping.kind }, ctx.now());
      } catch (err) {
        throw new CliError(`${s.mapping.group ? `${s.mapping.resource}.${s.mapping.group}` : s.mapping.resource} ${JSON.stringify(s.name)} ${(err as Error).message}`);
      }
      let result = obj as KObject;
      if (dryRun !== 'client') {
        result = await ctx.client().patch<KObject>(path, patch, 'strategic', {
          query: { fieldManager: opts.fieldManager ?? 'kubectl-rollout', dryRun: dryRun === 'server' ? 'All' : undefined },
          signal: ctx.signal,
        });
      }
      printer.print(result, `${groupKindName(s.mapping)}/${s.name} ${past}${dryRunSuffix(dryRun)}`);
    } catch (err) {
      errors.push(err);
    }
  }
  for (const err of errors) ctx.err(formatError(err) + '\n');
  if (errors.length > 0) throw new ExitError(1);
}
