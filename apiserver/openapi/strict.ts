/**
 * Strict field validation (`?fieldValidation=Strict|Warn`) and JSON type checking of
 * request bodies against the schema table.
 *
 * Kubernetes decodes a body into Go structs; what that decode rejects, k8ts must reject
 * the same way, before defaulting and validation ever see the object:
 * - a JSON value of the wrong type is a 400 whose message is Go's
 *   `json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`
 *   (field path = JSON names from the root without list indices, struct = the innermost
 *   Go struct; `typeErrors`);
 * - with Strict, unknown fields (`unknownFields`) and duplicate keys (`duplicateFields`,
 *   which needs the raw text because `JSON.parse` keeps only the last duplicate) are a 400
 *   `strict decoding error: unknown field "spec.x", duplicate field "metadata.name"`;
 *   with Warn each becomes a `Warning` header instead.
 *
 * Paths returned here start with a dot (`.spec.containers[0].imagePullPolicyy`); the
 * message helpers drop it, as Kubernetes prints them. Pure functions, no I/O.
 */
import type { GroupVersionKind } from '../../shared/api/types';
import { INT_OR_STRING, QUANTITY, parseType, schemaNameFor, shortName, type FieldType } from './schema';
import { SCHEMAS } from './schemas.generated';
import { isQuantity, QUANTITY_FORMAT_ERROR } from '../../shared/quantity';

/** A body value Go's decoder would refuse; `path` is where, `message` is what Kubernetes says. */
export interface FieldTypeError {
  path: string;
  message: string;
}

export { QUANTITY_FORMAT_ERROR };

const QUANTITY_RE = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
/** The decoder's regex above, then ParseQuantity's stricter grammar: one number, then a known suffix. */
export function isValidQuantity(s: string): boolean {
  return QUANTITY_RE.test(s) && isQuantity(s);
}

const RFC3339_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

interface Ctx {
  /** Innermost Go struct holding the current field ('' at the top level). */
  struct: string;
  /** JSON field names from the root, no indices: Go's error context. */
  fieldPath: string[];
  /** Display path with indices, leading dot. */
  path: string;
}

export interface Findings {
  /** Paths of fields the schema does not have (`.spec.x`). */
  unknown: string[];
  typeErrors: FieldTypeError[];
  /** When set, unknown fields are also deleted from the object (fieldValidation Ignore/Warn). */
  prune?: boolean;
}

function jsonKind(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'number';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

/** Go's spelling of a field's type: `int32`, `[]v1.Container`, `map[string]string`, `v1.PodSpec`. */
function goType(t: FieldType): string {
  switch (t.kind) {
    case 'scalar':
      return t.type === 'boolean' ? 'bool' : t.type === 'number' ? 'float64' : t.type === 'bytes' ? '[]uint8' : t.type;
    case 'array':
      return `[]${goType(t.items)}`;
    case 'map':
      return `map[string]${goType(t.values)}`;
    case 'ref': {
      const parts = t.name.split('.');
      return `${parts[parts.length - 2]}.${parts[parts.length - 1]}`;
    }
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeError(f: Findings, ctx: Ctx, value: string, type: string): void {
  const into = ctx.struct ? `Go struct field ${ctx.struct}.${ctx.fieldPath.join('.')}` : 'Go value';
  f.typeErrors.push({ path: ctx.path, message: `json: cannot unmarshal ${value} into ${into} of type ${type}` });
}

function checkInt(f: Findings, ctx: Ctx, v: unknown, type: 'int32' | 'int64'): void {
  if (typeof v !== 'number') return typeError(f, ctx, jsonKind(v), type);
  const max = type === 'int32' ? 2 ** 31 - 1 : Number.MAX_SAFE_INTEGER;
  if (!Number.isInteger(v) || v > max || v < -max - 1) typeError(f, ctx, `number ${JSON.stringify(v)}`, type);
}

const B64 = /[A-Za-z0-9+/]/;

/**
 * Where Go's padded base64 decoder (StdEncoding) first fails on `s`, or -1 — the same
 * offsets its CorruptInputError reports: an illegal character at its index, a short
 * final quantum at the quantum's start, bad padding as Go counts it. CR/LF are skipped.
 */
export function base64ErrorOffset(s: string): number {
  let j = 0; // chars in the current quantum
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\n' || c === '\r') continue;
    if (j === 0) start = i;
    if (B64.test(c)) {
      j++;
      if (j === 4) j = 0;
      continue;
    }
    if (c !== '=' || j < 2) return i;
    // padding: "xx==" or "xxx=", then only line breaks
    let k = i + 1;
    if (j === 2) {
      while (k < s.length && (s[k] === '\n' || s[k] === '\r')) k++;
      if (k >= s.length) return s.length; // not enough padding
      if (s[k] !== '=') return k - 1; // incorrect padding
      k++;
    }
    while (k < s.length && (s[k] === '\n' || s[k] === '\r')) k++;
    return k < s.length ? k : -1;
  }
  return j === 0 ? -1 : start;
}

function walk(v: unknown, t: FieldType, ctx: Ctx, f: Findings): void {
  if (v === null || v === undefined) return; // Go leaves a null field at its zero value
  switch (t.kind) {
    case 'scalar':
      if (t.type === 'int32' || t.type === 'int64') return checkInt(f, ctx, v, t.type);
      if (t.type === 'string' && typeof v !== 'string') return typeError(f, ctx, jsonKind(v), 'string');
      if (t.type === 'bytes') {
        if (typeof v !== 'string') return typeError(f, ctx, jsonKind(v), '[]uint8');
        const at = base64ErrorOffset(v);
        // encoding/base64's CorruptInputError carries no field context
        if (at >= 0) f.typeErrors.push({ path: ctx.path, message: `illegal base64 data at input byte ${at}` });
        return;
      }
      if (t.type === 'boolean' && typeof v !== 'boolean') return typeError(f, ctx, jsonKind(v), 'bool');
      if (t.type === 'number' && typeof v !== 'number') return typeError(f, ctx, jsonKind(v), 'float64');
      return;
    case 'array':
      if (!Array.isArray(v)) return typeError(f, ctx, jsonKind(v), goType(t));
      v.forEach((item, i) => walk(item, t.items, { ...ctx, path: `${ctx.path}[${i}]` }, f));
      return;
    case 'map':
      if (!isPlainObject(v)) return typeError(f, ctx, jsonKind(v), goType(t));
      // Go's error context does not name map keys; the strict path does.
      for (const [k, item] of Object.entries(v)) walk(item, t.values, { ...ctx, path: `${ctx.path}.${k}` }, f);
      return;
    case 'ref':
      return walkRef(v, t, ctx, f);
  }
}

function walkRef(v: unknown, t: Extract<FieldType, { kind: 'ref' }>, ctx: Ctx, f: Findings): void {
  const s = t.schema;
  if (t.name === INT_OR_STRING) {
    // intstr decodes a quoted value as a string, anything else as an int32.
    if (typeof v !== 'string') checkInt(f, ctx, v, 'int32');
    return;
  }
  if (t.name === QUANTITY) {
    // resource.Quantity parses a JSON string or a bare number; its errors carry no field context.
    const text = typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : undefined;
    if (text === undefined || !isValidQuantity(text)) f.typeErrors.push({ path: ctx.path, message: QUANTITY_FORMAT_ERROR });
    return;
  }
  if (s.t === 'string') {
    // metav1.Time / MicroTime: a JSON string in RFC 3339.
    if (typeof v !== 'string') return typeError(f, ctx, jsonKind(v), 'string');
    if (s.f === 'date-time' && v !== '' && !RFC3339_RE.test(v)) {
      f.typeErrors.push({ path: ctx.path, message: `parsing time ${JSON.stringify(v)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(v)} as "2006"` });
    }
    return;
  }
  if (s.t === 'object') return; // RawExtension, FieldsV1: free-form JSON
  if (!isPlainObject(v)) return typeError(f, ctx, jsonKind(v), goType(t));
  const props = s.p ?? {};
  const struct = shortName(t.name);
  for (const [k, item] of Object.entries(v)) {
    const spec = props[k];
    const path = `${ctx.path}.${k}`;
    if (!spec) {
      f.unknown.push(path);
      if (f.prune) delete (v as Record<string, unknown>)[k];
      continue;
    }
    walk(item, parseType(spec[0]), { struct, fieldPath: [...ctx.fieldPath, k], path }, f);
  }
}

/**
 * One walk for everything the decoder would say about `obj`: unknown fields and type
 * errors (and, with `prune`, unknown fields removed in place — what kube-apiserver does
 * under fieldValidation=Ignore or Warn, so they are never stored).
 */
export function inspect(gvk: GroupVersionKind, obj: unknown, opts: { prune?: boolean } = {}): Findings {
  const f: Findings = { unknown: [], typeErrors: [], prune: opts.prune };
  const name = schemaNameFor(gvk);
  if (!name) return f; // no schema: nothing to judge by
  walk(obj, { kind: 'ref', name, schema: SCHEMAS[name] }, { struct: '', fieldPath: [], path: '' }, f);
  return f;
}

/** Fields of `obj` that the kind's schema does not have, e.g. `.spec.containers[0].imagePullPolicyy`. */
export function unknownFields(gvk: GroupVersionKind, obj: unknown): string[] {
  return inspect(gvk, obj).unknown;
}

/** Delete the fields the schema does not know from `obj`; returns their paths. */
export function pruneUnknownFields(gvk: GroupVersionKind, obj: unknown): string[] {
  return inspect(gvk, obj, { prune: true }).unknown;
}

/** Values whose JSON type the kind's schema does not allow, with Go decoder wording. */
export function typeErrors(gvk: GroupVersionKind, obj: unknown): FieldTypeError[] {
  return inspect(gvk, obj).typeErrors;
}

/**
 * Keys that occur twice in one JSON object of `rawJson`, as paths (`.metadata.name`,
 * `.spec.containers[0].name`). A small scanner, because a parsed object has already
 * dropped all but the last duplicate. Stops quietly at a syntax error (the JSON parser
 * reports that).
 */
export function duplicateFields(rawJson: string): string[] {
  const out: string[] = [];
  const s = rawJson;
  let i = 0;
  const ws = () => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\n' || s[i] === '\r' || s[i] === '\t')) i++;
  };
  const fail = (): never => {
    throw new SyntaxError('bad json');
  };
  const str = (): string => {
    const start = i;
    i++; // opening quote
    let escaped = false;
    while (i < s.length) {
      const c = s[i];
      if (c === '\\') {
        escaped = true;
        i += 2;
        continue;
      }
      if (c === '"') {
        i++;
        const raw = s.slice(start, i);
        return escaped ? (JSON.parse(raw) as string) : raw.slice(1, -1);
      }
      i++;
    }
    return fail();
  };
  const value = (path: string): void => {
    ws();
    const c = s[i];
    if (c === '{') {
      i++;
      const seen = new Set<string>();
      ws();
      if (s[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (s[i] !== '"') fail();
        const key = str();
        const p = `${path}.${key}`;
        if (seen.has(key)) out.push(p);
        seen.add(key);
        ws();
        if (s[i] !== ':') fail();
        i++;
        value(p);
        ws();
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === '}') {
          i++;
          return;
        }
        fail();
      }
    } else if (c === '[') {
      i++;
      ws();
      if (s[i] === ']') {
        i++;
        return;
      }
      for (let n = 0; ; n++) {
        value(`${path}[${n}]`);
        ws();
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === ']') {
          i++;
          return;
        }
        fail();
      }
    } else if (c === '"') {
      str();
    } else {
      // number, true, false, null: skip to the next delimiter
      const start = i;
      while (i < s.length && !',}] \n\r\t'.includes(s[i])) i++;
      if (i === start) fail();
    }
  };
  try {
    value('');
  } catch {
    // syntax errors are the JSON parser's to report
  }
  return out;
}

const bare = (p: string) => (p.startsWith('.') ? p.slice(1) : p);

/** One warning per problem, for `fieldValidation=Warn`: `unknown field "spec.x"`. */
export function strictWarnings(unknown: string[], duplicates: string[]): string[] {
  return [...unknown.map((p) => `unknown field "${bare(p)}"`), ...duplicates.map((p) => `duplicate field "${bare(p)}"`)];
}

/** The Strict failure text: `strict decoding error: unknown field "spec.x", duplicate field "metadata.name"`. */
export function strictDecodingError(unknown: string[], duplicates: string[]): string {
  return `strict decoding error: ${strictWarnings(unknown, duplicates).join(', ')}`;
}

/** How kube-apiserver wraps a decode failure in its 400: `Pod in version "v1" cannot be handled as a Pod: <why>`. */
export function decodeErrorMessage(gvk: GroupVersionKind, why: string): string {
  return `${gvk.kind} in version "${gvk.version}" cannot be handled as a ${gvk.kind}: ${why}`;
}
