/**
 * `k8ts run NAME --image=IMAGE [-- ARGS…]`: creates the Pod kubectl's `run` creates
 * (labels `run: NAME` unless --labels, container named NAME, `dnsPolicy: ClusterFirst`,
 * `fieldManager=kubectl-run`) and prints `pod/NAME created`.
 *
 * `-i`/`-t`/`--attach`/`--rm`: streaming attach does not exist yet, so instead of
 * attaching the command waits for the container to finish, prints the pod's logs if the
 * server can serve them (or a one-line note), deletes the pod with `--rm`, and exits
 * with the container's exit code, which is what a script running `kubectl run -i --rm`
 * relies on.
 */
import type { Command } from 'commander';
import { ApiError } from '../shared/api/errors';
import type { KObject } from '../shared/api/types';
import type { Runner } from './command';
import { parseDuration, type CliContext } from './context';
import { CliError, ExitError } from './errors';
import { goZeroValues, runPod } from './generators';
import { ObjectPrinter } from './object-printer';
import { collectionPath, dryRunSuffix, parseDryRun, parseOutput } from './resources';
import { watchUntil, WaitTimeout, type Observation } from './watch-until';

export interface RunOptions {
  image?: string;
  port?: string;
  restart?: string;
  env?: string[];
  labels?: string;
  annotations?: string[];
  command?: boolean;
  dryRun?: string | boolean;
  output?: string;
  rm?: boolean;
  stdin?: boolean;
  tty?: boolean;
  attach?: string | boolean;
  leaveStdinOpen?: boolean;
  imagePullPolicy?: string;
  serviceaccount?: string;
  podRunningTimeout?: string;
  quiet?: boolean;
  fieldManager?: string;
}

const repeat = (v: string, p: string[] = []) => [...p, v];

/** kubectl's usage errors point at the help. */
const USAGE_HINT = "\nSee 'k8ts run -h' for help and examples";

export function registerRun(program: Command, run: Runner): void {
  program
    .command('run')
    .description('Run a particular image on the cluster')
    .argument('[name]', 'pod name')
    .argument('[args...]', 'after --: the container arguments (the command with --command)')
    .option('--image <image>', 'the container image to run')
    .option('--port <port>', 'the port the container exposes')
    .option('--restart <policy>', 'Always|OnFailure|Never', 'Always')
    .option('--env <KEY=VALUE>', 'environment variable for the container (repeatable)', repeat)
    .option('--labels <labels>', 'comma-separated labels (default run=NAME)')
    .option('--annotations <KEY=VALUE>', 'annotation for the pod (repeatable)', repeat)
    .option('--command', 'the arguments after -- are the command, not its arguments')
    .option('--dry-run [strategy]', 'none|client|server')
    .option('-o, --output <format>', 'json|yaml|name')
    .option('--rm', 'delete the pod once it has finished (needs -i or --attach)')
    .option('-i, --stdin', 'keep stdin open (attach is not streamed yet: waits for the pod to finish)')
    .option('-t, --tty', 'allocate a TTY')
    .option('--attach [bool]', 'wait for the pod to finish and show its output')
    .option('--leave-stdin-open', 'leave stdin open after the first attach')
    .option('--image-pull-policy <policy>', 'Always|IfNotPresent|Never')
    .option('--serviceaccount <name>', 'service account for the pod')
    .option('--pod-running-timeout <duration>', 'how long to wait for the pod to start', '1m')
    .option('-q, --quiet', 'only print the output of the container')
    .option('--field-manager <name>', 'name of the manager used to track field ownership', 'kubectl-run')
    .addHelpText('after', `
Examples:
  k8ts run web --image=nginx --port=80
  k8ts run hello --image=hello-world --restart=Never
  k8ts run tmp --image=busybox --rm -i --restart=Never -- echo hi
  k8ts run web --image=nginx --dry-run=client -o yaml`)
    .action(run(async (ctx, opts, cmd) => runRun(ctx, cmd.args[0], cmd.args.slice(1), opts as RunOptions)));
}

export async function runRun(ctx: CliContext, name: string | undefined, args: string[], opts: RunOptions): Promise<void> {
  if (!name) throw new CliError('NAME is required for run');
  if (!opts.image) throw new CliError('required flag(s) "image" not set');
  const output = parseOutput(opts.output, ['', 'json', 'yaml', 'name']);
  const dryRun = parseDryRun(opts.dryRun);
  const attachFlag = opts.attach === undefined ? undefined : String(opts.attach) !== 'false';
  const interactive = !!opts.stdin || !!opts.tty;
  const attach = attachFlag ?? interactive;
  if (opts.rm && !attach) throw new CliError(`--rm should only be used for attached containers${USAGE_HINT}`);
  if (dryRun !== 'none' && (attach || interactive)) throw new CliError(`--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)${USAGE_HINT}`);
  if (opts.tty && !opts.stdin) ctx.err('Unable to use a TTY - input is not a terminal or the right kind of file\n');
  let port: number | undefined;
  if (opts.port !== undefined) {
    port = Number(opts.port);
    if (!Number.isInteger(port)) throw new CliError(`invalid argument "${opts.port}" for "--port" flag: strconv.ParseInt: parsing "${opts.port}": invalid syntax`);
  }
  const pod = runPod({
    name,
    image: opts.image,
    namespace: ctx.namespaceExplicit ? ctx.namespace() : undefined,
    port,
    restart: opts.restart ?? 'Always',
    env: opts.env ?? [],
    labels: opts.labels,
    annotations: opts.annotations,
    command: !!opts.command,
    args,
    stdin: !!opts.stdin,
    tty: !!opts.tty,
    leaveStdinOpen: opts.leaveStdinOpen,
    imagePullPolicy: opts.imagePullPolicy,
    serviceAccount: opts.serviceaccount,
  });
  const printer = new ObjectPrinter(ctx, output);
  if (dryRun === 'client') {
    printer.print(goZeroValues(pod), `pod/${name} created${dryRunSuffix(dryRun)}`);
    return;
  }
  const ns = ctx.namespace();
  const created = await ctx.client().create<KObject>(`/api/v1/namespaces/${encodeURIComponent(ns)}/pods`, pod, {
    query: { fieldManager: opts.fieldManager ?? 'kubectl-run', dryRun: dryRun === 'server' ? 'All' : undefined },
    signal: ctx.signal,
  });
  if (!attach) {
    printer.print(created, `pod/${name} created${dryRunSuffix(dryRun)}`);
    return;
  }
  await runAttached(ctx, ns, name, opts);
}

interface ContainerTerminated {
  exitCode?: number;
  reason?: string;
  message?: string;
}

interface PodLike {
  spec?: { restartPolicy?: string };
  status?: {
    phase?: string;
    containerStatuses?: { restartCount?: number; state?: { terminated?: ContainerTerminated }; lastState?: { terminated?: ContainerTerminated } }[];
  };
}

/**
 * Has the run's container finished? With Never/OnFailure the pod's phase says so; with
 * Always the pod never completes, so the first termination of the container counts.
 */
export function runFinished(pod: PodLike): { phase: string; terminated?: ContainerTerminated } | undefined {
  const phase = pod.status?.phase ?? '';
  const cs = pod.status?.containerStatuses?.[0];
  const policy = pod.spec?.restartPolicy ?? 'Always';
  if (phase === 'Succeeded' || phase === 'Failed') return { phase, terminated: cs?.state?.terminated };
  // OnFailure: only success ends it (kubectl's podSucceeded condition); a failure restarts.
  if (policy === 'Always') {
    const t = cs?.state?.terminated ?? (cs?.restartCount ? cs.lastState?.terminated : undefined);
    if (t) return { phase: t.exitCode === 0 ? 'Succeeded' : 'Failed', terminated: t };
  }
  return undefined;
}

async function runAttached(ctx: CliContext, ns: string, name: string, opts: RunOptions): Promise<void> {
  const mapper = await ctx.mapper();
  const mapping = mapper.resourceFor('pods');
  const startTimeout = parseDuration(opts.podRunningTimeout) ?? 60_000;
  const judge = (obs: Observation) => {
    if (obs.type === 'DELETED') throw new CliError(`pod "${name}" was deleted`);
    return runFinished(obs.object as PodLike);
  };
  let finished: ReturnType<typeof runFinished>;
  try {
    // First the pod must start within --pod-running-timeout (kubectl's limit before
    // attaching); after that the container may run as long as it likes.
    const started = await watchUntil(ctx, mapping, ns, name, (obs) => {
      const done = judge(obs);
      if (done) return { done };
      const phase = (obs.object as PodLike | undefined)?.status?.phase;
      return phase && phase !== 'Pending' ? { done: undefined } : undefined;
    }, startTimeout);
    if (!started) throw new ExitError(130);
    finished = started.done ?? (await watchUntil(ctx, mapping, ns, name, judge));
  } catch (err) {
    if (err instanceof WaitTimeout) throw new CliError('timed out waiting for the condition');
    throw err;
  }
  if (!finished) throw new ExitError(130);

  // Logs stand in for the attached stream until attach exists.
  const client = ctx.client();
  const logPath = `/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(name)}/log`;
  try {
    const res = await client.requestRaw('GET', logPath, { signal: ctx.signal, accept: '*/*' });
    if (res.status >= 200 && res.status < 300) ctx.out(res.body.toString('utf8'));
    else if (!opts.quiet) ctx.err(`Note: attach is not available yet and the server could not serve the pod's logs (HTTP ${res.status}); see them later with \`k8ts logs ${name}\`.\n`);
  } catch (err) {
    if (!opts.quiet) ctx.err(`Note: attach is not available yet and the pod's logs could not be read: ${(err as Error).message}\n`);
  }

  if (opts.rm) {
    try {
      await client.delete(`/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(name)}`, { propagationPolicy: 'Background' }, { signal: ctx.signal });
      if (!opts.quiet) ctx.out(`pod "${name}" deleted\n`);
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 404)) throw err;
    }
  }

  if (finished.phase === 'Succeeded') return;
  const t = finished.terminated;
  if (!t || !t.exitCode) throw new CliError(`pod ${ns}/${name} failed with unknown exit code`);
  ctx.err(`pod ${ns}/${name} terminated (${t.reason ?? 'Error'})\n${t.message ? t.message + '\n' : ''}`);
  throw new ExitError(t.exitCode);
}
