import fc from 'fast-check';
import { ApiError } from '../../shared/api/errors';
import type { KObject } from '../../shared/api/types';
import {
  applyJsonPatch, applyMergePatch, applyStrategicMergePatch, createMergePatch, serverSideApply, isDirectiveKey, type GroupKind,
} from '../../apiserver/patch';

const POD: GroupKind = { group: '', kind: 'Pod' };
const DEPLOYMENT: GroupKind = { group: 'apps', kind: 'Deployment' };
const WIDGET: GroupKind = { group: 'example.com', kind: 'Widget' };
// PATCH_PROP_RUNS=5000 for a deeper search when changing the merge code.
const RUNS = { numRuns: Number(process.env.PATCH_PROP_RUNS ?? 300) };

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** JSON objects whose object members are never null (null cannot be expressed by a merge patch). */
const key = fc.constantFrom('a', 'b', 'c', 'spec', 'items', 'x-y', 'toString', '__proto__');
const scalar = fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.boolean());
const { tree } = fc.letrec<{ tree: Json; node: Json }>((tie) => ({
  tree: fc.dictionary(key, tie('node'), { maxKeys: 4 }) as fc.Arbitrary<Json>,
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('tree'), fc.array(fc.oneof(scalar, fc.constant(null)), { maxLength: 3 })) as fc.Arbitrary<Json>,
}));

function hasDirective(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(hasDirective);
  if (v && typeof v === 'object') return Object.keys(v).some((k) => isDirectiveKey(k) || hasDirective((v as Record<string, unknown>)[k]));
  return false;
}

describe('merge patch properties', () => {
  test('applying the diff of two objects to the first yields the second', () => {
    fc.assert(fc.property(tree, tree, (a, b) => {
      const patch = createMergePatch(a, b);
      expect(applyMergePatch(a, patch)).toEqual(b);
    }), RUNS);
  });

  test('strategic merge on a kind without list rules is merge patch', () => {
    fc.assert(fc.property(tree, tree, (a, b) => {
      const patch = createMergePatch(a, b);
      expect(applyStrategicMergePatch(a, patch, WIDGET)).toEqual(b);
    }), RUNS);
  });

  test('merge patch is idempotent', () => {
    fc.assert(fc.property(tree, tree, (a, p) => {
      const once = applyMergePatch(a, p);
      expect(applyMergePatch(once, p)).toEqual(once);
    }), RUNS);
  });
});

// ---------------------------------------------------------------------------------------------
// Strategic merge on pods: well-formed patches built from the rules kubectl uses.

const name = fc.constantFrom('a', 'b', 'c', 'd');
const envVar = fc.record({ name: fc.constantFrom('X', 'Y', 'Z'), value: fc.string({ maxLength: 3 }) });
const uniqueBy = <T extends { name: string }>(arb: fc.Arbitrary<T>, max: number, min = 0) => fc.uniqueArray(arb, { selector: (v) => v.name, minLength: min, maxLength: max });
const container = fc.record({ name, image: fc.constantFrom('nginx', 'redis', 'busybox'), env: uniqueBy(envVar, 3) }, { requiredKeys: ['name'] });
const livePod = fc.record({
  containers: uniqueBy(container, 3),
  finalizers: fc.uniqueArray(fc.constantFrom('f1', 'f2', 'f3'), { maxLength: 3 }),
  labels: fc.dictionary(fc.constantFrom('app', 'tier', 'team'), fc.constantFrom('1', '2'), { maxKeys: 3 }),
}).map(({ containers, finalizers, labels }) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels, finalizers }, spec: { containers },
}));

const containerPatch = fc.oneof(
  container,
  name.map((n) => ({ name: n, $patch: 'delete' })),
  fc.record({ name, image: fc.constant(null) }),
);
const podPatch = fc.record({
  containers: uniqueBy(containerPatch as fc.Arbitrary<{ name: string }>, 3),
  order: fc.boolean(),
  addFinalizers: fc.uniqueArray(fc.constantFrom('f1', 'f2', 'f4'), { maxLength: 2 }),
  dropFinalizers: fc.uniqueArray(fc.constantFrom('f1', 'f3'), { maxLength: 2 }),
  labels: fc.dictionary(fc.constantFrom('app', 'tier', 'new'), fc.option(fc.constantFrom('1', '3'), { nil: null }), { maxKeys: 2 }),
}).map(({ containers, order, addFinalizers, dropFinalizers, labels }) => {
  const spec: Record<string, unknown> = { containers };
  if (order) spec['$setElementOrder/containers'] = containers.filter((c) => !('$patch' in c)).map((c) => ({ name: c.name }));
  return {
    metadata: { labels, finalizers: addFinalizers, '$deleteFromPrimitiveList/finalizers': dropFinalizers },
    spec: spec as { containers: { name: string }[] },
  };
});

describe('strategic merge properties', () => {
  test('well-formed patches are idempotent and leave no directive behind', () => {
    fc.assert(fc.property(livePod, podPatch, (live, patch) => {
      const once = applyStrategicMergePatch(live, patch, POD);
      expect(hasDirective(once)).toBe(false);
      expect(applyStrategicMergePatch(once, patch, POD)).toEqual(once);
    }), RUNS);
  });

  test('keyed merges keep one element per name: the union minus deletions', () => {
    fc.assert(fc.property(livePod, podPatch, (live, patch) => {
      const out = applyStrategicMergePatch(live, patch, POD) as { spec: { containers: { name: string }[] } };
      const names = out.spec.containers.map((c) => c.name);
      const deleted = new Set(patch.spec.containers.filter((c) => '$patch' in c).map((c) => c.name));
      const expected = new Set([...live.spec.containers.map((c) => c.name), ...patch.spec.containers.map((c) => c.name)].filter((n) => !deleted.has(n)));
      expect(new Set(names)).toEqual(expected);
      expect(names.length).toBe(expected.size);
    }), RUNS);
  });

  // Anything at all as a patch: the answer is an object without directives or a 400 ApiError.
  const directiveKey = fc.constantFrom('$patch', '$retainKeys', '$setElementOrder/containers', '$deleteFromPrimitiveList/finalizers', '$setElementOrder/', 'containers', 'finalizers', 'name', 'spec', 'metadata', 'env', '__proto__');
  const directiveValue = fc.constantFrom<Json>('delete', 'replace', 'merge', 'bogus', 'a', null, 1);
  const { anyPatch } = fc.letrec<{ anyPatch: Json; v: Json }>((tie) => ({
    anyPatch: fc.dictionary(directiveKey, tie('v'), { maxKeys: 4 }) as fc.Arbitrary<Json>,
    v: fc.oneof({ depthSize: 'small' }, directiveValue, tie('anyPatch'), fc.array(tie('v'), { maxLength: 3 })) as fc.Arbitrary<Json>,
  }));

  test('arbitrary input never escapes as anything but a 400 ApiError', () => {
    fc.assert(fc.property(livePod, fc.oneof(anyPatch, fc.jsonValue() as fc.Arbitrary<Json>), (live, patch) => {
      const before = JSON.stringify(live);
      try {
        const out = applyStrategicMergePatch(live, patch, POD);
        expect(hasDirective(out)).toBe(false);
      } catch (e) {
        expect(e).toBeInstanceOf(ApiError);
        expect((e as ApiError).code).toBe(400);
      }
      expect(JSON.stringify(live)).toBe(before);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }), { numRuns: RUNS.numRuns * 3 });
  });
});

// ---------------------------------------------------------------------------------------------
// Server-side apply

const applyConfig = fc.record({
  replicas: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
  labels: fc.option(fc.dictionary(fc.constantFrom('app', 'tier'), fc.constantFrom('1', '2'), { maxKeys: 2 }), { nil: undefined }),
  containers: uniqueBy(fc.record({
    name,
    image: fc.option(fc.constantFrom('nginx', 'redis'), { nil: undefined }),
    env: fc.option(uniqueBy(envVar, 2), { nil: undefined }),
    ports: fc.option(fc.uniqueArray(fc.record({ containerPort: fc.constantFrom(80, 443) }), { selector: (p) => p.containerPort, maxLength: 2 }), { nil: undefined }),
    // At least one container: a configuration that claims no field at all leaves no Apply entry
    // (Kubernetes drops empty entries too), so the next apply would see a legacy object.
  }, { requiredKeys: ['name'] }), 3, 1),
}).map(({ replicas, labels, containers }) => {
  const clean = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  const spec: Record<string, unknown> = clean({ replicas, template: { spec: { containers: containers.map(clean) } } });
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: clean({ name: 'web', labels }), spec };
});

describe('server-side apply properties', () => {
  const opts = { manager: 'kubectl', kind: DEPLOYMENT, now: '2025-01-01T00:00:00Z' };

  test('re-applying a configuration is a no-op', () => {
    fc.assert(fc.property(applyConfig, (cfg) => {
      const first = serverSideApply(undefined, cfg, opts);
      const again = serverSideApply(first.object, cfg, opts);
      expect(again.changed).toBe(false);
      expect(again.object).toEqual(first.object);
    }), RUNS);
  });

  test('a sole applier going from A to B ends where applying B from scratch does', () => {
    fc.assert(fc.property(applyConfig, applyConfig, (a, b) => {
      const viaA = serverSideApply(serverSideApply(undefined, a, opts).object, b, opts).object;
      const fresh = serverSideApply(undefined, b, opts).object;
      expect(viaA).toEqual(fresh);
    }), RUNS);
  });

  test('a second applier conflicts exactly when it changes the first one\'s fields', () => {
    fc.assert(fc.property(applyConfig, applyConfig, (a, b) => {
      const live = serverSideApply(undefined, a, { ...opts, manager: 'first' }).object as KObject;
      let conflict: ApiError | undefined;
      try {
        serverSideApply(live, b, { ...opts, manager: 'second' });
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        conflict = e;
      }
      const forced = serverSideApply(live, b, { ...opts, manager: 'second', force: true });
      if (conflict) {
        expect(conflict.code).toBe(409);
        expect(forced.conflicts.map((c) => c.field).sort()).toEqual(conflict.details?.causes?.map((c) => c.field).sort());
      } else {
        expect(forced.conflicts).toEqual([]);
      }
      // Whatever happened, the second applier's values are what the object now holds.
      const merged = forced.object as unknown as { spec: { replicas?: number } };
      if ((b.spec as { replicas?: number }).replicas !== undefined) expect(merged.spec.replicas).toBe((b.spec as { replicas?: number }).replicas);
    }), RUNS);
  });
});

describe('robustness against arbitrary bodies', () => {
  const expectApiError = (fn: () => unknown, codes: number[]) => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(ApiError);
      expect(codes).toContain((e as ApiError).code);
    }
  };
  const op = fc.record({
    op: fc.constantFrom('add', 'remove', 'replace', 'move', 'copy', 'test', 'bogus'),
    path: fc.constantFrom('', '/', '/spec', '/spec/replicas', '/metadata/labels/a', '/spec/template/spec/containers/0', '/spec/template/spec/containers/-', '/x/y', '/__proto__/p', 'spec'),
    from: fc.constantFrom('/spec', '/metadata', '/nope'),
    value: fc.jsonValue(),
  }, { requiredKeys: ['op'] });

  test('JSON patch: any operation list is applied or refused with 400/413/422', () => {
    fc.assert(fc.property(fc.oneof(fc.array(op, { maxLength: 4 }), fc.jsonValue()), (ops) => {
      const live = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'w', labels: { a: '1' } }, spec: { replicas: 1, template: { spec: { containers: [{ name: 'c' }] } } } };
      const before = JSON.stringify(live);
      expectApiError(() => applyJsonPatch(live, ops), [400, 413, 422]);
      expect(JSON.stringify(live)).toBe(before);
      expect(({} as Record<string, unknown>).p).toBeUndefined();
    }), RUNS);
  });

  test('server-side apply: any body is applied or refused with 400/409', () => {
    const live = serverSideApply(undefined, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'w' }, spec: { replicas: 1, template: { spec: { containers: [{ name: 'c' }] } } } }, { manager: 'a', kind: DEPLOYMENT, now: 0 }).object;
    fc.assert(fc.property(fc.oneof(applyConfig as fc.Arbitrary<unknown>, fc.jsonValue(), fc.dictionary(fc.constantFrom('spec', 'metadata', 'status'), fc.jsonValue())), (cfg) => {
      expectApiError(() => serverSideApply(live, cfg, { manager: 'b', kind: DEPLOYMENT, now: '2025-01-01T00:00:00Z' }), [400, 409]);
    }), RUNS);
  });
});
