/**
 * The kubelet end to end with real processes: an in-process API server, the image
 * registry and a kubelet (real runtime from kubelet/runtime, real image cache), on a
 * temp root dir with `backoffScale 0.01`. Needs the compiled container holder
 * (dist/kubelet/runtime/holder.js; `npm test` builds it).
 *
 * Clean-up runs even when a test fails: the kubelet is stopped, then every container
 * the runtime knows is stopped and removed, then the servers close.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as http from 'node:http';
import { startApiServer, type RunningApiServer } from '../../apiserver/app';
import { startRegistry, type RunningRegistry } from '../../images/registry';
import { NodeImageService } from '../../images/cache';
import { KubeClient } from '../../shared/client';
import { createLogger } from '../../shared/logger';
import { createRuntime } from '../../kubelet/runtime';
import type { Runtime } from '../../kubelet/runtime/interface';
import { Kubelet } from '../../kubelet/kubelet';
import type { Pod } from '../../shared/api/types';

jest.setTimeout(120_000);

const logger = createLogger('kubelet-test', { level: process.env.K8TS_TEST_LOG ?? 'silent', pretty: false });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'k8ts-kubelet-it-'));
const NODE = 'node-1';
/**
 * Pod IPs are 127.244.<index>.x and nginx binds port 80 on them: a per-run index keeps
 * this suite from colliding with a copy of itself (or another kubelet test) running at
 * the same time on this machine. A real node 1 would use index 1.
 */
const NODE_INDEX = 100 + (process.pid % 150);
let api: RunningApiServer;
let registry: RunningRegistry;
let client: KubeClient;
let runtime: Runtime;
let kubelet: Kubelet | undefined;

function newKubelet(): Kubelet {
  return new Kubelet({
    client,
    nodeName: NODE,
    rootDir: path.join(tmp, 'node'),
    nodeIndex: NODE_INDEX,
    runtime,
    images: new NodeImageService(registry.url, path.join(tmp, 'node', 'images')),
    logger,
    cpu: 4,
    memoryBytes: 8 * 2 ** 30,
    nodeStatusUpdateFrequencyMs: 500,
    nodeLeaseDurationSeconds: 4,
    backoffScale: 0.01,
    relistMs: 250,
  });
}

beforeAll(async () => {
  api = await startApiServer({ logger: createLogger('apiserver', { level: 'silent', pretty: false }) });
  registry = await startRegistry({ port: 0, dataDir: path.join(tmp, 'registry'), logger: createLogger('registry', { level: 'silent', pretty: false }) });
  client = new KubeClient({ server: api.url });
  runtime = createRuntime({ rootDir: path.join(tmp, 'node', 'runtime'), logger });
  kubelet = newKubelet();
  await kubelet.start();
});

afterAll(async () => {
  await kubelet?.stop().catch(() => undefined);
  if (runtime) {
    for (const c of await runtime.listContainers().catch(() => [])) await runtime.stopContainer(c.id, 0).catch(() => undefined);
    for (const c of await runtime.listContainers().catch(() => [])) await runtime.removeContainer(c.id).catch(() => undefined);
    for (const s of await runtime.listPodSandboxes().catch(() => [])) await runtime.removePodSandbox(s.id).catch(() => undefined);
  }
  await client?.close();
  await registry?.close();
  await api?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(what: string, fn: () => Promise<T | undefined | false | null>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(100);
  }
}

const PODS = '/api/v1/namespaces/default/pods';
const getPod = (name: string) => client.get<Pod>(`${PODS}/${name}`);
async function createPod(name: string, spec: Record<string, unknown>): Promise<Pod> {
  return client.create<Pod>(PODS, { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName: NODE, ...spec } });
}
async function events(name: string): Promise<string[]> {
  const list = await client.list<{ items: { involvedObject: { name: string }; reason: string; message: string }[] }>('/api/v1/namespaces/default/events');
  return list.items.filter((e) => e.involvedObject.name === name).map((e) => `${e.reason}: ${e.message}`);
}
function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

test('the node registers Ready and holds a Lease', async () => {
  const node = await client.get<{ metadata: { labels: Record<string, string> }; status: { conditions: { type: string; status: string; reason: string; message: string }[]; nodeInfo: Record<string, string>; capacity: Record<string, string>; addresses: { type: string; address: string }[] } }>(`/api/v1/nodes/${NODE}`);
  expect(node.metadata.labels['kubernetes.io/hostname']).toBe(NODE);
  expect(node.metadata.labels['node.kubernetes.io/instance-type']).toBe('k8ts');
  const ready = node.status.conditions.find((c) => c.type === 'Ready')!;
  expect(ready).toMatchObject({ status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' });
  expect(node.status.nodeInfo.kubeletVersion).toBe('v1.32.0-k8ts');
  expect(node.status.capacity).toMatchObject({ cpu: '4', memory: `${8 * 1024 * 1024}Ki`, pods: '110' });
  expect(node.status.addresses).toContainEqual({ type: 'InternalIP', address: '127.0.0.1' });
  const lease = await until('lease', () => client.get<{ spec: { holderIdentity: string; leaseDurationSeconds: number; renewTime: string } }>(`/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${NODE}`));
  expect(lease.spec.holderIdentity).toBe(NODE);
  expect(lease.spec.leaseDurationSeconds).toBe(4);
  expect(lease.spec.renewTime).toMatch(/\.\d{6}Z$/);
  const first = lease.spec.renewTime;
  await until('lease renewal', async () => (await client.get<{ spec: { renewTime: string } }>(`/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${NODE}`)).spec.renewTime !== first);
});

test('nginx runs on its pod IP and serves the welcome page', async () => {
  await createPod('web', { containers: [{ name: 'web', image: 'nginx:1.28', ports: [{ containerPort: 80 }] }] });
  const pod = await until('web Running', async () => {
    const p = await getPod('web');
    return p.status?.phase === 'Running' && p.status.conditions?.find((c) => c.type === 'Ready')?.status === 'True' && p;
  });
  expect(pod.status!.podIP).toMatch(new RegExp(`^127\\.244\\.${NODE_INDEX}\\.\\d+$`));
  expect(pod.status!.hostIP).toBe('127.0.0.1');
  const cs = pod.status!.containerStatuses![0];
  expect(cs).toMatchObject({ name: 'web', ready: true, started: true, restartCount: 0 });
  expect(cs.containerID).toMatch(/^k8ts:\/\//);
  expect(cs.state?.running?.startedAt).toBeTruthy();
  // Level-triggered but quiet: once converged, no status writes (the object stays put).
  const rv = (await getPod('web')).metadata!.resourceVersion;
  await sleep(1500);
  expect((await getPod('web')).metadata!.resourceVersion).toBe(rv);
  const res = await until('HTTP answer', () => httpGet(`http://${pod.status!.podIP}:80/`));
  expect(res.body).toContain('Welcome to nginx!');
  const ev = await until('events', async () => {
    const e = await events('web');
    return e.some((x) => x.startsWith('Started')) && e;
  });
  expect(ev).toContain('Pulling: Pulling image "nginx:1.28"');
  expect(ev.find((e) => e.startsWith('Pulled:'))).toMatch(/^Pulled: Successfully pulled image "nginx:1.28" in [\d.]+m?s \([\d.]+m?s including waiting\)\. Image size: [1-9]\d* bytes\.$/);
  expect(ev).toContain('Created: Created container web');
  expect(ev).toContain('Started: Started container web');
});

test('hello-world with restartPolicy Never completes', async () => {
  await createPod('hello', { restartPolicy: 'Never', containers: [{ name: 'hello', image: 'hello-world' }] });
  const pod = await until('hello Succeeded', async () => {
    const p = await getPod('hello');
    return p.status?.phase === 'Succeeded' && p;
  });
  const t = pod.status!.containerStatuses![0].state!.terminated!;
  expect(t).toMatchObject({ exitCode: 0, reason: 'Completed' });
  const ready = pod.status!.conditions!.find((c) => c.type === 'Ready')!;
  expect(ready).toMatchObject({ status: 'False', reason: 'PodCompleted' });
});

test('a crashing container goes CrashLoopBackOff with growing restarts', async () => {
  await createPod('crash', { containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'exit 1'] }] });
  const pod = await until('CrashLoopBackOff with restarts ≥ 2', async () => {
    const p = await getPod('crash');
    const cs = p.status?.containerStatuses?.[0];
    return cs?.state?.waiting?.reason === 'CrashLoopBackOff' && cs.restartCount >= 2 && p;
  });
  const cs = pod.status!.containerStatuses![0];
  expect(pod.status!.phase).toBe('Running');
  expect(cs.state!.waiting!.message).toMatch(new RegExp(`^back-off \\d+ms restarting failed container=app pod=crash_default\\(${pod.metadata!.uid}\\)$`));
  expect(cs.lastState!.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
  const ev = await events('crash');
  expect(ev).toContain(`BackOff: Back-off restarting failed container app in pod crash_default(${pod.metadata!.uid})`);
});

test('an unknown image shows ErrImagePull, then ImagePullBackOff', async () => {
  await createPod('nope', { containers: [{ name: 'c', image: 'nosuchimage:nope' }] });
  const seen = new Set<string>();
  await until('both reasons', async () => {
    const p = await getPod('nope');
    const r = p.status?.containerStatuses?.[0]?.state?.waiting?.reason;
    if (r) seen.add(r);
    expect(p.status?.phase).toBe('Pending');
    return seen.has('ErrImagePull') && seen.has('ImagePullBackOff');
  });
  const p = await getPod('nope');
  const ev = await events('nope');
  expect(ev).toContain('Pulling: Pulling image "nosuchimage:nope"');
  expect(ev.some((e) => e.startsWith('Failed: Failed to pull image "nosuchimage:nope": '))).toBe(true);
  expect(ev).toContain('Failed: Error: ErrImagePull');
  expect(ev).toContain('BackOff: Back-off pulling image "nosuchimage:nope"');
  expect(ev).toContain('Failed: Error: ImagePullBackOff');
  expect(p.status!.containerStatuses![0]).toMatchObject({ image: 'nosuchimage:nope', imageID: '', restartCount: 0 });
});

test('kuard: a failing liveness probe gives Unhealthy, Killing and a restart; readiness drives Ready', async () => {
  await createPod('kuard', {
    containers: [
      {
        name: 'kuard',
        image: 'gcr.io/kuar-demo/kuard-amd64:blue',
        ports: [{ containerPort: 8080, name: 'http' }],
        livenessProbe: { httpGet: { path: '/healthy', port: 8080 }, periodSeconds: 1, failureThreshold: 3 },
        readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 1 },
      },
    ],
    terminationGracePeriodSeconds: 2,
  });
  const pod = await until('kuard Ready', async () => {
    const p = await getPod('kuard');
    return p.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True' && p;
  });
  const ip = pod.status!.podIP!;
  await httpGet(`http://${ip}:8080/fail/ready`);
  await until('kuard not Ready', async () => {
    const p = await getPod('kuard');
    return p.status?.containerStatuses?.[0].ready === false && p.status.conditions?.find((c) => c.type === 'Ready')?.status === 'False';
  });
  await httpGet(`http://${ip}:8080/fail/ready?count=0`);
  await httpGet(`http://${ip}:8080/fail/healthy?count=3`);
  const restarted = await until('kuard restarted', async () => {
    const p = await getPod('kuard');
    return (p.status?.containerStatuses?.[0].restartCount ?? 0) >= 1 && p.status!.containerStatuses![0].state?.running && p;
  });
  expect(restarted.status!.containerStatuses![0].lastState!.terminated).toBeTruthy();
  const ev = await events('kuard');
  expect(ev).toContain('Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500');
  expect(ev).toContain('Killing: Container kuard failed liveness probe, will be restarted');
  expect(ev).toContain('Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 500');
});

test('exec readiness and tcpSocket liveness probes', async () => {
  await createPod('probed', {
    containers: [
      {
        name: 'c',
        image: 'busybox',
        command: ['sh', '-c', 'sleep 1; touch /tmp/ready; exec sleep 3600'],
        readinessProbe: { exec: { command: ['cat', '/tmp/ready'] }, periodSeconds: 1 },
      },
      { name: 'web', image: 'nginx:1.28', livenessProbe: { tcpSocket: { port: 80 }, periodSeconds: 1 } },
    ],
    terminationGracePeriodSeconds: 1,
  });
  const pod = await until('probed Ready', async () => {
    const p = await getPod('probed');
    return p.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True' && p;
  });
  expect(pod.status!.containerStatuses!.map((c) => [c.name, c.ready, c.restartCount])).toEqual([
    ['c', true, 0],
    ['web', true, 0],
  ]);
  const ev = await events('probed');
  expect(ev.some((e) => e.startsWith('Unhealthy: Readiness probe failed: cat:'))).toBe(true);
  await client.delete(`${PODS}/probed`);
});

test('a container over its memory limit is OOMKilled (exit 137)', async () => {
  await createPod('hog', {
    restartPolicy: 'Never',
    containers: [{ name: 'hog', image: 'busybox', command: ['sh', '-c', 'head -c 400000000 /dev/zero | tail > /dev/null'], resources: { limits: { memory: '32Mi' } } }],
  });
  const pod = await until('hog Failed', async () => {
    const p = await getPod('hog');
    return (p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded') && p;
  });
  expect(pod.status!.phase).toBe('Failed');
  expect(pod.status!.containerStatuses![0].state!.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
  expect(pod.status!.qosClass).toBe('Burstable');
});

test('init containers run in order to completion, sharing an emptyDir with the app', async () => {
  await createPod('init', {
    restartPolicy: 'Never',
    initContainers: [
      { name: 'one', image: 'busybox', command: ['sh', '-c', 'echo one >> /work/log'], volumeMounts: [{ name: 'w', mountPath: '/work' }] },
      { name: 'two', image: 'busybox', command: ['sh', '-c', 'echo two >> /work/log'], volumeMounts: [{ name: 'w', mountPath: '/work' }] },
    ],
    containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'test "$(cat /work/log)" = "$(printf "one\\ntwo")"'], volumeMounts: [{ name: 'w', mountPath: '/work' }] }],
    volumes: [{ name: 'w', emptyDir: {} }],
  });
  const pod = await until('init pod Succeeded', async () => {
    const p = await getPod('init');
    return (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') && p;
  });
  expect(pod.status!.phase).toBe('Succeeded');
  expect(pod.status!.initContainerStatuses!.map((c) => [c.name, c.state?.terminated?.reason, c.ready])).toEqual([
    ['one', 'Completed', true],
    ['two', 'Completed', true],
  ]);
  // The app's check of /work/log proves the order; the events name every container.
  const starts = (await events('init')).filter((e) => e.startsWith('Started')).sort();
  expect(starts).toEqual(['Started: Started container app', 'Started: Started container one', 'Started: Started container two']);
});

test('a failing init container with restartPolicy Never fails the pod', async () => {
  await createPod('init-fail', { restartPolicy: 'Never', initContainers: [{ name: 'bad', image: 'busybox', command: ['sh', '-c', 'exit 3'] }], containers: [{ name: 'app', image: 'busybox', command: ['true'] }] });
  const pod = await until('Failed', async () => {
    const p = await getPod('init-fail');
    return p.status?.phase === 'Failed' && p;
  });
  expect(pod.status!.initContainerStatuses![0].state!.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
  expect(pod.status!.containerStatuses![0].state).toEqual({ waiting: { reason: 'PodInitializing' } });
});

test('env and volumes from a ConfigMap; a missing one is CreateContainerConfigError until it exists', async () => {
  await createPod('cfg', {
    restartPolicy: 'Never',
    containers: [
      {
        name: 'c',
        image: 'busybox',
        command: ['sh', '-c', 'test "$GREETING" = hello && test "$(cat /cfg/greeting.txt)" = hello && test "$MY_NAME" = cfg && test -n "$POD_IP"'],
        env: [
          { name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'app-cfg', key: 'greeting' } } },
          { name: 'MY_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        ],
        volumeMounts: [{ name: 'cfg', mountPath: '/cfg', readOnly: true }],
      },
    ],
    volumes: [{ name: 'cfg', configMap: { name: 'app-cfg', optional: true, items: [{ key: 'greeting', path: 'greeting.txt' }] } }],
  });
  const waiting = await until('CreateContainerConfigError', async () => {
    const p = await getPod('cfg');
    const w = p.status?.containerStatuses?.[0].state?.waiting;
    return w?.reason === 'CreateContainerConfigError' && w;
  });
  expect(waiting.message).toBe('configmap "app-cfg" not found');
  expect(await events('cfg')).toContain('Failed: Error: configmap "app-cfg" not found');
  await client.create('/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-cfg' }, data: { greeting: 'hello' } });
  const pod = await until('cfg finished', async () => {
    const p = await getPod('cfg');
    return (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') && p;
  }, 40_000);
  expect(pod.status!.containerStatuses![0].state!.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
});

test('while the kubelet is away: exits are reported, pods deleted from the API are cleaned up', async () => {
  await createPod('short', { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'sleep 2; exit 4'] }] });
  await createPod('gone', { terminationGracePeriodSeconds: 2, containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] });
  await until('both running', async () => (await getPod('short')).status?.phase === 'Running' && (await getPod('gone')).status?.phase === 'Running');
  const gone = (await runtime.listContainers()).find((c) => c.labels['io.kubernetes.pod.name'] === 'gone' && c.state === 'running')!;
  await kubelet!.stop();
  // Force-delete: the object goes at once, the kubelet is not there to see it.
  await client.delete(`${PODS}/gone`, { gracePeriodSeconds: 0 });
  await sleep(2500);
  kubelet = newKubelet();
  await kubelet.start();
  const short = await until('short Failed with exit 4', async () => {
    const p = await getPod('short');
    return p.status?.phase === 'Failed' && p;
  });
  expect(short.status!.containerStatuses![0].state!.terminated).toMatchObject({ exitCode: 4, reason: 'Error' });
  await until('orphan stopped and removed', async () => !(await runtime.listContainers()).some((c) => c.id === gone.id), 15_000);
  await until('orphan process gone', async () => {
    try {
      process.kill(gone.pid!, 0);
      return false;
    } catch {
      return true;
    }
  }, 5000);
});

test('a kubelet restart adopts running containers (same PID, same restart count)', async () => {
  const before = (await runtime.listContainers()).find((c) => c.labels['io.kubernetes.pod.name'] === 'web' && c.state === 'running')!;
  expect(before?.pid).toBeTruthy();
  const podBefore = await getPod('web');
  await kubelet!.stop();
  kubelet = newKubelet();
  await kubelet.start();
  await sleep(1500);
  const running = (await runtime.listContainers()).filter((c) => c.labels['io.kubernetes.pod.name'] === 'web' && c.state === 'running');
  expect(running).toHaveLength(1);
  expect(running[0].id).toBe(before.id);
  expect(running[0].pid).toBe(before.pid);
  const pod = await until('web Ready again', async () => {
    const p = await getPod('web');
    return p.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True' && p;
  });
  expect(pod.status!.containerStatuses![0].restartCount).toBe(0);
  expect(pod.status!.podIP).toBe(podBefore.status!.podIP);
  expect(pod.status!.startTime).toBe(podBefore.status!.startTime);
});

test('deleting a pod stops its processes and removes it', async () => {
  const c = (await runtime.listContainers()).find((x) => x.labels['io.kubernetes.pod.name'] === 'web' && x.state === 'running')!;
  await client.delete(`${PODS}/web`, { gracePeriodSeconds: 2 });
  await until('pod gone', async () => {
    try {
      await getPod('web');
      return false;
    } catch (err) {
      return (err as { code?: number }).code === 404;
    }
  });
  const st = await runtime.containerStatus(c.id);
  expect(st === undefined || st.state !== 'running').toBe(true);
  expect(() => process.kill(c.pid!, 0)).toThrow();
  const ev = await events('web');
  expect(ev).toContain('Killing: Stopping container web');
});
