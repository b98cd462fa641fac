/**
 * `k8ts apply -f`: kubectl's client-side apply.
 *
 * For each object: GET it; if absent, POST it carrying the annotation
 * `kubectl.kubernetes.io/last-applied-configuration` (→ `created`); if present, compute
 * the three-way merge patch from (last-applied, manifest, live) and PATCH it as
 * `application/merge-patch+json` (→ `configured`), or send nothing (→ `unchanged`).
 * kubectl uses a strategic merge patch for built-in kinds; a JSON merge patch gives the
 * same result here because the manifest's lists are complete (see apply-patch.ts).
 *
 * `--server-side` sends the manifest as an apply patch instead (→ `serverside-applied`).
 * All manifests are read and resolved before the first request.
 */
import type { Command } from 'commander';
import { ApiError } from '../shared/api/errors';
import type { KObject } from '../shared/api/types';
import { groupKindName, groupResourceName } from '../shared/client/restmapper';
import { LAST_APPLIED_ANNOTATION, isObject, threeWayMergePatch, withLastApplied, type Json } from './apply-patch';
import type { Runner } from './command';
import type { CliContext } from './context';
import { fieldValidation } from './create';
import { ExitError, formatError, withSource } from './errors';
import { readManifests } from './manifest';
import { ObjectPrinter } from './object-printer';
import { toCompactJson } from './printers/output';
import { collectionPath, dryRunSuffix, objectPath, parseDryRun, parseOutput } from './resources';
import { resolveTargets, type Target } from './targets';

export interface ApplyOptions {
  filename?: string[];
  recursive?: boolean;
  dryRun?: string | boolean;
  output?: string;
  validate?: string | boolean;
  serverSide?: boolean;
  forceConflicts?: boolean;
  fieldManager?: string;
}

export function registerApply(program: Command, run: Runner): void {
  program
    .command('apply')
    .description('Apply a configuration to a resource by file name or stdin (create it, or update it to match)')
    .option('-f, --filename <file>', 'file, directory or URL of manifests, or - for stdin (repeatable)', (v: string, p: string[] = []) => [...p, v])
    .option('-R, --recursive', 'process the directory used in -f recursively')
    .option('--dry-run [strategy]', 'none|client|server')
    .option('-o, --output <format>', 'json|yaml|name')
    .option('--validate [mode]', 'strict|warn|ignore (server-side field validation)', 'strict')
    .option('--server-side', 'let the server merge the manifest (server-side apply)')
    .option('--force-conflicts', 'with --server-side: take over fields other managers own')
    .option('--field-manager <name>', 'name of the manager used to track field ownership')
    .addHelpText('after', `
Examples:
  k8ts apply -f pod.yaml
  k8ts apply -f manifests/
  k8ts apply -f deploy.yaml --dry-run=server`)
    .action(run(async (ctx, opts) => runApply(ctx, opts as ApplyOptions)));
}

export async function runApply(ctx: CliContext, opts: ApplyOptions): Promise<void> {
  const output = parseOutput(opts.output, ['', 'json', 'yaml', 'name']);
  const dryRun = parseDryRun(opts.dryRun);
  const manifests = await readManifests(opts.filename ?? [], { cwd: ctx.cwd, stdin: ctx.io.stdin, recursive: opts.recursive });
  if (manifests.length === 0) throw new Error('no objects passed to apply');
  const targets = await resolveTargets(ctx, manifests, { requireName: true });
  const printer = new ObjectPrinter(ctx, output);
  let failed = false;
  for (const t of targets) {
    try {
      if (opts.serverSide) await serverSideApply(ctx, t, opts, dryRun, printer);
      else await clientSideApply(ctx, t, opts, dryRun, printer);
    } catch (err) {
      failed = true;
      ctx.err(formatError(err) + '\n');
    }
  }
  if (failed) throw new ExitError(1);
}

function writeQuery(opts: ApplyOptions, dryRun: string, manager: string) {
  return { fieldManager: opts.fieldManager ?? manager, fieldValidation: fieldValidation(opts.validate), dryRun: dryRun === 'server' ? 'All' : undefined };
}

async function clientSideApply(ctx: CliContext, t: Target, opts: ApplyOptions, dryRun: ReturnType<typeof parseDryRun>, printer: ObjectPrinter): Promise<void> {
  const client = ctx.client();
  const label = `${groupKindName(t.mapping)}/${t.name}`;
  const { modified } = withLastApplied(t.object, toCompactJson);
  let live: KObject | undefined;
  try {
    live = await client.get<KObject>(objectPath(t.mapping, t.namespace, t.name), { signal: ctx.signal });
  } catch (err) {
    if (!(err instanceof ApiError && err.code === 404)) throw withSource(err, 'retrieving current configuration of', t.source);
  }

  if (!live) {
    let result: KObject = modified;
    if (dryRun !== 'client') {
      try {
        result = await client.create<KObject>(collectionPath(t.mapping, t.namespace), modified, { query: writeQuery(opts, dryRun, 'kubectl-client-side-apply'), signal: ctx.signal });
      } catch (err) {
        throw withSource(err, 'creating', t.source);
      }
    }
    printer.print(result, `${label} created${dryRunSuffix(dryRun)}`);
    return;
  }

  const lastApplied = live.metadata?.annotations?.[LAST_APPLIED_ANNOTATION];
  let original: { [k: string]: Json } | undefined;
  if (lastApplied) {
    try {
      const parsed = JSON.parse(lastApplied);
      if (isObject(parsed)) original = parsed;
    } catch {
      // A corrupt annotation is treated as missing: nothing gets deleted.
    }
  } else {
    ctx.err(
      `Warning: resource ${groupResourceName(t.mapping)}/${t.name} is missing the ${LAST_APPLIED_ANNOTATION} annotation which is required by k8ts apply. ` +
        `k8ts apply should only be used on resources created declaratively by either k8ts create --save-config or k8ts apply. The missing annotation will be patched automatically.\n`,
    );
  }
  const patch = threeWayMergePatch(original, modified as unknown as { [k: string]: Json }, live as unknown as { [k: string]: Json });
  if (Object.keys(patch).length === 0) {
    printer.print(live, `${label} unchanged${dryRunSuffix(dryRun)}`);
    return;
  }
  let result = live;
  if (dryRun !== 'client') {
    try {
      result = await client.patch<KObject>(objectPath(t.mapping, t.namespace, t.name), patch, 'merge', { query: writeQuery(opts, dryRun, 'kubectl-client-side-apply'), signal: ctx.signal });
    } catch (err) {
      throw withSource(err, 'patching', t.source);
    }
  }
  printer.print(result, `${label} configured${dryRunSuffix(dryRun)}`);
}

async function serverSideApply(ctx: CliContext, t: Target, opts: ApplyOptions, dryRun: ReturnType<typeof parseDryRun>, printer: ObjectPrinter): Promise<void> {
  const label = `${groupKindName(t.mapping)}/${t.name}`;
  if (dryRun === 'client') {
    printer.print(t.object, `${label} serverside-applied${dryRunSuffix(dryRun)}`);
    return;
  }
  let result: KObject;
  try {
    result = await ctx.client().patch<KObject>(objectPath(t.mapping, t.namespace, t.name), JSON.stringify(t.object), 'apply', {
      query: { ...writeQuery(opts, dryRun, 'kubectl'), force: opts.forceConflicts ? 'true' : 'false' },
      signal: ctx.signal,
    });
  } catch (err) {
    throw withSource(err, 'patching', t.source);
  }
  printer.print(result, `${label} serverside-applied${dryRunSuffix(dryRun)}`);
}
