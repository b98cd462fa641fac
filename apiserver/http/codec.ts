/**
 * Request decoding and response negotiation: JSON, YAML and Kubernetes protobuf bodies
 * in; JSON or meta.k8s.io Tables out. Strict field validation (`fieldValidation`)
 * happens here, on the decoded body, because duplicate keys are only visible in the
 * raw text.
 */
import YAML from 'yaml';
import type { KObject } from '../../shared/api/types';
import { ApiError, badRequest, notAcceptable, unsupportedMediaType } from '../../shared/api/errors';
import { isProtobufContentType, decodeProtobufObject } from '../protobuf';
import { patchTypeFromContentType, type PatchType } from '../patch';
import { duplicateFields } from '../openapi';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export function fieldValidationOf(q: Record<string, string | undefined>): FieldValidation {
  const v = q.fieldValidation;
  if (v === undefined || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw badRequest(`fieldValidation parameter unsupported: ${v}; supported values are Strict, Warn and Ignore`);
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

export interface Decoded {
  body: unknown;
  /** Duplicate keys found in the raw text (only JSON/YAML). */
  duplicates: string[];
}

/** Decodes a create/update body. */
export function decodeObject(raw: Buffer | undefined, contentType: string | undefined): Decoded {
  if (!raw || raw.length === 0) throw badRequest('the body of the request was empty');
  const mt = mediaType(contentType);
  if (isProtobufContentType(mt)) return { body: decodeProtobufObject(raw), duplicates: [] };
  if (mt === '' || mt === 'application/json' || mt === '*/*') return decodeJson(raw.toString('utf8'));
  if (mt === 'application/yaml' || mt === 'application/x-yaml' || mt === 'text/yaml') return decodeYaml(raw.toString('utf8'));
  throw unsupportedMediaType(contentType ?? '');
}

/** Decodes a PATCH body according to its content type. */
export function decodePatch(raw: Buffer | undefined, contentType: string | undefined): { type: PatchType; patch: unknown; duplicates: string[] } {
  const mt = mediaType(contentType);
  const type = patchTypeFromContentType(mt);
  if (!type) throw unsupportedMediaType(contentType ?? '');
  if (!raw || raw.length === 0) throw badRequest('the body of the request was empty');
  const text = raw.toString('utf8');
  // Server-side apply accepts YAML (JSON is YAML); the other patch types are JSON.
  const d = type === 'apply' ? decodeYaml(text) : decodeJson(text);
  return { type, patch: d.body, duplicates: d.duplicates };
}

function decodeJson(text: string): Decoded {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw badRequest(`the body of the request could not be decoded as JSON: ${(err as Error).message}`);
  }
  return { body, duplicates: duplicateFields(text) };
}

function decodeYaml(text: string): Decoded {
  const doc = YAML.parseDocument(text, { uniqueKeys: false, strict: true, prettyErrors: true });
  if (doc.errors.length) {
    const e = doc.errors[0];
    const line = e.linePos?.[0]?.line;
    throw badRequest(`error converting YAML to JSON: yaml: ${line ? `line ${line}: ` : ''}${e.message.split('\n')[0]}`);
  }
  const dups: string[] = [];
  collectYamlDuplicates(doc.contents, '', dups);
  return { body: doc.toJS({ maxAliasCount: 100 }), duplicates: dups };
}

function collectYamlDuplicates(node: unknown, path: string, out: string[]): void {
  if (YAML.isMap(node)) {
    const seen = new Set<string>();
    for (const item of node.items) {
      const key = String(YAML.isScalar(item.key) ? item.key.value : item.key);
      const p = path ? `${path}.${key}` : key;
      if (seen.has(key)) out.push(p);
      seen.add(key);
      collectYamlDuplicates(item.value, p, out);
    }
  } else if (YAML.isSeq(node)) {
    node.items.forEach((item, i) => collectYamlDuplicates(item, `${path}[${i}]`, out));
  }
}

export function asObject(body: unknown): KObject {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('the body of the request must be a JSON object');
  return body as KObject;
}

// ---------------------------------------------------------------- responses

export type Representation = 'json' | 'table';

/**
 * kubectl asks for `application/json;as=Table;v=v1;g=meta.k8s.io, …, application/json`.
 * Typed clients ask for protobuf first and JSON second: JSON serves them all.
 */
export function negotiate(accept: string | undefined): Representation {
  if (!accept) return 'json';
  let json = false;
  for (const part of accept.split(',')) {
    const params = part.split(';').map((p) => p.trim());
    const mt = params[0].toLowerCase();
    if (params.includes('as=Table') && params.includes('g=meta.k8s.io')) return 'table';
    if (mt === 'application/json' || mt === '*/*' || mt === 'application/*' || mt === 'application/yaml') json = true;
  }
  if (!json) throw notAcceptable('only the following media types are accepted: application/json, application/json;as=Table;v=v1;g=meta.k8s.io');
  return 'json';
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

