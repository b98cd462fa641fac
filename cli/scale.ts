/**
 * `k8ts scale TYPE/NAME|TYPE NAME --replicas=N [--current-replicas=M] [--resource-version=RV]`:
 * like kubectl, GETs the object, then sets the size through the `/scale` subresource
 * with a JSON merge patch `{"spec":{"replicas":N}}` and prints `deployment.apps/web
 * scaled`. With a precondition the Scale is read, checked and written back with PUT,
 * so the resourceVersion makes the check and the write atomic.
 */
import type { Command } from 'commander';
import { ApiError } from '../shared/api/errors';
import type { KObject } from '../shared/api/types';
import { groupKindName } from '../shared/client/restmapper';
import type { Runner } from './command';
import type { CliContext } from './context';
import { CliError, ExitError, formatError } from './errors';
import { dryRunSuffix, objectPath, parseDryRun } from './resources';
import { resolveSubjects } from './subjects';

export interface ScaleOptions {
  replicas?: string;
  currentReplicas?: string;
  resourceVersion?: string;
  selector?: string;
  all?: boolean;
  dryRun?: string | boolean;
}

export function registerScale(program: Command, run: Runner): void {
  program
    .command('scale')
    .description('Set a new size for a deployment, replica set, replication controller, or stateful set')
    .argument('[resources...]', 'TYPE NAME | TYPE/NAME')
    .option('--replicas <n>', 'the new desired number of replicas')
    .option('--current-replicas <n>', 'precondition: only scale if the current size is this', '-1')
    .option('--resource-version <rv>', 'precondition: only scale if the resourceVersion matches')
    .option('-l, --selector <selector>', 'label selector')
    .option('--all', 'select all resources of the type in the namespace')
    .option('--dry-run [strategy]', 'none|client|server')
    .addHelpText('after', `
Examples:
  k8ts scale deployment web --replicas=3
  k8ts scale --current-replicas=2 --replicas=3 deploy/web`)
    .action(run(async (ctx, opts, cmd) => runScale(ctx, cmd.args, opts as ScaleOptions)));
}

function parseCount(v: string | undefined, flag: string): number {
  const n = Number(v);
  if (v === undefined || v === '' || !Number.isInteger(n)) throw new CliError(`invalid argument "${v}" for "${flag}" flag: strconv.ParseInt: parsing "${v}": invalid syntax`);
  return n;
}

export async function runScale(ctx: CliContext, args: string[], opts: ScaleOptions): Promise<void> {
  if (opts.replicas === undefined) throw new CliError('required flag(s) "replicas" not set');
  const replicas = parseCount(opts.replicas, '--replicas');
  if (replicas < 0) throw new CliError('The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
  const current = parseCount(opts.currentReplicas ?? '-1', '--current-replicas');
  const dryRun = parseDryRun(opts.dryRun);
  const subjects = await resolveSubjects(ctx, args, opts);
  const client = ctx.client();
  const errors: unknown[] = [];
  for (const s of subjects) {
    try {
      // kubectl reads the object first: a missing one is NotFound before any write.
      try {
        await client.get<KObject>(objectPath(s.mapping, s.namespace, s.name), { signal: ctx.signal });
      } catch (err) {
        // kubectl's resource builder words a missing object this way.
        if (err instanceof ApiError && err.code === 404) throw new CliError(`no objects passed to scale ${err.message}`);
        throw err;
      }
      const path = objectPath(s.mapping, s.namespace, s.name, 'scale');
      const query = { dryRun: dryRun === 'server' ? 'All' : undefined };
      if (dryRun !== 'client') {
        if (current >= 0 || opts.resourceVersion) {
          const scale = await client.get<KObject & { spec?: { replicas?: number } }>(path, { signal: ctx.signal });
          const have = scale.spec?.replicas ?? 0;
          if (current >= 0 && have !== current) throw new CliError(`Expected replicas to be ${current}, was ${have}`);
          if (opts.resourceVersion && scale.metadata?.resourceVersion !== opts.resourceVersion) {
            throw new CliError(`Expected resource version to be ${opts.resourceVersion}, was ${scale.metadata?.resourceVersion}`);
          }
          await client.update(path, { ...scale, spec: { ...scale.spec, replicas } }, { query, signal: ctx.signal });
        } else {
          await client.patch(path, { spec: { replicas } }, 'merge', { query, signal: ctx.signal });
        }
      }
      ctx.out(`${groupKindName(s.mapping)}/${s.name} scaled${dryRunSuffix(dryRun)}\n`);
    } catch (err) {
      errors.push(err);
    }
  }
  for (const err of errors) ctx.err(formatError(err) + '\n');
  if (errors.length > 0) throw new ExitError(1);
}
