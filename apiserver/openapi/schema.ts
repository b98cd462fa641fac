/**
 * Read access to the generated schema table: find a kind's schema, decode a property's
 * type string. Strict field validation and the OpenAPI documents both go through here so
 * they can never disagree about what a field is.
 *
 * Everything is built once at load and read-only afterwards.
 */
import type { GroupVersionKind } from '../../shared/api/types';
import type { RawSchema, TypeSpec } from './schema-table';
import { SCHEMAS } from './schemas.generated';

export { SCHEMAS };

export const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
export const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

/** A decoded type string. */
export type FieldType =
  | { kind: 'scalar'; type: 'string' | 'bytes' | 'boolean' | 'int32' | 'int64' | 'number' }
  | { kind: 'ref'; name: string; schema: RawSchema }
  | { kind: 'array'; items: FieldType }
  | { kind: 'map'; values: FieldType };

const parsed = new Map<TypeSpec, FieldType>();

export function parseType(spec: TypeSpec): FieldType {
  let t = parsed.get(spec);
  if (t) return t;
  if (spec.startsWith('[]')) t = { kind: 'array', items: parseType(spec.slice(2)) };
  else if (spec.startsWith('{}')) t = { kind: 'map', values: parseType(spec.slice(2)) };
  else if (spec.startsWith('@')) {
    const name = spec.slice(1);
    const schema = SCHEMAS[name];
    if (!schema) throw new Error(`schema table refers to missing ${name}`);
    t = { kind: 'ref', name, schema };
  } else if (spec === 'string' || spec === 'bytes' || spec === 'boolean' || spec === 'int32' || spec === 'int64' || spec === 'number') t = { kind: 'scalar', type: spec };
  else throw new Error(`bad type spec ${spec}`);
  parsed.set(spec, t);
  return t;
}

/** `io.k8s.api.core.v1.PodSpec` → `PodSpec`. */
export function shortName(schemaName: string): string {
  return schemaName.slice(schemaName.lastIndexOf('.') + 1);
}

const gvkKey = (group: string, version: string, kind: string) => `${group}/${version}/${kind}`;
const byGVK = new Map<string, string>();
for (const [name, s] of Object.entries(SCHEMAS)) if (s.k) byGVK.set(gvkKey(s.k[0], s.k[1], s.k[2]), name);

/** Kinds every group-version accepts (kubectl sends `apiVersion: v1` DeleteOptions to apps, too). */
const ANY_VERSION_KINDS: Record<string, string> = {
  DeleteOptions: `${META}DeleteOptions`,
  Status: `${META}Status`,
};

/** The schema name for a kind, or undefined when k8ts has no schema for it. */
export function schemaNameFor(gvk: GroupVersionKind): string | undefined {
  return byGVK.get(gvkKey(gvk.group, gvk.version, gvk.kind)) ?? ANY_VERSION_KINDS[gvk.kind];
}

/** Every schema name with a top-level GVK, for documents and tests. */
export function kindSchemas(): { name: string; gvk: GroupVersionKind }[] {
  return Object.entries(SCHEMAS)
    .filter(([, s]) => s.k)
    .map(([name, s]) => ({ name, gvk: { group: s.k![0], version: s.k![1], kind: s.k![2] } }));
}
