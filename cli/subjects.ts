/**
 * The objects a write verb (`scale`, `set image`, `rollout …`) acts on: `TYPE NAME…`,
 * `TYPE/NAME…`, or `TYPE -l SELECTOR` / `TYPE --all`, with kubectl's errors for the
 * mixed or empty forms. Listing happens here so each verb only deals with named objects.
 */
import type { ResourceMapping } from '../shared/client/restmapper';
import type { CliContext } from './context';
import { CliError } from './errors';
import { listAll, resolveResourceArgs } from './resources';

export interface Subject {
  mapping: ResourceMapping;
  namespace?: string;
  name: string;
}

export async function resolveSubjects(ctx: CliContext, args: string[], opts: { selector?: string; all?: boolean; fieldSelector?: string } = {}): Promise<Subject[]> {
  if (args.length === 0) throw new CliError('You must provide one or more resources by argument or filename.');
  const resolved = await resolveResourceArgs(ctx, args);
  const bySelector = !!opts.selector || !!opts.all || !!opts.fieldSelector;
  if (resolved.namesGiven && bySelector) throw new CliError('name cannot be provided when a selector is specified');
  if (!resolved.namesGiven && !bySelector) throw new CliError('resource(s) were provided, but no name was specified');
  const out: Subject[] = [];
  for (const g of resolved.groups) {
    if (resolved.namesGiven) {
      for (const name of g.names) out.push({ mapping: g.mapping, namespace: ctx.requestNamespace(g.mapping), name });
    } else {
      const { items } = await listAll(ctx, g.mapping, ctx.requestNamespace(g.mapping, true), { labelSelector: opts.selector, fieldSelector: opts.fieldSelector });
      for (const o of items) out.push({ mapping: g.mapping, namespace: g.mapping.namespaced ? o.metadata?.namespace : undefined, name: o.metadata?.name ?? '' });
    }
  }
  if (out.length === 0) throw new CliError('no objects passed to the command');
  return out;
}
