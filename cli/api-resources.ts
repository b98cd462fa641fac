/**
 * `k8ts api-resources` and `k8ts api-versions`: what the server's discovery says, laid
 * out as kubectl does (preferred versions only, stably sorted by API group; VERBS and
 * CATEGORIES with `-o wide`).
 */
import type { Command } from 'commander';
import { mappingApiVersion, type ResourceMapping } from '../shared/client/restmapper';
import type { Runner } from './command';
import type { CliContext } from './context';
import { CliError } from './errors';
import { GET_TABLE_OPTIONS, tabify } from './printers/tabwriter';
import { collect, parseBool } from './resources';

interface ApiResourcesOptions {
  output?: string;
  namespaced?: string | boolean;
  apiGroup?: string;
  verbs?: string[];
  headers?: boolean;
  sortBy?: string;
  categories?: string[];
}

export function registerApiResources(program: Command, run: Runner): void {
  program
    .command('api-resources')
    .description('Print the supported API resources on the server')
    .option('-o, --output <format>', 'wide|name')
    .option('--namespaced [bool]', 'only namespaced (true) or cluster-scoped (false) resources')
    .option('--api-group <group>', 'only resources in this API group ("" for core)')
    .option('--verbs <verbs>', 'only resources that support these verbs (comma-separated)', collect)
    .option('--categories <categories>', 'only resources in these categories', collect)
    .option('--sort-by <field>', 'name|kind')
    .option('--no-headers', "don't print headers")
    .action(run(async (ctx, opts) => runApiResources(ctx, opts as ApiResourcesOptions)));

  program
    .command('api-versions')
    .description('Print the supported API versions on the server, in the form of "group/version"')
    .action(run(async (ctx) => runApiVersions(ctx)));
}

export function filterResources(all: ResourceMapping[], opts: ApiResourcesOptions): ResourceMapping[] {
  let list = all.filter((m) => m.verbs.length > 0);
  if (opts.namespaced !== undefined) {
    const want = parseBool(opts.namespaced, true);
    list = list.filter((m) => m.namespaced === want);
  }
  if (opts.apiGroup !== undefined) list = list.filter((m) => m.group === opts.apiGroup);
  if (opts.verbs && opts.verbs.length) list = list.filter((m) => opts.verbs!.every((v) => m.verbs.includes(v)));
  if (opts.categories && opts.categories.length) list = list.filter((m) => opts.categories!.every((c) => m.categories.includes(c)));
  // A stable sort: by group by default (kubectl's), or by name/kind.
  const key = (m: ResourceMapping) => (opts.sortBy === 'name' ? m.resource : opts.sortBy === 'kind' ? m.kind : m.group);
  return list.map((m, i) => ({ m, i })).sort((a, b) => (key(a.m) < key(b.m) ? -1 : key(a.m) > key(b.m) ? 1 : a.i - b.i)).map((x) => x.m);
}

export function formatApiResources(list: ResourceMapping[], output: string, headers: boolean): string {
  if (output === 'name') return list.map((m) => (m.group ? `${m.resource}.${m.group}` : m.resource) + '\n').join('');
  const wide = output === 'wide';
  let text = '';
  if (headers) text += ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', ...(wide ? ['VERBS', 'CATEGORIES'] : [])].join('\t') + '\n';
  for (const m of list) {
    const cells = [m.resource, m.shortNames.join(','), mappingApiVersion(m), String(m.namespaced), m.kind];
    if (wide) cells.push(m.verbs.join(','), m.categories.join(','));
    text += cells.join('\t') + '\n';
  }
  return tabify(text, GET_TABLE_OPTIONS);
}

async function runApiResources(ctx: CliContext, opts: ApiResourcesOptions): Promise<void> {
  const output = opts.output ?? '';
  if (!['', 'wide', 'name'].includes(output)) throw new CliError(`--output ${output} is not available`);
  if (opts.sortBy !== undefined && !['name', 'kind'].includes(opts.sortBy)) throw new CliError(`--sort-by accepts only name or kind`);
  const mapper = await ctx.mapper();
  ctx.out(formatApiResources(filterResources(mapper.preferredMappings(), opts), output, opts.headers !== false));
}

async function runApiVersions(ctx: CliContext): Promise<void> {
  const mapper = await ctx.mapper();
  const versions = [...new Set(mapper.groupVersions())].sort();
  ctx.out(versions.map((v) => `${v}\n`).join(''));
}
