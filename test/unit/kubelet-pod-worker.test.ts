/**
 * The pod worker against a fake runtime, fake images and a fake API client, with a fake
 * clock: crash back-off sequence and its messages, image back-off, deletion order.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Pod } from '../../shared/api/types';
import type { KubeClient } from '../../shared/client';
import { createLogger } from '../../shared/logger';
import { ImagePullError } from '../../images/types';
import type { ContainerConfig, ContainerStatus, LocalImage, PodSandboxConfig, Runtime } from '../../kubelet/runtime/interface';
import { Ipam } from '../../kubelet/ipam';
import { ProbeManager } from '../../kubelet/probes';
import { PodWorkers } from '../../kubelet/pod-worker';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'k8ts-pw-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

let clock = Date.parse('2025-01-15T10:00:00Z');
const iso = () => new Date(clock).toISOString();
const image: LocalImage = { ref: 'docker.io/library/busybox:latest', digest: 'sha256:' + 'b'.repeat(64), rootfs: '/x', config: { cmd: ['sh'] } };

class FakeRuntime implements Runtime {
  readonly name = 'fake';
  readonly version = '1';
  readonly isolated = false;
  seq = 0;
  sandboxes = new Map<string, PodSandboxConfig>();
  containers = new Map<string, ContainerStatus>();
  log: string[] = [];
  /** exit code a started container gets right away (undefined = keeps running) */
  exitOnStart: number | undefined = 1;
  async runPodSandbox(cfg: PodSandboxConfig) {
    const id = `sb${++this.seq}`;
    this.sandboxes.set(id, cfg);
    this.log.push(`runPodSandbox ${cfg.podIP}`);
    return id;
  }
  async stopPodSandbox(id: string) {
    this.log.push(`stopPodSandbox ${id}`);
  }
  async removePodSandbox(id: string) {
    this.sandboxes.delete(id);
    this.log.push(`removePodSandbox ${id}`);
  }
  async listPodSandboxes() {
    return [...this.sandboxes].map(([id, config]) => ({ id, config }));
  }
  async createContainer(sandboxId: string, cfg: ContainerConfig) {
    const id = `c${++this.seq}`;
    this.containers.set(id, { id, sandboxId, name: cfg.name, state: 'created', createdAt: iso(), image: cfg.image, labels: cfg.labels, logPath: cfg.logPath });
    this.log.push(`create ${cfg.name} ${cfg.argv.join(' ')} restart=${cfg.labels['io.kubernetes.container.restartCount']}`);
    return id;
  }
  async startContainer(id: string) {
    const c = this.containers.get(id)!;
    c.startedAt = iso();
    if (this.exitOnStart === undefined) c.state = 'running';
    else Object.assign(c, { state: 'exited', exitCode: this.exitOnStart, finishedAt: iso(), reason: this.exitOnStart === 0 ? 'Completed' : 'Error' });
  }
  async stopContainer(id: string, grace: number) {
    const c = this.containers.get(id)!;
    this.log.push(`stop ${c.name} grace=${grace}`);
    if (c.state === 'running') Object.assign(c, { state: 'exited', exitCode: 143, reason: 'Error', finishedAt: iso() });
  }
  async removeContainer(id: string) {
    this.containers.delete(id);
  }
  async listContainers(f?: { labels?: Record<string, string> }) {
    return [...this.containers.values()].filter((c) => Object.entries(f?.labels ?? {}).every(([k, v]) => c.labels[k] === v)).map((c) => structuredClone(c));
  }
  async containerStatus(id: string) {
    return this.containers.get(id);
  }
  async execSync() {
    return { exitCode: 0, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) };
  }
}

function setup(pod: Pod, pull: () => Promise<LocalImage> = async () => image) {
  const runtime = new FakeRuntime();
  const events: string[] = [];
  const api: string[] = [];
  const client = {
    patch: async (p: string, body: { status: Pod['status'] }) => {
      api.push(`PATCH ${p}`);
      (pod as { status?: Pod['status'] }).status = body.status;
      return { ...pod, status: body.status };
    },
    delete: async (p: string, opts: unknown) => {
      api.push(`DELETE ${p} ${JSON.stringify(opts)}`);
      return {};
    },
    get: async () => {
      throw Object.assign(new Error('nf'), { code: 404 });
    },
  } as unknown as KubeClient;
  const probes = new ProbeManager({ exec: runtime.execSync, event: () => undefined, onChange: () => undefined });
  const w = new PodWorkers({
    client,
    runtime,
    images: { cached: async () => undefined, pull },
    ipam: new Ipam(path.join(root, `${Math.random()}.json`), '127.244.1.0/24'),
    probes,
    event: (_p, type, reason, message) => events.push(`${type} ${reason}: ${message}`),
    nodeName: 'node-1',
    hostIP: '127.0.0.1',
    rootDir: root,
    logger: createLogger('t', { level: 'silent', pretty: false }),
    getPod: () => pod,
    listPods: () => [pod],
    now: () => clock,
  });
  return { runtime, events, api, w, probes };
}

const crashPod = (): Pod =>
  ({
    metadata: { name: 'crash-demo', namespace: 'default', uid: 'uid-1' },
    spec: { nodeName: 'node-1', restartPolicy: 'Always', containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'exit 1'] }] },
    status: { phase: 'Pending', qosClass: 'BestEffort' },
  }) as Pod;

test('crash loop: restart now, then 10s, 20s, 40s… with upstream messages and events', async () => {
  const pod = crashPod();
  const { runtime, events, w } = setup(pod);
  const messages: string[] = [];
  const restarts: number[] = [];
  // One sync per second, like the PLEG relist noticing each exit.
  for (let i = 0; i < 400; i++) {
    await w.sync('default/crash-demo');
    const cs = pod.status!.containerStatuses![0];
    const msg = cs.state?.waiting?.message;
    if (msg && messages[messages.length - 1] !== msg) messages.push(msg);
    if (restarts[restarts.length - 1] !== cs.restartCount) restarts.push(cs.restartCount);
    clock += 1000;
  }
  const desc = 'crash-demo_default(uid-1)';
  expect(messages.slice(0, 5)).toEqual([10, 20, 40, 80, 160].map((s) => `back-off ${s >= 60 ? `${Math.floor(s / 60)}m${s % 60}s` : `${s}s`} restarting failed container=app pod=${desc}`));
  expect(restarts.slice(0, 5)).toEqual([0, 1, 2, 3, 4]);
  expect(runtime.log.filter((l) => l.startsWith('create')).slice(0, 3)).toEqual(['create app sh -c exit 1 restart=0', 'create app sh -c exit 1 restart=1', 'create app sh -c exit 1 restart=2']);
  expect(events.slice(0, 5)).toEqual(['Normal Pulling: Pulling image "busybox"', expect.stringMatching(/^Normal Pulled: Successfully pulled image "busybox" in \d+m?s/), 'Normal Created: Created container app', 'Normal Started: Started container app', expect.any(String)]);
  expect(events).toContain(`Warning BackOff: Back-off restarting failed container app in pod ${desc}`);
  expect(pod.status!.phase).toBe('Running');
  // Only the newest and the previous instance are kept.
  expect(runtime.containers.size).toBeLessThanOrEqual(2);
});

test('image pull failure: ErrImagePull, then ImagePullBackOff inside the window, doubling', async () => {
  const pod = crashPod();
  const { events, w } = setup(pod, async () => {
    throw new ImagePullError('ErrImagePull', 'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/busybox:latest": not found');
  });
  let res = await w.sync('default/crash-demo');
  expect(pod.status!.containerStatuses![0].state!.waiting).toEqual({ reason: 'ErrImagePull', message: 'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/busybox:latest": not found' });
  expect(res?.requeueAfter).toBe(10_000);
  clock += 1000;
  res = await w.sync('default/crash-demo');
  expect(pod.status!.containerStatuses![0].state!.waiting).toEqual({ reason: 'ImagePullBackOff', message: 'Back-off pulling image "busybox"' });
  expect(res?.requeueAfter).toBe(9000);
  clock += 9000;
  res = await w.sync('default/crash-demo');
  expect(pod.status!.containerStatuses![0].state!.waiting!.reason).toBe('ErrImagePull');
  expect(res?.requeueAfter).toBe(10_000); // capped by the 10 s status resync
  expect(w.imageBackoff.get('uid-1_busybox')).toBe(20_000);
  expect(events.slice(0, 6)).toEqual([
    'Normal Pulling: Pulling image "busybox"',
    'Warning Failed: Failed to pull image "busybox": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/busybox:latest": not found',
    'Warning Failed: Error: ErrImagePull',
    'Normal BackOff: Back-off pulling image "busybox"',
    'Warning Failed: Error: ImagePullBackOff',
    'Normal Pulling: Pulling image "busybox"',
  ]);
  expect(pod.status!.phase).toBe('Pending');
});

test('deletion: Killing, stop with the deletion grace, terminal status, then DELETE with uid precondition, then cleanup', async () => {
  const pod = crashPod();
  const { runtime, events, api, w } = setup(pod);
  runtime.exitOnStart = undefined;
  await w.sync('default/crash-demo');
  expect(pod.status!.phase).toBe('Running');
  Object.assign(pod.metadata!, { deletionTimestamp: iso(), deletionGracePeriodSeconds: 5 });
  await w.sync('default/crash-demo');
  expect(events).toContain('Normal Killing: Stopping container app');
  expect(runtime.log).toContain('stop app grace=5');
  expect(pod.status!.phase).toBe('Failed'); // exit 143 on SIGTERM
  expect(pod.status!.containerStatuses![0].state!.terminated).toMatchObject({ exitCode: 143, reason: 'Error' });
  expect(api[api.length - 1]).toBe('DELETE /api/v1/namespaces/default/pods/crash-demo {"gracePeriodSeconds":0,"preconditions":{"uid":"uid-1"}}');
  expect(api[api.length - 2]).toBe('PATCH /api/v1/namespaces/default/pods/crash-demo/status');
  expect(runtime.containers.size).toBe(0);
  expect(runtime.sandboxes.size).toBe(0);
});

test('Never + exit 0: Succeeded, sandbox stopped, no restart', async () => {
  const pod = crashPod();
  pod.spec!.restartPolicy = 'Never';
  const { runtime, w } = setup(pod);
  runtime.exitOnStart = 0;
  const res = await w.sync('default/crash-demo');
  expect(pod.status!.phase).toBe('Succeeded');
  expect(res).toEqual({});
  await w.sync('default/crash-demo');
  expect(runtime.log.filter((l) => l.startsWith('create'))).toHaveLength(1);
  expect(runtime.log.some((l) => l.startsWith('stopPodSandbox'))).toBe(true);
  expect(pod.status!.conditions!.find((c) => c.type === 'PodReadyToStartContainers')!.status).toBe('False');
});

test('IfNotPresent with the image cached: "already present on machine", no pull', async () => {
  const pod = crashPod();
  pod.spec!.containers[0].image = 'busybox:1.36';
  pod.spec!.restartPolicy = 'Never';
  const { events, w, runtime } = setup(pod, async () => {
    throw new Error('must not pull');
  });
  runtime.exitOnStart = 0;
  (w as unknown as { o: { images: { cached: () => Promise<LocalImage> } } }).o.images.cached = async () => image;
  await w.sync('default/crash-demo');
  expect(events[0]).toBe('Normal Pulled: Container image "busybox:1.36" already present on machine');
  expect(pod.status!.phase).toBe('Succeeded');
});

test('a missing ConfigMap key: CreateContainerConfigError with upstream wording, retried', async () => {
  const pod = crashPod();
  pod.spec!.containers[0].env = [{ name: 'PORT', valueFrom: { configMapKeyRef: { name: 'app-cfg', key: 'PORT' } } }];
  const { events, w } = setup(pod);
  const res = await w.sync('default/crash-demo');
  expect(pod.status!.containerStatuses![0].state!.waiting).toEqual({ reason: 'CreateContainerConfigError', message: 'configmap "app-cfg" not found' });
  expect(events).toContain('Warning Failed: Error: configmap "app-cfg" not found');
  expect(res?.requeueAfter).toBe(10_000);
  expect(pod.status!.phase).toBe('Pending');
});
