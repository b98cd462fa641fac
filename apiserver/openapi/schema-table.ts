/**
 * The shape of the compact schema table (`schemas.generated.ts`) that strict field
 * validation and the `/openapi/v3` documents are built from.
 *
 * One entry per Kubernetes schema, keyed by Kubernetes' own schema name
 * (`io.k8s.api.core.v1.Pod`, `io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`), so the
 * OpenAPI output can use the names kubectl and other clients expect without a mapping.
 * The table is data only; nothing here does I/O.
 */

/**
 * A property's type, as a short string:
 * - `string`, `boolean`, `int32`, `int64`, `number`: JSON scalars (ints carry Go's width,
 *   which the decode error messages name); `bytes`: a base64 string (Go `[]byte`);
 * - `@<schema name>`: a reference to another entry of the table;
 * - `[]<type>`: a JSON array of `<type>`;
 * - `{}<type>`: a JSON object used as a map from string to `<type>`.
 */
export type TypeSpec = string;

export interface RawSchema {
  /** Description, as upstream documents the type. */
  d?: string;
  /** Non-object schemas (Quantity, Time, IntOrString…): the JSON type, `object` meaning free-form. */
  t?: 'string' | 'object';
  /** Format of a non-object schema (`date-time`, `int-or-string`). */
  f?: string;
  /** Properties: name → [type, description]. */
  p?: Record<string, [TypeSpec, string?]>;
  /** Required properties. */
  r?: string[];
  /** Group, version, kind for top-level kinds (`x-kubernetes-group-version-kind`). */
  k?: [string, string, string];
  /** Enumerated values of a string property, by property name (used for `enum` in OpenAPI). */
  e?: Record<string, string[]>;
}

export type SchemaTable = Record<string, RawSchema>;
