/**
 * Cell-formatting helpers shared by several printers (PRINTERS.md §0.8 and the rules the
 * per-resource sections reuse): label maps, label selectors, container names/images,
 * "first N + M more..." lists, load-balancer addresses, access modes, conditions.
 *
 * Each helper reproduces one upstream formatting convention exactly, placeholders
 * included, because kubectl users read these strings and scripts grep them.
 */
import type { LabelSelector } from 'kubernetes-types/meta/v1';

type LabelMap = Record<string, string> | undefined | null;

/** Sorted by key, Go's byte-wise string order (identical to JS code-unit order for ASCII keys). */
function byKey(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `k=v,k2=v2` sorted by key; `<none>` for an empty or absent map (labels.FormatLabels). */
export function formatLabelMap(map: LabelMap): string {
  const keys = Object.keys(map ?? {}).sort(byKey);
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${(map as Record<string, string>)[k]}`).join(',');
}

/**
 * The string form of a metav1.LabelSelector, or undefined when it cannot be converted
 * (an unknown operator, In/NotIn without values, Exists/DoesNotExist with values).
 * Nil and empty selectors both give "" (upstream: Nothing() and Everything() both print "").
 */
export function labelSelectorString(selector: LabelSelector | undefined | null): string | undefined {
  if (!selector) return '';
  const reqs: { key: string; text: string }[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    reqs.push({ key, text: `${key}=${value}` });
  }
  for (const expr of selector.matchExpressions ?? []) {
    const values = [...(expr.values ?? [])].sort(byKey);
    switch (expr.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) return undefined;
        reqs.push({ key: expr.key, text: `${expr.key} ${expr.operator === 'In' ? 'in' : 'notin'} (${values.join(',')})` });
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length !== 0) return undefined;
        reqs.push({ key: expr.key, text: expr.operator === 'Exists' ? expr.key : `!${expr.key}` });
        break;
      default:
        return undefined;
    }
  }
  // Array.prototype.sort is stable, so equal keys keep matchLabels-then-expressions order.
  reqs.sort((a, b) => byKey(a.key, b.key));
  return reqs.map((r) => r.text).join(',');
}

/** metav1.FormatLabelSelector: `<none>` when empty, `<error>` when unconvertible. */
export function formatLabelSelector(selector: LabelSelector | undefined | null): string {
  const s = labelSelectorString(selector);
  if (s === undefined) return '<error>';
  return s === '' ? '<none>' : s;
}

/** The wide CONTAINERS and IMAGES cells: names and images in spec order, comma-joined, no spaces. */
export function containerCells(containers: readonly { name?: string; image?: string }[] | undefined): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name ?? '').join(','), list.map((c) => c.image ?? '').join(',')];
}

/**
 * "a,b,c + 2 more..." for lists cut at `max` entries. `total` counts every entry,
 * listed or not. `empty` is the text of an empty list (callers differ: "", `<unset>`…).
 */
export function listWithMore(listed: readonly string[], total: number, max: number, empty = ''): string {
  const text = listed.join(',');
  if (total > max) return `${text} + ${total - max} more...`;
  return text === '' ? empty : text;
}

/** net.JoinHostPort: brackets around IPv6 literals. */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * The distinct load-balancer ingress points of a Service or Ingress status: `ip` if set,
 * else `hostname`; sorted and deduplicated. The server never truncates them (§0.1).
 */
export function loadBalancerAddresses(ingress: readonly { ip?: string; hostname?: string }[] | undefined): string[] {
  const set = new Set<string>();
  for (const i of ingress ?? []) {
    if (i.ip) set.add(i.ip);
    else if (i.hostname) set.add(i.hostname);
  }
  return [...set].sort(byKey);
}

const ACCESS_MODE_ABBREVIATIONS: [string, string][] = [
  ['ReadWriteOnce', 'RWO'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteMany', 'RWX'],
  ['ReadWriteOncePod', 'RWOP'],
];

/** PV/PVC access modes: deduplicated, always in the fixed RWO,ROX,RWX,RWOP order; "" if none. */
export function formatAccessModes(modes: readonly string[] | undefined): string {
  const present = new Set(modes ?? []);
  return ACCESS_MODE_ABBREVIATIONS.filter(([mode]) => present.has(mode)).map(([, abbr]) => abbr).join(',');
}

interface Condition {
  type: string;
  status: string;
}

/** The first condition of `type`, as the Go helpers look it up (a later duplicate is ignored). */
export function findCondition<C extends Condition>(conditions: readonly C[] | undefined, type: string): C | undefined {
  return (conditions ?? []).find((c) => c.type === type);
}

/** True iff the first condition of `type` has status True. */
export function hasTrueCondition(conditions: readonly Condition[] | undefined, type: string): boolean {
  return findCondition(conditions, type)?.status === 'True';
}

/** An IntOrString as text: 2 → "2", "50%" → "50%". */
export function intOrStringText(v: number | string): string {
  return String(v);
}

/** `<none>` for an empty or absent string, else the string. */
export function orNone(s: string | undefined | null): string {
  return s ? s : '<none>';
}
