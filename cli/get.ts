/**
 * `k8ts get`: server-side printed Tables for humans (kubectl's layout), the objects as
 * JSON/YAML/names for `-o`, and `-w` to follow changes.
 *
 * Human output asks for `Accept: …as=Table…` with `includeObject=Metadata` so the
 * namespace and labels of each row are known for `-A`, `-L` and `--show-labels`. If a
 * server answers with plain objects instead, NAME and AGE are printed from metadata
 * (what kubectl shows in that case too).
 */
import type { Command } from 'commander';
import { ApiError } from '../shared/api/errors';
import type { KObject } from '../shared/api/types';
import { TABLE_ACCEPT, watchEventError } from '../shared/client/client';
import type { Query } from '../shared/client/paths';
import { groupKindName, type ResourceMapping } from '../shared/client/restmapper';
import type { Runner } from './command';
import type { CliContext } from './context';
import { CliError, ExitError, formatError } from './errors';
import { ageSince } from './printers/duration';
import { objectName, printObjects, toJson, toYaml } from './printers/output';
import { TablePrinter, isTable, type Table, type TableOptions } from './printers/table';
import { collect, collectionPath, listAll, objectPath, parseOutput, resolveResourceArgs, withTypeMeta, LIST_CHUNK, type ResourceGroup } from './resources';

export interface GetOptions {
  output?: string;
  selector?: string;
  fieldSelector?: string;
  watch?: boolean;
  watchOnly?: boolean;
  headers?: boolean;
  showLabels?: boolean;
  labelColumns?: string[];
  showKind?: boolean;
  ignoreNotFound?: boolean;
}

const OUTPUTS = ['', 'wide', 'json', 'yaml', 'name'];

export function registerGet(program: Command, run: Runner): void {
  program
    .command('get')
    .description('Display one or many resources')
    .argument('[resources...]', 'TYPE[,TYPE...] [NAME...] | TYPE/NAME ... (e.g. pods, po web, deploy/web, all)')
    .option('-o, --output <format>', 'output format: wide|json|yaml|name')
    .option('-l, --selector <selector>', 'label selector (e.g. -l app=web, -l \'env in (prod,qa)\')')
    .option('--field-selector <selector>', 'field selector (e.g. --field-selector status.phase=Running)')
    .option('-w, --watch', 'after listing, watch for changes')
    .option('--watch-only', 'watch for changes without listing first')
    .option('--no-headers', "don't print headers")
    .option('--show-labels', 'show all labels as the last column')
    .option('-L, --label-columns <keys>', 'a column per label key (repeatable or comma-separated)', collect)
    .option('--show-kind', 'prefix names with their kind even for one type')
    .option('--ignore-not-found', "treat 'not found' as a successful retrieval")
    .addHelpText('after', `
Examples:
  k8ts get pods -o wide
  k8ts get pod web -o yaml
  k8ts get deploy,rs,po -l app=web
  k8ts get all -A
  k8ts get pods -w`)
    .action(run(async (ctx, opts, cmd) => runGet(ctx, cmd.args, opts as GetOptions)));
}

function tableOptions(ctx: CliContext, opts: GetOptions, m: ResourceMapping, withKind: boolean, output: string): TableOptions {
  return {
    wide: output === 'wide',
    withNamespace: ctx.allNamespaces && m.namespaced,
    showLabels: !!opts.showLabels,
    labelColumns: opts.labelColumns ?? [],
    noHeaders: opts.headers === false,
    kindPrefix: withKind ? groupKindName(m) : undefined,
  };
}

/** A Table built on the client from plain objects (server without Table support). */
export function fallbackTable(objs: KObject[], now: Date): Table {
  return {
    kind: 'Table',
    columnDefinitions: [
      { name: 'Name', type: 'string', format: 'name', priority: 0 },
      { name: 'Age', type: 'string', format: '', priority: 0 },
    ],
    rows: objs.map((o) => ({ cells: [o.metadata?.name ?? '', ageSince(o.metadata?.creationTimestamp, now)], object: { metadata: o.metadata } })),
  };
}

function asTable(resp: unknown, now: Date): Table {
  if (isTable(resp)) return resp;
  const r = resp as { items?: KObject[]; metadata?: KObject['metadata'] };
  if (Array.isArray(r.items)) {
    const t = fallbackTable(r.items, now);
    t.metadata = r.metadata as Table['metadata'];
    return t;
  }
  return fallbackTable([resp as KObject], now);
}

function baseQuery(opts: GetOptions): Query {
  return { labelSelector: opts.selector, fieldSelector: opts.fieldSelector };
}

/** Fetches the Table(s) for one resource type: one list, or one GET per name. */
async function fetchTables(ctx: CliContext, g: ResourceGroup, opts: GetOptions, errors: unknown[]): Promise<Table[]> {
  const client = ctx.client();
  const now = ctx.now();
  if (g.names.length > 0) {
    const ns = ctx.requestNamespace(g.mapping);
    const tables: Table[] = [];
    for (const name of g.names) {
      try {
        const resp = await client.get(objectPath(g.mapping, ns, name), { accept: TABLE_ACCEPT, query: { includeObject: 'Metadata' }, signal: ctx.signal });
        tables.push(asTable(resp, now));
      } catch (err) {
        if (opts.ignoreNotFound && err instanceof ApiError && err.code === 404) continue;
        errors.push(err);
      }
    }
    return tables;
  }
  const ns = ctx.requestNamespace(g.mapping, true);
  const tables: Table[] = [];
  let cont: string | undefined;
  do {
    const resp = await client.list(collectionPath(g.mapping, ns), {
      accept: TABLE_ACCEPT,
      query: { ...baseQuery(opts), includeObject: 'Metadata', limit: LIST_CHUNK, continue: cont },
      signal: ctx.signal,
    });
    const t = asTable(resp, now);
    tables.push(t);
    cont = t.metadata?.continue || undefined;
  } while (cont);
  return tables;
}

/** Merges tables of one type into one (same columns: the first non-empty definitions). */
function mergeTables(tables: Table[]): Table {
  const cols = tables.find((t) => t.columnDefinitions && t.columnDefinitions.length > 0)?.columnDefinitions ?? [];
  return { kind: 'Table', columnDefinitions: cols, rows: tables.flatMap((t) => t.rows ?? []), metadata: tables[tables.length - 1]?.metadata };
}

export async function runGet(ctx: CliContext, args: string[], opts: GetOptions): Promise<void> {
  const output = parseOutput(opts.output, OUTPUTS);
  if (args.length === 0) {
    throw new CliError(`Required resource not specified.\nUse "k8ts api-resources" for a complete list of supported resources.`);
  }
  const resolved = await resolveResourceArgs(ctx, args);
  if (resolved.namesGiven && ctx.allNamespaces) throw new CliError('a resource cannot be retrieved by name across all namespaces');
  if (resolved.namesGiven && opts.selector) throw new CliError('selectors and the all flag cannot be used when passing resource/name arguments');
  if (opts.watch || opts.watchOnly) return runWatch(ctx, resolved.groups, opts, output);

  const errors: unknown[] = [];
  let wroteSomething = false;
  if (output === '' || output === 'wide') {
    const withKind = resolved.multipleTypes || !!opts.showKind;
    const blocks: string[] = [];
    for (const g of resolved.groups) {
      try {
        const table = mergeTables(await fetchTables(ctx, g, opts, errors));
        const text = new TablePrinter(tableOptions(ctx, opts, g.mapping, withKind, output)).print(table);
        if (text) blocks.push(text);
      } catch (err) {
        errors.push(err);
      }
    }
    // kubectl separates type blocks by a blank line, except with --no-headers.
    const text = blocks.join(opts.headers === false ? '' : '\n');
    ctx.out(text);
    wroteSomething = text.length > 0;
  } else {
    const objs: KObject[] = [];
    for (const g of resolved.groups) {
      try {
        if (g.names.length > 0) {
          const ns = ctx.requestNamespace(g.mapping);
          for (const name of g.names) {
            try {
              objs.push(withTypeMeta(await ctx.client().get<KObject>(objectPath(g.mapping, ns, name), { signal: ctx.signal }), g.mapping));
            } catch (err) {
              if (opts.ignoreNotFound && err instanceof ApiError && err.code === 404) continue;
              errors.push(err);
            }
          }
        } else {
          objs.push(...(await listAll(ctx, g.mapping, ctx.requestNamespace(g.mapping, true), baseQuery(opts))).items);
        }
      } catch (err) {
        errors.push(err);
      }
    }
    // One named object prints as itself; anything else as a List (even an empty one).
    const totalNames = resolved.groups.reduce((n, g) => n + g.names.length, 0);
    const single = resolved.namesGiven && totalNames === 1;
    if (output === 'name') {
      ctx.out(printObjects(objs, 'name', single));
      wroteSomething = objs.length > 0;
    } else if (!single || objs.length === 1) {
      ctx.out(printObjects(objs, output as 'json' | 'yaml', single));
      wroteSomething = true;
    }
  }

  for (const err of errors) ctx.err(formatError(err) + '\n');
  if (errors.length > 0) throw new ExitError(1);
  if (!wroteSomething && !opts.ignoreNotFound) {
    const allNamespaced = !ctx.allNamespaces && resolved.groups.every((g) => g.mapping.namespaced);
    ctx.err(allNamespaced ? `No resources found in ${ctx.namespace()} namespace.\n` : 'No resources found\n');
  }
}

/** `get -w`: list (printing unless --watch-only), then watch from the list's resourceVersion. */
async function runWatch(ctx: CliContext, groups: ResourceGroup[], opts: GetOptions, output: string): Promise<void> {
  if (groups.length !== 1) throw new CliError(`watch is only supported on individual resources and resource collections, but ${groups.length} resources were found`);
  const g = groups[0];
  if (g.names.length > 1) throw new CliError(`watch is only supported on individual resources and resource collections, but ${g.names.length} resources were found`);
  const client = ctx.client();
  const ns = ctx.requestNamespace(g.mapping, g.names.length === 0);
  const path = collectionPath(g.mapping, ns);
  const fieldSelectors = [opts.fieldSelector, g.names[0] !== undefined ? `metadata.name=${g.names[0]}` : undefined].filter(Boolean);
  const query: Query = { labelSelector: opts.selector, fieldSelector: fieldSelectors.length ? fieldSelectors.join(',') : undefined };
  const human = output === '' || output === 'wide';
  const now = () => ctx.now();

  if (human) {
    const printer = new TablePrinter(tableOptions(ctx, opts, g.mapping, !!opts.showKind, output), true);
    let rv: string | undefined;
    if (g.names.length > 0 && !opts.watchOnly) {
      // A named watch lists just that object (kubectl does a GET first).
      const resp = await client.get(objectPath(g.mapping, ns, g.names[0]), { accept: TABLE_ACCEPT, query: { includeObject: 'Metadata' }, signal: ctx.signal });
      const t = asTable(resp, now());
      ctx.out(printer.print(t));
      rv = t.metadata?.resourceVersion;
    } else {
      const resp = await client.list(path, { accept: TABLE_ACCEPT, query: { ...query, includeObject: 'Metadata' }, signal: ctx.signal });
      const t = asTable(resp, now());
      printer.setColumns(t);
      if (!opts.watchOnly) ctx.out(printer.print(t));
      rv = t.metadata?.resourceVersion;
    }
    await client.watch<unknown>(
      path,
      { ...query, includeObject: 'Metadata', resourceVersion: rv },
      (ev) => {
        const e = watchEventError(ev);
        if (e) throw e;
        if (ev.type === 'BOOKMARK') return;
        ctx.out(printer.print(asTable(ev.object, now())));
      },
      { accept: TABLE_ACCEPT, signal: ctx.signal },
    );
    return;
  }

  // -o json|yaml|name: print the objects themselves.
  const { items, resourceVersion } = await listAll(ctx, g.mapping, ns, query);
  let first = true;
  const emit = (obj: KObject) => {
    if (output === 'name') ctx.out(`${objectName(obj)}\n`);
    else if (output === 'json') ctx.out(toJson(obj));
    else {
      ctx.out((first ? '' : '---\n') + toYaml(obj));
    }
    first = false;
  };
  if (!opts.watchOnly) for (const o of items) emit(o);
  await client.watch<KObject>(
    path,
    { ...query, resourceVersion },
    (ev) => {
      const e = watchEventError(ev);
      if (e) throw e;
      if (ev.type === 'BOOKMARK') return;
      emit(withTypeMeta(ev.object, g.mapping));
    },
    { signal: ctx.signal },
  );
}
