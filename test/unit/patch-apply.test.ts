import { ApiError } from '../../shared/api/errors';
import type { KObject } from '../../shared/api/types';
import { patchObject, recordUpdate as record, serverSideApply as ssaRaw, type ApplyOptions, type GroupKind, type OwnershipOptions } from '../../apiserver/patch';

const DEPLOYMENT: GroupKind = { group: 'apps', kind: 'Deployment' };
const CONFIGMAP: GroupKind = { group: '', kind: 'ConfigMap' };
const POD: GroupKind = { group: '', kind: 'Pod' };
const T0 = '2025-01-02T03:04:05Z';
const T1 = new Date('2025-01-02T04:00:00.123Z');

// Tests reach into nested fields freely; the module itself is strictly typed.
type Obj = Record<string, any>;

function deploy(opts: { replicas?: number; labels?: Obj | null; containers?: Obj[] } = {}): Obj {
  const metadata: Obj = { name: 'web', namespace: 'default' };
  if (opts.labels !== null) metadata.labels = opts.labels ?? { app: 'web' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata,
    spec: {
      replicas: opts.replicas ?? 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: opts.containers ?? [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
      },
    },
  };
}

// Loosely typed views of the module's functions, so tests can poke at nested fields.
function serverSideApply(live: Obj | undefined, config: unknown, opts: ApplyOptions) {
  const r = ssaRaw(live as KObject | undefined, config, opts);
  return { ...r, object: r.object as Obj };
}

function recordUpdate(old: Obj | undefined, updated: Obj, opts: OwnershipOptions): Obj {
  return record(old as KObject | undefined, updated as KObject, opts) as Obj;
}

function apply(live: Obj | undefined, config: unknown, manager = 'kubectl', extra: Partial<ApplyOptions> = {}) {
  return serverSideApply(live, config, { manager, kind: DEPLOYMENT, now: T0, ...extra });
}

function entries(o: Obj): Obj[] {
  return o.metadata.managedFields ?? [];
}

function entry(o: Obj, manager: string): Obj | undefined {
  return entries(o).find((e) => e.manager === manager);
}

function stripManaged(o: Obj): Obj {
  const c = structuredClone(o);
  delete c.metadata.managedFields;
  return c;
}

function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected an ApiError');
}

const WEB_CONTAINER_FIELDS = {
  '.': {},
  'f:image': {},
  'f:name': {},
  'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
};

describe('server-side apply: creating and re-applying', () => {
  test('apply on a missing object creates it with one Apply entry', () => {
    const r = apply(undefined, deploy());
    expect(r.changed).toBe(true);
    expect(stripManaged(r.object)).toEqual(deploy());
    expect(entries(r.object)).toEqual([{
      manager: 'kubectl',
      operation: 'Apply',
      apiVersion: 'apps/v1',
      time: T0,
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:labels': { 'f:app': {} } },
        'f:spec': {
          'f:replicas': {},
          'f:selector': {},
          'f:template': {
            'f:metadata': { 'f:labels': { 'f:app': {} } },
            'f:spec': { 'f:containers': { 'k:{"name":"web"}': WEB_CONTAINER_FIELDS } },
          },
        },
      },
    }]);
  });

  test('re-applying the same configuration changes nothing', () => {
    const live = apply(undefined, deploy()).object;
    const r = serverSideApply(live, deploy(), { manager: 'kubectl', kind: DEPLOYMENT, now: T1 });
    expect(r.changed).toBe(false);
    expect(r.object).toEqual(live);
  });

  test('fields dropped from the configuration are removed', () => {
    const live = apply(undefined, deploy({ containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }], env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }, { name: 'side', image: 'envoy' }] })).object;
    const r = serverSideApply(live, deploy({ labels: null, containers: [{ name: 'web', image: 'nginx', env: [{ name: 'A', value: '1' }] }] }), { manager: 'kubectl', kind: DEPLOYMENT, now: T1 });
    expect(stripManaged(r.object)).toEqual(deploy({ labels: null, containers: [{ name: 'web', image: 'nginx', env: [{ name: 'A', value: '1' }] }] }));
    expect(entries(r.object)).toHaveLength(1);
    expect(entry(r.object, 'kubectl')?.time).toBe('2025-01-02T04:00:00Z');
    expect(entry(r.object, 'kubectl')?.fieldsV1['f:spec']['f:template']['f:spec']['f:containers']).toEqual({
      'k:{"name":"web"}': { '.': {}, 'f:env': { 'k:{"name":"A"}': { '.': {}, 'f:name': {}, 'f:value': {} } }, 'f:image': {}, 'f:name': {} },
    });
  });

  test('a null in the configuration is the same as leaving the field out', () => {
    const live = apply(undefined, deploy()).object;
    const cfg = deploy();
    cfg.metadata.labels = null;
    const r = apply(live, cfg);
    expect(r.object.metadata.labels).toBeUndefined();
  });

  test('keyed lists merge per key; elements keep a sensible order', () => {
    const live = recordUpdate(undefined, deploy({ containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] }), { manager: 'kubectl-create', kind: DEPLOYMENT, now: T0 });
    const r = apply(live, deploy({ containers: [{ name: 'c', image: 'z' }, { name: 'a', image: 'x' }] }));
    expect(r.object.spec.template.spec.containers).toEqual([{ name: 'c', image: 'z' }, { name: 'a', image: 'x' }, { name: 'b', image: 'y' }]);
  });

  test('status is not applied through the main resource', () => {
    const cfg = { ...deploy(), status: { replicas: 5 } };
    const r = apply(undefined, cfg);
    expect(r.object.status).toBeUndefined();
    expect(entry(r.object, 'kubectl')?.fieldsV1['f:status']).toBeUndefined();
  });

  test('a custom resource (unknown kind) applies with merge semantics and atomic lists', () => {
    const kind = { group: 'example.com', kind: 'Widget' };
    const cr = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', finalizers: ['x'] }, spec: { items: [1, 2], size: 'L' } };
    const r = serverSideApply(undefined, cr, { manager: 'm', kind, now: T0, ignoredFields: [] });
    expect(entry(r.object, 'm')?.fieldsV1).toEqual({ 'f:metadata': { 'f:finalizers': { 'v:"x"': {} } }, 'f:spec': { 'f:items': {}, 'f:size': {} } });
    const r2 = serverSideApply(r.object, { ...cr, spec: { items: [3] } }, { manager: 'm', kind, now: T0, ignoredFields: [] });
    expect(r2.object.spec).toEqual({ items: [3] });
  });
});

describe('server-side apply: ownership between managers', () => {
  function csaCreated(replicas = 2): Obj {
    return recordUpdate(undefined, deploy({ replicas }), { manager: 'kubectl-client-side-apply', kind: DEPLOYMENT, now: T0 });
  }

  test('changing a field another manager owns is a 409 with FieldManagerConflict causes', () => {
    const err = apiError(() => apply(csaCreated(), deploy({ replicas: 3 })));
    expect(err.code).toBe(409);
    expect(err.reason).toBe('Conflict');
    expect(err.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
    expect(err.details).toEqual({
      causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' }],
    });
  });

  test('force takes the field over', () => {
    const r = apply(csaCreated(), deploy({ replicas: 3 }), 'kubectl', { force: true });
    expect(r.object.spec.replicas).toBe(3);
    expect(r.conflicts).toEqual([{ manager: '"kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' }]);
    expect(entry(r.object, 'kubectl')?.fieldsV1['f:spec']['f:replicas']).toEqual({});
    expect(entry(r.object, 'kubectl-client-side-apply')?.fieldsV1['f:spec']['f:replicas']).toBeUndefined();
    // Fields it did not touch stay with the old owner too.
    expect(entry(r.object, 'kubectl-client-side-apply')?.fieldsV1['f:spec']['f:template']).toBeDefined();
  });

  test('applying the value another manager already set is shared ownership, not a conflict', () => {
    const r = apply(csaCreated(), deploy());
    expect(r.object.spec.replicas).toBe(2);
    expect(entry(r.object, 'kubectl')?.fieldsV1['f:spec']['f:replicas']).toEqual({});
    expect(entry(r.object, 'kubectl-client-side-apply')?.fieldsV1['f:spec']['f:replicas']).toEqual({});
  });

  test('a dropped field that another manager also owns stays', () => {
    const kind = CONFIGMAP;
    const cm = (data?: Obj) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, ...(data ? { data } : {}) });
    const a1 = serverSideApply(undefined, cm({ x: '1', y: '2' }), { manager: 'a', kind, now: T0 }).object;
    const b1 = serverSideApply(a1, cm({ x: '1' }), { manager: 'b', kind, now: T0 }).object;
    const a2 = serverSideApply(b1, cm(), { manager: 'a', kind, now: T0 }).object;
    expect(a2.data).toEqual({ x: '1' });
    expect(entry(a2, 'a')).toBeUndefined();
    expect(entry(a2, 'b')?.fieldsV1).toEqual({ 'f:data': { 'f:x': {} } });
  });

  test('a map emptied by pruning goes away', () => {
    const cm = (data?: Obj) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, ...(data ? { data } : {}) });
    const live = serverSideApply(undefined, cm({ x: '1' }), { manager: 'a', kind: CONFIGMAP, now: T0 }).object;
    const r = serverSideApply(live, cm(), { manager: 'a', kind: CONFIGMAP, now: T0 });
    expect(r.object).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
  });

  test('objects from before apply: existing fields belong to before-first-apply', () => {
    const legacy = deploy({ replicas: 1 });
    const err = apiError(() => apply(legacy, deploy({ replicas: 2 })));
    expect(err.message).toBe('Apply failed with 1 conflict: conflict with "before-first-apply" using apps/v1: .spec.replicas');
    const ok = apply(legacy, deploy({ replicas: 1 }));
    expect(entries(ok.object).map((e) => [e.manager, e.operation])).toEqual([['kubectl', 'Apply'], ['before-first-apply', 'Update']]);
  });

  test('list elements added by other writers survive a re-apply', () => {
    const live = apply(undefined, deploy()).object;
    const withSide = structuredClone(live);
    withSide.spec.template.spec.containers.push({ name: 'istio-proxy', image: 'proxy' });
    const injected = recordUpdate(live, withSide, { manager: 'webhook', kind: DEPLOYMENT, now: T0 });
    const r = apply(injected, deploy({ containers: [{ name: 'web', image: 'nginx:1.28', ports: [{ containerPort: 80 }] }] }));
    expect(r.object.spec.template.spec.containers.map((c: Obj) => c.name)).toEqual(['web', 'istio-proxy']);
    expect(r.object.spec.template.spec.containers[0].image).toBe('nginx:1.28');
  });

  test('finalizers are a set: only the applier\'s own values are removed', () => {
    const cfg = (finalizers?: string[]) => ({ ...deploy(), metadata: { ...deploy().metadata, ...(finalizers ? { finalizers } : {}) } });
    const live = apply(undefined, cfg(['a'])).object;
    const next = structuredClone(live);
    next.metadata.finalizers = ['a', 'b'];
    const withB = recordUpdate(live, next, { manager: 'controller', kind: DEPLOYMENT, now: T0 });
    expect(entry(withB, 'controller')?.fieldsV1).toEqual({ 'f:metadata': { 'f:finalizers': { 'v:"b"': {} } } });
    const r = apply(withB, cfg());
    expect(r.object.metadata.finalizers).toEqual(['b']);
  });

  test('kubectl scale then re-apply of the old replica count conflicts with the scaler', () => {
    const live = apply(undefined, deploy({ replicas: 3 })).object;
    const scaled = structuredClone(live);
    scaled.spec.replicas = 5;
    const afterScale = recordUpdate(live, scaled, { manager: 'kubectl-scale', kind: DEPLOYMENT, now: T0 });
    expect(entry(afterScale, 'kubectl')?.fieldsV1['f:spec']['f:replicas']).toBeUndefined();
    const err = apiError(() => apply(afterScale, deploy({ replicas: 3 })));
    expect(err.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-scale" using apps/v1: .spec.replicas');
  });

  test('several conflicts are grouped by manager', () => {
    const kind = CONFIGMAP;
    const base = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { x: '1' } }, data: { a: '1', b: '1' } };
    let live = serverSideApply(undefined, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { x: '1' } } }, { manager: 'other', kind, now: T0 }).object;
    live = recordUpdate(live, { ...live, data: { a: '1', b: '1' } }, { manager: 'kubectl-edit', kind, now: T0 });
    const err = apiError(() => serverSideApply(live, { ...base, metadata: { name: 'c', labels: { x: '2' } }, data: { a: '2', b: '2' } }, { manager: 'mine', kind, now: T0 }));
    expect(err.message).toBe('Apply failed with 3 conflicts: conflicts with "kubectl-edit" using v1:\n- .data.a\n- .data.b\nconflicts with "other":\n- .metadata.labels.x');
    expect(err.details?.causes?.map((c) => c.field).sort()).toEqual(['.data.a', '.data.b', '.metadata.labels.x']);
  });

  test('the status subresource records its own entry', () => {
    const live = recordUpdate(undefined, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c' }] } }, { manager: 'kubectl-run', kind: POD, now: T0 });
    const r = serverSideApply(live, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } }, { manager: 'kubelet', kind: POD, now: T0, subresource: 'status' });
    expect(r.object.spec).toEqual({ containers: [{ name: 'c' }] });
    expect(entry(r.object, 'kubelet')).toMatchObject({ operation: 'Apply', subresource: 'status', fieldsV1: { 'f:status': { 'f:conditions': { 'k:{"type":"Ready"}': { '.': {}, 'f:status': {}, 'f:type': {} } } } } });
  });
});

describe('server-side apply: bad requests', () => {
  test.each([
    ['no field manager', deploy(), { manager: '' }, /requires the fieldManager/],
    ['a list body', [deploy()], {}, /expected an object, got a list/],
    ['managedFields in the configuration', { ...deploy(), metadata: { name: 'web', managedFields: [{ manager: 'x' }] } }, {}, /metadata.managedFields must be nil/],
    ['duplicate container names', deploy({ containers: [{ name: 'a' }, { name: 'a' }] }), {}, /spec\.template\.spec\.containers\[1\]: duplicate entries for key \{"name":"a"\}/],
    ['a port without containerPort', deploy({ containers: [{ name: 'a', ports: [{ name: 'http' }] }] }), {}, /ports\[0\]: associative list element must be an object with key field\(s\) containerPort, protocol/],
  ])('%s → 400', (_name, cfg, extra, message) => {
    const err = apiError(() => apply(undefined, cfg, 'kubectl', extra));
    expect(err.code).toBe(400);
    expect(err.message).toMatch(message);
  });
});

describe('recordUpdate: ownership for create, update and patch', () => {
  const pod = (labels: Obj, image = 'nginx'): Obj => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', uid: 'u', resourceVersion: '5', labels },
    spec: { containers: [{ name: 'web', image, resources: {} }], restartPolicy: 'Always' },
    status: { phase: 'Pending' },
  });
  const created = recordUpdate(undefined, pod({ run: 'web' }), { manager: 'kubectl-run', kind: POD, now: T0 });

  test('a create owns everything it set, maps and list elements included', () => {
    expect(entries(created)).toEqual([{
      manager: 'kubectl-run',
      operation: 'Update',
      apiVersion: 'v1',
      time: T0,
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:labels': { '.': {}, 'f:run': {} } },
        'f:spec': {
          'f:containers': { '.': {}, 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {}, 'f:resources': {} } },
          'f:restartPolicy': {},
        },
      },
    }]);
  });

  test('a patch by another manager takes the fields it changed', () => {
    const next = recordUpdate(created, pod({ run: 'web', tier: 'front' }, 'nginx:2'), { manager: 'kubectl-set', kind: POD, now: T1 });
    expect(entry(next, 'kubectl-set')).toEqual({
      manager: 'kubectl-set', operation: 'Update', apiVersion: 'v1', time: '2025-01-02T04:00:00Z', fieldsType: 'FieldsV1',
      fieldsV1: { 'f:metadata': { 'f:labels': { 'f:tier': {} } }, 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { 'f:image': {} } } } },
    });
    expect(entry(next, 'kubectl-run')?.fieldsV1['f:spec']['f:containers']['k:{"name":"web"}']['f:image']).toBeUndefined();
    expect(entry(next, 'kubectl-run')?.time).toBe(T0);
  });

  test('removed fields leave every entry; a write that only removes adds no entry', () => {
    const unlabelled = pod({});
    delete unlabelled.metadata.labels;
    const next = recordUpdate(created, unlabelled, { manager: 'kubectl-edit', kind: POD, now: T1 });
    expect(entry(next, 'kubectl-edit')).toBeUndefined();
    expect(entry(next, 'kubectl-run')?.fieldsV1['f:metadata']).toBeUndefined();
  });

  test('emptying a map keeps the owner of the (still present) map', () => {
    const next = recordUpdate(created, pod({}), { manager: 'kubectl-edit', kind: POD, now: T1 });
    expect(entry(next, 'kubectl-run')?.fieldsV1['f:metadata']).toEqual({ 'f:labels': {} });
  });

  test('a write that changes nothing leaves managedFields alone', () => {
    const same = recordUpdate(created, { ...pod({ run: 'web' }), metadata: { ...pod({ run: 'web' }).metadata, resourceVersion: '6' } }, { manager: 'x', kind: POD, now: T1 });
    expect(entries(same)).toEqual(entries(created));
  });

  test('managedFields sent by the client are replaced by the server\'s record', () => {
    const sent = { ...pod({ run: 'web' }), metadata: { ...pod({ run: 'web' }).metadata, managedFields: [{ manager: 'liar', operation: 'Apply', fieldsV1: {} }] } };
    const next = recordUpdate(created, sent, { manager: 'x', kind: POD, now: T1 });
    expect(entries(next)).toEqual(entries(created));
  });
});

describe('patchObject', () => {
  test('apply on a missing object reports created', () => {
    const r = patchObject('apply', undefined, deploy(), { kind: DEPLOYMENT, manager: 'kubectl', now: T0 });
    expect(r.created).toBe(true);
    expect(r.object.metadata.managedFields).toHaveLength(1);
  });

  test('a strategic patch with a field manager records Update ownership', () => {
    const live = apply(undefined, deploy()).object;
    const r = patchObject('strategic', live as KObject, { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.28' }] } } } }, { kind: DEPLOYMENT, manager: 'kubectl-set', now: T1 });
    expect(r.created).toBe(false);
    const o = r.object as Obj;
    expect(o.spec.template.spec.containers[0].image).toBe('nginx:1.28');
    expect(entry(o, 'kubectl-set')?.fieldsV1).toEqual({ 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { 'f:image': {} } } } } } });
    expect(entry(o, 'kubectl')?.fieldsV1['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"web"}']['f:image']).toBeUndefined();
  });

  test('merge and JSON patches go through too', () => {
    const live = deploy() as KObject;
    expect((patchObject('merge', live, { spec: { replicas: 4 } }, { kind: DEPLOYMENT }).object as Obj).spec.replicas).toBe(4);
    expect((patchObject('json', live, [{ op: 'replace', path: '/spec/replicas', value: 6 }], { kind: DEPLOYMENT }).object as Obj).spec.replicas).toBe(6);
  });

  test('a non-apply patch without a live object is the caller\'s bug (500)', () => {
    const err = apiError(() => patchObject('merge', undefined, {}, { kind: DEPLOYMENT }));
    expect(err.code).toBe(500);
  });
});
