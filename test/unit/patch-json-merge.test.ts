import { ApiError } from '../../shared/api/errors';
import {
  applyJsonPatch, applyMergePatch, createMergePatch, MAX_JSON_PATCH_OPERATIONS, parsePatchBody, patchTypeFromContentType,
} from '../../apiserver/patch';

type Obj = Record<string, unknown>;

function deployment(): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' }, annotations: { 'deployment.kubernetes.io/revision': '2' } },
    spec: { replicas: 2, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:2' }] } } },
  };
}

function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw new Error(`expected an ApiError, got ${String(e)}`);
  }
  throw new Error('expected an ApiError, got success');
}

describe('patchTypeFromContentType', () => {
  test.each([
    ['application/json-patch+json', 'json'],
    ['application/merge-patch+json', 'merge'],
    ['application/strategic-merge-patch+json', 'strategic'],
    ['application/apply-patch+yaml', 'apply'],
    ['application/apply-patch+json', 'apply'],
    ['Application/Merge-Patch+JSON; charset=utf-8', 'merge'],
    ['application/json', undefined],
    ['application/apply-patch+cbor', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%s → %s', (ct, want) => {
    expect(patchTypeFromContentType(ct)).toBe(want);
  });
});

describe('parsePatchBody', () => {
  test('JSON for every type, from a string or bytes', () => {
    expect(parsePatchBody('merge', '{"a":1}')).toEqual({ a: 1 });
    expect(parsePatchBody('json', Buffer.from('[{"op":"remove","path":"/a"}]'))).toEqual([{ op: 'remove', path: '/a' }]);
  });

  test('apply bodies may be YAML', () => {
    const body = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: "1"\n';
    expect(parsePatchBody('apply', body)).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } });
  });

  test.each([
    ['merge', '{"a":', /not valid JSON/],
    ['strategic', 'a: 1', /not valid JSON/],
    ['merge', '   ', /body is empty/],
    ['apply', 'a: 1\n---\nb: 2\n', /single YAML or JSON document, got 2/],
    ['apply', 'a: [1, 2\n', /not valid YAML/],
    ['apply', 'a: 1\na: 2\n', /not valid YAML/],
  ] as const)('%s %j → 400', (type, body, message) => {
    const err = apiError(() => parsePatchBody(type, body));
    expect(err.code).toBe(400);
    expect(err.message).toMatch(message);
  });
});

describe('JSON patch (RFC 6902)', () => {
  test('kubectl rollout undo: replace the template and the annotations', () => {
    const live = deployment();
    const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1' }] } };
    const out = applyJsonPatch(live, [
      { op: 'replace', path: '/spec/template', value: template },
      { op: 'replace', path: '/metadata/annotations', value: { 'deployment.kubernetes.io/revision': '1' } },
    ]) as Obj;
    expect((out.spec as Obj).template).toEqual(template);
    expect((out.metadata as Obj).annotations).toEqual({ 'deployment.kubernetes.io/revision': '1' });
    expect(live).toEqual(deployment());
  });

  test('add, remove, move, copy and a passing test', () => {
    const out = applyJsonPatch(deployment(), [
      { op: 'test', path: '/spec/replicas', value: 2 },
      { op: 'add', path: '/metadata/labels/tier', value: 'front' },
      { op: 'add', path: '/spec/template/spec/containers/-', value: { name: 'side', image: 'busybox' } },
      { op: 'copy', from: '/metadata/labels/app', path: '/metadata/labels/copy' },
      { op: 'move', from: '/metadata/labels/copy', path: '/metadata/labels/moved' },
      { op: 'remove', path: '/metadata/annotations' },
    ]) as { metadata: Obj; spec: { template: { spec: { containers: unknown[] } } } };
    expect(out.metadata.labels).toEqual({ app: 'web', tier: 'front', moved: 'web' });
    expect(out.metadata.annotations).toBeUndefined();
    expect(out.spec.template.spec.containers).toHaveLength(2);
  });

  test('JSON pointer escapes', () => {
    const out = applyJsonPatch({ metadata: { labels: { 'app.kubernetes.io/name': 'a' } } }, [
      { op: 'replace', path: '/metadata/labels/app.kubernetes.io~1name', value: 'b' },
    ]);
    expect(out).toEqual({ metadata: { labels: { 'app.kubernetes.io/name': 'b' } } });
  });

  test.each([
    ['a failed test', [{ op: 'test', path: '/spec/replicas', value: 3 }], /operation 0 \(test "\/spec\/replicas"\): test failed/],
    ['removing a missing path', [{ op: 'remove', path: '/spec/paused' }], /operation 0 \(remove "\/spec\/paused"\): the path does not exist/],
    ['replacing a missing path', [{ op: 'add', path: '/a', value: 1 }, { op: 'replace', path: '/metadata/labels/nope', value: 'x' }], /operation 1 \(replace/],
    ['adding under a missing parent', [{ op: 'add', path: '/spec/nope/deeper', value: 1 }], /parent of the path does not exist/],
    ['moving from a missing path', [{ op: 'move', from: '/nope', path: '/x' }], /"from" path "\/nope" does not exist/],
    ['an index out of bounds', [{ op: 'add', path: '/spec/template/spec/containers/5', value: {} }], /out of bounds/],
    ['replacing the root with a list', [{ op: 'replace', path: '', value: [1] }], /must be a JSON object/],
    ['touching __proto__', [{ op: 'add', path: '/__proto__/polluted', value: true }], /cannot be applied/],
  ])('%s → 422 Invalid', (_name, ops, message) => {
    const err = apiError(() => applyJsonPatch(deployment(), ops));
    expect(err.code).toBe(422);
    expect(err.reason).toBe('Invalid');
    expect(err.message).toMatch(message);
    expect(err.details?.causes?.[0].reason).toBe('UnexpectedServerResponse');
    expect(({} as Obj).polluted).toBeUndefined();
  });

  test.each([
    ['not a list', { op: 'add' }, /expected a JSON array of operations, got object/],
    ['an operation that is not an object', ['add'], /operation 0: expected an object, got string/],
    ['an unknown op', [{ op: 'merge', path: '/a' }], /"op" must be one of/],
    ['a missing path', [{ op: 'remove' }], /"path" must be a string JSON pointer/],
    ['a relative path', [{ op: 'remove', path: 'spec' }], /must be empty or start with "\/"/],
    ['a missing value', [{ op: 'add', path: '/a' }], /missing "value"/],
    ['a move without from', [{ op: 'move', path: '/a' }], /"from" must be a string/],
  ])('%s → 400 BadRequest', (_name, ops, message) => {
    const err = apiError(() => applyJsonPatch(deployment(), ops));
    expect(err.code).toBe(400);
    expect(err.reason).toBe('BadRequest');
    expect(err.message).toMatch(message);
  });

  test('more operations than the API server allows → 413', () => {
    const ops = Array.from({ length: MAX_JSON_PATCH_OPERATIONS + 1 }, () => ({ op: 'test', path: '/kind', value: 'Deployment' }));
    const err = apiError(() => applyJsonPatch(deployment(), ops));
    expect(err.code).toBe(413);
  });

  test('a value of null is a value (add/test), not a missing one', () => {
    expect(applyJsonPatch({ a: 1 }, [{ op: 'add', path: '/b', value: null }])).toEqual({ a: 1, b: null });
  });
});

describe('JSON merge patch (RFC 7386)', () => {
  test.each([
    ['kubectl label', { metadata: { labels: { tier: 'front' } } }, { ...deployment(), metadata: { name: 'web', labels: { app: 'web', tier: 'front' }, annotations: { 'deployment.kubernetes.io/revision': '2' } } }],
    ['kubectl label a-', { metadata: { labels: { app: null } } }, { ...deployment(), metadata: { name: 'web', labels: {}, annotations: { 'deployment.kubernetes.io/revision': '2' } } }],
    ['kubectl scale', { spec: { replicas: 5 } }, { ...deployment(), spec: { ...(deployment().spec as Obj), replicas: 5 } }],
    ['lists are replaced', { spec: { template: { spec: { containers: [{ name: 'x' }] } } } }, { ...deployment(), spec: { ...(deployment().spec as Obj), template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'x' }] } } } }],
    ['a scalar becomes an object', { spec: { replicas: { a: 1, b: null } } }, { ...deployment(), spec: { ...(deployment().spec as Obj), replicas: { a: 1 } } }],
    ['deleting a key that is not there', { status: null }, deployment()],
  ])('%s', (_name, patch, want) => {
    const live = deployment();
    expect(applyMergePatch(live, patch)).toEqual(want);
    expect(live).toEqual(deployment());
  });

  test('a patch that is not an object → 400', () => {
    for (const p of [[], 'x', null, 3]) {
      const err = apiError(() => applyMergePatch(deployment(), p));
      expect(err.code).toBe(400);
      expect(err.message).toMatch(/expected a JSON object/);
    }
  });

  test('a __proto__ key stays data', () => {
    const out = applyMergePatch({ a: {} }, JSON.parse('{"a":{"__proto__":{"polluted":true}}}')) as { a: Obj };
    expect(Object.prototype.hasOwnProperty.call(out.a, '__proto__')).toBe(true);
    expect(({} as Obj).polluted).toBeUndefined();
  });

  test('createMergePatch is the smallest diff', () => {
    const a = { metadata: { labels: { a: '1', b: '2' } }, spec: { replicas: 1, list: [1, 2] } };
    const b = { metadata: { labels: { a: '1', c: '3' } }, spec: { replicas: 1, list: [2] } };
    expect(createMergePatch(a, b)).toEqual({ metadata: { labels: { b: null, c: '3' } }, spec: { list: [2] } });
    expect(applyMergePatch(a, createMergePatch(a, b))).toEqual(b);
  });
});
