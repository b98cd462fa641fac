/**
 * `k8ts create deployment|job|namespace|configmap|secret generic|serviceaccount NAME`:
 * kubectl's generator subcommands, hung under the existing `create` (cli/create.ts keeps
 * `create -f`). Each builds kubectl's object (cli/generators.ts), POSTs it with
 * `fieldManager=kubectl-create&fieldValidation=Strict` and prints
 * `deployment.apps/web created`, or prints it for `--dry-run=client -o yaml`.
 *
 * Options given before the subcommand name (`create -o yaml deployment …`) belong to
 * the parent `create`, so the subcommands read the parent's options as well as their own.
 */
import type { Command } from 'commander';
import { ApiError } from '../shared/api/errors';
import type { KObject } from '../shared/api/types';
import { groupKindName } from '../shared/client/restmapper';
import type { Runner } from './command';
import type { CliContext } from './context';
import { fieldValidation } from './create';
import { CliError } from './errors';
import { collectSources, configMapObject, deploymentObject, goZeroValues, jobObject, namespaceObject, secretObject, serviceAccountObject } from './generators';
import { ObjectPrinter } from './object-printer';
import { collectionPath, dryRunSuffix, parseDryRun, parseOutput } from './resources';

interface GenOptions {
  dryRun?: string | boolean;
  output?: string;
  validate?: string | boolean;
  fieldManager?: string;
  image?: string[] | string;
  replicas?: string;
  port?: string;
  fromLiteral?: string[];
  fromFile?: string[];
  type?: string;
}

const repeat = (v: string, p: string[] = []) => [...p, v];

/** The parent `create`'s options, then the subcommand's own (and `secret generic`'s grandparent). */
function mergedOptions(cmd: Command): GenOptions {
  const chain: Command[] = [];
  for (let c: Command | null = cmd; c && c.parent; c = c.parent) chain.unshift(c);
  const out: Record<string, unknown> = {};
  for (const c of chain) for (const [k, v] of Object.entries(c.opts())) if (v !== undefined) out[k] = v;
  return out as GenOptions;
}

function addCommon(cmd: Command): Command {
  return cmd
    .option('--dry-run [strategy]', 'none|client|server')
    .option('-o, --output <format>', 'json|yaml|name')
    .option('--validate [mode]', 'strict|warn|ignore')
    .option('--field-manager <name>', 'name of the manager used to track field ownership');
}

export function registerCreateGenerators(program: Command, run: Runner): void {
  const create = program.commands.find((c) => c.name() === 'create');
  if (!create) throw new Error('registerCreateGenerators: `create` must be registered first');
  // `create` stops at the subcommand name and hands it the rest, so a container command
  // after `--` (`-- perl -e 1`) reaches the subcommand intact.
  create.enablePositionalOptions();

  addCommon(create.command('deployment').alias('deploy'))
    .description('Create a deployment with the specified name')
    .argument('[name]')
    .argument('[command...]', 'after --: the command of the container')
    .option('--image <image>', 'image of a container (repeatable: one container each)', repeat)
    .option('-r, --replicas <n>', 'number of replicas', '1')
    .option('--port <port>', 'the port the first container exposes', '-1')
    .action(run(async (ctx, _o, cmd) => {
      const o = mergedOptions(cmd);
      const [name, ...command] = cmd.args;
      const images = ([] as string[]).concat(o.image ?? []);
      if (!name) throw new CliError('NAME is required');
      if (images.length === 0) throw new CliError('required flag(s) "image" not set');
      if (command.length > 0 && images.length > 1) throw new CliError('cannot specify multiple --image options and command');
      const replicas = Number(o.replicas ?? '1');
      if (!Number.isInteger(replicas)) throw new CliError(`invalid argument "${o.replicas}" for "-r, --replicas" flag`);
      const port = Number(o.port ?? '-1');
      const obj = deploymentObject({ name, images, replicas, port, command, namespace: ns(ctx) });
      await createGenerated(ctx, obj, o);
    }));

  addCommon(create.command('job'))
    .description('Create a job with the specified name')
    .argument('[name]')
    .argument('[command...]', 'after --: the command of the container')
    .option('--image <image>', 'image name to run')
    .option('--from <resource>', 'the cronjob to create the job from (not supported yet)')
    .action(run(async (ctx, _o, cmd) => {
      const o = mergedOptions(cmd) as GenOptions & { from?: string };
      const [name, ...command] = cmd.args;
      if (!name) throw new CliError('NAME is required');
      if (o.from) throw new CliError('--from is not supported yet');
      const image = Array.isArray(o.image) ? o.image[0] : o.image;
      if (!image) throw new CliError('--image must be specified');
      await createGenerated(ctx, jobObject({ name, image, command, namespace: ns(ctx) }), o);
    }));

  addCommon(create.command('namespace').alias('ns'))
    .description('Create a namespace with the specified name')
    .argument('[name]')
    .action(run(async (ctx, _o, cmd) => {
      const name = cmd.args[0];
      if (!name) throw new CliError('NAME is required');
      await createGenerated(ctx, namespaceObject(name), mergedOptions(cmd));
    }));

  addCommon(create.command('serviceaccount').alias('sa'))
    .description('Create a service account with the specified name')
    .argument('[name]')
    .action(run(async (ctx, _o, cmd) => {
      const name = cmd.args[0];
      if (!name) throw new CliError('NAME is required');
      await createGenerated(ctx, serviceAccountObject(name, ns(ctx)), mergedOptions(cmd));
    }));

  addCommon(create.command('configmap').alias('cm'))
    .description('Create a config map from a local file, directory or literal value')
    .argument('[name]')
    .option('--from-literal <key=value>', 'a key and literal value (repeatable)', repeat)
    .option('--from-file <[key=]source>', 'a file, or a directory of files (repeatable)', repeat)
    .action(run(async (ctx, _o, cmd) => {
      const name = cmd.args[0];
      if (!name) throw new CliError('NAME is required');
      const o = mergedOptions(cmd);
      const sources = collectSources(o.fromLiteral ?? [], o.fromFile ?? [], ctx.cwd);
      await createGenerated(ctx, configMapObject(name, sources, ns(ctx)), o);
    }));

  const secret = create.command('secret').description('Create a secret (generic)');
  addCommon(secret.command('generic'))
    .description('Create a secret from a local file, directory or literal value')
    .argument('[name]')
    .option('--from-literal <key=value>', 'a key and literal value (repeatable)', repeat)
    .option('--from-file <[key=]source>', 'a file, or a directory of files (repeatable)', repeat)
    .option('--type <type>', 'the type of secret to create')
    .action(run(async (ctx, _o, cmd) => {
      const name = cmd.args[0];
      if (!name) throw new CliError('NAME is required');
      const o = mergedOptions(cmd);
      const sources = collectSources(o.fromLiteral ?? [], o.fromFile ?? [], ctx.cwd);
      await createGenerated(ctx, secretObject(name, sources, o.type, ns(ctx)), o);
    }));
}

/** How each `kubectl create <generator>` words a server error (namespace: not at all; secret: no colon). */
const FAILURE_PREFIX: Record<string, string> = {
  Deployment: 'failed to create deployment: ',
  Job: 'failed to create job: ',
  ConfigMap: 'failed to create configmap: ',
  Secret: 'failed to create secret ',
  ServiceAccount: 'failed to create serviceaccount: ',
};

/** kubectl sets the namespace in the object only when -n was given (EnforceNamespace). */
function ns(ctx: CliContext): string | undefined {
  return ctx.namespaceExplicit ? ctx.namespace() : undefined;
}

async function createGenerated(ctx: CliContext, obj: KObject, o: GenOptions): Promise<void> {
  const output = parseOutput(o.output, ['', 'json', 'yaml', 'name']);
  const dryRun = parseDryRun(o.dryRun);
  const mapper = await ctx.mapper();
  const mapping = mapper.kindFor(obj.apiVersion as string, obj.kind as string);
  const printer = new ObjectPrinter(ctx, output);
  const message = `${groupKindName(mapping)}/${obj.metadata?.name} created${dryRunSuffix(dryRun)}`;
  if (dryRun === 'client') {
    printer.print(goZeroValues(obj), message);
    return;
  }
  // kubectl sends its typed object, Go zero values included; the server keeps e.g. the
  // template's `creationTimestamp: null` (and its managedFields entry), so send the same.
  let created: KObject;
  try {
    created = await ctx.client().create<KObject>(collectionPath(mapping, ctx.requestNamespace(mapping)), goZeroValues(obj), {
      query: { fieldManager: o.fieldManager ?? 'kubectl-create', fieldValidation: fieldValidation(o.validate), dryRun: dryRun === 'server' ? 'All' : undefined },
      signal: ctx.signal,
    });
  } catch (err) {
    // Most of kubectl's generators wrap the server's error in their own words.
    const prefix = FAILURE_PREFIX[obj.kind ?? ''];
    if (prefix && err instanceof ApiError) throw new CliError(`${prefix}${err.message}`);
    throw err;
  }
  printer.print(created, message);
}
