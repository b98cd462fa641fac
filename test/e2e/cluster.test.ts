/**
 * A whole local cluster started by `k8ts up` (API server, registry, scheduler,
 * controller manager, two kubelets) driven by the real kubectl through the pod
 * scenarios of SCENARIOS.md §1–2: pods run, serve on their own IPs, complete, crash,
 * fail to pull, stay unschedulable, get OOM-killed, share what a pod shares, survive a
 * kubelet SIGKILL, and stop when deleted. Timings are shrunk with --kubelet-arg flags;
 * nothing here asserts a duration.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DIST, tempDir, eventually, Cli, SEEDS, freePort, pidsWith } from '../helpers/processes';

let home: string;
let up: ChildProcess;
let k: Cli;
let out = '';



beforeAll(async () => {
  home = tempDir('cluster');
  const port = await freePort();
  up = spawn(process.execPath, [path.join(DIST, 'cli', 'main.js'), 'up', '--home', home, '--port', String(port), '--nodes', '2', '--kubelet-arg=--backoff-scale=0.1',
    // Loopback pod IPs are shared by every cluster on this machine: a range of its own
    // (10.R.0.0/16 → 127.R.N.x) keeps this one's pods from colliding with another's.
    `--controller-manager-arg=--cluster-cidr=10.${100 + Math.floor(Math.random() * 140)}.0.0/16`, '--kubelet-arg=--cpu=2'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, K8TS_LOG_PRETTY: '0' },
  });
  up.stdout!.on('data', (c) => (out += c));
  up.stderr!.on('data', (c) => (out += c));
  await eventually(async () => out.includes('k8ts cluster is up'), 60_000);
  k = new Cli('kubectl', `http://127.0.0.1:${port}`);
  await eventually(async () => /node-1\s+Ready/.test(await k.ok(['get', 'nodes'])) && /node-2\s+Ready/.test(await k.ok(['get', 'nodes'])), 60_000, 500);
  // Pods get addresses from the node's podCIDR: wait until node IPAM has given them out.
  await eventually(async () => JSON.parse(await k.ok(['get', 'nodes', '-o', 'json'])).items.every((n: any) => n.spec.podCIDR), 60_000, 300);
}, 120_000);

afterAll(async () => {
  if (up && up.exitCode === null) {
    up.kill('SIGTERM');
    await new Promise((r) => up.once('exit', r));
  }
  // The launcher stops every process it started, containers included.
  const left = home ? pidsWith(home) : [];
  for (const pid of left) process.kill(pid, 'SIGKILL');
  k?.cleanup();
  if (home) fs.rmSync(home, { recursive: true, force: true });
  expect(left).toEqual([]);
}, 60_000);

jest.setTimeout(300_000);

const pod = async (name: string) => JSON.parse(await k.ok(['get', 'pod', name, '-o', 'json']));
const phase = async (name: string) => (await pod(name)).status?.phase;
const waitFor = (fn: () => Promise<boolean>, ms = 60_000) => eventually(async () => (await fn()) || undefined, ms, 500);

async function httpGet(url: string): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
  return res.text();
}

test('nodes are Ready with pod CIDRs from node IPAM', async () => {
  // webapl's probes play out over a minute: start it now, check it near the end.
  await k.ok(['apply', '-f', path.join(SEEDS, 'webapl-probes.yaml')]);
  // The controller manager's node IPAM assigns the ranges shortly after the nodes register.
  const nodes = await eventually(async () => {
    const items = JSON.parse(await k.ok(['get', 'nodes', '-o', 'json'])).items;
    return items.every((n: any) => n.spec.podCIDR) ? items : undefined;
  }, 30_000, 300);
  expect(nodes.map((n: any) => n.metadata.name).sort()).toEqual(['node-1', 'node-2']);
  for (const n of nodes) expect(n.spec.podCIDR).toMatch(/^10\.\d+\.\d+\.0\/24$/);
});

test('run web --image=nginx:1.28 --port 80: Running on its own IP, serving the welcome page', async () => {
  expect(await k.ok(['run', 'web', '--image=nginx:1.28', '--port', '80'])).toContain('pod/web created');
  await waitFor(async () => (await phase('web')) === 'Running');
  const p = await pod('web');
  expect(p.status.podIP).toMatch(/^127\.\d+\.\d+\.\d+$/);
  // Loopback mode maps the node's podCIDR 10.a.b.0/24 to 127.a.b.0/24.
  const node = JSON.parse(await k.ok(['get', 'node', p.spec.nodeName, '-o', 'json']));
  expect(p.status.podIP.split('.').slice(1, 3)).toEqual(node.spec.podCIDR.split('.').slice(1, 3));
  expect(p.spec.nodeName).toMatch(/^node-[12]$/);
  expect(await httpGet(`http://${p.status.podIP}/`)).toContain('Welcome to nginx!');
  const wide = await k.ok(['get', 'pod', 'web', '-o', 'wide']);
  expect(wide).toMatch(new RegExp(`web\\s+1/1\\s+Running\\s+0\\s+\\S+\\s+${p.status.podIP.replace(/\./g, '\\.')}\\s+${p.spec.nodeName}`));
  const describe = await k.ok(['describe', 'pod', 'web']);
  for (const reason of ['Scheduled', 'Pulled|Pulling', 'Created', 'Started']) expect(describe).toMatch(new RegExp(`Normal\\s+(${reason})`));
});

test('seeds: web2 and kubia serve; hello-world completes and a second run is AlreadyExists', async () => {
  await k.ok(['apply', '-f', path.join(SEEDS, 'web2-pod.yaml')]);
  await k.ok(['apply', '-f', path.join(SEEDS, 'kubia-manual.yaml')]);
  expect(await k.ok(['run', 'hello-world', '--image=hello-world', '--restart=Never'])).toContain('created');
  await waitFor(async () => (await phase('web2')) === 'Running' && (await phase('kubia-manual')) === 'Running');
  expect(await httpGet(`http://${(await pod('web2')).status.podIP}/`)).toContain('Welcome to nginx!');
  expect(await httpGet(`http://${(await pod('kubia-manual')).status.podIP}:8080/`)).toBe("You've hit kubia-manual\n");
  await waitFor(async () => (await phase('hello-world')) === 'Succeeded');
  expect(await k.ok(['get', 'pod', 'hello-world'])).toMatch(/hello-world\s+0\/1\s+Completed\s+0/);
  const again = await k.run(['run', 'hello-world', '--image=hello-world', '--restart=Never']);
  expect(again.stderr).toContain('pods "hello-world" already exists');
});

test('restart policies: a crashing container goes CrashLoopBackOff with growing restarts; Never fails the pod', async () => {
  await k.ok(['run', 'crash', '--image=busybox', '--', 'sh', '-c', 'exit 1']);
  await k.ok(['run', 'fail-once', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'exit 3']);
  await waitFor(async () => /crash\s+0\/1\s+CrashLoopBackOff\s+[2-9]/.test(await k.ok(['get', 'pod', 'crash'])), 90_000);
  await waitFor(async () => (await phase('fail-once')) === 'Failed');
  const st = (await pod('fail-once')).status.containerStatuses[0];
  expect(st.state.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
  expect(await k.ok(['describe', 'pod', 'crash'])).toMatch(/Back-off restarting failed container crash/);
});

test('an unknown image shows ErrImagePull then ImagePullBackOff', async () => {
  await k.ok(['run', 'nosuch', '--image=nosuch/image:1']);
  await waitFor(async () => /nosuch\s+0\/1\s+(ErrImagePull|ImagePullBackOff)/.test(await k.ok(['get', 'pod', 'nosuch'])));
  await waitFor(async () => /nosuch\s+0\/1\s+ImagePullBackOff/.test(await k.ok(['get', 'pod', 'nosuch'])), 90_000);
});

test('a pod asking for more CPU than any node has stays Pending with FailedScheduling', async () => {
  const manifest = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'huge' }, spec: { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'], resources: { requests: { cpu: '64' } } }] } };
  await k.ok(['apply', '-f', '-'], { input: JSON.stringify(manifest) });
  await waitFor(async () => /0\/2 nodes are available: 2 Insufficient cpu\./.test(await k.ok(['describe', 'pod', 'huge'])));
  expect(await phase('huge')).toBe('Pending');
});

test('a container over its memory limit is OOMKilled with exit 137', async () => {
  const manifest = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'hog' },
    spec: { restartPolicy: 'Never', containers: [{ name: 'hog', image: 'busybox', command: ['node', '-e', 'const a=[]; for(;;){a.push(Buffer.alloc(8<<20,1))}'], resources: { limits: { memory: '64Mi' } } }] },
  };
  await k.ok(['apply', '-f', '-'], { input: JSON.stringify(manifest) });
  await waitFor(async () => (await phase('hog')) === 'Failed');
  expect((await pod('hog')).status.containerStatuses[0].state.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
});

test('containers of a pod share the hostname and volumes, not their files; init-sample chowns as written', async () => {
  const manifest = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pair' },
    spec: {
      volumes: [{ name: 'shared', emptyDir: {} }],
      containers: [
        { name: 'a', image: 'busybox', command: ['sh', '-c', 'hostname > /data/a-host; echo secret > /private-a; sleep 3600'], volumeMounts: [{ name: 'shared', mountPath: '/data' }] },
        { name: 'b', image: 'busybox', command: ['sh', '-c', 'sleep 1; hostname > /data/b-host; if [ -e /private-a ]; then echo yes; else echo no; fi > /data/b-sees-a; sleep 3600'], volumeMounts: [{ name: 'shared', mountPath: '/data' }] },
      ],
    },
  };
  await k.ok(['apply', '-f', '-'], { input: JSON.stringify(manifest) });
  await k.ok(['apply', '-f', path.join(SEEDS, 'init-sample.yaml')]);
  await waitFor(async () => (await phase('pair')) === 'Running' && (await phase('init-sample')) === 'Running');
  const p = await pod('pair');
  const dir = path.join(home, 'nodes', p.spec.nodeName, 'pods', p.metadata.uid, 'volumes', 'empty-dir', 'shared');
  await waitFor(async () => fs.existsSync(path.join(dir, 'b-sees-a')));
  expect(fs.readFileSync(path.join(dir, 'a-host'), 'utf8').trim()).toBe('pair');
  expect(fs.readFileSync(path.join(dir, 'b-host'), 'utf8').trim()).toBe('pair');
  expect(fs.readFileSync(path.join(dir, 'b-sees-a'), 'utf8').trim()).toBe('no');
  const init = await pod('init-sample');
  const html = path.join(home, 'nodes', init.spec.nodeName, 'pods', init.metadata.uid, 'volumes', 'empty-dir', 'data-vol', 'html');
  expect(fs.statSync(html).uid).toBe(33);
  expect(init.status.initContainerStatuses[0].state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
});

test('a failing liveness probe restarts the container with Unhealthy and Killing events', async () => {
  await k.ok(['apply', '-f', path.join(SEEDS, 'kuard-liveness.yaml')]);
  await waitFor(async () => (await phase('kuard')) === 'Running');
  await httpGet(`http://${(await pod('kuard')).status.podIP}:8080/fail/healthy?count=5`);
  await waitFor(async () => (await pod('kuard')).status.containerStatuses[0].restartCount >= 1, 60_000);
  const d = await k.ok(['describe', 'pod', 'kuard']);
  expect(d).toMatch(/Warning\s+Unhealthy.*Liveness probe failed: HTTP probe failed with statuscode: 500/);
  expect(d).toMatch(/Normal\s+Killing.*Container kuard failed liveness probe, will be restarted/);
});

test('webapl as in the notes: not ready during warm-up, then ready; liveness fails later and restarts it', async () => {
  await waitFor(async () => /webapl\s+1\/1\s+Running/.test(await k.ok(['get', 'pod', 'webapl'])), 120_000);
  await waitFor(async () => (await pod('webapl')).status.containerStatuses[0].restartCount >= 1, 120_000);
  const d = await k.ok(['describe', 'pod', 'webapl']);
  expect(d).toMatch(/Readiness probe failed: HTTP probe failed with statuscode: 500/);
  expect(d).toMatch(/Liveness probe failed: HTTP probe failed with statuscode: 500/);
  expect(d).toMatch(/Container webapl failed liveness probe, will be restarted/);
}, 240_000);

test('a SIGKILLed kubelet comes back and adopts its containers: same PIDs, no duplicates, same restart counts', async () => {
  const pods = JSON.parse(await k.ok(['get', 'pods', '-o', 'json'])).items.filter((p: any) => p.spec.nodeName === 'node-1' && p.status.phase === 'Running');
  expect(pods.length).toBeGreaterThan(0);
  const holders = pidsWith(path.join(home, 'nodes', 'node-1')).filter((pid) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('holder'));
  const restarts = Object.fromEntries(pods.map((p: any) => [p.metadata.name, p.status.containerStatuses.map((c: any) => c.restartCount)]));
  const [kubelet] = pidsWith('--node-name\0node-1');
  process.kill(kubelet, 'SIGKILL');
  await eventually(async () => pidsWith('--node-name\0node-1').some((pid) => pid !== kubelet), 30_000);
  await new Promise((r) => setTimeout(r, 5000)); // let the new kubelet sync every pod
  const after = pidsWith(path.join(home, 'nodes', 'node-1')).filter((pid) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('holder'));
  expect(after.sort()).toEqual(holders.sort());
  for (const p of pods) {
    const now = await pod(p.metadata.name);
    // crash-looping and liveness-probed pods may restart on their own; every other pod's counts are unchanged
    const restartsOnItsOwn = p.metadata.name === 'crash' || p.spec.containers.some((c: any) => c.livenessProbe);
    if (!restartsOnItsOwn) expect(now.status.containerStatuses.map((c: any) => c.restartCount)).toEqual(restarts[p.metadata.name]);
  }
}, 90_000);

test('deleting a pod stops its processes and removes it', async () => {
  const p = await pod('web');
  const holdersBefore = pidsWith(path.join(home, 'nodes', p.spec.nodeName, 'runtime'));
  expect(await k.ok(['delete', 'pod', 'web'])).toContain('pod "web" deleted');
  expect((await k.run(['get', 'pod', 'web'])).code).not.toBe(0);
  await expect(httpGet(`http://${p.status.podIP}/`)).rejects.toThrow();
  expect(pidsWith(path.join(home, 'nodes', p.spec.nodeName, 'runtime')).length).toBeLessThan(holdersBefore.length);
});
