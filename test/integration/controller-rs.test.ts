/**
 * The ReplicaSet controller against a real API server with a fake kubelet: keeps N pods
 * (a deleted pod is replaced under a new name), scales 1→5→1 with Kubernetes' events,
 * adopts matching orphans and releases pods whose labels stop matching, reports status,
 * and converges to exactly N after an abrupt stop in the middle of a scale-up.
 */
import { ApiError } from '../../shared/api/errors';
import { activePods, eventsFor, POD_PATH, RS_PATH, startHarness, until, type Harness } from './controller-rs-harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

function rs(name: string, replicas: number, app = name) {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name },
    spec: { replicas, selector: { matchLabels: { app } }, template: { metadata: { labels: { app } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } } },
  };
}

const scale = (name: string, replicas: number) => h.client.patch(`${RS_PATH}/${name}`, { spec: { replicas } }, 'merge');

test('keeps N pods, replaces a deleted one, scales 1 → 5 → 1, writes status and events', async () => {
  const m = await h.startManager(['replicaset']);
  await h.client.create(RS_PATH, rs('web', 3));
  const pods = await until(async () => {
    const p = await activePods(h.client, 'app=web');
    return p.length === 3 && p;
  }, '3 pods');
  for (const p of pods) {
    expect(p.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(p.metadata.ownerReferences).toEqual([expect.objectContaining({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', controller: true, blockOwnerDeletion: true })]);
  }
  await until(async () => {
    const r = await h.client.get<any>(`${RS_PATH}/web`);
    return r.status?.readyReplicas === 3 && r.status.availableReplicas === 3 && r.status.fullyLabeledReplicas === 3 && r.status.observedGeneration === r.metadata.generation;
  }, 'status ready 3');

  // Delete one: a replacement with a new name appears.
  const victim = pods[0].metadata.name;
  await h.client.delete(`${POD_PATH}/${victim}`);
  await until(async () => {
    const p = await activePods(h.client, 'app=web');
    return p.length === 3 && !p.some((x) => x.metadata.name === victim);
  }, 'replacement');

  await scale('web', 1);
  await until(async () => (await activePods(h.client, 'app=web')).length === 1, 'scale to 1');
  await scale('web', 5);
  await until(async () => (await activePods(h.client, 'app=web')).length === 5, 'scale to 5');
  await scale('web', 1);
  await until(async () => (await activePods(h.client, 'app=web')).length === 1, 'scale back to 1');
  await until(async () => (await h.client.get<any>(`${RS_PATH}/web`)).status?.replicas === 1, 'status.replicas 1');

  const ev = await eventsFor(h.client, 'web');
  const created = ev.filter((e) => e.reason === 'SuccessfulCreate');
  const deleted = ev.filter((e) => e.reason === 'SuccessfulDelete');
  expect(created.length).toBeGreaterThanOrEqual(3 + 1 + 4);
  expect(deleted.length).toBeGreaterThanOrEqual(2 + 4);
  expect(created[0].message).toMatch(/^Created pod: web-[a-z0-9]{5}$/);
  expect(deleted[0].message).toMatch(/^Deleted pod: web-[a-z0-9]{5}$/);
  expect(created[0].source.component).toBe('replicaset-controller');
  expect(created[0].involvedObject).toEqual(expect.objectContaining({ kind: 'ReplicaSet', name: 'web' }));

  await h.client.delete(`${RS_PATH}/web`);
  await m.stop();
}, 60_000);

test('adopts a matching orphan and releases a pod whose labels stop matching', async () => {
  const m = await h.startManager(['replicaset']);
  await h.client.create(POD_PATH, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'orphan', labels: { app: 'adopt' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } });
  await h.client.create(RS_PATH, rs('adopt', 2));
  const r = await h.client.get<any>(`${RS_PATH}/adopt`);
  await until(async () => {
    const p = await h.client.get<any>(`${POD_PATH}/orphan`);
    return p.metadata.ownerReferences?.[0]?.uid === r.metadata.uid && p.metadata.ownerReferences[0].controller === true;
  }, 'adoption');
  await until(async () => (await activePods(h.client, 'app=adopt')).length === 2, '2 pods incl. the adopted one');
  expect((await activePods(h.client, 'app=adopt')).some((p) => p.metadata.name === 'orphan')).toBe(true);

  // Relabel: the RS releases it (drops its ownerReference) and makes a replacement.
  await h.client.patch(`${POD_PATH}/orphan`, { metadata: { labels: { app: 'other' } } }, 'merge');
  await until(async () => {
    const p = await h.client.get<any>(`${POD_PATH}/orphan`);
    return !(p.metadata.ownerReferences ?? []).some((o: any) => o.uid === r.metadata.uid);
  }, 'release');
  await until(async () => (await activePods(h.client, 'app=adopt')).length === 2, 'replacement after release');
  await h.client.delete(`${POD_PATH}/orphan`);
  await h.client.delete(`${RS_PATH}/adopt`);
  await m.stop();
}, 60_000);

test('minReadySeconds: ready pods count as available only after it has passed', async () => {
  const m = await h.startManager(['replicaset']);
  await h.client.create(RS_PATH, { ...rs('slowready', 2), spec: { ...rs('slowready', 2).spec, minReadySeconds: 2 } });
  const t0 = Date.now();
  await until(async () => (await h.client.get<any>(`${RS_PATH}/slowready`)).status?.readyReplicas === 2, 'ready 2');
  expect((await h.client.get<any>(`${RS_PATH}/slowready`)).status.availableReplicas ?? 0).toBe(0);
  await until(async () => (await h.client.get<any>(`${RS_PATH}/slowready`)).status?.availableReplicas === 2, 'available 2 after minReadySeconds', 10_000);
  expect(Date.now() - t0).toBeGreaterThanOrEqual(2000);
  await h.client.delete(`${RS_PATH}/slowready`);
  await m.stop();
}, 60_000);

test('failed creates: FailedCreate events and a ReplicaFailure condition, removed once creates succeed', async () => {
  const m = await h.startManager(['replicaset']);
  // Refuse pod creation from this manager's client, as a quota would.
  const real = m.context.client.create.bind(m.context.client);
  const spy = jest.spyOn(m.context.client, 'create').mockImplementation(((path: string, body: unknown, opts?: object) => {
    if (path.endsWith('/pods')) return Promise.reject(new ApiError(403, 'Forbidden', 'pods "quota-" is forbidden: exceeded quota: q'));
    return real(path, body, opts);
  }) as never);
  await h.client.create(RS_PATH, rs('quota', 2));
  const cond = await until(async () => (await h.client.get<any>(`${RS_PATH}/quota`)).status?.conditions?.[0], 'ReplicaFailure');
  expect(cond).toEqual(expect.objectContaining({ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'pods "quota-" is forbidden: exceeded quota: q' }));
  const ev = await until(async () => (await eventsFor(h.client, 'quota')).find((e) => e.reason === 'FailedCreate'), 'FailedCreate event');
  expect(ev).toEqual(expect.objectContaining({ type: 'Warning', message: 'Error creating: pods "quota-" is forbidden: exceeded quota: q' }));
  spy.mockRestore();
  await until(async () => {
    const r = await h.client.get<any>(`${RS_PATH}/quota`);
    return r.status?.replicas === 2 && !r.status.conditions;
  }, 'recovered', 20_000);
  await h.client.delete(`${RS_PATH}/quota`);
  await m.stop();
}, 60_000);

test('crash safety: abrupt stop mid-scale 1 → 50, a fresh instance ends with exactly 50', async () => {
  h.kubelet.enabled = false; // keep pods pending: nothing but the controller touches them
  let m = await h.startManager(['replicaset']);
  await h.client.create(RS_PATH, rs('crash', 1));
  await until(async () => (await activePods(h.client, 'app=crash')).length === 1, '1 pod');
  await scale('crash', 50);
  await until(async () => (await activePods(h.client, 'app=crash')).length >= 5, 'scale-up under way');
  await m.stop(); // abrupt: workers and in-flight requests are abandoned
  // Usually well short of 50 here; the test is meaningful either way (it must end at 50).
  expect((await activePods(h.client, 'app=crash')).length).toBeLessThanOrEqual(50);
  m = await h.startManager(['replicaset']);
  let max = 0;
  await until(async () => {
    const n = (await activePods(h.client, 'app=crash')).length;
    max = Math.max(max, n);
    return n === 50;
  }, 'exactly 50', 30_000);
  expect(max).toBe(50); // never more on the way
  // And it stays there: nothing is counted twice.
  await new Promise((r) => setTimeout(r, 1000));
  expect((await activePods(h.client, 'app=crash')).length).toBe(50);
  await until(async () => (await h.client.get<any>(`${RS_PATH}/crash`)).status?.replicas === 50, 'status 50');
  await m.stop();
  h.kubelet.enabled = true;
}, 90_000);
