/**
 * The Deployment controller (with the ReplicaSet controller) against a real API server
 * and a fake kubelet: `<name>-<hash>` ReplicaSets and labelled pods, a rolling update that
 * honours maxSurge/maxUnavailable at every observed moment, the status `kubectl rollout
 * status` reads, undo reusing the old ReplicaSet under a higher revision, a stalled
 * rollout turning ProgressDeadlineExceeded while old pods keep serving, paused + scale,
 * Recreate, and revisionHistoryLimit.
 */
import { computeHash } from '../../controller-manager/util/hash';
import { activePods, D_PATH, eventsFor, RS_PATH, startHarness, until, type Harness } from './controller-rs-harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await h.startManager(['replicaset', 'deployment']);
});
afterAll(async () => {
  await h?.close();
});

function deployment(name: string, replicas: number, image: string, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, annotations: { 'kubernetes.io/change-cause': `create ${image}` } },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }] } }, ...extra },
  };
}

const getD = (name: string) => h.client.get<any>(`${D_PATH}/${name}`);
const rsOf = async (name: string) => {
  const d = await getD(name);
  const l = await h.client.list<any>(RS_PATH, { query: { labelSelector: `app=${name}` } });
  return l.items.filter((rs: any) => rs.metadata.ownerReferences?.some((o: any) => o.uid === d.metadata.uid && o.controller));
};
const cond = (d: any, type: string) => d.status?.conditions?.find((c: any) => c.type === type);

/** kubectl rollout status's decision (CONTROLLERS.md 2.9), as a predicate. */
function rolledOut(d: any): boolean {
  const s = d.status ?? {};
  if ((d.metadata.generation ?? 0) > (s.observedGeneration ?? 0)) return false;
  if (cond(d, 'Progressing')?.reason === 'ProgressDeadlineExceeded') throw new Error(`deployment "${d.metadata.name}" exceeded its progress deadline`);
  if ((s.updatedReplicas ?? 0) < d.spec.replicas) return false;
  if ((s.replicas ?? 0) > (s.updatedReplicas ?? 0)) return false;
  if ((s.availableReplicas ?? 0) < (s.updatedReplicas ?? 0)) return false;
  return true;
}
const waitRolledOut = (name: string, ms = 20_000) => until(async () => rolledOut(await getD(name)), `${name} rolled out`, ms);
const setImage = (name: string, image: string) =>
  h.client.patch(`${D_PATH}/${name}`, { metadata: { annotations: { 'kubernetes.io/change-cause': `set image ${image}` } }, spec: { template: { spec: { containers: [{ name: 'c', image }] } } } }, 'strategic');

test('creates <name>-<hash> ReplicaSet and hash-labelled pods, settles with Kubernetes status', async () => {
  await h.client.create(D_PATH, deployment('web', 3, 'nginx:1.25'));
  await waitRolledOut('web');
  const [rs] = await rsOf('web');
  const hash = rs.metadata.labels['pod-template-hash'];
  expect(hash).toMatch(/^[456789bcdf]{1,10}$/);
  expect(rs.metadata.name).toBe(`web-${hash}`);
  expect(rs.spec.selector.matchLabels).toEqual({ app: 'web', 'pod-template-hash': hash });
  expect(rs.spec.template.metadata.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
  expect(rs.metadata.annotations).toEqual(expect.objectContaining({
    'deployment.kubernetes.io/revision': '1',
    'deployment.kubernetes.io/desired-replicas': '3',
    'deployment.kubernetes.io/max-replicas': '4',
    'kubernetes.io/change-cause': 'create nginx:1.25',
  }));
  expect(rs.metadata.ownerReferences).toEqual([expect.objectContaining({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', controller: true, blockOwnerDeletion: true })]);
  const pods = await activePods(h.client, 'app=web');
  expect(pods).toHaveLength(3);
  for (const p of pods) {
    expect(p.metadata.labels['pod-template-hash']).toBe(hash);
    expect(p.metadata.name).toMatch(new RegExp(`^web-${hash}-[a-z0-9]{5}$`));
  }
  const d = await getD('web');
  expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe('1');
  expect(d.status).toEqual(expect.objectContaining({ observedGeneration: d.metadata.generation, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 }));
  expect(d.status.unavailableReplicas).toBeUndefined();
  expect(cond(d, 'Available')).toEqual(expect.objectContaining({ status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }));
  await until(async () => cond(await getD('web'), 'Progressing')?.reason === 'NewReplicaSetAvailable', 'NewReplicaSetAvailable');
  expect(cond(await getD('web'), 'Progressing').message).toBe(`ReplicaSet "web-${hash}" has successfully progressed.`);
  const ev = await eventsFor(h.client, 'web');
  expect(ev.map((e) => e.message)).toContain(`Scaled up replica set web-${hash} from 0 to 3`);
}, 60_000);

test('image change rolls with maxSurge/maxUnavailable honoured at every observed moment; undo reuses the old RS', async () => {
  // 4 replicas @ 25%/25% → surge 1, unavailable 1: at least 3 available, at most 5 pods.
  await h.client.create(D_PATH, deployment('roll', 4, 'nginx:1.25'));
  await waitRolledOut('roll');
  const [first] = await rsOf('roll');

  let minAvailable = Infinity, maxPods = 0, watching = true;
  const watcher = (async () => {
    while (watching) {
      const pods = await activePods(h.client, 'app=roll');
      const ready = pods.filter((p) => p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'));
      minAvailable = Math.min(minAvailable, ready.length);
      maxPods = Math.max(maxPods, pods.length);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  await setImage('roll', 'nginx:1.26');
  await until(async () => (await getD('roll')).status?.observedGeneration === 2, 'generation observed');
  await waitRolledOut('roll');
  watching = false;
  await watcher;
  expect(minAvailable).toBeGreaterThanOrEqual(3);
  expect(maxPods).toBeLessThanOrEqual(5);

  let rss = await rsOf('roll');
  expect(rss).toHaveLength(2);
  const second = rss.find((r: any) => r.metadata.name !== first.metadata.name);
  expect(second.metadata.annotations['deployment.kubernetes.io/revision']).toBe('2');
  expect(second.metadata.annotations['kubernetes.io/change-cause']).toBe('set image nginx:1.26');
  expect(rss.find((r: any) => r.metadata.name === first.metadata.name).spec.replicas).toBe(0);
  const msgs = (await eventsFor(h.client, 'roll')).map((e) => e.message);
  expect(msgs).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^Scaled up replica set ${second.metadata.name} from 0 to \\d$`)), expect.stringMatching(new RegExp(`^Scaled down replica set ${first.metadata.name} from 4 to \\d$`))]));
  expect((await getD('roll')).metadata.annotations['deployment.kubernetes.io/revision']).toBe('2');

  // Undo the way kubectl does: JSON-patch the old RS's template (minus the hash label) back.
  const tpl = JSON.parse(JSON.stringify(first.spec.template));
  delete tpl.metadata.labels['pod-template-hash'];
  tpl.metadata.creationTimestamp = null;
  await h.client.patch(`${D_PATH}/roll`, [{ op: 'replace', path: '/spec/template', value: tpl }], 'json');
  await until(async () => (await getD('roll')).status?.observedGeneration === 3, 'undo observed');
  await waitRolledOut('roll');
  rss = await rsOf('roll');
  expect(rss).toHaveLength(2); // no third RS: the old one was recognised semantically
  const back = rss.find((r: any) => r.metadata.name === first.metadata.name);
  expect(back.spec.replicas).toBe(4);
  expect(back.metadata.annotations['deployment.kubernetes.io/revision']).toBe('3');
  expect(back.metadata.annotations['deployment.kubernetes.io/revision-history']).toBe('1');
  expect((await getD('roll')).metadata.annotations['deployment.kubernetes.io/revision']).toBe('3');
  const pods = await activePods(h.client, 'app=roll');
  expect(pods.every((p) => p.metadata.labels['pod-template-hash'] === first.metadata.labels['pod-template-hash'])).toBe(true);
}, 90_000);

test('a rollout whose pods never get ready stalls with ProgressDeadlineExceeded while old pods stay', async () => {
  h.kubelet.neverReady.add('broken:1');
  await h.client.create(D_PATH, deployment('stall', 2, 'nginx:1.25', { progressDeadlineSeconds: 2 }));
  await waitRolledOut('stall');
  const [old] = await rsOf('stall');
  await setImage('stall', 'broken:1');
  const d = await until(async () => {
    const x = await getD('stall');
    return cond(x, 'Progressing')?.reason === 'ProgressDeadlineExceeded' && x;
  }, 'ProgressDeadlineExceeded', 20_000);
  const newRS = (await rsOf('stall')).find((r: any) => r.metadata.name !== old.metadata.name);
  expect(cond(d, 'Progressing')).toEqual(expect.objectContaining({ status: 'False', message: `ReplicaSet "${newRS.metadata.name}" has timed out progressing.` }));
  const oldPods = (await activePods(h.client, 'app=stall')).filter((p) => p.metadata.labels['pod-template-hash'] === old.metadata.labels['pod-template-hash']);
  expect(oldPods).toHaveLength(2); // maxUnavailable 25% of 2 = 0: nothing old was taken down
  expect(cond(d, 'Available')?.status).toBe('True');
  expect(() => rolledOut(d)).toThrow('exceeded its progress deadline');
}, 60_000);

test('paused: no rollout, but scaling works; resume rolls', async () => {
  await h.client.create(D_PATH, deployment('pause', 2, 'nginx:1.25'));
  await waitRolledOut('pause');
  await h.client.patch(`${D_PATH}/pause`, { spec: { paused: true } }, 'merge');
  await until(async () => cond(await getD('pause'), 'Progressing')?.reason === 'DeploymentPaused', 'DeploymentPaused');
  await setImage('pause', 'nginx:1.26');
  await h.client.patch(`${D_PATH}/pause/scale`, { spec: { replicas: 4 } }, 'merge');
  await until(async () => (await activePods(h.client, 'app=pause')).length === 4, 'scaled to 4 while paused');
  expect(await rsOf('pause')).toHaveLength(1);
  await h.client.patch(`${D_PATH}/pause`, { spec: { paused: false } }, 'merge');
  await until(async () => (await rsOf('pause')).length === 2, 'new RS after resume');
  await waitRolledOut('pause');
  const pods = await activePods(h.client, 'app=pause');
  expect(pods).toHaveLength(4);
  expect(pods.every((p) => p.spec.containers[0].image === 'nginx:1.26')).toBe(true);
}, 60_000);

test('Recreate takes old pods down before creating new ones; revisionHistoryLimit prunes old RSes', async () => {
  await h.client.create(D_PATH, deployment('rec', 2, 'nginx:1.25', { strategy: { type: 'Recreate' }, revisionHistoryLimit: 1 }));
  await waitRolledOut('rec');
  // At no observed moment do pods of two templates exist together (terminating ones included).
  let mixed = false, watching = true;
  const watcher = (async () => {
    while (watching) {
      const l = await h.client.list<any>('/api/v1/namespaces/default/pods', { query: { labelSelector: 'app=rec' } });
      if (new Set(l.items.map((p: any) => p.metadata.labels['pod-template-hash'])).size > 1) mixed = true;
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  for (const img of ['nginx:1.26', 'nginx:1.27']) {
    await setImage('rec', img);
    await until(async () => (await getD('rec')).status?.observedGeneration === (await getD('rec')).metadata.generation, 'observed');
    await waitRolledOut('rec');
  }
  watching = false;
  await watcher;
  expect(mixed).toBe(false);
  await until(async () => (await rsOf('rec')).length === 2, 'history pruned to 1 old RS');
  const rss = await rsOf('rec');
  const revs = rss.map((r: any) => r.metadata.annotations['deployment.kubernetes.io/revision']).sort();
  expect(revs).toEqual(['2', '3']);
}, 60_000);

test('scaling mid-rollout is proportional; a plain scale is one ScalingReplicaSet event', async () => {
  h.kubelet.neverReady.add('slow:1');
  await h.client.create(D_PATH, deployment('prop', 10, 'nginx:1.25', { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } } }));
  await waitRolledOut('prop');
  const [old] = await rsOf('prop');
  await setImage('prop', 'slow:1'); // new pods never get ready: the rollout parks at old 8, new 5
  await until(async () => {
    const rss = await rsOf('prop');
    const o = rss.find((r: any) => r.metadata.name === old.metadata.name);
    const n = rss.find((r: any) => r.metadata.name !== old.metadata.name);
    return o?.spec.replicas === 8 && n?.spec.replicas === 5;
  }, 'old 8 / new 5');
  await h.client.patch(`${D_PATH}/prop/scale`, { spec: { replicas: 15 } }, 'merge');
  await until(async () => {
    const rss = await rsOf('prop');
    const o = rss.find((r: any) => r.metadata.name === old.metadata.name);
    const n = rss.find((r: any) => r.metadata.name !== old.metadata.name);
    return o?.spec.replicas === 11 && n?.spec.replicas === 7 && o.metadata.annotations['deployment.kubernetes.io/desired-replicas'] === '15';
  }, 'old 11 / new 7 (CONTROLLERS.md 2.6 example)');

  // A settled deployment scaled with /scale: exactly one event on its only active RS.
  await h.client.create(D_PATH, deployment('sc', 2, 'nginx:1.25'));
  await waitRolledOut('sc');
  const [rs] = await rsOf('sc');
  await h.client.patch(`${D_PATH}/sc/scale`, { spec: { replicas: 5 } }, 'merge');
  await waitRolledOut('sc');
  expect((await activePods(h.client, 'app=sc')).length).toBe(5);
  const msgs = (await eventsFor(h.client, 'sc')).map((e) => e.message);
  expect(msgs.sort()).toEqual([`Scaled up replica set ${rs.metadata.name} from 0 to 2`, `Scaled up replica set ${rs.metadata.name} from 2 to 5`]);
}, 60_000);

test('a name taken by a foreign ReplicaSet is a hash collision: collisionCount bumps and another name is used', async () => {
  const d = deployment('col', 1, 'nginx:1.25');
  const taken = `col-${computeHash(d.spec.template as never)}`;
  await h.client.create(RS_PATH, {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: taken },
    spec: { replicas: 0, selector: { matchLabels: { app: 'foreign' } }, template: { metadata: { labels: { app: 'foreign' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
  });
  await h.client.create(D_PATH, d);
  await waitRolledOut('col');
  expect((await getD('col')).status.collisionCount).toBe(1);
  const [rs] = await rsOf('col');
  expect(rs.metadata.name).not.toBe(taken);
  expect(rs.metadata.name).toBe(`col-${computeHash(d.spec.template as never, 1)}`);
}, 60_000);

test('controllers stopped abruptly mid-rollout: a fresh instance finishes it with no duplicate ReplicaSet', async () => {
  const h2 = await startHarness();
  try {
    let m = await h2.startManager(['replicaset', 'deployment']);
    const d = deployment('crash', 20, 'nginx:1.25');
    await h2.client.create(D_PATH, d);
    const rolled = async () => rolledOut(await h2.client.get<any>(`${D_PATH}/crash`));
    await until(rolled, 'first rollout', 30_000);
    await h2.client.patch(`${D_PATH}/crash`, { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:1.26' }] } } } }, 'strategic');
    await until(async () => (await activePods(h2.client, 'app=crash')).some((p) => p.spec.containers[0].image === 'nginx:1.26'), 'rollout under way');
    await m.stop();
    m = await h2.startManager(['replicaset', 'deployment']);
    await until(async () => (await h2.client.get<any>(`${D_PATH}/crash`)).status?.observedGeneration === 2 && rolled(), 'rollout finished', 30_000);
    const rss = (await h2.client.list<any>(RS_PATH, { query: { labelSelector: 'app=crash' } })).items;
    expect(rss).toHaveLength(2);
    const pods = await activePods(h2.client, 'app=crash');
    expect(pods).toHaveLength(20);
    expect(pods.every((p) => p.spec.containers[0].image === 'nginx:1.26')).toBe(true);
  } finally {
    await h2.close();
  }
}, 90_000);
