/**
 * `-o json | yaml | name` printers with kubectl's shapes: map keys sorted (Go marshals
 * maps in key order), JSON indented 4 with `<`, `>`, `&` escaped as Go's encoder does,
 * YAML in go-yaml v2 style (sequences not indented under their key, YAML 1.1 quoting so
 * `"yes"`, `"0644"` and timestamps stay strings, multi-line strings as `|` blocks), and
 * several objects wrapped as `kind: List` with `metadata: {resourceVersion: ""}`.
 */
import YAML from 'yaml';
import { parseApiVersion } from '../../shared/api/types';

export type OutputFormat = 'json' | 'yaml' | 'name' | 'wide' | '';

export function sortKeysDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeysDeep);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as Record<string, unknown>).sort()) out[k] = sortKeysDeep((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/** Go's json.Marshal escaping of HTML-significant characters and line separators. */
export function goJsonEscape(s: string): string {
  return s.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function toJson(obj: unknown): string {
  return goJsonEscape(JSON.stringify(sortKeysDeep(obj), null, 4)) + '\n';
}

/** Compact sorted JSON (what kubectl stores in last-applied-configuration). */
export function toCompactJson(obj: unknown): string {
  return goJsonEscape(JSON.stringify(sortKeysDeep(obj)));
}

export function toYaml(obj: unknown): string {
  return YAML.stringify(sortKeysDeep(obj), { version: '1.1', indentSeq: false, lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false });
}

/** `pod`, `deployment.apps` from an object's apiVersion/kind. */
export function objectKindPrefix(obj: { apiVersion?: string; kind?: string }): string {
  const { group } = parseApiVersion(obj.apiVersion ?? '');
  const kind = (obj.kind ?? '').toLowerCase();
  return group ? `${kind}.${group}` : kind;
}

/** `pod/web` (the `-o name` form). */
export function objectName(obj: { apiVersion?: string; kind?: string; metadata?: { name?: string } }): string {
  return `${objectKindPrefix(obj)}/${obj.metadata?.name ?? ''}`;
}

export function asList(items: unknown[]): Record<string, unknown> {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
}

export function printObjects(objs: unknown[], format: 'json' | 'yaml' | 'name', single: boolean): string {
  if (format === 'name') return objs.map((o) => `${objectName(o as { kind?: string })}\n`).join('');
  const doc = single && objs.length === 1 ? objs[0] : asList(objs);
  return format === 'json' ? toJson(doc) : toYaml(doc);
}
