/**
 * Turning resource arguments into requests, shared by get, describe, delete, label and
 * annotate: kubectl's argument forms (`TYPE[,TYPE…] [NAME…]`, `TYPE/NAME…`, categories
 * such as `all`), and paging through lists (`limit=500` + `continue`, as kubectl does).
 */
import type { KList, KObject } from '../shared/api/types';
import { resourcePath, type Query } from '../shared/client/paths';
import { type ResourceMapping } from '../shared/client/restmapper';
import type { CliContext } from './context';
import { CliError } from './errors';

export const LIST_CHUNK = 500;

/** The resource arguments as typed. */
export type ParsedResourceArgs =
  | { form: 'types'; types: string[]; names: string[] }
  | { form: 'pairs'; pairs: { type: string; name: string }[] };

export function parseResourceArgs(args: string[]): ParsedResourceArgs {
  if (args.length === 0) return { form: 'types', types: [], names: [] };
  const slashed = args.filter((a) => a.includes('/'));
  if (slashed.length > 0) {
    if (slashed.length !== args.length) {
      throw new CliError(`there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'k8ts get resource/<resource_name>' instead of 'k8ts get resource resource/<resource_name>'`);
    }
    return {
      form: 'pairs',
      pairs: args.map((a) => {
        const i = a.indexOf('/');
        const type = a.slice(0, i);
        const name = a.slice(i + 1);
        if (!type || !name) throw new CliError(`arguments in resource/name form must have a single resource and name`);
        return { type, name };
      }),
    };
  }
  const types = args[0].split(',').filter((t) => t !== '');
  if (types.length === 0) throw new CliError(`resource(s) were provided, but no name was specified`);
  return { form: 'types', types, names: args.slice(1) };
}

/** One resource type to act on, with the names asked for (none = all / by selector). */
export interface ResourceGroup {
  mapping: ResourceMapping;
  names: string[];
}

export interface ResolvedArgs {
  groups: ResourceGroup[];
  /** Names were given (so missing objects are errors, not "No resources found"). */
  namesGiven: boolean;
  /** More than one type was asked for (kubectl then prefixes names with the kind). */
  multipleTypes: boolean;
}

function mappingKey(m: ResourceMapping): string {
  return `${m.group}/${m.resource}`;
}

export async function resolveResourceArgs(ctx: CliContext, args: string[]): Promise<ResolvedArgs> {
  const parsed = parseResourceArgs(args);
  const mapper = await ctx.mapper();
  const groups: ResourceGroup[] = [];
  const byKey = new Map<string, ResourceGroup>();
  const add = (m: ResourceMapping, names: string[]) => {
    const key = mappingKey(m);
    let g = byKey.get(key);
    if (!g) {
      g = { mapping: m, names: [] };
      byKey.set(key, g);
      groups.push(g);
    }
    for (const n of names) if (!g.names.includes(n)) g.names.push(n);
  };
  let category = false;
  if (parsed.form === 'pairs') {
    for (const p of parsed.pairs) add(mapper.resourceFor(p.type), [p.name]);
    return { groups, namesGiven: true, multipleTypes: groups.length > 1 };
  }
  for (const t of parsed.types) {
    if (mapper.isCategory(t)) category = true;
    for (const m of mapper.expand(t)) add(m, parsed.names);
  }
  return { groups, namesGiven: parsed.names.length > 0, multipleTypes: category || groups.length > 1 };
}

export function collectionPath(m: ResourceMapping, namespace: string | undefined): string {
  return resourcePath({ group: m.group, version: m.version, resource: m.resource, namespace: m.namespaced ? namespace : undefined });
}

export function objectPath(m: ResourceMapping, namespace: string | undefined, name: string, subresource?: string): string {
  return resourcePath({ group: m.group, version: m.version, resource: m.resource, namespace: m.namespaced ? namespace : undefined, name, subresource });
}

/** Lists everything (following `continue`), items carrying apiVersion/kind as kubectl shows them. */
export async function listAll(ctx: CliContext, m: ResourceMapping, namespace: string | undefined, query: Query = {}): Promise<{ items: KObject[]; resourceVersion?: string }> {
  const client = ctx.client();
  const items: KObject[] = [];
  let cont: string | undefined;
  let rv: string | undefined;
  do {
    const list = await client.list<KList>(collectionPath(m, namespace), { query: { ...query, limit: LIST_CHUNK, continue: cont }, signal: ctx.signal });
    for (const item of list.items ?? []) items.push(withTypeMeta(item, m));
    rv = list.metadata?.resourceVersion;
    cont = list.metadata?.continue || undefined;
  } while (cont);
  return { items, resourceVersion: rv };
}

/** Puts apiVersion/kind first on an object that lacks them (list items do). */
export function withTypeMeta(obj: KObject, m: ResourceMapping): KObject {
  if (obj.apiVersion && obj.kind) return obj;
  return { apiVersion: m.group ? `${m.group}/${m.version}` : m.version, kind: m.kind, ...obj };
}

/** `--cascade`: true/background, false/orphan, foreground. */
export function propagationPolicy(cascade: string | boolean | undefined): 'Background' | 'Foreground' | 'Orphan' {
  const c = cascade === undefined ? 'background' : String(cascade).toLowerCase();
  switch (c) {
    case 'true':
    case 'background':
      return 'Background';
    case 'false':
    case 'orphan':
      return 'Orphan';
    case 'foreground':
      return 'Foreground';
    default:
      throw new CliError(`invalid cascade value (${cascade}). Must be "background", "foreground", or "orphan"`);
  }
}

/** `--dry-run`: none | client | server (bare `--dry-run` means client, as kubectl's deprecated form). */
export type DryRun = 'none' | 'client' | 'server';

export function parseDryRun(v: string | boolean | undefined): DryRun {
  if (v === undefined || v === false) return 'none';
  if (v === true || v === '' || v === 'true') return 'client';
  if (v === 'none' || v === 'false') return 'none';
  if (v === 'client' || v === 'server') return v;
  throw new CliError(`Invalid dry-run value (${v}). Must be "none", "server", or "client".`);
}

export function dryRunSuffix(d: DryRun): string {
  return d === 'client' ? ' (dry run)' : d === 'server' ? ' (server dry run)' : '';
}

/** kubectl's boolean flag values (`--wait=false`, `--namespaced=true`). */
export function parseBool(v: string | boolean | undefined, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v === 'boolean') return v;
  const s = v.toLowerCase();
  if (['true', '1', 'yes', ''].includes(s)) return true;
  if (['false', '0', 'no'].includes(s)) return false;
  throw new CliError(`invalid boolean value ${JSON.stringify(v)}`);
}

/** Validates `-o` for verbs that print objects. */
export function parseOutput(o: string | undefined, allowed: string[]): string {
  const v = o ?? '';
  if (!allowed.includes(v)) {
    throw new CliError(`unable to match a printer suitable for the output format "${v}", allowed formats are: ${allowed.filter((a) => a).join(',')}`);
  }
  return v;
}

export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').filter((v) => v !== '')];
}
