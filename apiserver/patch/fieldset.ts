/**
 * Sets of field paths, the unit of ownership in server-side apply, and their FieldsV1 encoding.
 *
 * A path is a list of path elements, each already in its FieldsV1 spelling:
 *   `f:<name>`  a field of an object;
 *   `k:<json>`  an element of an associative list, by its key fields (JSON object, keys sorted);
 *   `v:<json>`  an element of a set (a primitive list), by value;
 *   `i:<n>`     an element of a list by index (only met when reading other servers' data).
 * Using the wire spelling as the trie key makes encoding a direct walk and keeps identities
 * canonical: `k:` and `v:` values are re-serialised with sorted keys when decoded.
 *
 * FieldsV1: each node is a JSON object keyed by path elements; `".": {}` marks a node that is
 * itself a member while also having children; a childless `{}` is a member. FieldSet values are
 * immutable once built by the functions here (operations return new sets).
 */
import { canonicalJson, isObject, type JsonObject, type JsonValue } from './json';

export type PathElement = string;
export type FieldPath = readonly PathElement[];

export class FieldSet {
  member = false;
  readonly children = new Map<PathElement, FieldSet>();

  static of(paths: Iterable<FieldPath>): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  /** Adds `path` as a member (mutates; used while building). */
  insert(path: FieldPath): void {
    let node: FieldSet = this;
    for (const pe of path) {
      let next = node.children.get(pe);
      if (!next) {
        next = new FieldSet();
        node.children.set(pe, next);
      }
      node = next;
    }
    node.member = true;
  }

  private node(path: FieldPath): FieldSet | undefined {
    let node: FieldSet | undefined = this;
    for (const pe of path) {
      node = node.children.get(pe);
      if (!node) return undefined;
    }
    return node;
  }

  has(path: FieldPath): boolean {
    return this.node(path)?.member ?? false;
  }

  /** Some member lies strictly below `path`. */
  hasBelow(path: FieldPath): boolean {
    const n = this.node(path);
    return n !== undefined && !n.childrenEmpty();
  }

  private childrenEmpty(): boolean {
    for (const c of this.children.values()) if (!c.isEmpty()) return false;
    return true;
  }

  isEmpty(): boolean {
    return !this.member && this.childrenEmpty();
  }

  /** Every member path, parents before children, siblings in FieldsV1 order. */
  members(): PathElement[][] {
    const out: PathElement[][] = [];
    const walk = (n: FieldSet, prefix: PathElement[]): void => {
      if (n.member && prefix.length > 0) out.push(prefix);
      for (const pe of sortedElements(n.children.keys())) walk(n.children.get(pe)!, [...prefix, pe]);
    };
    walk(this, []);
    return out;
  }

  union(other: FieldSet): FieldSet {
    const out = this.clone();
    const add = (dst: FieldSet, src: FieldSet): void => {
      dst.member = dst.member || src.member;
      for (const [pe, c] of src.children) {
        let d = dst.children.get(pe);
        if (!d) {
          d = new FieldSet();
          dst.children.set(pe, d);
        }
        add(d, c);
      }
    };
    add(out, other);
    return out;
  }

  /** Members of this set that are not members of `other` (exact paths, not subtrees). */
  difference(other: FieldSet): FieldSet {
    const walk = (a: FieldSet, b: FieldSet | undefined): FieldSet => {
      const out = new FieldSet();
      out.member = a.member && !(b?.member ?? false);
      for (const [pe, c] of a.children) {
        const sub = walk(c, b?.children.get(pe));
        if (!sub.isEmpty()) out.children.set(pe, sub);
      }
      return out;
    };
    return walk(this, other);
  }

  intersection(other: FieldSet): FieldSet {
    const walk = (a: FieldSet, b: FieldSet): FieldSet => {
      const out = new FieldSet();
      out.member = a.member && b.member;
      for (const [pe, c] of a.children) {
        const d = b.children.get(pe);
        if (!d) continue;
        const sub = walk(c, d);
        if (!sub.isEmpty()) out.children.set(pe, sub);
      }
      return out;
    };
    return walk(this, other);
  }

  /** This set without `path` and everything below it. */
  withoutSubtree(path: FieldPath): FieldSet {
    if (path.length === 0) return new FieldSet();
    const out = this.clone();
    let node: FieldSet | undefined = out;
    for (let i = 0; i < path.length - 1 && node; i++) node = node.children.get(path[i]);
    node?.children.delete(path[path.length - 1]);
    return out.pruned();
  }

  /** This set without the member flag at `path` itself (children stay). */
  withoutMember(path: FieldPath): FieldSet {
    const out = this.clone();
    const n = out.node(path);
    if (n) n.member = false;
    return out.pruned();
  }

  equals(other: FieldSet): boolean {
    return this.difference(other).isEmpty() && other.difference(this).isEmpty();
  }

  clone(): FieldSet {
    const out = new FieldSet();
    out.member = this.member;
    for (const [pe, c] of this.children) out.children.set(pe, c.clone());
    return out;
  }

  private pruned(): FieldSet {
    const out = new FieldSet();
    out.member = this.member;
    for (const [pe, c] of this.children) {
      const p = c.pruned();
      if (!p.isEmpty()) out.children.set(pe, p);
    }
    return out;
  }

  toFieldsV1(): JsonObject {
    const out: JsonObject = {};
    const hasChildren = !this.childrenEmpty();
    if (this.member && hasChildren) out['.'] = {};
    for (const pe of sortedElements(this.children.keys())) {
      const c = this.children.get(pe)!;
      if (!c.isEmpty()) out[pe] = c.toFieldsV1();
    }
    return out;
  }

  /** Decodes FieldsV1; throws Error with the offending element for malformed input. */
  static fromFieldsV1(v: unknown): FieldSet {
    const walk = (node: unknown, prefix: string): FieldSet => {
      if (!isObject(node)) throw new Error(`${prefix || 'fieldsV1'}: expected an object, got ${JSON.stringify(node)}`);
      const out = new FieldSet();
      const keys = Object.keys(node);
      if (keys.length === 0) {
        out.member = true;
        return out;
      }
      for (const k of keys) {
        if (k === '.') {
          out.member = true;
          continue;
        }
        out.children.set(canonicalElement(k), walk(node[k], `${prefix}/${k}`));
      }
      return out;
    };
    const s = walk(v, '');
    // The root itself is never a member: `{}` means the empty set.
    s.member = false;
    return s;
  }
}

export function fieldElement(name: string): PathElement {
  return `f:${name}`;
}

export function keyElement(key: JsonObject): PathElement {
  return `k:${canonicalJson(key)}`;
}

export function valueElement(v: JsonValue): PathElement {
  return `v:${canonicalJson(v)}`;
}

/** Re-spells a decoded element canonically; rejects unknown prefixes. */
function canonicalElement(pe: string): PathElement {
  const kind = pe.slice(0, 2);
  const body = pe.slice(2);
  switch (kind) {
    case 'f:':
      return pe;
    case 'k:':
    case 'v:': {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        throw new Error(`invalid path element ${JSON.stringify(pe)}: not JSON`);
      }
      if (kind === 'k:' && !isObject(parsed)) throw new Error(`invalid path element ${JSON.stringify(pe)}: key must be an object`);
      return `${kind}${canonicalJson(parsed)}`;
    }
    case 'i:':
      if (!/^\d+$/.test(body)) throw new Error(`invalid path element ${JSON.stringify(pe)}`);
      return pe;
    default:
      throw new Error(`invalid path element ${JSON.stringify(pe)}`);
  }
}

const RANK: Record<string, number> = { 'f:': 0, 'k:': 1, 'v:': 2, 'i:': 3 };

/** FieldsV1 order: fields by name, then keys, values and indices. */
function sortedElements(pes: Iterable<PathElement>): PathElement[] {
  return [...pes].sort((a, b) => {
    const ra = RANK[a.slice(0, 2)] ?? 4;
    const rb = RANK[b.slice(0, 2)] ?? 4;
    if (ra !== rb) return ra - rb;
    if (ra === 3) return Number(a.slice(2)) - Number(b.slice(2));
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

/**
 * Kubernetes' human spelling of a path, used in conflict messages:
 * `.spec.template.spec.containers[name="web"].image`, `.metadata.finalizers[="x"]`.
 */
export function formatPath(path: FieldPath): string {
  let out = '';
  for (const pe of path) {
    const body = pe.slice(2);
    switch (pe.slice(0, 2)) {
      case 'f:':
        out += `.${body}`;
        break;
      case 'k:': {
        const key = JSON.parse(body) as JsonObject;
        out += `[${Object.keys(key).sort().map((k) => `${k}=${JSON.stringify(key[k])}`).join(',')}]`;
        break;
      }
      case 'v:':
        out += `[=${body}]`;
        break;
      default:
        out += `[${body}]`;
    }
  }
  return out;
}
