/**
 * The API server's REST semantics over real HTTP (in-process server on 127.0.0.1:0,
 * in-memory store): CRUD, patches, subresources, deletion, watch over chunked HTTP and
 * WebSocket, and bad input — which must get the right Status and change nothing.
 */
import WebSocket from 'ws';
import { startApiServer, type RunningApiServer } from '../../apiserver/app';
import { createLogger } from '../../shared/logger';

let api: RunningApiServer;

beforeAll(async () => {
  api = await startApiServer({ logger: createLogger('apiserver', { level: 'silent', pretty: false }), bookmarkIntervalMs: 200 });
});
afterAll(async () => {
  await api?.close();
});

interface Res {
  status: number;
  body: any;
  headers: Headers;
}

async function call(method: string, path: string, body?: unknown, contentType = 'application/json', accept = 'application/json'): Promise<Res> {
  const init: RequestInit = { method, headers: { accept, 'content-type': contentType } };
  if (body !== undefined) init.body = typeof body === 'string' || Buffer.isBuffer(body) ? (body as any) : JSON.stringify(body);
  const res = await fetch(api.url + path, init);
  const text = await res.text();
  let parsed: any = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // plain text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

const pod = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels: { app: 'web' } },
  spec: { containers: [{ name: 'main', image: 'nginx:1.28', ports: [{ containerPort: 80 }] }] },
  ...extra,
});

const PODS = '/api/v1/namespaces/default/pods';

describe('CRUD', () => {
  test('create assigns identity and defaults; get returns it; AlreadyExists on repeat', async () => {
    const c = await call('POST', PODS, pod('crud-1'));
    expect(c.status).toBe(201);
    expect(c.body.metadata).toMatchObject({ name: 'crud-1', namespace: 'default', generation: 1 });
    expect(c.body.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(c.body.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(c.body.spec.containers[0].ports[0].protocol).toBe('TCP');
    expect(c.body.status.phase).toBe('Pending');
    const g = await call('GET', `${PODS}/crud-1`);
    expect(g.body).toEqual(c.body);
    const again = await call('POST', PODS, pod('crud-1'));
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ kind: 'Status', reason: 'AlreadyExists', code: 409, message: 'pods "crud-1" already exists' });
  });

  test('generateName and dryRun', async () => {
    const c = await call('POST', PODS, { ...pod(''), metadata: { generateName: 'gen-' } });
    expect(c.status).toBe(201);
    expect(c.body.metadata.name).toMatch(/^gen-[a-z0-9]{5}$/);
    const rev = api.storage.currentRevision();
    const d = await call('POST', `${PODS}?dryRun=All`, pod('dry'));
    expect(d.status).toBe(201);
    expect(api.storage.currentRevision()).toBe(rev);
    expect((await call('GET', `${PODS}/dry`)).status).toBe(404);
  });

  test('PUT is compare-and-swap on resourceVersion; spec changes bump generation; status is kept', async () => {
    const c = (await call('POST', PODS, pod('cas'))).body;
    const upd = { ...c, metadata: { ...c.metadata, labels: { app: 'web', v: '2' } } };
    const ok = await call('PUT', `${PODS}/cas`, upd);
    expect(ok.status).toBe(200);
    expect(ok.body.metadata.generation).toBe(1);
    const stale = await call('PUT', `${PODS}/cas`, upd);
    expect(stale.status).toBe(409);
    expect(stale.body.reason).toBe('Conflict');
    expect(stale.body.message).toBe('Operation cannot be fulfilled on pods "cas": the object has been modified; please apply your changes to the latest version and try again');
    const dep = (await call('POST', '/apis/apps/v1/namespaces/default/deployments', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'gen' },
      spec: { selector: { matchLabels: { app: 'g' } }, template: { metadata: { labels: { app: 'g' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    })).body;
    expect(dep.spec).toMatchObject({ replicas: 1, revisionHistoryLimit: 10, progressDeadlineSeconds: 600, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } });
    const scaled = await call('PATCH', '/apis/apps/v1/namespaces/default/deployments/gen', { spec: { replicas: 3 } }, 'application/merge-patch+json');
    expect(scaled.body.metadata.generation).toBe(2);
    const st = await call('PATCH', '/apis/apps/v1/namespaces/default/deployments/gen/status', { status: { replicas: 3 }, spec: { replicas: 9 } }, 'application/merge-patch+json');
    expect(st.body.status.replicas).toBe(3);
    expect(st.body.spec.replicas).toBe(3);
    expect(st.body.metadata.generation).toBe(2);
    const main = await call('PATCH', '/apis/apps/v1/namespaces/default/deployments/gen', { status: { replicas: 7 } }, 'application/merge-patch+json');
    expect(main.body.status.replicas).toBe(3);
  });

  test('scale subresource', async () => {
    const s = await call('GET', '/apis/apps/v1/namespaces/default/deployments/gen/scale');
    expect(s.body).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 3 }, status: { selector: 'app=g' } });
    const p = await call('PATCH', '/apis/apps/v1/namespaces/default/deployments/gen/scale', { spec: { replicas: 5 } }, 'application/merge-patch+json');
    expect(p.body.spec.replicas).toBe(5);
    expect((await call('GET', '/apis/apps/v1/namespaces/default/deployments/gen')).body.spec.replicas).toBe(5);
  });

  test('strategic merge patch merges containers by name; JSON patch works', async () => {
    await call('POST', '/apis/apps/v1/namespaces/default/deployments', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'smp' },
      spec: { selector: { matchLabels: { app: 's' } }, template: { metadata: { labels: { app: 's' } }, spec: { containers: [{ name: 'a', image: 'nginx' }, { name: 'b', image: 'busybox' }] } } },
    });
    const p = await call('PATCH', '/apis/apps/v1/namespaces/default/deployments/smp', { spec: { template: { spec: { containers: [{ name: 'b', image: 'busybox:2' }] } } } }, 'application/strategic-merge-patch+json');
    expect(p.status).toBe(200);
    expect(p.body.spec.template.spec.containers.map((c: any) => `${c.name}=${c.image}`)).toEqual(['a=nginx', 'b=busybox:2']);
    const j = await call('PATCH', '/apis/apps/v1/namespaces/default/deployments/smp', [{ op: 'replace', path: '/spec/replicas', value: 4 }], 'application/json-patch+json');
    expect(j.body.spec.replicas).toBe(4);
  });

  test('strategic merge directives pass strict field validation and take effect', async () => {
    const patch = { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }], containers: [{ name: 'b', image: 'busybox:3' }] } } } };
    const p = await call('PATCH', '/apis/apps/v1/namespaces/default/deployments/smp?fieldValidation=Strict', patch, 'application/strategic-merge-patch+json');
    expect(p.status).toBe(200);
    expect(p.body.spec.template.spec.containers.map((c: any) => `${c.name}=${c.image}`)).toEqual(['b=busybox:3', 'a=nginx']);
    await call('POST', PODS, { ...pod('owned'), metadata: { name: 'owned', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1', controller: true }] } });
    const rel = await call('PATCH', `${PODS}/owned`, { metadata: { ownerReferences: [{ $patch: 'delete', uid: 'u1' }] } }, 'application/strategic-merge-patch+json');
    expect(rel.status).toBe(200);
    expect(rel.body.metadata.ownerReferences ?? []).toEqual([]);
    const unknown = await call('PATCH', `${PODS}/owned?fieldValidation=Strict`, { spec: { bogus: 1 } }, 'application/strategic-merge-patch+json');
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain('unknown field "spec.bogus"');
  });

  test('binding sets the node once; a second binding is 409', async () => {
    await call('POST', PODS, pod('bind-me'));
    const b = await call('POST', `${PODS}/bind-me/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'bind-me' }, target: { kind: 'Node', name: 'node-1' } });
    expect(b.status).toBe(201);
    const got = (await call('GET', `${PODS}/bind-me`)).body;
    expect(got.spec.nodeName).toBe('node-1');
    expect(got.status.conditions.find((c: any) => c.type === 'PodScheduled').status).toBe('True');
    const again = await call('POST', `${PODS}/bind-me/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'bind-me' }, target: { kind: 'Node', name: 'node-2' } });
    expect(again.status).toBe(409);
  });

  test('a pod on a node is deleted gracefully; grace 0 removes it; an unscheduled pod goes at once', async () => {
    const d = await call('DELETE', `${PODS}/bind-me`, { propagationPolicy: 'Background' });
    expect(d.status).toBe(200);
    expect(d.body.metadata.deletionTimestamp).toBeDefined();
    expect(d.body.metadata.deletionGracePeriodSeconds).toBe(30);
    expect((await call('GET', `${PODS}/bind-me`)).status).toBe(200);
    const now = await call('DELETE', `${PODS}/bind-me`, { gracePeriodSeconds: 0 });
    expect(now.status).toBe(200);
    expect((await call('GET', `${PODS}/bind-me`)).status).toBe(404);
    await call('DELETE', `${PODS}/cas`);
    expect((await call('GET', `${PODS}/cas`)).status).toBe(404);
  });

  test('finalizers hold an object until they are removed', async () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fin', finalizers: ['example.com/hold'] }, data: { a: 'b' } };
    await call('POST', '/api/v1/namespaces/default/configmaps', cm);
    const d = await call('DELETE', '/api/v1/namespaces/default/configmaps/fin');
    expect(d.body.metadata.deletionTimestamp).toBeDefined();
    expect((await call('GET', '/api/v1/namespaces/default/configmaps/fin')).status).toBe(200);
    await call('PATCH', '/api/v1/namespaces/default/configmaps/fin', { metadata: { finalizers: null } }, 'application/merge-patch+json');
    expect((await call('GET', '/api/v1/namespaces/default/configmaps/fin')).status).toBe(404);
  });

  test('list with selectors, limit and continue', async () => {
    for (let i = 0; i < 5; i++) await call('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `page-${i}`, labels: { page: 'yes', i: String(i) } } });
    const first = await call('GET', '/api/v1/namespaces/default/configmaps?labelSelector=page%3Dyes&limit=2');
    expect(first.body.items.map((x: any) => x.metadata.name)).toEqual(['page-0', 'page-1']);
    expect(first.body.metadata.continue).toBeTruthy();
    const second = await call('GET', `/api/v1/namespaces/default/configmaps?labelSelector=page%3Dyes&limit=2&continue=${first.body.metadata.continue}`);
    expect(second.body.items.map((x: any) => x.metadata.name)).toEqual(['page-2', 'page-3']);
    const sel = await call('GET', '/api/v1/namespaces/default/configmaps?labelSelector=i+in+%281%2C3%29');
    expect(sel.body.items.map((x: any) => x.metadata.name)).toEqual(['page-1', 'page-3']);
    const fs = await call('GET', '/api/v1/configmaps?fieldSelector=metadata.name%3Dpage-4');
    expect(fs.body.items.map((x: any) => x.metadata.name)).toEqual(['page-4']);
    const bad = await call('GET', '/api/v1/configmaps?fieldSelector=spec.nope%3Dx');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('field label not supported: spec.nope');
    const dc = await call('DELETE', '/api/v1/namespaces/default/configmaps?labelSelector=page%3Dyes');
    expect(dc.status).toBe(200);
    expect((await call('GET', '/api/v1/namespaces/default/configmaps?labelSelector=page%3Dyes')).body.items).toEqual([]);
  });

  test('Table responses carry the pod columns and row metadata', async () => {
    await call('POST', PODS, pod('tbl'));
    const t = await call('GET', PODS, undefined, 'application/json', 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json');
    expect(t.body.kind).toBe('Table');
    expect(t.body.columnDefinitions.map((c: any) => c.name)).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node', 'Nominated Node', 'Readiness Gates']);
    const row = t.body.rows.find((r: any) => r.cells[0] === 'tbl');
    expect(row.cells.slice(0, 4)).toEqual(['tbl', '0/1', 'Pending', '0']);
    expect(row.object.metadata.labels).toEqual({ app: 'web' });
  });

  test('server-side apply creates, then updates, and reports conflicts', async () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa' }, data: { a: '1' } };
    const c = await call('PATCH', '/api/v1/namespaces/default/configmaps/ssa?fieldManager=alice', cm, 'application/apply-patch+yaml');
    expect(c.status).toBe(201);
    expect(c.body.metadata.managedFields[0]).toMatchObject({ manager: 'alice', operation: 'Apply' });
    const u = await call('PATCH', '/api/v1/namespaces/default/configmaps/ssa?fieldManager=alice', { ...cm, data: { b: '2' } }, 'application/apply-patch+yaml');
    expect(u.status).toBe(200);
    expect(u.body.data).toEqual({ b: '2' });
    const conflict = await call('PATCH', '/api/v1/namespaces/default/configmaps/ssa?fieldManager=bob', { ...cm, data: { b: '3' } }, 'application/apply-patch+yaml');
    expect(conflict.status).toBe(409);
    expect(conflict.body.details.causes[0].reason).toBe('FieldManagerConflict');
    const forced = await call('PATCH', '/api/v1/namespaces/default/configmaps/ssa?fieldManager=bob&force=true', { ...cm, data: { b: '3' } }, 'application/apply-patch+yaml');
    expect(forced.body.data.b).toBe('3');
  });

  test('events are served as core/v1 and as events.k8s.io/v1 views of one store', async () => {
    const ev = {
      apiVersion: 'v1', kind: 'Event', metadata: { name: 'web.1' },
      involvedObject: { kind: 'Pod', namespace: 'default', name: 'web', uid: 'u1' },
      reason: 'Scheduled', message: 'Successfully assigned default/web to node-1', type: 'Normal', source: { component: 'default-scheduler' }, count: 1,
    };
    expect((await call('POST', '/api/v1/namespaces/default/events', ev)).status).toBe(201);
    const v = await call('GET', '/apis/events.k8s.io/v1/namespaces/default/events/web.1');
    expect(v.body).toMatchObject({ apiVersion: 'events.k8s.io/v1', kind: 'Event', note: 'Successfully assigned default/web to node-1', regarding: { name: 'web' }, deprecatedCount: 1 });
    expect(v.body.message).toBeUndefined();
    const sel = await call('GET', '/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dweb%2CinvolvedObject.uid%3Du1');
    expect(sel.body.items).toHaveLength(1);
  });
});

describe('namespaces', () => {
  test('built-in namespaces exist; creating in a missing one is NotFound; a terminating one refuses new objects', async () => {
    const list = await call('GET', '/api/v1/namespaces');
    expect(list.body.items.map((n: any) => n.metadata.name).sort()).toEqual(expect.arrayContaining(['default', 'kube-node-lease', 'kube-public', 'kube-system']));
    const missing = await call('POST', '/api/v1/namespaces/nope/pods', pod('x'));
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('namespaces "nope" not found');
    await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } });
    const d = await call('DELETE', '/api/v1/namespaces/doomed');
    expect(d.body.status.phase).toBe('Terminating');
    const refused = await call('POST', '/api/v1/namespaces/doomed/pods', pod('x'));
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('because it is being terminated');
    const fin = await call('PUT', '/api/v1/namespaces/doomed/finalize', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' }, spec: { finalizers: [] } });
    expect(fin.status).toBe(200);
    expect((await call('GET', '/api/v1/namespaces/doomed')).status).toBe(404);
  });
});

describe('bad input changes nothing', () => {
  const cases: [string, () => Promise<Res>, number, string][] = [
    ['malformed JSON', () => call('POST', PODS, '{"apiVersion": "v1", "kind": "Pod", "metadata": {'), 400, 'BadRequest'],
    ['malformed YAML', () => call('POST', PODS, 'apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n', 'application/yaml'), 400, 'BadRequest'],
    ['unknown resource', () => call('POST', '/api/v1/namespaces/default/widgets', { apiVersion: 'v1', kind: 'Widget', metadata: { name: 'w' } }), 404, 'NotFound'],
    ['kind mismatch', () => call('POST', PODS, { ...pod('km'), kind: 'Service' }), 400, 'BadRequest'],
    ['invalid name', () => call('POST', PODS, pod('Bad_Name')), 422, 'Invalid'],
    ['missing containers', () => call('POST', PODS, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'empty' }, spec: {} }), 422, 'Invalid'],
    ['unknown field under Strict', () => call('POST', `${PODS}?fieldValidation=Strict`, { ...pod('strict'), spec: { containers: [{ name: 'c', image: 'i', imagePullPolicyy: 'Always' }] } }), 400, 'BadRequest'],
    ['wrong type', () => call('POST', '/apis/apps/v1/namespaces/default/deployments', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'wt' }, spec: { replicas: 'three' } }), 400, 'BadRequest'],
    ['4 MiB body', () => call('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'huge' }, data: { a: 'x'.repeat(4 * 1024 * 1024) } }), 413, 'RequestEntityTooLarge'],
    ['2 MiB object', () => call('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { a: 'x'.repeat(2 * 1024 * 1024) } }), 422, 'Invalid'],
    ['unsupported media type', () => call('POST', PODS, 'x', 'text/plain'), 415, 'UnsupportedMediaType'],
    ['stale resourceVersion', () => call('PUT', `${PODS}/crud-1`, { ...pod('crud-1'), metadata: { name: 'crud-1', resourceVersion: '1' } }), 409, 'Conflict'],
    ['bad label selector', () => call('GET', `${PODS}?labelSelector=a+in+%28`), 400, 'BadRequest'],
    ['bad patch', () => call('PATCH', `${PODS}/crud-1`, '{not json', 'application/merge-patch+json'), 400, 'BadRequest'],
  ];
  test.each(cases)('%s', async (_name, doit, code, reason) => {
    const rev = api.storage.currentRevision();
    const before = await call('GET', '/api/v1/pods');
    const res = await doit();
    expect(res.status).toBe(code);
    expect(res.body).toMatchObject({ kind: 'Status', status: 'Failure', code, reason });
    expect(typeof res.body.message).toBe('string');
    expect(res.body.message).not.toMatch(/\n\s+at /); // no stack trace
    expect(api.storage.currentRevision()).toBe(rev);
    expect((await call('GET', '/api/v1/pods')).body.items).toEqual(before.body.items);
  });

  test('invalid objects name the field', async () => {
    const r = await call('POST', PODS, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'nf' }, spec: { containers: [{ name: 'c' }] } });
    expect(r.body.message).toBe('Pod "nf" is invalid: spec.containers[0].image: Required value');
    expect(r.body.details.causes[0]).toEqual({ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers[0].image' });
  });
});

describe('watch', () => {
  function httpWatch(path: string, accept = 'application/json') {
    const events: any[] = [];
    const ctrl = new AbortController();
    const done = (async () => {
      const res = await fetch(api.url + path, { headers: { accept }, signal: ctrl.signal });
      let buf = '';
      const decoder = new TextDecoder();
      try {
        for await (const chunk of res.body as any) {
          buf += decoder.decode(chunk, { stream: true });
          let nl;
          while ((nl = buf.indexOf('\n')) >= 0) {
            events.push(JSON.parse(buf.slice(0, nl)));
            buf = buf.slice(nl + 1);
          }
        }
      } catch {
        // aborted
      }
    })();
    return { events, stop: () => ctrl.abort(), done };
  }

  const until = async (fn: () => boolean, ms = 5000) => {
    const end = Date.now() + ms;
    while (!fn()) {
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  test('from a resourceVersion: only newer events, in order; selectors turn label changes into ADDED/DELETED', async () => {
    const list = await call('GET', '/api/v1/namespaces/default/configmaps');
    const w = httpWatch(`/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${list.body.metadata.resourceVersion}&labelSelector=w%3Dyes`);
    await call('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'w1', labels: { w: 'yes' } } });
    await call('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'w2' } });
    await call('PATCH', '/api/v1/namespaces/default/configmaps/w2', { metadata: { labels: { w: 'yes' } } }, 'application/merge-patch+json');
    await call('PATCH', '/api/v1/namespaces/default/configmaps/w1', { metadata: { labels: { w: 'no' } } }, 'application/merge-patch+json');
    await call('DELETE', '/api/v1/namespaces/default/configmaps/w2');
    await until(() => w.events.length >= 4);
    w.stop();
    expect(w.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED w1', 'ADDED w2', 'DELETED w1', 'DELETED w2']);
    for (const e of w.events) expect(e.object.metadata.resourceVersion).toMatch(/^\d+$/);
  });

  test('without a resourceVersion: ADDED for current objects first; bookmarks when allowed; timeoutSeconds ends it', async () => {
    const w = httpWatch('/api/v1/namespaces?watch=true&allowWatchBookmarks=true&timeoutSeconds=2');
    await until(() => w.events.some((e) => e.type === 'BOOKMARK'));
    expect(w.events.filter((e) => e.type === 'ADDED').map((e) => e.object.metadata.name)).toEqual(expect.arrayContaining(['default', 'kube-system']));
    await w.done; // the server ends the stream after timeoutSeconds
  });

  test('a compacted resourceVersion gets a 410 Expired ERROR event', async () => {
    await api.storage.compact(api.storage.currentRevision());
    const w = httpWatch('/api/v1/namespaces/default/pods?watch=true&resourceVersion=1');
    await until(() => w.events.length >= 1);
    expect(w.events[0]).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
    await w.done;
  });

  test('Table watch events carry one row each', async () => {
    const list = await call('GET', PODS);
    const w = httpWatch(`${PODS}?watch=true&resourceVersion=${list.body.metadata.resourceVersion}`, 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json');
    await call('POST', PODS, pod('tw'));
    await until(() => w.events.length >= 1);
    w.stop();
    expect(w.events[0].type).toBe('ADDED');
    expect(w.events[0].object.kind).toBe('Table');
    expect(w.events[0].object.rows[0].cells[0]).toBe('tw');
  });

  test('WebSocket watch delivers the same events', async () => {
    const list = await call('GET', '/api/v1/namespaces/default/secrets');
    const ws = new WebSocket(`${api.url.replace('http', 'ws')}/api/v1/namespaces/default/secrets?watch=true&resourceVersion=${list.body.metadata.resourceVersion}`);
    const events: any[] = [];
    ws.on('message', (m) => events.push(JSON.parse(m.toString())));
    await new Promise((r) => ws.once('open', r));
    await call('POST', '/api/v1/namespaces/default/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's1' }, stringData: { a: 'b' } });
    await until(() => events.length >= 1);
    ws.close();
    expect(events[0]).toMatchObject({ type: 'ADDED', object: { kind: 'Secret', metadata: { name: 's1' } } });
  });
});

describe('discovery', () => {
  test('aggregated discovery only with the exact media type', async () => {
    const agg = await fetch(`${api.url}/apis`, { headers: { accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json' } });
    expect(agg.headers.get('content-type')).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    const body: any = await agg.json();
    const apps = body.items.find((g: any) => g.metadata.name === 'apps');
    const deploy = apps.versions[0].resources.find((r: any) => r.resource === 'deployments');
    expect(deploy).toMatchObject({ shortNames: ['deploy'], categories: ['all'], scope: 'Namespaced' });
    const legacy: any = await (await fetch(`${api.url}/apis`)).json();
    expect(legacy.kind).toBe('APIGroupList');
    const v1: any = await (await fetch(`${api.url}/api/v1`)).json();
    expect(v1.resources.find((r: any) => r.name === 'pods/eviction')).toMatchObject({ group: 'policy', version: 'v1', kind: 'Eviction' });
    const version: any = await (await fetch(`${api.url}/version`)).json();
    expect(version).toMatchObject({ major: '1', minor: '32' });
  });
});
