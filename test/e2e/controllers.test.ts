/**
 * SCENARIOS.md §3–4 on a whole cluster started by `k8ts up`, driven by the real kubectl:
 * Deployments name their ReplicaSets and pods as in the notes, replace deleted pods,
 * scale, roll out a new image, roll back; deleting a namespace deletes what is in it;
 * a Job runs to completion; a node whose kubelet stops answering goes NotReady and its
 * pods are replaced on the other node. Nothing here asserts a duration.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DIST, tempDir, eventually, Cli, freePort, pidsWith } from '../helpers/processes';

let home: string;
let up: ChildProcess;
let k: Cli;
let out = '';

beforeAll(async () => {
  home = tempDir('controllers');
  const port = await freePort();
  up = spawn(process.execPath, [path.join(DIST, 'cli', 'main.js'), 'up', '--home', home, '--port', String(port), '--nodes', '2', '--kubelet-arg=--backoff-scale=0.1',
    // Loopback pod IPs are shared by every cluster on this machine: a range of its own
    // (10.R.0.0/16 → 127.R.N.x) keeps this one's pods from colliding with another's.
    `--controller-manager-arg=--cluster-cidr=10.${100 + Math.floor(Math.random() * 140)}.0.0/16`,
    // Shrink the node grace period and eviction timeout (50 s / 300 s) for the node-down test,
    // and the kubelets' heartbeats with them (lease renewed every 1 s, status every 1 s): a
    // grace period shorter than the renewal interval would mark healthy nodes down.
    '--kubelet-arg=--node-lease-duration=4s', '--kubelet-arg=--node-status-update-frequency=1s',
    '--controller-manager-arg=--node-monitor-grace-period=6s', '--controller-manager-arg=--node-monitor-period=1s', '--controller-manager-arg=--pod-eviction-timeout=3s'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, K8TS_LOG_PRETTY: '0' },
  });
  up.stdout!.on('data', (c) => (out += c));
  up.stderr!.on('data', (c) => (out += c));
  await eventually(async () => out.includes('k8ts cluster is up'), 60_000);
  k = new Cli('kubectl', `http://127.0.0.1:${port}`);
  await eventually(async () => (await k.ok(['get', 'nodes'])).match(/\sReady\s/g)?.length === 2, 60_000, 500);
  await eventually(async () => JSON.parse(await k.ok(['get', 'nodes', '-o', 'json'])).items.every((n: any) => n.spec.podCIDR), 60_000, 300);
}, 120_000);

afterAll(async () => {
  if (up && up.exitCode === null) {
    up.kill('SIGTERM');
    await new Promise((r) => up.once('exit', r));
  }
  const left = home ? pidsWith(home) : [];
  for (const pid of left) process.kill(pid, 'SIGKILL');
  k?.cleanup();
  if (home) fs.rmSync(home, { recursive: true, force: true });
  expect(left).toEqual([]);
}, 60_000);

jest.setTimeout(300_000);

const waitFor = (fn: () => Promise<boolean>, ms = 90_000) => eventually(async () => (await fn()) || undefined, ms, 500);
const names = async (args: string[]) => (await k.ok(['get', ...args, '-o', 'name'])).trim().split('\n').filter(Boolean).sort();

test('create deployment hello-world: deployment, replicaset and pod named as in the notes; the pod crash-loops; READY 0/1', async () => {
  expect(await k.ok(['create', 'deployment', 'hello-world', '--image=hello-world'])).toContain('deployment.apps/hello-world created');
  await waitFor(async () => /hello-world-[a-z0-9]+-[a-z0-9]{5}\s+0\/1\s+(CrashLoopBackOff|Completed)\s+[1-9]/.test(await k.ok(['get', 'pods'])));
  const all = await k.ok(['get', 'all']);
  expect(all).toMatch(/^deployment\.apps\/hello-world\s+0\/1\s+1\s+0\s/m);
  expect(all).toMatch(/^replicaset\.apps\/hello-world-[bcdfghjklmnpqrstvwxz2456789]+\s+1\s+1\s+0\s/m);
  expect(all).toMatch(/^pod\/hello-world-[bcdfghjklmnpqrstvwxz2456789]+-[a-z0-9]{5}\s+0\/1\s/m);
});

test('an nginx deployment runs; a deleted pod is replaced under a new name; scale to 5 and back to 1', async () => {
  await k.ok(['create', 'deployment', 'web', '--image=nginx:1.28']);
  await k.ok(['rollout', 'status', 'deployment/web', '--timeout=90s']);
  const [first] = await names(['pods', '-l', 'app=web']);
  expect(await k.ok(['delete', first])).toContain('deleted');
  await waitFor(async () => {
    const now = await names(['pods', '-l', 'app=web']);
    return now.length === 1 && now[0] !== first && /1\/1\s+Running/.test(await k.ok(['get', now[0]]));
  });
  await k.ok(['scale', 'deployment', 'web', '--replicas=5']);
  await waitFor(async () => /^web\s+5\/5\s+5\s+5\s/m.test(await k.ok(['get', 'deploy', 'web'])));
  await k.ok(['scale', 'deployment', 'web', '--replicas=1']);
  await waitFor(async () => (await names(['pods', '-l', 'app=web'])).length === 1 && /^web\s+1\/1\s/m.test(await k.ok(['get', 'deploy', 'web'])));
});

test('set image rolls out; rollout status succeeds; history lists revisions; undo returns to the first ReplicaSet', async () => {
  await k.ok(['scale', 'deployment', 'web', '--replicas=3']);
  await k.ok(['rollout', 'status', 'deployment/web', '--timeout=90s']);
  const rsBefore = await names(['rs', '-l', 'app=web']);
  expect(rsBefore).toHaveLength(1);
  await k.ok(['set', 'image', 'deployment/web', 'nginx=nginx:1.27']);
  expect(await k.ok(['rollout', 'status', 'deployment/web', '--timeout=120s'])).toContain('deployment "web" successfully rolled out');
  // Old pods may still be terminating (graceful deletion), as in Kubernetes: count the live ones.
  const pods = JSON.parse(await k.ok(['get', 'pods', '-l', 'app=web', '-o', 'json'])).items.filter((p: any) => !p.metadata.deletionTimestamp);
  expect(pods.map((p: any) => p.spec.containers[0].image)).toEqual(['nginx:1.27', 'nginx:1.27', 'nginx:1.27']);
  const history = await k.ok(['rollout', 'history', 'deployment/web']);
  expect(history).toMatch(/^1\s/m);
  expect(history).toMatch(/^2\s/m);
  await k.ok(['rollout', 'undo', 'deployment/web']);
  await k.ok(['rollout', 'status', 'deployment/web', '--timeout=120s']);
  const rs = JSON.parse(await k.ok(['get', 'rs', '-l', 'app=web', '-o', 'json'])).items;
  expect(rs).toHaveLength(2); // the old ReplicaSet came back; no third one
  const active = rs.find((r: any) => r.spec.replicas === 3);
  expect(`replicaset.apps/${active.metadata.name}`).toBe(rsBefore[0]);
  expect(active.metadata.annotations['deployment.kubernetes.io/revision']).toBe('3');
});

test('a broken image stalls the rollout with ProgressDeadlineExceeded while the old pods keep serving', async () => {
  await k.ok(['patch', 'deployment', 'web', '-p', '{"spec":{"progressDeadlineSeconds":5}}']);
  await k.ok(['set', 'image', 'deployment/web', 'nginx=nosuch/image:1']);
  const r = await k.run(['rollout', 'status', 'deployment/web', '--timeout=120s'], { timeoutMs: 150_000 });
  expect(r.code).not.toBe(0);
  expect(r.stderr).toContain('error: deployment "web" exceeded its progress deadline');
  const d = JSON.parse(await k.ok(['get', 'deployment', 'web', '-o', 'json']));
  expect(d.status.conditions.find((c: any) => c.type === 'Progressing')).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });
  const live = JSON.parse(await k.ok(['get', 'pods', '-l', 'app=web', '-o', 'json'])).items.filter((p: any) => p.status.phase === 'Running' && p.spec.containers[0].image === 'nginx:1.28');
  expect(live.length).toBeGreaterThanOrEqual(2); // 3 replicas, maxUnavailable 25% → at most one old pod down
  expect(d.status.availableReplicas).toBeGreaterThanOrEqual(2);
});

test('deleting a Deployment takes its ReplicaSets and pods with it', async () => {
  await k.ok(['delete', 'deployment', 'web']);
  await waitFor(async () => (await names(['rs', '-l', 'app=web'])).length === 0 && (await names(['pods', '-l', 'app=web'])).length === 0);
});

test('a Job runs its pod to completion', async () => {
  await k.ok(['create', 'job', 'once', '--image=busybox', '--', 'sh', '-c', 'echo done']);
  await waitFor(async () => /^once\s+Complete\s+1\/1\s/m.test(await k.ok(['get', 'job', 'once'])));
});

test('delete namespace dev removes everything in it', async () => {
  await k.ok(['create', 'namespace', 'dev']);
  await k.ok(['create', 'deployment', 'app', '--image=nginx:1.28', '--replicas=2', '-n', 'dev']);
  await k.ok(['create', 'configmap', 'cfg', '--from-literal=a=b', '-n', 'dev']);
  await waitFor(async () => /^app\s+2\/2\s/m.test(await k.ok(['get', 'deploy', '-n', 'dev'])));
  await k.ok(['delete', 'namespace', 'dev', '--timeout=120s']);
  const r = await k.run(['get', 'namespace', 'dev']);
  expect(r.stderr).toContain('namespaces "dev" not found');
  expect((await k.ok(['get', 'pods', '-A', '-o', 'name'])).split('\n').filter((l) => l.includes('app-'))).toEqual([]);
}, 180_000);

test('a stopped kubelet: its node goes NotReady, its pods are replaced elsewhere; resumed, it stops the evicted ones', async () => {
  await k.ok(['create', 'deployment', 'spread', '--image=nginx:1.28', '--replicas=4']);
  await k.ok(['rollout', 'status', 'deployment/spread', '--timeout=90s']);
  const pods = JSON.parse(await k.ok(['get', 'pods', '-l', 'app=spread', '-o', 'json'])).items;
  const victims = pods.filter((p: any) => p.spec.nodeName === 'node-2').map((p: any) => p.metadata.name);
  expect(victims.length).toBeGreaterThan(0); // least-allocated scoring spreads them
  expect(pidsWith(path.join(home, 'nodes', 'node-2', 'runtime', 'containers')).length).toBeGreaterThan(0);
  const [kubelet] = pidsWith('--node-name\0node-2');
  // Stop the supervised kubelet without killing it (SIGSTOP), as a hung node would look.
  process.kill(kubelet, 'SIGSTOP');
  try {
    await waitFor(async () => /^node-2\s+NotReady/m.test(await k.ok(['get', 'nodes'])), 90_000);
    await waitFor(async () => {
      const now = JSON.parse(await k.ok(['get', 'pods', '-l', 'app=spread', '-o', 'json'])).items;
      return now.length === 4 && now.every((p: any) => p.spec.nodeName === 'node-1' && p.status.phase === 'Running') && !now.some((p: any) => victims.includes(p.metadata.name));
    }, 120_000);
    expect(await k.ok(['describe', 'node', 'node-2'])).toMatch(/node\.kubernetes\.io\/unreachable:NoExecute/);
  } finally {
    process.kill(kubelet, 'SIGCONT');
  }
  // Back, the kubelet stops the containers of the pods that were deleted meanwhile and the node heals.
  await waitFor(async () => /^node-2\s+Ready/m.test(await k.ok(['get', 'nodes'])), 90_000);
  const node2Holders = () => pidsWith(path.join(home, 'nodes', 'node-2', 'runtime', 'containers')).length;
  await waitFor(async () => node2Holders() === 0, 60_000);
  const after = JSON.parse(await k.ok(['get', 'pods', '-l', 'app=spread', '-o', 'json'])).items;
  expect(after).toHaveLength(4);
}, 300_000);
