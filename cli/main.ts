/**
 * `k8ts`: the command-line entry point. Wires commander: global flags, one module per
 * verb, the cluster commands (`up`/`down`/`status`, from ./cluster). Logic lives in the
 * verb modules.
 *
 * `runCli(argv, io)` runs one invocation in-process and resolves to the exit code; it
 * touches no global state (output goes to `io`, the environment comes from `io.env`), so
 * tests can drive the CLI without spawning it. `main()` is the process entry used by
 * `bin/k8ts`.
 */
import { setMaxListeners } from 'node:events';
import { Command, CommanderError } from 'commander';
import { registerApiResources } from './api-resources';
import { registerApply } from './apply';
import { registerClusterCommands } from './cluster';
import type { Runner } from './command';
import { CliContext, type CliIO, type GlobalOptions } from './context';
import { registerCreate } from './create';
import { registerCreateGenerators } from './create-generators';
import { registerDelete } from './delete';
import { registerDescribe } from './describe';
import { registerDrain } from './drain';
import { CliError, ExitError, formatError } from './errors';
import { registerGet } from './get';
import { registerImage } from './image';
import { registerAnnotate, registerLabel } from './label';
import { registerRollout } from './rollout';
import { registerRun } from './run';
import { registerScale } from './scale';
import { registerSet } from './set';
import { registerVersion } from './version';
import { registerWait } from './wait';

export type { CliIO } from './context';

export function buildProgram(io: CliIO): Command {
  const program = new Command('k8ts');
  program
    .description('k8ts controls a k8ts (or any Kubernetes) cluster: kubectl-compatible verbs, plus up/down/status for a local cluster.')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
    })
    .showSuggestionAfterError(true)
    .option('--kubeconfig <path>', 'kubeconfig file (default: $KUBECONFIG, else .k8ts/kubeconfig, else ~/.kube/config)')
    .option('-s, --server <url>', 'address of the API server (overrides the kubeconfig)')
    .option('--context <name>', 'kubeconfig context to use')
    .option('-n, --namespace <namespace>', 'namespace for this request (default: the context\'s, else "default")')
    .option('-A, --all-namespaces', 'list across all namespaces')
    .option('--token <token>', 'bearer token for authentication to the API server')
    .option('--insecure-skip-tls-verify', "don't check the server's certificate")
    .option('--certificate-authority <file>', 'CA certificate file for the server')
    .option('--request-timeout <duration>', 'give up on a single request after this long (e.g. 30s; 0: never)');

  const run: Runner = (fn) => async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    const ctx = new CliContext(io, cmd.optsWithGlobals() as GlobalOptions);
    try {
      await fn(ctx, cmd.opts(), cmd);
    } finally {
      await ctx.close();
    }
  };

  registerGet(program, run);
  registerDescribe(program, run);
  registerCreate(program, run);
  registerCreateGenerators(program, run);
  registerApply(program, run);
  registerDelete(program, run);
  registerLabel(program, run);
  registerAnnotate(program, run);
  registerRun(program, run);
  registerWait(program, run);
  registerScale(program, run);
  registerSet(program, run);
  registerRollout(program, run);
  registerDrain(program, run);
  registerApiResources(program, run);
  registerVersion(program, run);
  registerImage(program, run);
  // up / down / status for a local cluster (cli/cluster.ts).
  registerClusterCommands(program, (s) => void io.stdout.write(s + '\n'));

  program.usage('[options] [command]').argument('[command]').action((command: string | undefined) => {
    if (command) throw new CliError(`unknown command "${command}" for "k8ts"\nRun 'k8ts --help' for usage.`);
    program.outputHelp();
  });
  return program;
}

/** Flags that take an optional value, and what a bare flag means (pflag's NoOptDefVal). */
const OPTIONAL_VALUE_DEFAULTS: Record<string, string> = {
  '--dry-run': 'client',
  '--cascade': 'background',
  '--wait': 'true',
  '--validate': 'strict',
  '--show-events': 'true',
  '--namespaced': 'true',
  '--attach': 'true',
};

/** Boolean flags, which kubectl also accepts as `--flag=true|false`. */
const BOOLEAN_FLAGS = new Set([
  '--all-namespaces', '--show-labels', '--show-kind', '--overwrite', '--watch', '--watch-only', '--all', '--force', '--now',
  '--ignore-not-found', '--recursive', '--server-side', '--force-conflicts', '--insecure-skip-tls-verify', '--no-headers',
  '--list', '--client',
  '--rm', '--command', '--stdin', '--tty', '--leave-stdin-open', '--quiet', '--ignore-daemonsets', '--delete-emptydir-data',
  '--disable-eviction',
]);

const SHORT_BOOLEAN_FLAGS = new Set(['A', 'w', 'R', 'i', 't', 'q']);

/**
 * Bridges the differences between kubectl's flag parser (pflag) and commander, so that
 * command lines written for kubectl work: `-o=yaml` → `-o yaml`; a bare optional-value
 * flag (`--dry-run`) gets its default so it never swallows the next argument;
 * `--show-labels=true` → `--show-labels`, `--watch=false` → nothing.
 */
export function normalizeArgv(argv: string[]): string[] {
  const out: string[] = [];
  const verb = verbOf(argv);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    // `rollout status --watch=false` takes a value (get's --watch is a plain boolean).
    if (verb === 'rollout' && /^(--watch|-w)=/.test(a)) {
      out.push(a.startsWith('-w=') ? `--watch=${a.slice(3)}` : a);
      continue;
    }
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const short = /^-([a-zA-Z])=(.*)$/.exec(a);
    if (short) {
      const v = short[2].toLowerCase();
      if (SHORT_BOOLEAN_FLAGS.has(short[1]) && (v === 'true' || v === 'false')) {
        if (v === 'true') out.push(`-${short[1]}`);
      } else {
        out.push(`-${short[1]}`, short[2]);
      }
      continue;
    }
    if (a in OPTIONAL_VALUE_DEFAULTS) {
      out.push(`${a}=${OPTIONAL_VALUE_DEFAULTS[a]}`);
      continue;
    }
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0 && BOOLEAN_FLAGS.has(a.slice(0, eq))) {
      const v = a.slice(eq + 1).toLowerCase();
      if (v === 'true' || v === '1') out.push(a.slice(0, eq));
      else if (v !== 'false' && v !== '0') out.push(a); // let commander report it
      continue;
    }
    out.push(a);
  }
  return out;
}

/** Global options that take a value (so the word after them is not the verb). */
const GLOBAL_VALUE_FLAGS = new Set(['-n', '--namespace', '-s', '--server', '--context', '--kubeconfig', '--token', '--certificate-authority', '--request-timeout']);

/** The verb: the first word that is neither an option nor a global option's value. */
function verbOf(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') return undefined;
    if (GLOBAL_VALUE_FLAGS.has(a)) {
      i++;
      continue;
    }
    if (!a.startsWith('-')) return a;
  }
  return undefined;
}

/** Runs one CLI invocation; resolves to the process exit code. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const program = buildProgram(io);
  argv = normalizeArgv(argv);
  // Cluster commands report failure through process.exitCode; keep the caller's value.
  const savedExitCode = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync(argv, { from: 'user' });
    const code = process.exitCode;
    return typeof code === 'number' ? code : code ? Number(code) || 1 : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version output exit 0; usage errors were already printed by commander.
      return err.exitCode;
    }
    if (err instanceof ExitError) return err.exitCode;
    io.stderr.write(formatError(err) + '\n');
    return err instanceof CliError ? err.exitCode : 1;
  } finally {
    process.exitCode = savedExitCode;
  }
}

/** Process entry: real stdio, Ctrl-C ends watches and waits cleanly. */
export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  const abort = new AbortController();
  // Every in-flight request listens on this signal (discovery runs ~20 at once).
  setMaxListeners(0, abort.signal);
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  const code = await runCli(argv, { stdout: process.stdout, stderr: process.stderr, env: process.env, signal: abort.signal });
  process.off('SIGINT', onSigint);
  process.exitCode = interrupted ? 130 : code;
}

if (require.main === module) {
  void main();
}
