/**
 * The Job controller against a real in-process API server with a fake kubelet whose
 * behaviour each pod picks by image: `ok` succeeds after a short run, `fail` fails,
 * `run` keeps running (Ready). The controller is started with its failure back-off
 * shrunk (10 s → 100 ms) and the pod-event batch period at 50 ms, so the upstream
 * timings keep their shape but the tests stay quick. The TTL test also runs the garbage
 * collector, because the TTL deletion is Foreground (CONTROLLERS.md 3.8).
 */
import { startApiServer, type RunningApiServer } from '../../apiserver/app';
import { KubeClient } from '../../shared/client';
import { EventRecorder } from '../../shared/controller/events';
import { InformerFactory } from '../../shared/controller/factory';
import { DEFAULT_CONTROLLER_OPTIONS, type Controller, type ControllerContext } from '../../controller-manager/controller';
import { GarbageCollector } from '../../controller-manager/garbagecollector';
import { JobController } from '../../controller-manager/job';
import { silent, until } from './controller-rs-harness';

const NS = 'default';
const JOBS = `/apis/batch/v1/namespaces/${NS}/jobs`;
const PODS = `/api/v1/namespaces/${NS}/pods`;
const rfc3339 = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

let api: RunningApiServer;
let client: KubeClient;
let kubeletTimer: NodeJS.Timeout | undefined;
let kubeletRun: Promise<void> | undefined;
let stopping = false;

/** Fake kubelet: binds, runs, and finishes pods according to their image; confirms deletions. */
async function kubeletPass(): Promise<void> {
  const pods = await client.list<any>('/api/v1/pods');
  await Promise.all(
    pods.items.map(async (p: any) => {
      const base = `/api/v1/namespaces/${p.metadata.namespace}/pods/${p.metadata.name}`;
      try {
        if (p.metadata.deletionTimestamp) return void (await client.delete(base, { gracePeriodSeconds: 0 }));
        if (!p.spec.nodeName) {
          return void (await client.create(`${base}/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: p.metadata.name }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-1' } }));
        }
        const image = p.spec.containers[0].image;
        const phase = p.status?.phase;
        if (phase === 'Succeeded' || phase === 'Failed') return;
        const now = rfc3339();
        if (phase !== 'Running') {
          const st = { phase: 'Running', startTime: now, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }], containerStatuses: [{ name: 'c', image, imageID: '', ready: true, restartCount: 0, started: true, state: { running: { startedAt: now } } }] };
          return void (await client.patch(`${base}/status`, { status: st }, 'merge'));
        }
        if (image === 'run') return;
        const code = image === 'ok' ? 0 : 1;
        const st = {
          phase: code === 0 ? 'Succeeded' : 'Failed',
          conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: now }],
          containerStatuses: [{ name: 'c', image, imageID: '', ready: false, restartCount: 0, started: false, state: { terminated: { exitCode: code, reason: code ? 'Error' : 'Completed', finishedAt: now } } }],
        };
        await client.patch(`${base}/status`, { status: st }, 'merge');
      } catch {
        // raced with a delete; the next pass retries
      }
    }),
  );
}

function startKubelet(): void {
  const tick = async () => {
    if (stopping) return;
    await kubeletPass().catch(() => undefined);
    kubeletTimer = setTimeout(() => (kubeletRun = tick()), 60);
  };
  kubeletRun = tick();
}

const running: { c: Controller; inf: InformerFactory; cl: KubeClient }[] = [];
async function startControllers(...controllers: Controller[]): Promise<void> {
  const cl = new KubeClient({ server: api.url });
  const inf = new InformerFactory(cl, silent());
  const clock = { now: () => new Date() };
  const ctx: ControllerContext = {
    client: cl,
    informers: inf,
    logger: silent(),
    recorder: (component) => new EventRecorder(cl, { component }, silent(), () => clock.now()),
    clock,
    options: { ...DEFAULT_CONTROLLER_OPTIONS, workers: 2 },
  };
  for (const c of controllers) {
    await c.start(ctx);
    running.push({ c, inf, cl });
  }
}

beforeAll(async () => {
  api = await startApiServer({ logger: silent() });
  client = new KubeClient({ server: api.url });
  startKubelet();
  await startControllers(new JobController({ backoffBaseMs: 100, syncBatchPeriodMs: 50 }));
});

afterAll(async () => {
  stopping = true;
  clearTimeout(kubeletTimer);
  await kubeletRun;
  for (const r of running) await r.c.stop();
  for (const r of running) {
    await r.inf.stop();
    await r.cl.close();
  }
  await client.close();
  await api.close();
});

function job(name: string, image: string, spec: Record<string, unknown> = {}) {
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: { name }, spec: { ...spec, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image }] } } } };
}
const getJob = (name: string) => client.get<any>(`${JOBS}/${name}`);
const cond = (j: any, type: string) => j.status?.conditions?.find((c: any) => c.type === type && c.status === 'True');
const jobPods = async (name: string) => (await client.list<any>(PODS, { query: { labelSelector: `batch.kubernetes.io/job-name=${name}` } })).items;
async function events(name: string): Promise<any[]> {
  return (await client.list<any>(`/api/v1/namespaces/${NS}/events`)).items.filter((e: any) => e.involvedObject?.name === name && e.involvedObject?.kind === 'Job');
}

test('the API server generates the selector and template labels', async () => {
  const created = await client.create<any>(JOBS, job('labels', 'run', { suspend: true }));
  const uid = created.metadata.uid;
  expect(created.spec.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
  expect(created.spec.template.metadata.labels).toEqual({ 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': 'labels', 'controller-uid': uid, 'job-name': 'labels' });
  // Suspended from the start: no pods, a Suspended condition.
  const j = await until(async () => cond(await getJob('labels'), 'Suspended') && getJob('labels'), 'Suspended condition');
  expect(cond(j, 'Suspended')).toEqual(expect.objectContaining({ reason: 'JobSuspended', message: 'Job suspended' }));
  expect(await jobPods('labels')).toHaveLength(0);
  await client.delete(`${JOBS}/labels`, { propagationPolicy: 'Background' });
}, 30_000);

test('completions 3, parallelism 2: never more than 2 active, ends Complete with succeeded 3', async () => {
  await client.create(JOBS, job('three', 'ok', { completions: 3, parallelism: 2 }));
  let maxActive = 0;
  const j = await until(async () => {
    const pods = await jobPods('three');
    maxActive = Math.max(maxActive, pods.filter((p: any) => !['Succeeded', 'Failed'].includes(p.status?.phase) && !p.metadata.deletionTimestamp).length);
    const cur = await getJob('three');
    return cond(cur, 'Complete') && cur;
  }, 'Complete', 20_000);
  expect(maxActive).toBeLessThanOrEqual(2);
  expect(j.status).toEqual(expect.objectContaining({ succeeded: 3, ready: 0, terminating: 0, uncountedTerminatedPods: {} }));
  expect(j.status.active).toBeUndefined();
  expect(j.status.failed).toBeUndefined();
  expect(j.status.startTime).toBeTruthy();
  const complete = cond(j, 'Complete');
  expect(complete).toEqual(expect.objectContaining({ reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' }));
  expect(cond(j, 'SuccessCriteriaMet')).toEqual(expect.objectContaining({ reason: 'CompletionsReached' }));
  // SuccessCriteriaMet comes first, Complete after it; completionTime is Complete's transition time.
  const types = j.status.conditions.map((c: any) => c.type);
  expect(types.indexOf('SuccessCriteriaMet')).toBeLessThan(types.indexOf('Complete'));
  expect(j.status.completionTime).toBe(complete.lastTransitionTime);
  const pods = await jobPods('three');
  expect(pods.filter((p: any) => p.status?.phase === 'Succeeded')).toHaveLength(3);
  for (const p of pods) {
    expect(p.metadata.name).toMatch(/^three-[a-z0-9]{5}$/);
    expect(p.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Job', name: 'three', controller: true, blockOwnerDeletion: true })]);
  }
  const ev = await until(async () => {
    const e = await events('three');
    return e.some((x) => x.reason === 'Completed') && e;
  }, 'Completed event');
  expect(ev.filter((e) => e.reason === 'SuccessfulCreate')).toHaveLength(3);
  expect(ev.find((e) => e.reason === 'SuccessfulCreate').message).toMatch(/^Created pod: three-[a-z0-9]{5}$/);
  expect(ev.find((e) => e.reason === 'Completed')).toEqual(expect.objectContaining({ type: 'Normal', message: 'Job completed', source: expect.objectContaining({ component: 'job-controller' }) }));
  // Settled: no further writes (a status that differs from what the server stores would loop).
  const rv = (await getJob('three')).metadata.resourceVersion;
  await new Promise((r) => setTimeout(r, 1500));
  expect((await getJob('three')).metadata.resourceVersion).toBe(rv);
  await client.delete(`${JOBS}/three`, { propagationPolicy: 'Background' });
}, 30_000);

test('always failing (Never, backoffLimit 2): 3 failed pods with growing back-off, then Failed/BackoffLimitExceeded', async () => {
  const t0 = Date.now();
  await client.create(JOBS, job('failing', 'fail', { backoffLimit: 2 }));
  const j = await until(async () => {
    const cur = await getJob('failing');
    return cond(cur, 'Failed') && cur;
  }, 'Failed', 20_000);
  expect(cond(j, 'Failed')).toEqual(expect.objectContaining({ reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }));
  expect(cond(j, 'FailureTarget')).toEqual(expect.objectContaining({ reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }));
  expect(j.status.failed).toBe(3);
  expect(j.status.completionTime).toBeUndefined();
  const pods = await jobPods('failing');
  expect(pods).toHaveLength(3);
  // Replacements waited 100 ms, then 200 ms after the previous failure (base shrunk from 10 s).
  expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
  const ev = await until(async () => {
    const e = await events('failing');
    return e.some((x) => x.reason === 'BackoffLimitExceeded') && e;
  }, 'BackoffLimitExceeded event');
  expect(ev.find((e) => e.reason === 'BackoffLimitExceeded')).toEqual(expect.objectContaining({ type: 'Warning', message: 'Job has reached the specified backoff limit' }));
  expect(ev.filter((e) => e.reason === 'SuccessfulCreate')).toHaveLength(3);
  await client.delete(`${JOBS}/failing`, { propagationPolicy: 'Background' });
}, 30_000);

test('activeDeadlineSeconds: running pods are deleted and the Job fails with DeadlineExceeded', async () => {
  await client.create(JOBS, job('deadline', 'run', { activeDeadlineSeconds: 2, parallelism: 2, completions: 4 }));
  await until(async () => (await getJob('deadline')).status?.active === 2, '2 active');
  const j = await until(async () => {
    const cur = await getJob('deadline');
    return cond(cur, 'Failed') && cur;
  }, 'Failed by deadline', 15_000);
  expect(cond(j, 'Failed')).toEqual(expect.objectContaining({ reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' }));
  expect(cond(j, 'FailureTarget')).toEqual(expect.objectContaining({ reason: 'DeadlineExceeded' }));
  expect(j.status.failed).toBe(2);
  expect(j.status.active).toBeUndefined();
  expect(j.status.terminating).toBe(0);
  expect((await jobPods('deadline')).filter((p: any) => !p.metadata.deletionTimestamp)).toHaveLength(0);
  const ev = await until(async () => {
    const e = await events('deadline');
    return e.some((x) => x.reason === 'DeadlineExceeded') && e;
  }, 'DeadlineExceeded event');
  expect(ev.filter((e) => e.reason === 'SuccessfulDelete')).toHaveLength(2);
  expect(ev.find((e) => e.reason === 'DeadlineExceeded')).toEqual(expect.objectContaining({ type: 'Warning', message: 'Job was active longer than specified deadline' }));
  await client.delete(`${JOBS}/deadline`, { propagationPolicy: 'Background' });
}, 30_000);

test('a running Job settles: status written once per change, not on every sync', async () => {
  await client.create(JOBS, job('steady', 'run', { parallelism: 2, completions: 2 }));
  await until(async () => (await getJob('steady')).status?.ready === 2, '2 ready');
  const rv = (await getJob('steady')).metadata.resourceVersion;
  await new Promise((r) => setTimeout(r, 1500));
  expect((await getJob('steady')).metadata.resourceVersion).toBe(rv);
  expect((await getJob('steady')).status).toEqual(expect.objectContaining({ active: 2, ready: 2, terminating: 0, uncountedTerminatedPods: {} }));
  await client.delete(`${JOBS}/steady`, { propagationPolicy: 'Background' });
}, 30_000);

test('suspend deletes active pods; resume starts them again', async () => {
  await client.create(JOBS, job('susp', 'run', { parallelism: 2, completions: 2 }));
  await until(async () => (await getJob('susp')).status?.active === 2, '2 active');
  await client.patch(`${JOBS}/susp`, { spec: { suspend: true } }, 'merge');
  await until(async () => (await jobPods('susp')).length === 0 && cond(await getJob('susp'), 'Suspended'), 'pods gone, Suspended');
  await client.patch(`${JOBS}/susp`, { spec: { suspend: false } }, 'merge');
  const j = await until(async () => {
    const cur = await getJob('susp');
    return cur.status?.active === 2 && cur;
  }, 'resumed with 2 active');
  expect(j.status.conditions.find((c: any) => c.type === 'Suspended')).toEqual(expect.objectContaining({ status: 'False', reason: 'JobResumed', message: 'Job resumed' }));
  await client.delete(`${JOBS}/susp`, { propagationPolicy: 'Background' });
}, 30_000);

test('ttlSecondsAfterFinished deletes the finished Job (Foreground, pods go first)', async () => {
  await startControllers(new GarbageCollector());
  await client.create(JOBS, job('ttl', 'ok', { ttlSecondsAfterFinished: 1 }));
  const j = await until(async () => {
    const cur = await getJob('ttl');
    return cond(cur, 'Complete') && cur;
  }, 'Complete');
  const doneAt = Date.parse(cond(j, 'Complete').lastTransitionTime);
  await until(async () => {
    try {
      await getJob('ttl');
      return false;
    } catch (err: any) {
      return err.code === 404;
    }
  }, 'Job deleted', 15_000);
  expect(Date.now()).toBeGreaterThanOrEqual(doneAt + 1000);
  await until(async () => (await jobPods('ttl')).length === 0, 'pods deleted with it');
}, 30_000);
