/**
 * `k8ts set image TYPE/NAME… CONTAINER=IMAGE… [--all] [-l]`: changes container images in
 * the pod template (or the pod) with a strategic merge patch, `fieldManager=kubectl-set`,
 * and prints `deployment.apps/web image updated`. The patch names each changed container
 * by its merge key (`name`), so the server merges it into the existing list and a
 * concurrent change to another field of the template is kept. `*=IMAGE` sets every
 * container; init containers are matched by name too, as in kubectl.
 */
import type { Command } from 'commander';
import type { KObject } from '../shared/api/types';
import { groupKindName } from '../shared/client/restmapper';
import type { Runner } from './command';
import type { CliContext } from './context';
import { CliError, ExitError, formatError } from './errors';
import { ObjectPrinter } from './object-printer';
import { dryRunSuffix, objectPath, parseDryRun, parseOutput } from './resources';
import { resolveSubjects } from './subjects';

interface SetImageOptions {
  selector?: string;
  all?: boolean;
  dryRun?: string | boolean;
  output?: string;
  fieldManager?: string;
}

type Json = Record<string, unknown>;
type Container = { name?: string; image?: string };

export function registerSet(program: Command, run: Runner): void {
  const set = program.command('set').description('Set specific features on objects');
  set
    .command('image')
    .description('Update the image of a pod template')
    .argument('<args...>', 'TYPE NAME... | TYPE/NAME... then CONTAINER=IMAGE ...')
    .option('-l, --selector <selector>', 'label selector')
    .option('--all', 'select all resources of the type in the namespace')
    .option('--dry-run [strategy]', 'none|client|server')
    .option('-o, --output <format>', 'json|yaml|name')
    .option('--field-manager <name>', 'name of the manager used to track field ownership', 'kubectl-set')
    .addHelpText('after', `
Examples:
  k8ts set image deployment/web nginx=nginx:1.27
  k8ts set image deploy/web '*=nginx:1.27'`)
    .action(run(async (ctx, opts, cmd) => runSetImage(ctx, cmd.args, opts as SetImageOptions)));
}

/** Splits `deploy/web nginx=nginx:1.27` into resources and `container → image`. */
export function parseImageArgs(args: string[]): { resources: string[]; images: Map<string, string> } {
  const resources: string[] = [];
  const images = new Map<string, string>();
  for (const a of args) {
    const i = a.indexOf('=');
    if (i < 0) {
      if (images.size > 0) throw new CliError(`all resources must be specified before image changes: ${a}`);
      resources.push(a);
      continue;
    }
    const name = a.slice(0, i);
    const image = a.slice(i + 1);
    if (!name || !image) throw new CliError(`invalid image spec: ${a}`);
    images.set(name, image);
  }
  if (images.size === 0) throw new CliError('at least one image update is required');
  return { resources, images };
}

/** Where the pod spec sits in each kind; undefined when the kind has none. */
export function podSpecPath(kind: string): string[] | undefined {
  switch (kind) {
    case 'Pod':
      return ['spec'];
    case 'CronJob':
      return ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'Job':
    case 'ReplicationController':
    case 'PodTemplate':
      return kind === 'PodTemplate' ? ['template', 'spec'] : ['spec', 'template', 'spec'];
    default:
      return undefined;
  }
}

/**
 * The strategic merge patch setting the images (undefined when nothing changes), or
 * kubectl's error for a container name the object does not have.
 */
export function imagePatch(obj: KObject, images: Map<string, string>): Json | undefined {
  const path = podSpecPath(obj.kind ?? '');
  if (!path) throw new CliError(`${obj.kind} does not have a pod template`);
  let spec: Json | undefined = obj as unknown as Json;
  for (const p of path) spec = spec?.[p] as Json | undefined;
  const lists: Record<string, Container[]> = {};
  for (const field of ['initContainers', 'containers'] as const) {
    const changed: Container[] = [];
    for (const c of (spec?.[field] as Container[] | undefined) ?? []) {
      const image = images.get(c.name ?? '') ?? images.get('*');
      if (image !== undefined && image !== c.image) changed.push({ name: c.name, image });
    }
    if (changed.length) {
      // kubectl's two-way patch also pins the list order by merge key.
      lists[`$setElementOrder/${field}`] = ((spec?.[field] as Container[]) ?? []).map((c) => ({ name: c.name }));
      lists[field] = changed;
    }
  }
  const all = [...((spec?.initContainers as Container[] | undefined) ?? []), ...((spec?.containers as Container[] | undefined) ?? [])];
  for (const name of images.keys()) {
    if (name !== '*' && !all.some((c) => c.name === name)) throw new CliError(`unable to find container named "${name}"`);
  }
  if (Object.keys(lists).length === 0) return undefined;
  let patch: Json = lists;
  for (const p of [...path].reverse()) patch = { [p]: patch };
  return patch;
}

/** The object with the patch's images applied (for --dry-run=client printing). */
function applyImages(obj: KObject, images: Map<string, string>): KObject {
  const copy = structuredClone(obj) as unknown as Json;
  let spec: Json | undefined = copy;
  for (const p of podSpecPath(obj.kind ?? '') ?? []) spec = spec?.[p] as Json | undefined;
  for (const field of ['initContainers', 'containers']) {
    for (const c of (spec?.[field] as Container[] | undefined) ?? []) {
      const image = images.get(c.name ?? '') ?? images.get('*');
      if (image !== undefined) c.image = image;
    }
  }
  return copy as unknown as KObject;
}

export async function runSetImage(ctx: CliContext, args: string[], opts: SetImageOptions): Promise<void> {
  const output = parseOutput(opts.output, ['', 'json', 'yaml', 'name']);
  const dryRun = parseDryRun(opts.dryRun);
  const { resources, images } = parseImageArgs(args);
  const subjects = await resolveSubjects(ctx, resources, opts);
  const client = ctx.client();
  const printer = new ObjectPrinter(ctx, output);
  const errors: unknown[] = [];
  for (const s of subjects) {
    try {
      const path = objectPath(s.mapping, s.namespace, s.name);
      const obj = await client.get<KObject>(path, { signal: ctx.signal });
      const patch = imagePatch(obj, images);
      let result = obj;
      // Nothing to change: kubectl sends nothing and prints nothing.
      if (!patch) continue;
      if (dryRun !== 'client') {
        result = await client.patch<KObject>(path, patch, 'strategic', {
          query: { fieldManager: opts.fieldManager ?? 'kubectl-set', dryRun: dryRun === 'server' ? 'All' : undefined },
          signal: ctx.signal,
        });
      } else {
        result = applyImages(obj, images);
      }
      printer.print(result, `${groupKindName(s.mapping)}/${s.name} image updated${dryRunSuffix(dryRun)}`);
    } catch (err) {
      errors.push(err);
    }
  }
  for (const err of errors) ctx.err(formatError(err) + '\n');
  if (errors.length > 0) throw new ExitError(1);
}
