import { createMergePatch, filterNulls, isContainedIn, threeWayMergePatch, withLastApplied, LAST_APPLIED_ANNOTATION } from '../../cli/apply-patch';
import { toCompactJson } from '../../cli/printers/output';

type J = Parameters<typeof threeWayMergePatch>[1];

const manifest = (image: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
  spec: { containers: [{ name: 'web', image, ports: [{ containerPort: 80 }] }] },
  ...extra,
});

/** What a server stores: defaults filled in, server-owned fields added. */
function live(m: ReturnType<typeof manifest>, lastApplied: string) {
  return {
    ...m,
    metadata: { ...m.metadata, uid: 'u1', resourceVersion: '7', creationTimestamp: '2025-01-01T00:00:00Z', annotations: { [LAST_APPLIED_ANNOTATION]: lastApplied } },
    spec: {
      ...m.spec,
      containers: m.spec.containers.map((c) => ({ ...c, imagePullPolicy: 'IfNotPresent', ports: c.ports.map((p) => ({ ...p, protocol: 'TCP' })) })),
      restartPolicy: 'Always',
    },
    status: { phase: 'Running' },
  };
}

describe('createMergePatch / filterNulls', () => {
  test('RFC 7386 diff', () => {
    expect(createMergePatch({ a: 1, b: { c: 1, d: 2 }, e: [1] }, { a: 1, b: { c: 2 }, e: [1, 2], f: 'x' })).toEqual({ b: { c: 2, d: null }, e: [1, 2], f: 'x' });
  });
  test('keep only deletions / only changes', () => {
    const p = { a: null, b: { c: 1, d: null }, e: {} };
    expect(filterNulls(p, true)).toEqual({ a: null, b: { d: null } });
    expect(filterNulls(p, false)).toEqual({ b: { c: 1 }, e: {} });
  });
  test('containment ignores fields only the server has', () => {
    expect(isContainedIn([{ name: 'a' }], [{ name: 'a', x: 1 }])).toBe(true);
    expect(isContainedIn([{ name: 'a' }], [{ name: 'b' }])).toBe(false);
    expect(isContainedIn([{ name: 'a' }], [{ name: 'a' }, { name: 'b' }])).toBe(false);
  });
});

describe('threeWayMergePatch (client-side apply)', () => {
  const enc = toCompactJson;

  test('last-applied annotation: sorted compact JSON + newline, annotations always present', () => {
    const { modified, annotation } = withLastApplied(manifest('nginx'), enc);
    expect(annotation).toBe('{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{},"labels":{"app":"web"},"name":"web","namespace":"default"},"spec":{"containers":[{"image":"nginx","name":"web","ports":[{"containerPort":80}]}]}}\n');
    expect(modified.metadata.annotations).toEqual({ [LAST_APPLIED_ANNOTATION]: annotation });
    // An old annotation in the manifest itself is not nested into the new one.
    const again = withLastApplied(modified, enc);
    expect(again.annotation).toBe(annotation);
  });

  test('unchanged manifest → empty patch, despite server defaults inside lists', () => {
    const { modified, annotation } = withLastApplied(manifest('nginx'), enc);
    const current = live(manifest('nginx'), annotation);
    const original = JSON.parse(annotation);
    expect(threeWayMergePatch(original, modified as unknown as J, current as unknown as J)).toEqual({});
  });

  test('a changed field is set; the list it lives in is sent whole; the annotation is updated', () => {
    const first = withLastApplied(manifest('nginx'), enc);
    const current = live(manifest('nginx'), first.annotation);
    const next = withLastApplied(manifest('nginx:1.28'), enc);
    const patch = threeWayMergePatch(JSON.parse(first.annotation), next.modified as unknown as J, current as unknown as J);
    expect(patch).toEqual({
      metadata: { annotations: { [LAST_APPLIED_ANNOTATION]: next.annotation } },
      spec: { containers: [{ name: 'web', image: 'nginx:1.28', ports: [{ containerPort: 80 }] }] },
    });
  });

  test('fields removed from the manifest since the last apply are deleted; others\' fields are kept', () => {
    const withLabel = manifest('nginx');
    withLabel.metadata.labels = { app: 'web', tier: 'fe' } as typeof withLabel.metadata.labels;
    const first = withLastApplied(withLabel, enc);
    const current = live(withLabel, first.annotation);
    (current.metadata.labels as Record<string, string>).addedByOthers = 'x';
    const next = withLastApplied(manifest('nginx'), enc);
    const patch = threeWayMergePatch(JSON.parse(first.annotation), next.modified as unknown as J, current as unknown as J);
    expect(patch).toEqual({ metadata: { annotations: { [LAST_APPLIED_ANNOTATION]: next.annotation }, labels: { tier: null } } });
  });

  test('drift made by someone else on a field the manifest owns is put back', () => {
    const first = withLastApplied(manifest('nginx'), enc);
    const current = live(manifest('nginx'), first.annotation);
    (current.metadata.labels as Record<string, string>).app = 'changed';
    current.spec.containers[0].image = 'other';
    const patch = threeWayMergePatch(JSON.parse(first.annotation), first.modified as unknown as J, current as unknown as J);
    expect(patch).toEqual({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }] } });
  });

  test('no last-applied annotation (object made by create): nothing deleted, annotation added', () => {
    const { modified, annotation } = withLastApplied(manifest('nginx'), enc);
    const current = live(manifest('nginx'), '');
    delete (current.metadata as { annotations?: unknown }).annotations;
    const patch = threeWayMergePatch(undefined, modified as unknown as J, current as unknown as J);
    expect(patch.metadata).toEqual({ annotations: { [LAST_APPLIED_ANNOTATION]: annotation } });
    // Without last-applied the lists are compared with the live object as is.
    expect(patch.spec).toBeDefined();
  });

  test('a whole section removed from the manifest is nulled', () => {
    const first = withLastApplied(manifest('nginx', { data: { a: '1' } }), enc);
    const current = { ...live(manifest('nginx'), first.annotation), data: { a: '1' } };
    const next = withLastApplied(manifest('nginx'), enc);
    expect(threeWayMergePatch(JSON.parse(first.annotation), next.modified as unknown as J, current as unknown as J)).toMatchObject({ data: null });
  });
});
