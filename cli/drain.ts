/**
 * `k8ts cordon|uncordon NODE…` and `k8ts drain NODE`, with kubectl's requests and words.
 *
 * cordon/uncordon: GET the node; if `spec.unschedulable` already has the wanted value
 * print `node/N already cordoned`, else strategic-merge-patch `{"spec":{"unschedulable":
 * true}}` (uncordon: `null`, Go's omitted false).
 *
 * drain: cordon, list the node's pods (`fieldSelector=spec.nodeName=N`, all namespaces),
 * sort them with kubectl's filters (mirror pods skipped; DaemonSet pods need
 * --ignore-daemonsets and are then skipped; pods without a controller need --force;
 * emptyDir pods need --delete-emptydir-data; finished pods always go), then evict each
 * pod concurrently (POST `pods/X/eviction`, policy/v1; 429 = a disruption budget says
 * not now, so retry every 5s) and wait until each is gone. Refusals abort before any
 * eviction, so a drain never half-happens because of a pod it was told to keep.
 */
import type { Command } from 'commander';
import { ApiError } from '../shared/api/errors';
import type { KList, KObject } from '../shared/api/types';
import type { Runner } from './command';
import { parseDuration, type CliContext } from './context';
import { CliError, ExitError, formatError } from './errors';
import { dryRunSuffix, parseDryRun } from './resources';
import { sleep } from './watch-until';

type Json = Record<string, any>;

interface CordonOptions {
  selector?: string;
  dryRun?: string | boolean;
}

interface DrainOptions extends CordonOptions {
  force?: boolean;
  ignoreDaemonsets?: boolean;
  deleteEmptydirData?: boolean;
  gracePeriod?: string;
  timeout?: string;
  podSelector?: string;
  disableEviction?: boolean;
}

export function registerDrain(program: Command, run: Runner): void {
  for (const verb of ['cordon', 'uncordon'] as const) {
    program
      .command(verb)
      .description(verb === 'cordon' ? 'Mark node as unschedulable' : 'Mark node as schedulable')
      .argument('[nodes...]', 'NODE')
      .option('-l, --selector <selector>', 'label selector of the nodes')
      .option('--dry-run [strategy]', 'none|client|server')
      .action(run(async (ctx, opts, cmd) => runCordon(ctx, cmd.args, verb === 'cordon', opts as CordonOptions)));
  }
  program
    .command('drain')
    .description('Drain node in preparation for maintenance')
    .argument('[nodes...]', 'NODE')
    .option('--force', 'also delete pods that no controller manages')
    .option('--ignore-daemonsets', 'skip DaemonSet-managed pods')
    .option('--delete-emptydir-data', 'also delete pods using emptyDir (their data is lost)')
    .option('--grace-period <seconds>', 'termination grace period for each pod (-1: the pod\'s own)', '-1')
    .option('--timeout <duration>', 'give up after this long (0: never)', '0s')
    .option('--pod-selector <selector>', 'only drain pods matching this label selector')
    .option('-l, --selector <selector>', 'label selector of the nodes')
    .option('--disable-eviction', 'delete pods instead of evicting them (bypasses disruption budgets)')
    .option('--dry-run [strategy]', 'none|client|server')
    .addHelpText('after', `
Examples:
  k8ts drain node-1 --ignore-daemonsets
  k8ts drain node-1 --ignore-daemonsets --force --delete-emptydir-data`)
    .action(run(async (ctx, opts, cmd) => runDrain(ctx, cmd.args, opts as DrainOptions)));
}

async function nodeNames(ctx: CliContext, args: string[], selector?: string): Promise<string[]> {
  if (args.length > 0 && selector) throw new CliError('error: cannot specify both a node name and a --selector option');
  if (args.length > 0) return args.map((a) => a.replace(/^(nodes?|no)\//, ''));
  if (!selector) throw new CliError('USAGE: cordon NODE [flags]\nSee \'k8ts cordon -h\' for help and examples');
  const list = await ctx.client().list<KList>('/api/v1/nodes', { query: { labelSelector: selector }, signal: ctx.signal });
  return (list.items ?? []).map((n) => n.metadata?.name ?? '');
}

/** Sets `spec.unschedulable`; returns the printed verdict. */
async function cordonOne(ctx: CliContext, name: string, desired: boolean, dryRun: ReturnType<typeof parseDryRun>): Promise<string> {
  const path = `/api/v1/nodes/${encodeURIComponent(name)}`;
  const node = await ctx.client().get<Json>(path, { signal: ctx.signal });
  const word = desired ? 'cordoned' : 'uncordoned';
  if (!!node.spec?.unschedulable === desired) return `node/${name} already ${word}`;
  if (dryRun !== 'client') {
    await ctx.client().patch(path, { spec: { unschedulable: desired ? true : null } }, 'strategic', {
      query: { dryRun: dryRun === 'server' ? 'All' : undefined },
      signal: ctx.signal,
    });
  }
  return `node/${name} ${word}${dryRunSuffix(dryRun)}`;
}

export async function runCordon(ctx: CliContext, args: string[], desired: boolean, opts: CordonOptions): Promise<void> {
  const dryRun = parseDryRun(opts.dryRun);
  const names = await nodeNames(ctx, args, opts.selector);
  const errors: unknown[] = [];
  for (const n of names) {
    try {
      ctx.out((await cordonOne(ctx, n, desired, dryRun)) + '\n');
    } catch (err) {
      errors.push(err);
    }
  }
  for (const err of errors) ctx.err(formatError(err) + '\n');
  if (errors.length > 0) throw new ExitError(1);
}

// kubectl's filter messages (k8s.io/kubectl/pkg/drain/filters.go).
const DAEMONSET_FATAL = 'DaemonSet-managed Pods (use --ignore-daemonsets to ignore)';
const DAEMONSET_WARNING = 'ignoring DaemonSet-managed Pods';
const LOCAL_STORAGE_FATAL = 'Pods with local storage (use --delete-emptydir-data to override)';
const LOCAL_STORAGE_WARNING = 'deleting Pods with local storage';
const UNMANAGED_FATAL = 'cannot delete Pods that declare no controller (use --force to override)';
const UNMANAGED_WARNING = 'deleting Pods that declare no controller';

export type PodVerdict = { pod: Json; delete: boolean; warning?: string; error?: string };

/** kubectl's drain filters, in its order; `daemonSetExists` answers for DaemonSet-owned pods. */
export function classifyPod(pod: Json, opts: DrainOptions, daemonSetExists: (ns: string, name: string) => boolean): PodVerdict {
  const finished = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
  const ctrl = ((pod.metadata?.ownerReferences ?? []) as Json[]).find((r) => r.controller === true);
  // Mirror (static) pods belong to the kubelet; the API cannot remove them.
  if (pod.metadata?.annotations?.['kubernetes.io/config.mirror'] !== undefined) return { pod, delete: false };
  if (pod.metadata?.deletionTimestamp) return { pod, delete: false };
  if (ctrl?.kind === 'DaemonSet') {
    if (!daemonSetExists(pod.metadata?.namespace, ctrl.name)) {
      if (!opts.force) return { pod, delete: false, error: UNMANAGED_FATAL };
      return { pod, delete: true, warning: UNMANAGED_WARNING };
    }
    if (!opts.ignoreDaemonsets) return { pod, delete: false, error: DAEMONSET_FATAL };
    return { pod, delete: false, warning: DAEMONSET_WARNING };
  }
  let warning: string | undefined;
  if (!finished && !ctrl) {
    if (!opts.force) return { pod, delete: false, error: UNMANAGED_FATAL };
    warning = UNMANAGED_WARNING;
  }
  const hasEmptyDir = ((pod.spec?.volumes ?? []) as Json[]).some((v) => v.emptyDir);
  if (!finished && hasEmptyDir) {
    if (!opts.deleteEmptydirData) return { pod, delete: false, error: LOCAL_STORAGE_FATAL };
    warning = warning ?? LOCAL_STORAGE_WARNING;
  }
  return { pod, delete: true, warning };
}

/** Groups pod names by message: `msg: ns/a, ns/b` (kubectl's PodDeleteList). */
function grouped(verdicts: PodVerdict[], key: 'warning' | 'error'): string[] {
  const by = new Map<string, string[]>();
  for (const v of verdicts) {
    const msg = v[key];
    if (!msg) continue;
    if (!by.has(msg)) by.set(msg, []);
    by.get(msg)!.push(`${v.pod.metadata?.namespace}/${v.pod.metadata?.name}`);
  }
  return [...by].map(([msg, pods]) => `${msg}: ${pods.join(', ')}`);
}

export async function runDrain(ctx: CliContext, args: string[], opts: DrainOptions): Promise<void> {
  const dryRun = parseDryRun(opts.dryRun);
  const grace = Number(opts.gracePeriod ?? '-1');
  if (!Number.isInteger(grace)) throw new CliError(`invalid argument "${opts.gracePeriod}" for "--grace-period" flag`);
  const timeoutMs = parseDuration(opts.timeout) ?? 0;
  const names = await nodeNames(ctx, args, opts.selector);
  const pending: string[] = [];
  let firstError: unknown;
  for (const node of names) {
    try {
      ctx.out((await cordonOne(ctx, node, true, dryRun)) + '\n');
      await drainNode(ctx, node, opts, dryRun, grace, timeoutMs);
      ctx.out(`node/${node} drained${dryRunSuffix(dryRun)}\n`);
    } catch (err) {
      const msg = formatError(err).replace(/^error: /, '');
      ctx.err(`error: unable to drain node ${JSON.stringify(node)} due to error: ${msg}, continuing command...\n`);
      pending.push(node);
      firstError ??= err;
    }
  }
  if (pending.length > 0) {
    ctx.err(`There are pending nodes to be drained:\n${pending.map((n) => ` ${n}\n`).join('')}`);
    // kubectl prints the drain error itself last, without the `error: ` prefix.
    ctx.err(formatError(firstError).replace(/^error: /, '') + '\n');
    throw new ExitError(1);
  }
}

async function drainNode(ctx: CliContext, node: string, opts: DrainOptions, dryRun: ReturnType<typeof parseDryRun>, grace: number, timeoutMs: number): Promise<void> {
  const client = ctx.client();
  const list = await client.list<KList>('/api/v1/pods', {
    query: { fieldSelector: `spec.nodeName=${node}`, labelSelector: opts.podSelector, limit: 500 },
    signal: ctx.signal,
  });
  const pods = (list.items ?? []) as Json[];
  // DaemonSet existence is looked up once per DaemonSet (kubectl GETs it per pod).
  const dsKnown = new Map<string, boolean>();
  for (const p of pods) {
    const ctrl = ((p.metadata?.ownerReferences ?? []) as Json[]).find((r) => r.controller === true);
    if (ctrl?.kind !== 'DaemonSet') continue;
    const key = `${p.metadata?.namespace}/${ctrl.name}`;
    if (dsKnown.has(key)) continue;
    try {
      await client.get(`/apis/apps/v1/namespaces/${encodeURIComponent(p.metadata?.namespace)}/daemonsets/${encodeURIComponent(ctrl.name)}`, { signal: ctx.signal });
      dsKnown.set(key, true);
    } catch (err) {
      if (err instanceof ApiError && err.code === 404) dsKnown.set(key, false);
      else throw err;
    }
  }
  const verdicts = pods.map((p) => classifyPod(p, opts, (ns, name) => dsKnown.get(`${ns}/${name}`) ?? false));
  const errors = grouped(verdicts, 'error');
  if (errors.length > 0) {
    const msgs = errors.map((e) => `cannot delete ${e}`);
    throw new CliError(msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`);
  }
  const warnings = grouped(verdicts, 'warning');
  if (warnings.length > 0) ctx.err(`Warning: ${warnings.join('; ')}\n`);
  const victims = verdicts.filter((v) => v.delete).map((v) => v.pod);
  if (dryRun === 'client') {
    for (const p of victims) ctx.out(`evicting pod ${p.metadata?.namespace}/${p.metadata?.name}${dryRunSuffix(dryRun)}\n`);
    return;
  }
  const deadline = timeoutMs > 0 ? Date.now() + timeoutMs : Infinity;
  const results = await Promise.allSettled(victims.map((p) => evictAndWait(ctx, p, opts, dryRun, grace, deadline)));
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason);
  if (failed.length === 1) throw failed[0];
  if (failed.length > 1) throw new CliError(`[${failed.map((e) => formatError(e).replace(/^error: /, '')).join(', ')}]`);
}

async function evictAndWait(ctx: CliContext, pod: Json, opts: DrainOptions, dryRun: ReturnType<typeof parseDryRun>, grace: number, deadline: number): Promise<void> {
  const client = ctx.client();
  const ns = pod.metadata?.namespace as string;
  const name = pod.metadata?.name as string;
  const podPath = `/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(name)}`;
  const deleteOptions: Json = {};
  if (grace >= 0) deleteOptions.gracePeriodSeconds = grace;
  const query = { dryRun: dryRun === 'server' ? 'All' : undefined };
  if (opts.disableEviction) {
    await client.delete(podPath, deleteOptions, { query, signal: ctx.signal }).catch((err) => {
      if (!(err instanceof ApiError && err.code === 404)) throw err;
    });
  } else {
    ctx.out(`evicting pod ${ns}/${name}\n`);
    for (;;) {
      if (Date.now() > deadline) throw new CliError(`error when evicting pods/${JSON.stringify(name)} -n ${JSON.stringify(ns)}: global timeout reached: ${opts.timeout}`);
      try {
        const eviction: Json = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: ns } };
        if (Object.keys(deleteOptions).length > 0) eviction.deleteOptions = deleteOptions;
        await client.create(`${podPath}/eviction`, eviction, { query, signal: ctx.signal });
        break;
      } catch (err) {
        if (err instanceof ApiError && err.code === 404) return;
        if (err instanceof ApiError && err.code === 429) {
          ctx.err(`error when evicting pods/${JSON.stringify(name)} -n ${JSON.stringify(ns)} (will retry after 5s): ${err.message}\n`);
          await sleep(5000, ctx.signal);
          if (ctx.signal?.aborted) throw new ExitError(130);
          continue;
        }
        throw new CliError(`error when evicting pods/${JSON.stringify(name)} -n ${JSON.stringify(ns)}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
  if (dryRun === 'server') {
    ctx.out(`pod/${name} ${opts.disableEviction ? 'deleted' : 'evicted'} (server dry run)\n`);
    return;
  }
  // Gone means 404, or the name now belongs to a new pod (another uid).
  const uid = pod.metadata?.uid;
  for (;;) {
    try {
      const cur = await client.get<KObject>(podPath, { signal: ctx.signal });
      if (uid && cur.metadata?.uid !== uid) break;
    } catch (err) {
      if (err instanceof ApiError && err.code === 404) break;
      if (ctx.signal?.aborted) throw new ExitError(130);
      throw err;
    }
    if (Date.now() > deadline) throw new CliError(`error when waiting for pod ${JSON.stringify(name)} in namespace ${JSON.stringify(ns)} to terminate: global timeout reached: ${opts.timeout}`);
    await sleep(1000, ctx.signal);
    if (ctx.signal?.aborted) throw new ExitError(130);
  }
  ctx.out(`pod/${name} ${opts.disableEviction ? 'deleted' : 'evicted'}\n`);
}
