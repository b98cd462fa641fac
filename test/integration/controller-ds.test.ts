/**
 * The DaemonSet controller against a real in-process API server. Nodes are plain Node
 * objects (no kubelets); a fake kubelet binds each daemon pod to the node its matchFields
 * affinity names (what the scheduler does for it), marks it Running and — after a delay,
 * so a rollout is observable — Ready, and confirms deletions. Covers: one pod per eligible
 * node (a tainted node skipped, an unschedulable one not), a node joining and leaving,
 * and a template change rolled one node at a time with ControllerRevisions.
 */
import { startApiServer, type RunningApiServer } from '../../apiserver/app';
import { KubeClient } from '../../shared/client';
import { EventRecorder } from '../../shared/controller/events';
import { InformerFactory } from '../../shared/controller/factory';
import { DEFAULT_CONTROLLER_OPTIONS, type ControllerContext } from '../../controller-manager/controller';
import { DaemonSetController } from '../../controller-manager/daemonset';
import { targetNodeOf } from '../../controller-manager/daemonset-util';
import { silent, until } from './controller-rs-harness';

const NS = 'default';
const DSS = `/apis/apps/v1/namespaces/${NS}/daemonsets`;
const PODS = `/api/v1/namespaces/${NS}/pods`;
const NODES = '/api/v1/nodes';
const READY_DELAY_MS = 300;
const rfc3339 = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

let api: RunningApiServer;
let client: KubeClient;
let ctrlClient: KubeClient;
let informers: InformerFactory;
let controller: DaemonSetController;
let timer: NodeJS.Timeout | undefined;
let run: Promise<void> | undefined;
let stopping = false;
const firstSeen = new Map<string, number>();

async function kubeletPass(): Promise<void> {
  const nodes = new Set((await client.list<any>(NODES)).items.map((n: any) => n.metadata.name));
  const pods = await client.list<any>('/api/v1/pods');
  await Promise.all(
    pods.items.map(async (p: any) => {
      const base = `/api/v1/namespaces/${p.metadata.namespace}/pods/${p.metadata.name}`;
      try {
        if (p.metadata.deletionTimestamp) return void (await client.delete(base, { gracePeriodSeconds: 0 }));
        if (!p.spec.nodeName) {
          const target = targetNodeOf(p);
          if (!target || !nodes.has(target)) return;
          return void (await client.create(`${base}/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: p.metadata.name }, target: { apiVersion: 'v1', kind: 'Node', name: target } }));
        }
        if (!firstSeen.has(p.metadata.uid)) firstSeen.set(p.metadata.uid, Date.now());
        const ready = Date.now() - firstSeen.get(p.metadata.uid)! >= READY_DELAY_MS;
        const isReady = p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True');
        if (p.status?.phase === 'Running' && isReady === ready) return;
        const now = rfc3339();
        const c = p.spec.containers[0];
        await client.patch(
          `${base}/status`,
          { status: { phase: 'Running', startTime: now, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: now }], containerStatuses: [{ name: c.name, image: c.image, imageID: '', ready, restartCount: 0, started: true, state: { running: { startedAt: now } } }] } },
          'merge',
        );
      } catch {
        // raced with a delete; the next pass retries
      }
    }),
  );
}

beforeAll(async () => {
  api = await startApiServer({ logger: silent() });
  client = new KubeClient({ server: api.url });
  ctrlClient = new KubeClient({ server: api.url });
  informers = new InformerFactory(ctrlClient, silent());
  const ctx: ControllerContext = {
    client: ctrlClient,
    informers,
    logger: silent(),
    recorder: (component) => new EventRecorder(ctrlClient, { component }, silent()),
    clock: { now: () => new Date() },
    options: { ...DEFAULT_CONTROLLER_OPTIONS, workers: 2 },
  };
  controller = new DaemonSetController();
  await controller.start(ctx);
  const tick = async () => {
    if (stopping) return;
    await kubeletPass().catch(() => undefined);
    timer = setTimeout(() => (run = tick()), 50);
  };
  run = tick();
});

afterAll(async () => {
  stopping = true;
  clearTimeout(timer);
  await run;
  await controller.stop();
  await informers.stop();
  await ctrlClient.close();
  await client.close();
  await api.close();
});

const node = (name: string, extra: Record<string, unknown> = {}) => client.create(NODES, { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } }, ...extra });
const getDs = (name: string) => client.get<any>(`${DSS}/${name}`);
const livePods = async (app: string) => (await client.list<any>(PODS, { query: { labelSelector: `app=${app}` } })).items.filter((p: any) => !p.metadata.deletionTimestamp);
const nodesOf = (pods: any[]) => pods.map((p) => targetNodeOf(p)).sort();
async function events(name: string): Promise<any[]> {
  return (await client.list<any>(`/api/v1/namespaces/${NS}/events`)).items.filter((e: any) => e.involvedObject?.name === name && e.involvedObject?.kind === 'DaemonSet');
}
function ds(name: string, image: string) {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }] } } },
  };
}

test('one pod per eligible node; a node joining gets one, a node leaving loses it; template change rolls one at a time', async () => {
  await node('n1');
  await node('n2', { spec: { unschedulable: true } }); // cordoned: DaemonSets still run there
  await node('tainted', { spec: { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] } });
  await client.create(DSS, ds('agent', 'agent:1'));

  let pods = await until(async () => {
    const p = await livePods('agent');
    return p.length === 2 && p.every((x: any) => x.spec.nodeName) && p;
  }, 'pods on n1 and n2');
  expect(nodesOf(pods)).toEqual(['n1', 'n2']);
  const p0 = pods[0];
  expect(p0.metadata.name).toMatch(/^agent-[a-z0-9]{5}$/);
  expect(p0.metadata.ownerReferences).toEqual([expect.objectContaining({ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', controller: true, blockOwnerDeletion: true })]);
  expect(p0.metadata.labels['controller-revision-hash']).toMatch(/^[4-9bcdf]+$/);
  expect(p0.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [targetNodeOf(p0)] }] }]);
  expect(p0.spec.tolerations).toEqual(
    expect.arrayContaining([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
      { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
    ]),
  );
  const st = await until(async () => {
    const d = await getDs('agent');
    return d.status?.numberAvailable === 2 && d.status;
  }, 'status available 2');
  expect(st).toEqual(expect.objectContaining({ desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 2, numberAvailable: 2, updatedNumberScheduled: 2, numberMisscheduled: 0, observedGeneration: 1 }));
  const revs = (await client.list<any>(`/apis/apps/v1/namespaces/${NS}/controllerrevisions`)).items;
  expect(revs).toHaveLength(1);
  expect(revs[0]).toEqual(expect.objectContaining({ revision: 1, metadata: expect.objectContaining({ name: `agent-${p0.metadata.labels['controller-revision-hash']}` }) }));

  // A third node joins: it gets a pod. Then it leaves: its pod is deleted.
  await node('n3');
  pods = await until(async () => {
    const p = await livePods('agent');
    return p.length === 3 && p;
  }, 'pod on n3');
  expect(nodesOf(pods)).toEqual(['n1', 'n2', 'n3']);
  await until(async () => (await getDs('agent')).status?.desiredNumberScheduled === 3, 'desired 3');
  await client.delete(`${NODES}/n3`);
  pods = await until(async () => {
    const p = await livePods('agent');
    return p.length === 2 && p;
  }, 'pod of n3 deleted');
  expect(nodesOf(pods)).toEqual(['n1', 'n2']);
  await until(async () => (await getDs('agent')).status?.numberAvailable === 2 && (await getDs('agent')).status?.desiredNumberScheduled === 2, 'back to 2');

  // Template change: pods replaced one node at a time (maxUnavailable 1).
  const oldHash = p0.metadata.labels['controller-revision-hash'];
  await client.patch(`${DSS}/agent`, { spec: { template: { spec: { containers: [{ name: 'c', image: 'agent:2' }] } } } }, 'strategic');
  let minAvailable = 2;
  await until(async () => {
    const p = await livePods('agent');
    const available = ['n1', 'n2'].filter((n) => p.some((x: any) => targetNodeOf(x) === n && x.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'))).length;
    minAvailable = Math.min(minAvailable, available);
    return p.length === 2 && p.every((x: any) => x.spec.containers[0].image === 'agent:2' && x.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'));
  }, 'rolled to agent:2', 20_000);
  expect(minAvailable).toBe(1); // one node down at a time, never both
  const d = await until(async () => {
    const cur = await getDs('agent');
    return cur.status?.updatedNumberScheduled === 2 && cur.status.numberAvailable === 2 && cur;
  }, 'status updated 2');
  expect(d.status.observedGeneration).toBe(d.metadata.generation);
  const newHash = (await livePods('agent'))[0].metadata.labels['controller-revision-hash'];
  expect(newHash).not.toBe(oldHash);
  const revs2 = (await client.list<any>(`/apis/apps/v1/namespaces/${NS}/controllerrevisions`)).items;
  expect(revs2.map((r: any) => [r.metadata.name, r.revision]).sort()).toEqual([[`agent-${newHash}`, 2], [`agent-${oldHash}`, 1]].sort());

  // Settled: no further status writes.
  const rv = (await getDs('agent')).metadata.resourceVersion;
  await new Promise((r) => setTimeout(r, 1000));
  expect((await getDs('agent')).metadata.resourceVersion).toBe(rv);

  const ev = await events('agent');
  expect(ev.filter((e) => e.reason === 'SuccessfulCreate').length).toBe(2 + 1 + 2);
  expect(ev.filter((e) => e.reason === 'SuccessfulDelete').length).toBe(1 + 2);
  expect(ev.find((e) => e.reason === 'SuccessfulCreate')).toEqual(expect.objectContaining({ type: 'Normal', message: expect.stringMatching(/^Created pod: agent-[a-z0-9]{5}$/), source: expect.objectContaining({ component: 'daemonset-controller' }) }));
}, 60_000);

test('a node selector limits the nodes; relabelling a node adds and removes its pod', async () => {
  const body = ds('picky', 'picky:1');
  (body.spec.template.spec as any).nodeSelector = { role: 'edge' };
  await client.create(DSS, body);
  await until(async () => (await getDs('picky')).status?.observedGeneration === 1, 'first sync');
  expect(await livePods('picky')).toHaveLength(0);
  await client.patch(`${NODES}/n1`, { metadata: { labels: { role: 'edge' } } }, 'merge');
  const pods = await until(async () => {
    const p = await livePods('picky');
    return p.length === 1 && p;
  }, 'pod on n1');
  expect(targetNodeOf(pods[0])).toBe('n1');
  await client.patch(`${NODES}/n1`, { metadata: { labels: { role: null } } }, 'merge');
  await until(async () => (await livePods('picky')).length === 0, 'pod removed after relabel');
}, 30_000);
