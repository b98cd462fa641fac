/**
 * DaemonSet pods placed by the real scheduler (in-process), not by a fake binder: the
 * controller's matchFields affinity and standard tolerations must be enough for the
 * scheduler to bind each pod to its node — including a cordoned node (DaemonSets run on
 * unschedulable nodes) and a node with a not-ready NoExecute taint.
 */
import { startApiServer, type RunningApiServer } from '../../apiserver/app';
import { KubeClient } from '../../shared/client';
import { EventRecorder } from '../../shared/controller/events';
import { InformerFactory } from '../../shared/controller/factory';
import { DEFAULT_CONTROLLER_OPTIONS } from '../../controller-manager/controller';
import { DaemonSetController } from '../../controller-manager/daemonset';
import { targetNodeOf } from '../../controller-manager/daemonset-util';
import { Scheduler } from '../../scheduler/scheduler';
import { silent, until } from './controller-rs-harness';

let api: RunningApiServer;
let client: KubeClient;
let ctrlClient: KubeClient;
let informers: InformerFactory;
let controller: DaemonSetController;
let scheduler: Scheduler;

beforeAll(async () => {
  api = await startApiServer({ logger: silent() });
  client = new KubeClient({ server: api.url });
  ctrlClient = new KubeClient({ server: api.url });
  informers = new InformerFactory(ctrlClient, silent());
  controller = new DaemonSetController();
  await controller.start({
    client: ctrlClient,
    informers,
    logger: silent(),
    recorder: (component) => new EventRecorder(ctrlClient, { component }, silent()),
    clock: { now: () => new Date() },
    options: { ...DEFAULT_CONTROLLER_OPTIONS, workers: 2 },
  });
  scheduler = new Scheduler({ client, logger: silent(), initialBackoffMs: 100, maxBackoffMs: 500 });
  await scheduler.start();
});

afterAll(async () => {
  await scheduler?.stop();
  await controller?.stop();
  await informers?.stop();
  await ctrlClient?.close();
  await client?.close();
  await api?.close();
});

async function node(name: string, spec: Record<string, unknown> = {}, ready = true) {
  await client.create('/api/v1/nodes', {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    spec,
    status: {
      capacity: { cpu: '2', memory: '4Gi', pods: '110' },
      allocatable: { cpu: '2', memory: '4Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', reason: 'KubeletReady', message: 'm' }],
    },
  });
}

test('the real scheduler binds each daemon pod to the node it is pinned to, a cordoned node included, a NoSchedule-tainted not-ready node skipped', async () => {
  await node('s1');
  await node('s2', { unschedulable: true, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] });
  await node('s3', { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }, { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }] }, false);
  await client.create('/apis/apps/v1/namespaces/default/daemonsets', {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'logs' },
    spec: { selector: { matchLabels: { app: 'logs' } }, template: { metadata: { labels: { app: 'logs' } }, spec: { containers: [{ name: 'c', image: 'fluent:1' }] } } },
  });
  // s3 has a not-ready NoSchedule taint, which daemon pods do not tolerate (only NoExecute): no pod there.
  const pods = await until(async () => {
    const l = (await client.list<any>('/api/v1/namespaces/default/pods', { query: { labelSelector: 'app=logs' } })).items;
    return l.length === 2 && l.every((p: any) => p.spec.nodeName) && l;
  }, 'both pods bound', 20_000);
  expect(pods.map((p: any) => p.spec.nodeName).sort()).toEqual(['s1', 's2']);
  for (const p of pods) expect(p.spec.nodeName).toBe(targetNodeOf({ ...p, spec: { ...p.spec, nodeName: undefined } }));
  const ds = await until(async () => {
    const d = await client.get<any>('/apis/apps/v1/namespaces/default/daemonsets/logs');
    return d.status?.currentNumberScheduled === 2 && d;
  }, 'status');
  expect(ds.status).toEqual(expect.objectContaining({ desiredNumberScheduled: 2, currentNumberScheduled: 2, numberMisscheduled: 0, numberUnavailable: 2 }));
}, 40_000);
