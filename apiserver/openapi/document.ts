/**
 * `/openapi/v3`: the index and one OpenAPI 3.0 document per served group-version, shaped
 * like kube-apiserver's so that kubectl uses them:
 * - `create -f`/`apply` look for a PATCH operation carrying the kind's
 *   `x-kubernetes-group-version-kind` and a `fieldValidation` query parameter; finding
 *   one, kubectl skips client-side validation and sends `fieldValidation=Strict`;
 * - `kubectl explain` finds the kind's schema by the same extension in
 *   `components.schemas` and walks `properties`, `allOf`/`$ref`, `items`.
 *
 * Documents are built once, at load, from the schema table and the RESOURCES table;
 * each carries a content hash (sha512, upper-case hex like kube-apiserver's) that the
 * index puts in its `serverRelativeURL` and that callers can use as an ETag.
 */
import { schemaFor, type ObjectSchema as PatchObjectSchema } from '../patch/schema';
import { createHash } from 'crypto';
import { RESOURCES, type ResourceInfo } from '../registry/resources';
import type { RawSchema } from './schema-table';
import { INT_OR_STRING, META, parseType, QUANTITY, SCHEMAS, schemaNameFor, type FieldType } from './schema';

type Json = Record<string, unknown>;

const PATCH_SCHEMA = `${META}Patch`;
const REF = (name: string) => `#/components/schemas/${name}`;

/** `apps` → `Apps`, `networking.k8s.io` → `Networking`, core → `Core` (operation ids and tags). */
function groupWord(group: string): string {
  const g = group === '' ? 'core' : group.split('.')[0];
  return g[0].toUpperCase() + g.slice(1);
}

function gvPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

// ---------------------------------------------------------------- schemas

function propertySchema(t: FieldType, description: string | undefined, enumValues: string[] | undefined, top: boolean): Json {
  const out: Json = {};
  if (description && top) out.description = description;
  switch (t.kind) {
    case 'scalar':
      if (t.type === 'int32' || t.type === 'int64') Object.assign(out, { type: 'integer', format: t.type });
      else if (t.type === 'number') Object.assign(out, { type: 'number', format: 'double' });
      else if (t.type === 'bytes') Object.assign(out, { type: 'string', format: 'byte' });
      else out.type = t.type;
      if (enumValues) out.enum = enumValues;
      return out;
    case 'array':
      return Object.assign(out, { type: 'array', items: propertySchema(t.items, undefined, enumValues, false) });
    case 'map':
      return Object.assign(out, { type: 'object', additionalProperties: propertySchema(t.values, undefined, undefined, false) });
    case 'ref':
      // Kubernetes wraps a struct reference in allOf so siblings (description, default) are legal.
      if (t.schema.t) {
        if (!top || !description) return { $ref: REF(t.name) };
        return Object.assign(out, { allOf: [{ $ref: REF(t.name) }] });
      }
      return Object.assign(out, { allOf: [{ $ref: REF(t.name) }], default: {} });
  }
}

function componentSchema(name: string, s: RawSchema, gvks: Json[] | undefined): Json {
  const out: Json = {};
  if (s.d) out.description = s.d;
  // kube-openapi gives these two "one of" types in v3 (no `type`), which is also what
  // makes `kubectl explain` print <IntOrString> / <Quantity> instead of <string>.
  if (name === INT_OR_STRING) return Object.assign(out, { format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] });
  if (name === QUANTITY) return Object.assign(out, { oneOf: [{ type: 'string' }, { type: 'number' }] });
  if (s.t) {
    out.type = s.t;
    if (s.f) out.format = s.f;
    return out;
  }
  out.type = 'object';
  if (s.p) {
    const props: Json = {};
    for (const [pname, [spec, desc]] of Object.entries(s.p)) props[pname] = propertySchema(parseType(spec), desc, s.e?.[pname], true);
    out.properties = props;
  }
  if (s.r) out.required = s.r;
  if (gvks) out['x-kubernetes-group-version-kind'] = gvks;
  return out;
}

/** Every schema `roots` refers to, transitively. */
function closure(roots: string[]): string[] {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length) {
    const n = stack.pop() as string;
    if (seen.has(n) || !SCHEMAS[n]) continue;
    seen.add(n);
    for (const [spec] of Object.values(SCHEMAS[n].p ?? {})) {
      const m = /@(.+)$/.exec(spec);
      if (m) stack.push(m[1]);
    }
  }
  return [...seen].sort();
}

// ---------------------------------------------------------------- operations

const q = (name: string, description: string, type: 'string' | 'boolean' | 'integer' = 'string'): Json => ({
  name, in: 'query', description, schema: { type, uniqueItems: true },
});

const P = {
  pretty: q('pretty', "If 'true', then the output is pretty printed. Defaults to 'false' unless the user-agent indicates a browser or command-line HTTP tool (curl and wget)."),
  dryRun: q('dryRun', 'When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed'),
  fieldManager: q('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint.'),
  fieldValidation: q('fieldValidation', 'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. This is the default behavior prior to v1.23. - Warn: This will send a warning via the standard warning response header for each unknown field that is dropped from the object, and for each duplicate field that is encountered. The request will still succeed if there are no other errors, and will only persist the last of any duplicate fields. This is the default in v1.23+ - Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present. The error returned from the server will contain all unknown and duplicate fields encountered.'),
  force: q('force', 'Force is going to "force" Apply requests. It means user will re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch requests.', 'boolean'),
  gracePeriodSeconds: q('gracePeriodSeconds', 'The duration in seconds before the object should be deleted. Value must be non-negative integer. The value zero indicates delete immediately. If this value is nil, the default grace period for the specified type will be used. Defaults to a per object value if not specified. zero means delete immediately.', 'integer'),
  propagationPolicy: q('propagationPolicy', "Whether and how garbage collection will be performed. Either this field or OrphanDependents may be set, but not both. The default policy is decided by the existing finalizer set in the metadata.finalizers and the resource-specific default policy. Acceptable values are: 'Orphan' - orphan the dependents; 'Background' - allow the garbage collector to delete the dependents in the background; 'Foreground' - a cascading policy that deletes all dependents in the foreground."),
  labelSelector: q('labelSelector', 'A selector to restrict the list of returned objects by their labels. Defaults to everything.'),
  fieldSelector: q('fieldSelector', 'A selector to restrict the list of returned objects by their fields. Defaults to everything.'),
  limit: q('limit', 'limit is a maximum number of responses to return for a list call. If more items exist, the server will set the `continue` field on the list metadata to a value that can be used with the same initial query to retrieve the next set of results.', 'integer'),
  continue: q('continue', 'The continue option should be set when retrieving more results from the server. Since this value is server defined, clients may only use the continue value from a previous query result with identical query parameters (except for the value of continue).'),
  resourceVersion: q('resourceVersion', 'resourceVersion sets a constraint on what resource versions a request may be served from. See https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions for details.\n\nDefaults to unset'),
  resourceVersionMatch: q('resourceVersionMatch', 'resourceVersionMatch determines how resourceVersion is applied to list calls. It is highly recommended that resourceVersionMatch be set for list calls where resourceVersion is set See https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions for details.\n\nDefaults to unset'),
  timeoutSeconds: q('timeoutSeconds', 'Timeout for the list/watch call. This limits the duration of the call, regardless of any activity or inactivity.', 'integer'),
  watch: q('watch', 'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications. Specify resourceVersion.', 'boolean'),
  allowWatchBookmarks: q('allowWatchBookmarks', 'allowWatchBookmarks requests watch events with type "BOOKMARK". Servers that do not implement bookmarks may ignore this flag and bookmarks are sent at the server\'s discretion. Clients should not assume bookmarks are returned at any specific interval, nor may they assume the server will send any BOOKMARK event during a session. If this is not a watch, this field is ignored.', 'boolean'),
};

const pathParam = (name: string, description: string): Json => ({ name, in: 'path', description, required: true, schema: { type: 'string', uniqueItems: true } });
const NAME = (kind: string) => pathParam('name', `name of the ${kind}`);
const NAMESPACE = pathParam('namespace', 'object name and auth scope, such as for teams and projects');

const MEDIA = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
const content = (schemaName: string, media = MEDIA): Json => Object.fromEntries(media.map((m) => [m, { schema: { $ref: REF(schemaName) } }]));
const ok = (schemaName: string, codes: string[]): Json => ({
  ...Object.fromEntries(codes.map((c) => [c, { description: c === '201' ? 'Created' : c === '202' ? 'Accepted' : 'OK', content: content(schemaName) }])),
  '401': { description: 'Unauthorized' },
});

interface OpArgs {
  id: string;
  description: string;
  action: string;
  gvk: { group: string; version: string; kind: string };
  tag: string;
  parameters: Json[];
  responses: Json;
  requestBody?: Json;
}

function op(a: OpArgs): Json {
  const o: Json = { tags: [a.tag], description: a.description, operationId: a.id, parameters: a.parameters };
  if (a.requestBody) o.requestBody = a.requestBody;
  o.responses = a.responses;
  o['x-kubernetes-action'] = a.action;
  o['x-kubernetes-group-version-kind'] = a.gvk;
  return o;
}

const bodyOf = (schemaName: string): Json => ({ content: { '*/*': { schema: { $ref: REF(schemaName) } } }, required: true });
const PATCH_BODY: Json = {
  content: Object.fromEntries(
    ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'].map((m) => [m, { schema: { $ref: REF(PATCH_SCHEMA) } }]),
  ),
  required: true,
};

/** Paths of one resource (collection, object, status/scale and the POST-only subresources). */
function resourcePaths(r: ResourceInfo, refs: Set<string>): Record<string, Json> {
  const paths: Record<string, Json> = {};
  const kindSchema = schemaNameFor(r);
  if (!kindSchema) return paths;
  refs.add(kindSchema);
  const listSchema = schemaNameFor({ ...r, kind: `${r.kind}List` });
  if (listSchema) refs.add(listSchema);
  const base = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
  const scope = r.namespaced ? 'Namespaced' : '';
  const collection = r.namespaced ? `${base}/namespaces/{namespace}/${r.resource}` : `${base}/${r.resource}`;
  const object = `${collection}/{name}`;
  const scopeParams = r.namespaced ? [NAMESPACE] : [];
  const gw = `${groupWord(r.group)}${r.version[0].toUpperCase()}${r.version.slice(1)}`;
  const tag = `${r.group === '' ? 'core' : r.group.split('.')[0]}_${r.version}`;
  const gvk = { group: r.group, version: r.version, kind: r.kind };
  const has = (v: string) => (r.verbs as string[]).includes(v);
  const listParams = [P.allowWatchBookmarks, P.continue, P.fieldSelector, P.labelSelector, P.limit, P.resourceVersion, P.resourceVersionMatch, P.timeoutSeconds, P.watch];
  const deleteSchema = `${META}DeleteOptions`;
  const statusSchema = `${META}Status`;

  const coll: Json = { parameters: [...scopeParams, P.pretty] };
  if (has('list') && listSchema) {
    coll.get = op({ id: `list${gw}${scope}${r.kind}`, description: `list or watch objects of kind ${r.kind}`, action: 'list', gvk, tag, parameters: listParams, responses: ok(listSchema, ['200']) });
  }
  if (has('create')) {
    coll.post = op({ id: `create${gw}${scope}${r.kind}`, description: `create ${article(r.kind)}`, action: 'post', gvk, tag, parameters: [P.dryRun, P.fieldManager, P.fieldValidation], requestBody: bodyOf(kindSchema), responses: ok(kindSchema, ['200', '201', '202']) });
  }
  if (has('deletecollection')) {
    coll.delete = op({ id: `delete${gw}Collection${scope}${r.kind}`, description: `delete collection of ${r.kind}`, action: 'deletecollection', gvk, tag, parameters: [...listParams.filter((p) => p !== P.watch && p !== P.allowWatchBookmarks), P.dryRun, P.gracePeriodSeconds, P.propagationPolicy], requestBody: { content: { '*/*': { schema: { $ref: REF(deleteSchema) } } } }, responses: ok(statusSchema, ['200']) });
  }
  if (Object.keys(coll).length > 1) paths[collection] = coll;

  const obj: Json = { parameters: [NAME(r.kind), ...scopeParams, P.pretty] };
  if (has('get')) obj.get = op({ id: `read${gw}${scope}${r.kind}`, description: `read the specified ${r.kind}`, action: 'get', gvk, tag, parameters: [], responses: ok(kindSchema, ['200']) });
  if (has('update')) obj.put = op({ id: `replace${gw}${scope}${r.kind}`, description: `replace the specified ${r.kind}`, action: 'put', gvk, tag, parameters: [P.dryRun, P.fieldManager, P.fieldValidation], requestBody: bodyOf(kindSchema), responses: ok(kindSchema, ['200', '201']) });
  if (has('delete')) obj.delete = op({ id: `delete${gw}${scope}${r.kind}`, description: `delete ${article(r.kind)}`, action: 'delete', gvk, tag, parameters: [P.dryRun, P.gracePeriodSeconds, P.propagationPolicy], requestBody: { content: { '*/*': { schema: { $ref: REF(deleteSchema) } } } }, responses: ok(kindSchema, ['200', '202']) });
  if (has('patch')) obj.patch = op({ id: `patch${gw}${scope}${r.kind}`, description: `partially update the specified ${r.kind}`, action: 'patch', gvk, tag, parameters: [P.dryRun, P.fieldManager, P.fieldValidation, P.force], requestBody: PATCH_BODY, responses: ok(kindSchema, ['200', '201']) });
  if (Object.keys(obj).length > 1) paths[object] = obj;

  if (r.namespaced && has('list') && listSchema) {
    paths[`${base}/${r.resource}`] = {
      parameters: [P.pretty],
      get: op({ id: `list${gw}${r.kind}ForAllNamespaces`, description: `list or watch objects of kind ${r.kind}`, action: 'list', gvk, tag, parameters: listParams, responses: ok(listSchema, ['200']) }),
    };
  }

  for (const sr of r.subresources) {
    const word = sr.name[0].toUpperCase() + sr.name.slice(1);
    const srSchema = schemaNameFor(sr);
    const srGvk = { group: sr.group, version: sr.version, kind: sr.kind };
    const p = `${object}/${sr.name}`;
    if ((sr.name === 'status' || sr.name === 'scale') && srSchema) {
      refs.add(srSchema);
      paths[p] = {
        parameters: [pathParam('name', `name of the ${sr.kind}`), ...scopeParams, P.pretty],
        get: op({ id: `read${gw}${scope}${r.kind}${word}`, description: `read ${sr.name} of the specified ${r.kind}`, action: 'get', gvk: srGvk, tag, parameters: [], responses: ok(srSchema, ['200']) }),
        put: op({ id: `replace${gw}${scope}${r.kind}${word}`, description: `replace ${sr.name} of the specified ${r.kind}`, action: 'put', gvk: srGvk, tag, parameters: [P.dryRun, P.fieldManager, P.fieldValidation], requestBody: bodyOf(srSchema), responses: ok(srSchema, ['200', '201']) }),
        patch: op({ id: `patch${gw}${scope}${r.kind}${word}`, description: `partially update ${sr.name} of the specified ${r.kind}`, action: 'patch', gvk: srGvk, tag, parameters: [P.dryRun, P.fieldManager, P.fieldValidation, P.force], requestBody: PATCH_BODY, responses: ok(srSchema, ['200', '201']) }),
      };
    } else if ((sr.name === 'binding' || sr.name === 'eviction') && srSchema) {
      refs.add(srSchema);
      paths[p] = {
        parameters: [pathParam('name', `name of the ${sr.kind}`), ...scopeParams, P.dryRun, P.fieldManager, P.fieldValidation, P.pretty],
        post: op({ id: `create${gw}${scope}${r.kind}${word}`, description: `create ${sr.name} of ${article(r.kind)}`, action: 'post', gvk: srGvk, tag, parameters: [], requestBody: bodyOf(srSchema), responses: ok(srSchema, ['200', '201', '202']) }),
      };
    } else if (sr.name === 'log') {
      paths[p] = {
        parameters: [pathParam('name', `name of the ${r.kind}`), ...scopeParams, q('container', 'The container for which to stream logs. Defaults to only container if there is one container in the pod.'), q('follow', 'Follow the log stream of the pod. Defaults to false.', 'boolean'), q('previous', 'Return previous terminated container logs. Defaults to false.', 'boolean'), q('tailLines', 'If set, the number of lines from the end of the logs to show.', 'integer'), q('timestamps', 'If true, add an RFC3339 or RFC3339Nano timestamp at the beginning of every line of log output. Defaults to false.', 'boolean'), P.pretty],
        get: { tags: [tag], description: `read log of the specified ${r.kind}`, operationId: `read${gw}${scope}${r.kind}Log`, responses: { '200': { description: 'OK', content: { 'text/plain': { schema: { type: 'string' } } } }, '401': { description: 'Unauthorized' } }, 'x-kubernetes-action': 'get', 'x-kubernetes-group-version-kind': gvk },
      };
    }
  }
  return paths;
}

function article(kind: string): string {
  return /^[AEIOU]/.test(kind) ? `an ${kind}` : `a ${kind}`;
}

// ---------------------------------------------------------------- documents

export interface BuiltDocument {
  path: string;
  doc: Json;
  json: string;
  hash: string;
}

const refName = (ref: unknown): string | undefined => (typeof ref === 'string' ? ref.slice(ref.lastIndexOf('/') + 1) : undefined);

/**
 * Marks list fields with the strategic-merge and apply extensions (patch strategy, merge
 * key, list type and keys) from the one merge schema the patch module uses. kubectl's
 * client-side apply reads them from /openapi/v3 to compute its three-way patch; without
 * them it treats `containers` as an atomic list and re-sends it on every apply.
 */
function annotatePatchStrategies(schemas: Json, name: string, ps: PatchObjectSchema, seen = new Set<string>()): void {
  const comp = schemas[name] as Json | undefined;
  const props = comp?.properties as Json | undefined;
  if (!props || !ps.fields || seen.has(name)) return;
  seen.add(name);
  for (const [field, sub] of Object.entries(ps.fields)) {
    const prop = props[field] as Json | undefined;
    if (!prop) continue;
    if (sub.type === 'list') {
      if (sub.strategy === 'merge') {
        prop['x-kubernetes-patch-strategy'] = field === 'volumes' ? 'merge,retainKeys' : 'merge';
        if (sub.mergeKey) prop['x-kubernetes-patch-merge-key'] = sub.mergeKey;
      }
      prop['x-kubernetes-list-type'] = sub.listType;
      if (sub.listType === 'map' && sub.keys) prop['x-kubernetes-list-map-keys'] = sub.keys.map((k) => k.name);
      const item = refName((prop.items as Json | undefined)?.$ref);
      if (item && sub.elem) annotatePatchStrategies(schemas, item, sub.elem, seen);
    } else {
      const ref = refName(prop.$ref ?? ((prop.allOf as Json[] | undefined)?.[0]?.$ref));
      if (ref) annotatePatchStrategies(schemas, ref, sub, seen);
    }
  }
}

function buildDocument(group: string, version: string, resources: ResourceInfo[]): BuiltDocument {
  const refs = new Set<string>([`${META}Status`, `${META}DeleteOptions`]);
  const paths: Record<string, Json> = {};
  for (const r of resources) Object.assign(paths, resourcePaths(r, refs));
  const sortedPaths = Object.fromEntries(Object.entries(paths).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const schemas: Json = {};
  for (const name of closure([...refs])) {
    const s = SCHEMAS[name];
    let gvks: Json[] | undefined;
    if (s.k) {
      gvks = [{ group: s.k[0], kind: s.k[2], version: s.k[1] }];
      // meta kinds are registered in every group-version, as kube-apiserver lists them
      if (name === `${META}DeleteOptions` && group !== '') gvks.push({ group, kind: 'DeleteOptions', version });
    }
    schemas[name] = componentSchema(name, s, gvks);
  }
  for (const name of Object.keys(schemas)) {
    const k = SCHEMAS[name]?.k;
    if (k) annotatePatchStrategies(schemas, name, schemaFor({ group: k[0], kind: k[2] }));
  }
  schemas[PATCH_SCHEMA] = { description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.', type: 'object' };
  const sortedSchemas = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const doc: Json = {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths: sortedPaths,
    components: {
      schemas: sortedSchemas,
      securitySchemes: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } },
    },
  };
  const json = JSON.stringify(doc);
  const hash = createHash('sha512').update(json).digest('hex').toUpperCase();
  return { path: gvPath(group, version), doc, json, hash };
}

function buildAll(): Map<string, BuiltDocument> {
  const byGV = new Map<string, ResourceInfo[]>();
  for (const r of RESOURCES) {
    const key = gvPath(r.group, r.version);
    const list = byGV.get(key) ?? [];
    list.push(r);
    byGV.set(key, list);
  }
  const out = new Map<string, BuiltDocument>();
  for (const [key, list] of byGV) out.set(key, buildDocument(list[0].group, list[0].version, list));
  return out;
}

const DOCUMENTS = buildAll();
const INDEX = {
  paths: Object.fromEntries([...DOCUMENTS.values()].map((d) => [d.path, { serverRelativeURL: `/openapi/v3/${d.path}?hash=${d.hash}` }])),
};
const INDEX_JSON = JSON.stringify(INDEX);

/** `GET /openapi/v3`: every served group-version with its hashed document URL. */
export function openapiIndex(): object {
  return INDEX;
}

/** The index, serialized once. */
export function openapiIndexJson(): string {
  return INDEX_JSON;
}

/** `GET /openapi/v3/<gv>` where gv is `api/v1` or `apis/apps/v1`; undefined when not served. */
export function openapiDocument(groupVersionPath: string): object | undefined {
  return DOCUMENTS.get(stripSlashes(groupVersionPath))?.doc;
}

/** The same document, serialized once, with its content hash (for `?hash=` and ETag). */
export function openapiDocumentJson(groupVersionPath: string): { json: string; hash: string } | undefined {
  const d = DOCUMENTS.get(stripSlashes(groupVersionPath));
  return d && { json: d.json, hash: d.hash };
}

function stripSlashes(p: string): string {
  return p.replace(/^\/+/, '').replace(/^openapi\/v3\//, '').replace(/\/+$/, '');
}
