/**
 * Label and field selectors with Kubernetes' grammar and matching rules.
 *
 * Label selectors (`labels.Parse` in apimachinery): comma-separated requirements, all of
 * which must hold: `k`, `!k`, `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`,
 * `k>n`, `k<n`. `!=` and `notin` also match objects without the key. The empty selector
 * matches everything. Field selectors: comma-separated `f=v`, `f==v`, `f!=v` with `\`
 * escaping `,`, `=` and `\` in values. Both throw `SelectorError` with a message in
 * Kubernetes' wording; the API server turns it into a 400.
 */
import type { LabelSelector } from 'kubernetes-types/meta/v1';

export class SelectorError extends Error {}

export type Operator = 'exists' | 'notexists' | '=' | '!=' | 'in' | 'notin' | 'gt' | 'lt';

export interface Requirement {
  key: string;
  op: Operator;
  values: string[];
}

export type Labels = Record<string, string> | undefined;

const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function checkKey(key: string): void {
  const name = key.includes('/') ? key.slice(key.indexOf('/') + 1) : key;
  if (!QUALIFIED_NAME.test(key) || name.length > 63 || key.length > 253 + 1 + 63) {
    throw new SelectorError(`unable to parse requirement: invalid label key "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`);
  }
}

function checkValue(value: string): void {
  if (value.length > 63 || !LABEL_VALUE.test(value)) {
    throw new SelectorError(`unable to parse requirement: invalid label value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`);
  }
}

/** Splits on commas that are not inside parentheses. */
function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (depth !== 0) throw new SelectorError(`unable to parse requirement: unbalanced parentheses in "${s}"`);
  parts.push(cur);
  return parts;
}

const SET_RE = /^\s*(\S+?)\s+(in|notin)\s*\(([^()]*)\)\s*$/;
const CMP_RE = /^\s*([^\s=!<>]+)\s*(==|=|!=|>|<)\s*([^\s=!<>]*)\s*$/;
const EXISTS_RE = /^\s*(!?)\s*([^\s=!<>(),]+)\s*$/;

export function parseLabelSelector(selector: string | undefined): Requirement[] {
  if (!selector || selector.trim() === '') return [];
  const reqs: Requirement[] = [];
  for (const part of splitTopLevel(selector)) {
    if (part.trim() === '') throw new SelectorError(`found '', expected: identifier`);
    let m = SET_RE.exec(part);
    if (m) {
      const values = m[3].split(',').map((v) => v.trim());
      if (values.length === 1 && values[0] === '') throw new SelectorError(`unable to parse requirement: for 'in', 'notin' operators, values set can't be empty`);
      checkKey(m[1]);
      values.forEach(checkValue);
      reqs.push({ key: m[1], op: m[2] as 'in' | 'notin', values: [...new Set(values)].sort() });
      continue;
    }
    m = CMP_RE.exec(part);
    if (m) {
      checkKey(m[1]);
      const op = m[2] === '==' ? '=' : m[2] === '>' ? 'gt' : m[2] === '<' ? 'lt' : (m[2] as '=' | '!=');
      if ((op === 'gt' || op === 'lt') && !/^-?\d+$/.test(m[3])) throw new SelectorError(`unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`);
      if (op !== 'gt' && op !== 'lt') checkValue(m[3]);
      reqs.push({ key: m[1], op, values: [m[3]] });
      continue;
    }
    m = EXISTS_RE.exec(part);
    if (m) {
      checkKey(m[2]);
      reqs.push({ key: m[2], op: m[1] ? 'notexists' : 'exists', values: [] });
      continue;
    }
    throw new SelectorError(`unable to parse requirement: couldn't parse the selector string "${selector}"`);
  }
  return reqs;
}

export function matchRequirement(r: Requirement, labels: Labels): boolean {
  const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = has ? labels![r.key] : undefined;
  switch (r.op) {
    case 'exists': return has;
    case 'notexists': return !has;
    case '=': return has && v === r.values[0];
    case '!=': return !has || v !== r.values[0];
    case 'in': return has && r.values.includes(v!);
    case 'notin': return !has || !r.values.includes(v!);
    case 'gt': return has && /^-?\d+$/.test(v!) && Number(v) > Number(r.values[0]);
    case 'lt': return has && /^-?\d+$/.test(v!) && Number(v) < Number(r.values[0]);
  }
}

export function matchLabels(reqs: Requirement[], labels: Labels): boolean {
  return reqs.every((r) => matchRequirement(r, labels));
}

/** Converts a `metav1.LabelSelector` (matchLabels + matchExpressions) to requirements. A null selector matches nothing; an empty one everything. */
export function fromLabelSelector(sel: LabelSelector | undefined | null): Requirement[] | null {
  if (!sel) return null;
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) reqs.push({ key: k, op: '=', values: [v] });
  for (const e of sel.matchExpressions ?? []) {
    const op = ({ In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: 'notexists' } as const)[e.operator as 'In'];
    if (!op) throw new SelectorError(`"${e.operator}" is not a valid label selector operator`);
    reqs.push({ key: e.key, op, values: [...(e.values ?? [])].sort() });
  }
  // Kubernetes keeps a selector's requirements sorted by key (that is how it prints them).
  return reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The string form Kubernetes prints (`app=web,tier in (a,b)`); used for Scale.status.selector. */
export function formatRequirements(reqs: Requirement[]): string {
  return reqs
    .map((r) => {
      switch (r.op) {
        case 'exists': return r.key;
        case 'notexists': return `!${r.key}`;
        case '=': return `${r.key}=${r.values[0]}`;
        case '!=': return `${r.key}!=${r.values[0]}`;
        case 'in': return `${r.key} in (${r.values.join(',')})`;
        case 'notin': return `${r.key} notin (${r.values.join(',')})`;
        case 'gt': return `${r.key}>${r.values[0]}`;
        case 'lt': return `${r.key}<${r.values[0]}`;
      }
    })
    .join(',');
}

// ---------------------------------------------------------------- field selectors

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

/** Splits on unescaped `sep`, keeping escapes for a second pass. */
function splitEscaped(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && i + 1 < s.length) {
      cur += s[i] + s[i + 1];
      i++;
    } else if (s[i] === sep) {
      out.push(cur);
      cur = '';
    } else cur += s[i];
  }
  out.push(cur);
  return out;
}

function unescapeField(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') {
      const next = s[i + 1];
      if (next !== '\\' && next !== ',' && next !== '=') throw new SelectorError(`invalid field selector: invalid escape sequence: \\${next ?? ''}`);
      out += next;
      i++;
    } else out += s[i];
  }
  return out;
}

export function parseFieldSelector(selector: string | undefined): FieldRequirement[] {
  if (!selector || selector.trim() === '') return [];
  return splitEscaped(selector, ',').map((term) => {
    // The first unescaped operator splits field from value: `!=` before `==` before `=`.
    for (let i = 0; i < term.length; i++) {
      if (term[i] === '\\') {
        i++;
        continue;
      }
      if (term.startsWith('!=', i)) return { field: term.slice(0, i).trim(), op: '!=' as const, value: unescapeField(term.slice(i + 2)) };
      if (term.startsWith('==', i)) return { field: term.slice(0, i).trim(), op: '=' as const, value: unescapeField(term.slice(i + 2)) };
      if (term[i] === '=') return { field: term.slice(0, i).trim(), op: '=' as const, value: unescapeField(term.slice(i + 1)) };
    }
    throw new SelectorError(`invalid selector: '${selector}'; can't understand '${term}'`);
  });
}

export function matchFields(reqs: FieldRequirement[], fields: Record<string, string>): boolean {
  return reqs.every((r) => {
    const v = fields[r.field] ?? '';
    return r.op === '=' ? v === r.value : v !== r.value;
  });
}
