/**
 * `k8ts describe TYPE [NAME_PREFIX…]` (or TYPE/NAME, `-l`, `-A`): a detailed,
 * human-oriented view of objects and their recent events, in kubectl's layout.
 *
 * Name matching is kubectl's: an exact name first; if there is no such object, every
 * object whose name starts with it (so `describe pods kuard` finds `kuard-7d…`). No
 * name means every object of the type (matching `-l`). Objects are separated by two
 * blank lines.
 */
import type { Command } from 'commander';
import { ApiError } from '../shared/api/errors';
import type { KObject } from '../shared/api/types';
import type { Runner } from './command';
import type { CliContext } from './context';
import { CliError, ExitError, formatError } from './errors';
import { describerFor } from './describers';
import { listAll, objectPath, parseBool, resolveResourceArgs, withTypeMeta } from './resources';

interface DescribeOptions {
  selector?: string;
  showEvents?: string | boolean;
}

export function registerDescribe(program: Command, run: Runner): void {
  program
    .command('describe')
    .description('Show details of a specific resource or group of resources')
    .argument('[resources...]', 'TYPE [NAME_PREFIX...] | TYPE/NAME')
    .option('-l, --selector <selector>', 'label selector')
    .option('--show-events [bool]', 'show the events related to the object', 'true')
    .addHelpText('after', `
Examples:
  k8ts describe pod web
  k8ts describe pods kuard          # every pod whose name starts with "kuard"
  k8ts describe nodes
  k8ts describe deploy -l app=web -A`)
    .action(run(async (ctx, opts, cmd) => runDescribe(ctx, cmd.args, opts as DescribeOptions)));
}

export async function runDescribe(ctx: CliContext, args: string[], opts: DescribeOptions): Promise<void> {
  if (args.length === 0) throw new CliError('You must specify the type of resource to describe. Use "k8ts api-resources" for a complete list of supported resources.');
  const settings = { showEvents: parseBool(opts.showEvents, true) };
  const resolved = await resolveResourceArgs(ctx, args);
  if (resolved.namesGiven && opts.selector) throw new CliError('name cannot be provided when a selector is specified');
  const errors: unknown[] = [];
  let first = true;
  let printed = 0;
  const emit = (s: string) => {
    ctx.out(first ? s : `\n\n${s}`);
    first = false;
    printed++;
  };

  for (const g of resolved.groups) {
    const m = g.mapping;
    const describe = describerFor(m);
    const objs: KObject[] = [];
    try {
      if (g.names.length === 0) {
        objs.push(...(await listAll(ctx, m, ctx.requestNamespace(m, true), { labelSelector: opts.selector })).items);
      } else {
        const ns = ctx.requestNamespace(m);
        for (const name of g.names) {
          try {
            objs.push(withTypeMeta(await ctx.client().get<KObject>(objectPath(m, ns, name), { signal: ctx.signal }), m));
          } catch (err) {
            if (!(err instanceof ApiError && err.code === 404)) throw err;
            // kubectl falls back to a name-prefix match before reporting NotFound.
            const { items } = await listAll(ctx, m, ns);
            const matches = items.filter((o) => (o.metadata?.name ?? '').startsWith(name));
            if (matches.length === 0) errors.push(err);
            objs.push(...matches);
          }
        }
      }
    } catch (err) {
      errors.push(err);
      continue;
    }
    for (const obj of objs) {
      try {
        emit(await describe(ctx, obj, settings));
      } catch (err) {
        errors.push(err);
      }
    }
  }
  if (printed === 0 && errors.length === 0) {
    const allNamespaced = !ctx.allNamespaces && resolved.groups.every((g) => g.mapping.namespaced);
    ctx.err(allNamespaced ? `No resources found in ${ctx.namespace()} namespace.\n` : 'No resources found\n');
  }
  for (const err of errors) ctx.err(formatError(err) + '\n');
  if (errors.length > 0) throw new ExitError(1);
}
