/**
 * `k8ts delete`: by name (`TYPE NAME…`, `TYPE/NAME…`), by manifest (`-f`), by selector
 * (`-l`, `--field-selector`) or everything of a type (`--all`, `delete all --all`).
 *
 * Each object gets one DELETE carrying DeleteOptions (`propagationPolicy` from
 * `--cascade`, default Background, so owned objects are garbage-collected), and
 * `pod "web" deleted` is printed when the server accepts it. Then, like kubectl
 * (`--wait=true`), the command waits until every deleted object is really gone (GET 404,
 * or a new object with another uid took the name), so finalizers and graceful
 * termination are over when it returns.
 */
import type { Command } from 'commander';
import { ApiError } from '../shared/api/errors';
import type { KObject } from '../shared/api/types';
import { groupKindName, type ResourceMapping } from '../shared/client/restmapper';
import type { Runner } from './command';
import { parseDuration, type CliContext } from './context';
import { CliError, ExitError, formatError } from './errors';
import { readManifests } from './manifest';
import { dryRunSuffix, listAll, objectPath, parseBool, parseDryRun, parseOutput, propagationPolicy, resolveResourceArgs } from './resources';
import { resolveTargets } from './targets';

export interface DeleteOptions {
  filename?: string[];
  recursive?: boolean;
  selector?: string;
  fieldSelector?: string;
  all?: boolean;
  gracePeriod?: string;
  force?: boolean;
  now?: boolean;
  cascade?: string | boolean;
  wait?: boolean | string;
  timeout?: string;
  ignoreNotFound?: boolean;
  dryRun?: string | boolean;
  output?: string;
}

export function registerDelete(program: Command, run: Runner): void {
  program
    .command('delete')
    .description('Delete resources by file names, stdin, resources and names, or by resources and label selector')
    .argument('[resources...]', 'TYPE NAME... | TYPE/NAME... | TYPE -l SELECTOR | TYPE --all | all --all')
    .option('-f, --filename <file>', 'file, directory or URL of manifests whose objects to delete (repeatable)', (v: string, p: string[] = []) => [...p, v])
    .option('-R, --recursive', 'process the directory used in -f recursively')
    .option('-l, --selector <selector>', 'label selector')
    .option('--field-selector <selector>', 'field selector')
    .option('--all', 'delete all resources of the given types in the namespace')
    .option('--grace-period <seconds>', 'seconds given to the resource to terminate gracefully (-1: the resource default)', '-1')
    .option('--force', 'delete immediately (with --grace-period=0), without waiting for confirmation of termination')
    .option('--now', 'signal resources for immediate shutdown (same as --grace-period=1)')
    .option('--cascade [strategy]', 'background|foreground|orphan: what happens to dependents', 'background')
    .option('--wait [bool]', 'wait for resources to be gone before returning', 'true')
    .option('--timeout <duration>', 'how long to wait for the deletion (0: no limit)', '0s')
    .option('--ignore-not-found', "treat 'resource not found' as a successful delete")
    .option('--dry-run [strategy]', 'none|client|server')
    .option('-o, --output <format>', 'name')
    .addHelpText('after', `
Examples:
  k8ts delete pod web
  k8ts delete pods/web deploy/api
  k8ts delete -f pod.yaml
  k8ts delete pods -l app=web
  k8ts delete all --all`)
    .action(run(async (ctx, opts, cmd) => runDelete(ctx, cmd.args, opts as DeleteOptions)));
}

interface Victim {
  mapping: ResourceMapping;
  namespace?: string;
  name: string;
  uid?: string;
}

export function deleteOptionsBody(opts: DeleteOptions): Record<string, unknown> {
  let grace = Number(opts.gracePeriod ?? '-1');
  if (!Number.isInteger(grace)) throw new CliError(`invalid argument "${opts.gracePeriod}" for "--grace-period" flag`);
  if (opts.now) {
    if (grace !== -1) throw new CliError('--now and --grace-period cannot be specified together');
    grace = 1;
  }
  // kubectl: --grace-period=0 without --force means 1 (to avoid accidental data loss).
  if (grace === 0 && !opts.force) grace = 1;
  if (opts.force && grace < 0) grace = 0;
  const body: Record<string, unknown> = {};
  if (grace >= 0) body.gracePeriodSeconds = grace;
  body.propagationPolicy = propagationPolicy(opts.cascade);
  return body;
}

export async function runDelete(ctx: CliContext, args: string[], opts: DeleteOptions): Promise<void> {
  const output = parseOutput(opts.output, ['', 'name']);
  const dryRun = parseDryRun(opts.dryRun);
  const body = deleteOptionsBody(opts);
  const wait = parseBool(opts.wait, true);
  const errors: unknown[] = [];
  const victims: Victim[] = [];

  if (opts.filename && opts.filename.length > 0) {
    if (args.length > 0) throw new CliError('resource(s) and -f cannot be given together');
    const manifests = await readManifests(opts.filename, { cwd: ctx.cwd, stdin: ctx.io.stdin, recursive: opts.recursive });
    for (const t of await resolveTargets(ctx, manifests, { requireName: true })) victims.push({ mapping: t.mapping, namespace: t.namespace, name: t.name });
  } else {
    if (args.length === 0) throw new CliError('You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   \'-f rsrc.yaml\'\n   \'--filename=rsrc.json\'\n   \'<resource> <name>\'\n   \'<resource>\'');
    const resolved = await resolveResourceArgs(ctx, args);
    const bySelector = !!opts.selector || !!opts.fieldSelector || !!opts.all;
    if (resolved.namesGiven && bySelector) throw new CliError(opts.all ? 'cannot set --all and resource names at the same time' : 'name cannot be provided when a selector is specified');
    if (!resolved.namesGiven && !bySelector) throw new CliError('resource(s) were provided, but no name was specified');
    if (resolved.namesGiven && ctx.allNamespaces) throw new CliError('a resource cannot be retrieved by name across all namespaces');
    for (const g of resolved.groups) {
      if (resolved.namesGiven) {
        for (const name of g.names) victims.push({ mapping: g.mapping, namespace: ctx.requestNamespace(g.mapping), name });
        continue;
      }
      try {
        const { items } = await listAll(ctx, g.mapping, ctx.requestNamespace(g.mapping, true), { labelSelector: opts.selector, fieldSelector: opts.fieldSelector });
        for (const o of items) victims.push({ mapping: g.mapping, namespace: g.mapping.namespaced ? o.metadata?.namespace : undefined, name: o.metadata?.name ?? '' });
      } catch (err) {
        errors.push(err);
      }
    }
  }

  if (opts.force) {
    ctx.err('Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n');
  }
  const deleted: Victim[] = [];
  for (const v of victims) {
    const kind = groupKindName(v.mapping);
    try {
      let uid: string | undefined;
      if (dryRun !== 'client') {
        const resp = await ctx.client().delete<KObject>(objectPath(v.mapping, v.namespace, v.name), body, { query: { dryRun: dryRun === 'server' ? 'All' : undefined }, signal: ctx.signal });
        // The response is the object (graceful deletion) or a Status (already gone).
        if (resp && (resp as { kind?: string }).kind !== 'Status') uid = resp.metadata?.uid;
      }
      ctx.out(output === 'name' ? `${kind}/${v.name}\n` : `${kind} "${v.name}" deleted${dryRunSuffix(dryRun)}\n`);
      deleted.push({ ...v, uid });
    } catch (err) {
      if (opts.ignoreNotFound && err instanceof ApiError && err.code === 404) continue;
      errors.push(err);
    }
  }
  if (victims.length === 0 && errors.length === 0 && !opts.ignoreNotFound) {
    ctx.out('No resources found\n');
  }

  if (wait && dryRun === 'none' && deleted.length > 0) {
    const timeoutMs = parseDuration(opts.timeout) ?? 0;
    try {
      await waitForDeletion(ctx, deleted, timeoutMs);
    } catch (err) {
      errors.push(err);
    }
  }
  for (const err of errors) ctx.err(formatError(err) + '\n');
  if (errors.length > 0) throw new ExitError(1);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });
}

/** Polls each object until it is gone (404, or its name now belongs to another uid). */
export async function waitForDeletion(ctx: CliContext, victims: Victim[], timeoutMs: number): Promise<void> {
  const deadline = timeoutMs > 0 ? Date.now() + timeoutMs : Infinity;
  let pending = [...victims];
  let delay = 100;
  while (pending.length > 0) {
    const still: Victim[] = [];
    for (const v of pending) {
      try {
        const obj = await ctx.client().get<KObject>(objectPath(v.mapping, v.namespace, v.name), { signal: ctx.signal });
        if (v.uid && obj.metadata?.uid && obj.metadata.uid !== v.uid) continue;
        still.push(v);
      } catch (err) {
        if (err instanceof ApiError && err.code === 404) continue;
        if (ctx.signal?.aborted) return;
        throw err;
      }
    }
    pending = still;
    if (pending.length === 0 || ctx.signal?.aborted) return;
    if (Date.now() >= deadline) {
      const v = pending[0];
      throw new CliError(`timed out waiting for the condition on ${v.mapping.resource}/${v.name}`);
    }
    await sleep(Math.min(delay, Math.max(0, deadline - Date.now())), ctx.signal);
    delay = Math.min(1000, Math.round(delay * 1.5));
  }
}
