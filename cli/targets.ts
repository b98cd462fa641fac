/**
 * Manifest objects → where they go: the resource (from the server's discovery, by
 * apiVersion + kind), the namespace (the manifest's own, else -n, else the context's;
 * a manifest namespace that contradicts an explicit -n is kubectl's error) and the name.
 * Done for every object before any request, so a bad object stops the whole command.
 */
import type { KObject } from '../shared/api/types';
import { NoMatchError, type ResourceMapping } from '../shared/client/restmapper';
import type { CliContext } from './context';
import { CliError } from './errors';
import type { ManifestObject } from './manifest';

export interface Target {
  source: string;
  object: KObject;
  mapping: ResourceMapping;
  namespace?: string;
  /** May be '' when the manifest only has generateName (create allows that). */
  name: string;
}

export async function resolveTargets(ctx: CliContext, manifests: ManifestObject[], opts: { requireName: boolean }): Promise<Target[]> {
  const mapper = await ctx.mapper();
  const out: Target[] = [];
  for (const { source, object } of manifests) {
    let mapping: ResourceMapping;
    try {
      mapping = mapper.kindFor(object.apiVersion as string, object.kind as string);
    } catch (err) {
      if (err instanceof NoMatchError) {
        throw new CliError(`resource mapping not found for name: ${JSON.stringify(object.metadata?.name ?? '')} namespace: ${JSON.stringify(object.metadata?.namespace ?? '')} from "${source}": ${err.message}\nensure CRDs are installed first`);
      }
      throw err;
    }
    const name = object.metadata?.name ?? '';
    if (!name && (opts.requireName || !object.metadata?.generateName)) {
      throw new CliError(`error when retrieving current configuration of:\nResource: "${mapping.group ? `${mapping.group}/${mapping.version}` : mapping.version}, Resource=${mapping.resource}", GroupVersionKind: "${object.apiVersion}, Kind=${object.kind}"\nName: "", Namespace: "${object.metadata?.namespace ?? ''}"\nfrom server for: "${source}": resource name may not be empty`);
    }
    let namespace: string | undefined;
    if (mapping.namespaced) {
      const own = object.metadata?.namespace;
      if (own && ctx.namespaceExplicit && own !== ctx.namespace()) {
        throw new CliError(`the namespace from the provided object "${own}" does not match the namespace "${ctx.namespace()}". You must pass '--namespace=${own}' to perform this operation.`);
      }
      namespace = own || ctx.namespace();
      // kubectl records the namespace in the object (and so in last-applied) too.
      object.metadata = { ...object.metadata, namespace };
    }
    out.push({ source, object, mapping, namespace, name });
  }
  return out;
}
