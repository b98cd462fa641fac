/**
 * `k8ts wait --for=condition=Ready|delete|jsonpath='{.status.phase}'=Running TYPE/NAME…`
 * (or `TYPE -l SELECTOR`, `TYPE --all`): waits, watch-based, until every object meets
 * the condition and prints `pod/web condition met` for each, as kubectl does. The
 * objects are waited on one after the other within one overall `--timeout` (default
 * 30s; kubectl's `-1` means a week, `0` means look once); a miss is kubectl's
 * `error: timed out waiting for the condition on pods/web`.
 */
import type { Command } from 'commander';
import { ApiError } from '../shared/api/errors';
import type { KObject } from '../shared/api/types';
import { groupKindName, groupResourceName, type ResourceMapping } from '../shared/client/restmapper';
import type { Runner } from './command';
import { parseDuration, type CliContext } from './context';
import { CliError, ExitError, formatError } from './errors';
import { listAll, objectPath, resolveResourceArgs } from './resources';
import { WaitTimeout, watchUntil, type Observation } from './watch-until';

export interface WaitOptions {
  for?: string;
  selector?: string;
  fieldSelector?: string;
  all?: boolean;
  timeout?: string;
}

export type WaitCondition =
  | { kind: 'delete' }
  | { kind: 'condition'; type: string; value: string }
  | { kind: 'jsonpath'; path: string; value?: string };

export function registerWait(program: Command, run: Runner): void {
  program
    .command('wait')
    .description('Experimental: Wait for a specific condition on one or many resources')
    .argument('[resources...]', 'TYPE/NAME... | TYPE NAME... | TYPE -l SELECTOR')
    .option('--for <condition>', "delete | condition=NAME[=VALUE] | jsonpath='{JSONPath}'[=VALUE]")
    .option('-l, --selector <selector>', 'label selector')
    .option('--field-selector <selector>', 'field selector')
    .option('--all', 'select all resources of the type in the namespace')
    .option('--timeout <duration>', 'how long to wait (0: check once, -1: a week)', '30s')
    .addHelpText('after', `
Examples:
  k8ts wait --for=condition=Ready pod/web
  k8ts wait --for=delete pod/web --timeout=60s
  k8ts wait --for=jsonpath='{.status.phase}'=Running pod -l app=web`)
    .action(run(async (ctx, opts, cmd) => runWait(ctx, cmd.args, opts as WaitOptions)));
}

export function parseWaitFor(s: string | undefined): WaitCondition {
  if (!s) throw new CliError('--for must be specified');
  const lower = s.toLowerCase();
  if (lower === 'delete') return { kind: 'delete' };
  if (lower.startsWith('condition=')) {
    const rest = s.slice('condition='.length);
    const i = rest.indexOf('=');
    const type = i >= 0 ? rest.slice(0, i) : rest;
    const value = i >= 0 ? rest.slice(i + 1) : 'true';
    if (!type) throw new CliError(`unrecognized condition: "${s}"`);
    return { kind: 'condition', type, value };
  }
  if (lower.startsWith('jsonpath=')) {
    let rest = s.slice('jsonpath='.length);
    // The shell usually strips kubectl's documented quotes; strip them if it did not.
    rest = rest.replace(/^'(\{.*\})'/, '$1');
    const close = rest.lastIndexOf('}');
    if (!rest.startsWith('{') || close < 0) throw new CliError(`unrecognized condition: "${s}"`);
    const path = rest.slice(1, close).trim();
    const after = rest.slice(close + 1).replace(/^'/, '');
    if (after === '') return { kind: 'jsonpath', path };
    if (!after.startsWith('=')) throw new CliError(`jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or --for=jsonpath='{.status.readyReplicas}'`);
    return { kind: 'jsonpath', path, value: after.slice(1).replace(/^'(.*)'$/, '$1') };
  }
  throw new CliError(`unrecognized condition: "${s}"`);
}

/**
 * A small JSONPath subset: `.a.b`, `[N]`, `['key']`, `[?(@.type=="Ready")]`. Returns
 * the matched values (kubectl fails when a path yields several).
 */
export function evalJsonPath(obj: unknown, path: string): unknown[] {
  let cur: unknown[] = [obj];
  const re = /\.([^.[\]]+)|\[\?\(@\.([^=!]+)\s*(==|!=)\s*["']?([^"')]*)["']?\)\]|\[(\d+)\]|\[['"]([^'"]+)['"]\]|\[\*\]/g;
  const p = path.startsWith('.') || path.startsWith('[') ? path : `.${path}`;
  let m: RegExpExecArray | null;
  let pos = 0;
  while ((m = re.exec(p)) !== null) {
    if (m.index !== pos) throw new CliError(`unsupported JSONPath: {${path}}`);
    pos = re.lastIndex;
    const next: unknown[] = [];
    for (const c of cur) {
      if (c === null || typeof c !== 'object') continue;
      const rec = c as Record<string, unknown>;
      if (m[1] !== undefined) {
        if (m[1] in rec) next.push(rec[m[1]]);
      } else if (m[2] !== undefined) {
        if (!Array.isArray(c)) continue;
        for (const el of c) {
          const v = evalJsonPath(el, m[2].trim())[0];
          const eq = v !== undefined && String(v) === m[4];
          if (m[3] === '==' ? eq : !eq) next.push(el);
        }
      } else if (m[5] !== undefined) {
        if (Array.isArray(c) && Number(m[5]) < c.length) next.push(c[Number(m[5])]);
      } else if (m[6] !== undefined) {
        if (m[6] in rec) next.push(rec[m[6]]);
      } else if (Array.isArray(c)) {
        next.push(...c);
      } else {
        next.push(...Object.values(rec));
      }
    }
    cur = next;
  }
  if (pos !== p.length) throw new CliError(`unsupported JSONPath: {${path}}`);
  return cur;
}

/** Is the condition met by this observation? (delete: the object is gone.) */
export function conditionMet(cond: WaitCondition, obs: Observation, uid?: string): boolean {
  if (cond.kind === 'delete') return obs.type === 'DELETED' || (!!uid && obs.object?.metadata?.uid !== uid);
  if (obs.type === 'DELETED') return false;
  const obj = obs.object as KObject & { status?: { conditions?: { type?: string; status?: string; observedGeneration?: number }[] } };
  if (cond.kind === 'condition') {
    for (const c of obj.status?.conditions ?? []) {
      if ((c.type ?? '').toLowerCase() !== cond.type.toLowerCase()) continue;
      // A condition written for an older generation says nothing about this one.
      if (c.observedGeneration && obj.metadata?.generation && c.observedGeneration !== obj.metadata.generation) return false;
      return (c.status ?? '').toLowerCase() === cond.value.toLowerCase();
    }
    return false;
  }
  const values = evalJsonPath(obj, cond.path);
  if (values.length > 1) throw new CliError(`given jsonpath expression matches more than one value`);
  if (values.length === 0) return false;
  if (cond.value === undefined) return true;
  const v = values[0];
  if (v !== null && typeof v === 'object') throw new CliError(`jsonpath leads to a nested object or list which is not supported`);
  return String(v) === cond.value;
}

/** kubectl's --timeout: -1 (or any negative) = a week; 0 = look once. */
export function parseWaitTimeout(s: string | undefined): number {
  if (s && s.trim().startsWith('-')) return 7 * 24 * 3_600_000;
  return parseDuration(s ?? '30s') ?? 30_000;
}

interface WaitTarget {
  mapping: ResourceMapping;
  namespace?: string;
  name: string;
  uid?: string;
}

export async function runWait(ctx: CliContext, args: string[], opts: WaitOptions): Promise<void> {
  const cond = parseWaitFor(opts.for);
  const timeoutMs = parseWaitTimeout(opts.timeout);
  if (args.length === 0) throw new CliError('You must provide one or more resources by argument or filename.');
  const resolved = await resolveResourceArgs(ctx, args);
  const bySelector = !!opts.selector || !!opts.fieldSelector || !!opts.all;
  if (resolved.namesGiven && bySelector) throw new CliError('name cannot be provided when a selector is specified');
  const targets: WaitTarget[] = [];
  const errors: unknown[] = [];
  for (const g of resolved.groups) {
    if (resolved.namesGiven) {
      for (const name of g.names) targets.push({ mapping: g.mapping, namespace: ctx.requestNamespace(g.mapping), name });
    } else {
      if (!bySelector) throw new CliError('resource(s) were provided, but no name was specified');
      const { items } = await listAll(ctx, g.mapping, ctx.requestNamespace(g.mapping, true), { labelSelector: opts.selector, fieldSelector: opts.fieldSelector });
      for (const o of items) targets.push({ mapping: g.mapping, namespace: g.mapping.namespaced ? o.metadata?.namespace : undefined, name: o.metadata?.name ?? '', uid: o.metadata?.uid });
    }
  }
  if (targets.length === 0) {
    // Nothing matched: nothing left to delete; anything else is kubectl's error.
    if (cond.kind === 'delete') return;
    throw new CliError('no matching resources found');
  }

  const deadline = Date.now() + timeoutMs;
  for (const t of targets) {
    const gr = groupResourceName(t.mapping);
    try {
      // A named object that does not exist is an error, except when waiting for its deletion.
      let uid = t.uid;
      if (!uid) {
        try {
          const obj = await ctx.client().get<KObject>(objectPath(t.mapping, t.namespace, t.name), { signal: ctx.signal });
          uid = obj.metadata?.uid;
          if (conditionMet(cond, { type: 'SYNC', object: obj }, uid)) {
            ctx.out(`${groupKindName(t.mapping)}/${t.name} condition met\n`);
            continue;
          }
        } catch (err) {
          // Already gone: kubectl's delete wait succeeds silently.
          if (!(cond.kind === 'delete' && err instanceof ApiError && err.code === 404)) throw err;
          continue;
        }
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new WaitTimeout();
      const met = await watchUntil(ctx, t.mapping, t.namespace, t.name, (obs) => (conditionMet(cond, obs, uid) ? true : undefined), remaining);
      if (!met) throw new ExitError(130);
      ctx.out(`${groupKindName(t.mapping)}/${t.name} condition met\n`);
    } catch (err) {
      if (err instanceof WaitTimeout) errors.push(new CliError(`timed out waiting for the condition on ${gr}/${t.name}`));
      else if (err instanceof ExitError) throw err;
      else errors.push(err);
    }
  }
  for (const err of errors) ctx.err(formatError(err) + '\n');
  if (errors.length > 0) throw new ExitError(1);
}
