/**
 * `k8ts create -f`: POSTs each manifest object (`fieldManager=kubectl-create`) and
 * prints `pod/web created`. All files are read and checked before the first request; an
 * object the server refuses is reported (`Error from server (AlreadyExists): error when
 * creating "pod.yaml": pods "web" already exists`) and the others still go.
 */
import type { Command } from 'commander';
import type { KObject } from '../shared/api/types';
import { groupKindName } from '../shared/client/restmapper';
import type { Runner } from './command';
import type { CliContext } from './context';
import { ExitError, formatError, withSource } from './errors';
import { readManifests } from './manifest';
import { ObjectPrinter } from './object-printer';
import { collectionPath, dryRunSuffix, parseDryRun, parseOutput } from './resources';
import { resolveTargets } from './targets';

export interface CreateOptions {
  filename?: string[];
  recursive?: boolean;
  dryRun?: string | boolean;
  output?: string;
  validate?: string | boolean;
  fieldManager?: string;
}

export function registerCreate(program: Command, run: Runner): void {
  program
    .command('create')
    .description('Create a resource from a file or from stdin')
    .option('-f, --filename <file>', 'file, directory or URL of manifests, or - for stdin (repeatable)', (v: string, p: string[] = []) => [...p, v])
    .option('-R, --recursive', 'process the directory used in -f recursively')
    .option('--dry-run [strategy]', 'none|client|server: only print (client) or let the server validate (server)')
    .option('-o, --output <format>', 'json|yaml|name')
    .option('--validate [mode]', 'strict|warn|ignore (server-side field validation)', 'strict')
    .option('--field-manager <name>', 'name of the manager used to track field ownership', 'kubectl-create')
    .addHelpText('after', `
Examples:
  k8ts create -f pod.yaml
  cat pod.json | k8ts create -f -`)
    .action(run(async (ctx, opts) => runCreate(ctx, opts as CreateOptions)));
}

/** `--validate` → the fieldValidation query value. */
export function fieldValidation(v: string | boolean | undefined): string | undefined {
  if (v === undefined || v === true) return 'Strict';
  const s = String(v).toLowerCase();
  if (s === 'strict' || s === 'true') return 'Strict';
  if (s === 'warn') return 'Warn';
  if (s === 'ignore' || s === 'false') return 'Ignore';
  return 'Strict';
}

export async function runCreate(ctx: CliContext, opts: CreateOptions): Promise<void> {
  const output = parseOutput(opts.output, ['', 'json', 'yaml', 'name']);
  const dryRun = parseDryRun(opts.dryRun);
  const manifests = await readManifests(opts.filename ?? [], { cwd: ctx.cwd, stdin: ctx.io.stdin, recursive: opts.recursive });
  if (manifests.length === 0) throw new Error('no objects passed to create');
  const targets = await resolveTargets(ctx, manifests, { requireName: false });
  const printer = new ObjectPrinter(ctx, output);
  let failed = false;
  for (const t of targets) {
    try {
      let result: KObject = t.object;
      if (dryRun !== 'client') {
        result = await ctx.client().create<KObject>(collectionPath(t.mapping, t.namespace), t.object, {
          query: { fieldManager: opts.fieldManager ?? 'kubectl-create', fieldValidation: fieldValidation(opts.validate), dryRun: dryRun === 'server' ? 'All' : undefined },
          signal: ctx.signal,
        });
      }
      printer.print(result, `${groupKindName(t.mapping)}/${result.metadata?.name ?? t.name} created${dryRunSuffix(dryRun)}`);
    } catch (err) {
      failed = true;
      ctx.err(formatError(withSource(err, 'creating', t.source)) + '\n');
    }
  }
  if (failed) throw new ExitError(1);
}
