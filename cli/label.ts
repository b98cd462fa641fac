/**
 * `k8ts label` and `k8ts annotate`: `TYPE NAME… key=value key2-` (or TYPE/NAME, `-l`,
 * `--all`, `-f`). Each object is read, the change computed and checked (changing an
 * existing value needs `--overwrite`, as in kubectl), and sent as a JSON merge patch of
 * just `metadata.labels` / `metadata.annotations` (`fieldManager=kubectl-label` /
 * `kubectl-annotate`), so concurrent changes to other keys are kept.
 */
import type { Command } from 'commander';
import type { KObject } from '../shared/api/types';
import { groupKindName, type ResourceMapping } from '../shared/client/restmapper';
import type { Runner } from './command';
import type { CliContext } from './context';
import { CliError, ExitError, formatError } from './errors';
import { readManifests } from './manifest';
import { ObjectPrinter } from './object-printer';
import { dryRunSuffix, listAll, objectPath, parseDryRun, parseOutput, resolveResourceArgs } from './resources';
import { resolveTargets } from './targets';

export type MetaField = 'labels' | 'annotations';

export interface MetaUpdate {
  add: Record<string, string>;
  remove: string[];
}

const NAME_RE = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Kubernetes' IsQualifiedName: `[prefix/]name`; returns the problems (empty = valid). */
export function qualifiedNameErrors(key: string): string[] {
  const parts = key.split('/');
  let name = key;
  const errs: string[] = [];
  if (parts.length === 2) {
    const [prefix, n] = parts;
    name = n;
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else if (prefix.length > 253 || !DNS_SUBDOMAIN_RE.test(prefix)) errs.push("prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
  } else if (parts.length > 2) {
    return ["a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push('name part must be no more than 63 characters');
  else if (!NAME_RE.test(name)) errs.push("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
  return errs;
}

export function labelValueErrors(value: string): string[] {
  if (value === '') return [];
  const errs: string[] = [];
  if (value.length > 63) errs.push('must be no more than 63 characters');
  if (!NAME_RE.test(value)) errs.push("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
  return errs;
}

/** Is this argument a change (`k=v`, `k-`) rather than a resource? (kubectl's test.) */
function isPair(arg: string): boolean {
  return arg.includes('=') || (arg.endsWith('-') && arg.length > 1);
}

/**
 * Splits `pods web env=prod tier-` into resources and changes and validates the changes.
 * Resources must come before changes, as kubectl requires.
 */
export function parseMetaArgs(args: string[], field: MetaField): { resources: string[]; update: MetaUpdate } {
  const resources: string[] = [];
  const pairs: string[] = [];
  for (const a of args) {
    if (isPair(a)) pairs.push(a);
    else if (pairs.length > 0) throw new CliError(`all resources must be specified before ${field === 'labels' ? 'label' : 'annotation'} changes: ${a}`);
    else resources.push(a);
  }
  const add: Record<string, string> = {};
  const remove: string[] = [];
  for (const p of pairs) {
    if (p.includes('=')) {
      let key: string;
      let value: string;
      if (field === 'labels') {
        const parts = p.split('=');
        if (parts.length !== 2) throw new CliError(`invalid label spec: ${p}`);
        [key, value] = parts;
        const verrs = labelValueErrors(value);
        if (verrs.length) throw new CliError(`invalid label value: ${JSON.stringify(p)}: ${verrs.join(';')}`);
      } else {
        const i = p.indexOf('=');
        key = p.slice(0, i);
        value = p.slice(i + 1);
        if (key === '') throw new CliError(`invalid annotation format: ${p}`);
      }
      const kerrs = qualifiedNameErrors(key);
      if (kerrs.length) throw new CliError(`invalid ${field === 'labels' ? 'label' : 'annotation'} spec: ${p}: ${kerrs.join('; ')}`);
      add[key] = value;
    } else {
      remove.push(p.slice(0, -1));
    }
  }
  for (const r of remove) {
    if (r in add) throw new CliError(`can not both modify and remove ${field === 'labels' ? 'a label' : 'an annotation'} in the same command`);
  }
  return { resources, update: { add, remove } };
}

/**
 * The new map after the update. Throws kubectl's error when an existing key would get a
 * different value without --overwrite.
 */
export function applyMetaUpdate(current: Record<string, string> | undefined, update: MetaUpdate, overwrite: boolean): Record<string, string> {
  const cur = current ?? {};
  if (!overwrite) {
    const errs: string[] = [];
    for (const [k, v] of Object.entries(update.add)) {
      if (k in cur && cur[k] !== v) errs.push(`'${k}' already has a value (${cur[k]}), and --overwrite is false`);
    }
    if (errs.length === 1) throw new CliError(errs[0]);
    if (errs.length > 1) throw new CliError(`[${errs.join(', ')}]`);
  }
  const next: Record<string, string> = { ...cur, ...update.add };
  for (const r of update.remove) delete next[r];
  return next;
}

/** The merge patch for `metadata[field]` going from `before` to `after` (undefined = no change). */
export function metaPatch(field: MetaField, before: Record<string, string> | undefined, after: Record<string, string>, resourceVersion?: string): Record<string, unknown> | undefined {
  const b = before ?? {};
  const diff: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(after)) if (b[k] !== v) diff[k] = v;
  for (const k of Object.keys(b)) if (!(k in after)) diff[k] = null;
  if (Object.keys(diff).length === 0) return undefined;
  const metadata: Record<string, unknown> = { [field]: diff };
  if (resourceVersion) metadata.resourceVersion = resourceVersion;
  return { metadata };
}

/** kubectl's verdict: `labeled`, `unlabeled` (only removals, without --overwrite) or `not labeled`. */
export function labelMessage(before: Record<string, string> | undefined, after: Record<string, string>, overwrite: boolean): string {
  const b = JSON.stringify(before ?? {});
  const a = JSON.stringify(after);
  if (b === a) return 'not labeled';
  if (!overwrite && a.length < b.length) return 'unlabeled';
  return 'labeled';
}

interface MetaOptions {
  overwrite?: boolean;
  selector?: string;
  fieldSelector?: string;
  all?: boolean;
  filename?: string[];
  recursive?: boolean;
  dryRun?: string | boolean;
  output?: string;
  resourceVersion?: string;
  list?: boolean;
}

function register(program: Command, run: Runner, field: MetaField): void {
  const verb = field === 'labels' ? 'label' : 'annotate';
  const cmd = program
    .command(verb)
    .description(field === 'labels' ? 'Update the labels on a resource' : 'Update the annotations on a resource')
    .argument('<args...>', `TYPE NAME... | TYPE/NAME... then KEY=VALUE ... KEY- ...`)
    .option('--overwrite', 'allow changing existing values')
    .option('-l, --selector <selector>', 'label selector')
    .option('--field-selector <selector>', 'field selector')
    .option('--all', 'select all resources of the type in the namespace')
    .option('-f, --filename <file>', 'file(s) naming the objects to update', (v: string, p: string[] = []) => [...p, v])
    .option('-R, --recursive', 'process the directory used in -f recursively')
    .option('--dry-run [strategy]', 'none|client|server')
    .option('-o, --output <format>', 'json|yaml|name')
    .option('--resource-version <rv>', 'only update if the object is still at this resourceVersion');
  if (field === 'labels') cmd.option('--list', 'print the labels of the object instead of changing them');
  cmd
    .addHelpText('after', field === 'labels'
      ? `
Examples:
  k8ts label pods kubia-manual creation_method=manual
  k8ts label po web env=debug --overwrite
  k8ts label po web env-`
      : `
Examples:
  k8ts annotate pod web description='my web server'
  k8ts annotate pod web description-`)
    .action(run(async (ctx, opts, c) => runMeta(ctx, c.args, opts as MetaOptions, field)));
}

export function registerLabel(program: Command, run: Runner): void {
  register(program, run, 'labels');
}

export function registerAnnotate(program: Command, run: Runner): void {
  register(program, run, 'annotations');
}

interface Subject {
  mapping: ResourceMapping;
  namespace?: string;
  name: string;
}

export async function runMeta(ctx: CliContext, args: string[], opts: MetaOptions, field: MetaField): Promise<void> {
  const output = parseOutput(opts.output, ['', 'json', 'yaml', 'name']);
  const dryRun = parseDryRun(opts.dryRun);
  const { resources, update } = parseMetaArgs(args, field);
  const hasFiles = !!opts.filename && opts.filename.length > 0;
  if (resources.length === 0 && !hasFiles) throw new CliError('one or more resources must be specified as <resource> <name> or <resource>/<name>');
  if (!opts.list && Object.keys(update.add).length === 0 && update.remove.length === 0) {
    throw new CliError(`at least one ${field === 'labels' ? 'label' : 'annotation'} update is required`);
  }

  const subjects: Subject[] = [];
  const errors: unknown[] = [];
  if (hasFiles) {
    const manifests = await readManifests(opts.filename!, { cwd: ctx.cwd, stdin: ctx.io.stdin, recursive: opts.recursive });
    for (const t of await resolveTargets(ctx, manifests, { requireName: true })) subjects.push({ mapping: t.mapping, namespace: t.namespace, name: t.name });
  }
  if (resources.length > 0) {
    const resolved = await resolveResourceArgs(ctx, resources);
    const bySelector = !!opts.selector || !!opts.fieldSelector || !!opts.all;
    if (!resolved.namesGiven && !bySelector) throw new CliError('resource(s) were provided, but no name was specified');
    if (resolved.namesGiven && bySelector) throw new CliError('cannot use selectors or --all together with resource names');
    for (const g of resolved.groups) {
      if (resolved.namesGiven) {
        for (const name of g.names) subjects.push({ mapping: g.mapping, namespace: ctx.requestNamespace(g.mapping), name });
      } else {
        const { items } = await listAll(ctx, g.mapping, ctx.requestNamespace(g.mapping, true), { labelSelector: opts.selector, fieldSelector: opts.fieldSelector });
        for (const o of items) subjects.push({ mapping: g.mapping, namespace: g.mapping.namespaced ? o.metadata?.namespace : undefined, name: o.metadata?.name ?? '' });
      }
    }
  }

  const printer = new ObjectPrinter(ctx, output);
  const client = ctx.client();
  for (const s of subjects) {
    try {
      const path = objectPath(s.mapping, s.namespace, s.name);
      const obj = await client.get<KObject>(path, { signal: ctx.signal });
      const before = obj.metadata?.[field] as Record<string, string> | undefined;
      if (opts.list) {
        for (const k of Object.keys(before ?? {}).sort()) ctx.out(`${k}=${before![k]}\n`);
        continue;
      }
      const after = applyMetaUpdate(before, update, !!opts.overwrite);
      if (field === 'labels') {
        for (const r of update.remove) if (!(before && r in before)) ctx.out(`label ${JSON.stringify(r)} not found.\n`);
      }
      const patch = metaPatch(field, before, after, opts.resourceVersion);
      let result = obj;
      if (patch && dryRun !== 'client') {
        result = await client.patch<KObject>(path, patch, 'merge', {
          query: { fieldManager: field === 'labels' ? 'kubectl-label' : 'kubectl-annotate', dryRun: dryRun === 'server' ? 'All' : undefined },
          signal: ctx.signal,
        });
      } else if (patch) {
        result = { ...obj, metadata: { ...obj.metadata, [field]: after } };
      }
      const verdict = field === 'labels' ? labelMessage(before, after, !!opts.overwrite) : 'annotated';
      printer.print(result, `${groupKindName(s.mapping)}/${s.name} ${verdict}${dryRunSuffix(dryRun)}`);
    } catch (err) {
      errors.push(err);
    }
  }
  for (const err of errors) ctx.err(formatError(err) + '\n');
  if (errors.length > 0) throw new ExitError(1);
}
