/**
 * The container runtimes with real processes: both the process runtime and (where this
 * host can create namespaces, e.g. as root in CI) the linux-sandbox runtime. Needs the
 * compiled holder (dist/kubelet/runtime/holder.js; `npm test` builds it).
 *
 * Every container started here is stopped and every temp dir removed in afterAll, also
 * when a test fails; holders still alive then are SIGKILLed with their process groups.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRuntime, probeLinuxSandbox, ExecTimeoutError } from '../../kubelet/runtime';
import type { ContainerConfig, ContainerStatus, LocalImage, Runtime } from '../../kubelet/runtime';
import { groupAlive, groupMembers, readJson, type HolderState } from '../../kubelet/runtime/state';

const logger = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'k8ts-runtime-'));
const kinds: ('process' | 'linux-sandbox')[] = ['process'];
const sandboxProbe = probeLinuxSandbox(tmpRoot);
if (sandboxProbe.ok) kinds.push('linux-sandbox');
else console.warn(`linux-sandbox runtime not tested here: ${sandboxProbe.reason}`);

/** Fake pulled image: a few files as rootfs. */
function makeImage(name: string): LocalImage {
  const rootfs = path.join(tmpRoot, 'images', name);
  fs.mkdirSync(path.join(rootfs, 'app'), { recursive: true });
  fs.writeFileSync(path.join(rootfs, 'app', 'hello.txt'), `hello from ${name}\n`);
  fs.mkdirSync(path.join(rootfs, 'etc'), { recursive: true });
  fs.writeFileSync(path.join(rootfs, 'etc', 'image-release'), `${name}\n`);
  return { ref: `test/${name}:1`, digest: `sha256:${name}`, rootfs, config: { env: ['FROM_IMAGE=yes', 'A=image'], workingDir: '/app' } };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 15000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const allRoots: string[] = [];

afterAll(async () => {
  for (const rootDir of allRoots) {
    try {
      const rt = createRuntime({ rootDir, logger, prefer: 'process' });
      for (const c of await rt.listContainers()) await rt.stopContainer(c.id, 0).catch(() => undefined);
      for (const s of await rt.listPodSandboxes()) await rt.removePodSandbox(s.id).catch(() => undefined);
    } catch {
      /* fall through to the hard kill */
    }
    // Belt and braces: any holder or group that survived.
    const cdir = path.join(rootDir, 'containers');
    for (const id of fs.existsSync(cdir) ? fs.readdirSync(cdir) : []) {
      const st = readJson<HolderState>(path.join(cdir, id, 'state.json'));
      for (const p of [st?.pgid && -st.pgid, st?.holderPid]) {
        if (p) {
          try {
            process.kill(p, 'SIGKILL');
          } catch {
            /* gone */
          }
        }
      }
    }
  }
  if (!process.env.K8TS_KEEP_TMP) fs.rmSync(tmpRoot, { recursive: true, force: true });
});

describe.each(kinds)('%s runtime', (kind) => {
  const rootDir = path.join(tmpRoot, kind, 'root');
  const logDir = path.join(tmpRoot, kind, 'logs');
  allRoots.push(rootDir);
  let rt: Runtime;
  let sandboxId: string;
  const image = makeImage(`img-${kind}`);
  let n = 0;

  function cfg(argv: string[], extra: Partial<ContainerConfig> = {}): ContainerConfig {
    const name = extra.name ?? `c${n++}`;
    return { name, image, argv, env: { A: 'container' }, mounts: [], logPath: path.join(logDir, `${name}.log`), labels: { 'io.kubernetes.container.name': name }, ...extra };
  }

  async function run(argv: string[], extra: Partial<ContainerConfig> = {}, sb = sandboxId): Promise<string> {
    const id = await rt.createContainer(sb, cfg(argv, extra));
    await rt.startContainer(id);
    return id;
  }

  async function exited(id: string, r = rt): Promise<ContainerStatus> {
    return waitFor(`container ${id} to exit`, async () => {
      const s = await r.containerStatus(id);
      return s?.state === 'exited' && s;
    });
  }

  function pgidOf(id: string): number {
    const st = readJson<HolderState>(path.join(rootDir, 'containers', id, 'state.json'));
    if (!st?.pgid) throw new Error(`no pgid for ${id}`);
    return st.pgid;
  }

  const text = (b: Buffer) => b.toString('utf8');

  beforeAll(async () => {
    rt = createRuntime({ rootDir, logger, prefer: kind });
    sandboxId = await rt.runPodSandbox({ podUid: 'uid-1', namespace: 'default', name: 'pod-a', hostname: 'pod-a', podIP: '127.244.0.10', logDir, labels: { app: 'a' } });
  });

  test('runtime reports its kind', () => {
    expect(rt.name).toBe(kind);
    expect(rt.isolated).toBe(kind === 'linux-sandbox');
  });

  test('runs a container: running, PID, CRI log line', async () => {
    const id = await run(['sh', '-c', 'echo hi; echo oops >&2; sleep 30']);
    const s = await rt.containerStatus(id);
    expect(s).toMatchObject({ state: 'running', name: expect.any(String), sandboxId, image: { ref: image.ref } });
    expect(s!.pid).toBeGreaterThan(1);
    expect(() => process.kill(s!.pid!, 0)).not.toThrow();
    const log = await waitFor('log lines', async () => {
      const t = fs.readFileSync(s!.logPath, 'utf8');
      return t.includes('stderr F oops') && t;
    });
    expect(log).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z stdout F hi$/m);
    await rt.stopContainer(id, 0);
  });

  test('stop: SIGTERM honoured within the grace period, whole group gone', async () => {
    const id = await run(['sh', '-c', 'trap "echo got-term; exit 0" TERM; sleep 30 & sleep 30 & wait']);
    const pgid = pgidOf(id);
    await waitFor('both sleeps', async () => groupMembers(pgid).length >= 3);
    const t0 = Date.now();
    await rt.stopContainer(id, 10);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(groupAlive(pgid)).toBe(false);
    const s = await rt.containerStatus(id);
    expect(s).toMatchObject({ state: 'exited', exitCode: 0, reason: 'Completed' });
    expect(fs.readFileSync(s!.logPath, 'utf8')).toMatch(/stdout F got-term/);
  });

  test('stop: a container ignoring SIGTERM is SIGKILLed after the grace period', async () => {
    const id = await run(['sh', '-c', "trap '' TERM; sleep 30 & wait"]);
    const pgid = pgidOf(id);
    await waitFor('the sleep', async () => groupMembers(pgid).length >= 2);
    const t0 = Date.now();
    await rt.stopContainer(id, 1);
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(1000);
    expect(took).toBeLessThan(6000);
    expect(groupAlive(pgid)).toBe(false);
    expect(await rt.containerStatus(id)).toMatchObject({ state: 'exited', exitCode: 137, reason: 'Error' });
  });

  test('exit codes and reasons', async () => {
    const three = await run(['sh', '-c', 'exit 3']);
    const zero = await run(['sh', '-c', 'exit 0']);
    expect(await exited(three)).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(await exited(zero)).toMatchObject({ exitCode: 0, reason: 'Completed' });
    const z = await rt.containerStatus(zero);
    expect(Date.parse(z!.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(z!.startedAt!));
  });

  test('a missing command is a StartError (128) with the Kubernetes message', async () => {
    const id = await run(['no-such-binary-k8ts', 'x']);
    const s = await exited(id);
    expect(s).toMatchObject({ exitCode: 128, reason: 'StartError', startedAt: '1970-01-01T00:00:00Z' });
    expect(s.message).toBe('exec: "no-such-binary-k8ts": executable file not found in $PATH');
  });

  test('memory hog over its limit is OOMKilled with 137', async () => {
    const hog = 'const a=[]; for (let i=0;i<200;i++) a.push(Buffer.alloc(1<<20, 1)); setTimeout(()=>{}, 30000)';
    const id = await run(['node', '-e', hog], { memoryLimitBytes: 64 * 1024 * 1024 });
    const s = await exited(id);
    expect(s).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
  });

  test('execSync runs with the container env; missing binary and timeout fail clearly', async () => {
    const id = await run(['sh', '-c', 'sleep 30']);
    const r = await rt.execSync(id, ['sh', '-c', 'echo "$A $FROM_IMAGE $POD_IP $HOSTNAME"; cat hello.txt'], 10);
    expect(text(r.stderr)).toBe('');
    expect(r.exitCode).toBe(0);
    expect(text(r.stdout)).toBe(`container yes 127.244.0.10 pod-a\nhello from img-${kind}\n`);
    const missing = await rt.execSync(id, ['foo-not-here'], 10);
    expect(missing.exitCode).toBe(127);
    expect(text(missing.stderr)).toBe('exec: "foo-not-here": executable file not found in $PATH\n');
    expect((await rt.execSync(id, ['sh', '-c', 'exit 4'], 10)).exitCode).toBe(4);
    await expect(rt.execSync(id, ['sleep', '20'], 0.5)).rejects.toBeInstanceOf(ExecTimeoutError);
    await rt.stopContainer(id, 0);
    await expect(rt.execSync(id, ['true'], 5)).rejects.toThrow(/not running/);
  });

  test('a new runtime on the same root adopts running containers and reports exited ones', async () => {
    const sb2 = await rt.runPodSandbox({ podUid: 'uid-2', namespace: 'default', name: 'pod-b', hostname: 'pod-b', podIP: '127.244.0.11', logDir, labels: { app: 'b' } });
    const running = await run(['sh', '-c', 'sleep 30'], { labels: { 'io.kubernetes.pod.uid': 'uid-2', restartCount: '0' } }, sb2);
    const quits = await run(['sh', '-c', 'sleep 0.3; exit 7'], { labels: { 'io.kubernetes.pod.uid': 'uid-2', restartCount: '1' } }, sb2);
    const pid = (await rt.containerStatus(running))!.pid;

    const rt2 = createRuntime({ rootDir, logger, prefer: kind }); // "the kubelet restarted"
    expect((await rt2.listPodSandboxes()).map((s) => s.id)).toEqual(expect.arrayContaining([sandboxId, sb2]));
    const mine = await rt2.listContainers({ sandboxId: sb2 });
    expect(mine).toHaveLength(2);
    const r = mine.find((c) => c.id === running)!;
    expect(r).toMatchObject({ state: 'running', pid, labels: { 'io.kubernetes.pod.uid': 'uid-2', restartCount: '0' } });
    expect(await exited(quits, rt2)).toMatchObject({ exitCode: 7, reason: 'Error', labels: { restartCount: '1' } });
    expect((await rt2.listContainers({ labels: { restartCount: '1' } })).map((c) => c.id)).toEqual([quits]);
    // Never started twice.
    await expect(rt2.startContainer(running)).rejects.toThrow(/already started/);
    await rt2.stopPodSandbox(sb2, 0);
    // 143 when the SIGTERM reached the sleep (a child of sh), 137 when SIGKILL was needed.
    const stopped = await rt2.containerStatus(running);
    expect(stopped).toMatchObject({ state: 'exited', reason: 'Error' });
    expect([137, 143]).toContain(stopped!.exitCode);
    await rt2.removePodSandbox(sb2);
    expect(await rt2.containerStatus(running)).toBeUndefined();
    expect((await rt.listPodSandboxes()).map((s) => s.id)).not.toContain(sb2);
  });

  test('containers outlive their SIGKILLed owner (the kubelet); a new runtime adopts them', async () => {
    const root2 = path.join(tmpRoot, kind, 'root-kill');
    allRoots.push(root2);
    const distIndex = path.resolve(__dirname, '..', '..', 'dist', 'kubelet', 'runtime', 'index.js');
    const owner = `
      const { createRuntime } = require(${JSON.stringify(distIndex)});
      (async () => {
        const rt = createRuntime({ rootDir: ${JSON.stringify(root2)}, logger: { info() {}, warn() {}, error() {}, debug() {} }, prefer: ${JSON.stringify(kind)} });
        const sb = await rt.runPodSandbox({ podUid: 'u3', namespace: 'default', name: 'p3', hostname: 'p3', podIP: '127.244.0.12', logDir: ${JSON.stringify(logDir)}, labels: {} });
        const image = ${JSON.stringify(image)};
        const id = await rt.createContainer(sb, { name: 'k', image, argv: ['sh', '-c', 'while :; do echo tick; sleep 0.2; done'], env: {}, mounts: [], logPath: ${JSON.stringify(path.join(logDir, 'k.log'))}, labels: { restartCount: '0' } });
        await rt.startContainer(id);
        process.stdout.write(JSON.stringify({ id, pid: (await rt.containerStatus(id)).pid }) + '\\n');
        setInterval(() => {}, 1000);
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const { spawn } = await import('node:child_process');
    const proc = spawn(process.execPath, ['-e', owner], { stdio: ['ignore', 'pipe', 'inherit'] });
    const started = await new Promise<{ id: string; pid: number }>((resolve, reject) => {
      let buf = '';
      proc.stdout!.on('data', (b: Buffer) => {
        buf += b.toString();
        if (buf.includes('\n')) resolve(JSON.parse(buf.split('\n')[0]));
      });
      proc.once('exit', (code) => reject(new Error(`owner exited ${code}`)));
    });
    proc.kill('SIGKILL');
    await new Promise((r) => proc.once('exit', r));
    await sleep(500);
    const rt2 = createRuntime({ rootDir: root2, logger, prefer: kind });
    const all = await rt2.listContainers();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ id: started.id, state: 'running', pid: started.pid, labels: { restartCount: '0' } });
    const before = fs.readFileSync(path.join(logDir, 'k.log'), 'utf8').split('\n').length;
    await sleep(500);
    expect(fs.readFileSync(path.join(logDir, 'k.log'), 'utf8').split('\n').length).toBeGreaterThan(before); // still logging
    await rt2.stopContainer(started.id, 2);
    expect(await rt2.containerStatus(started.id)).toMatchObject({ state: 'exited' });
  });

  if (kind !== 'linux-sandbox') return;

  describe('isolation', () => {
    test('PID 1 inside, pod hostname, pod /etc/hosts, image files at /, host userland read-only', async () => {
      const id = await run(['sh', '-c', 'echo "pid=$$ host=$(hostname)"; sleep 30']);
      const log = await waitFor('first line', async () => {
        const t = fs.readFileSync(path.join(logDir, `${(await rt.containerStatus(id))!.name}.log`), 'utf8');
        return t.includes('pid=') && t;
      });
      expect(log).toMatch(/stdout F pid=1 host=pod-a$/m);
      const ex = async (script: string) => {
        const r = await rt.execSync(id, ['sh', '-c', script], 10);
        return { code: r.exitCode, out: text(r.stdout).trim(), err: text(r.stderr) };
      };
      expect((await ex('hostname')).out).toBe('pod-a');
      expect((await ex('cat /app/hello.txt /etc/image-release')).out).toBe(`hello from img-${kind}\nimg-${kind}`);
      expect((await ex('grep pod-a /etc/hosts')).out).toBe('127.244.0.10\tpod-a');
      expect((await ex('ps -o pid= -p 1 >/dev/null 2>&1; cat /proc/1/cmdline | tr "\\0" " "')).out).toBe(`sh -c echo "pid=$$ host=$(hostname)"; sleep 30`);
      expect((await ex('test -x /usr/bin/env && test -x /bin/sh && echo ok')).out).toBe('ok');
      const w = await ex('touch /usr/k8ts-should-fail');
      expect(w.code).not.toBe(0);
      expect(w.err).toMatch(/Read-only file system/);
      expect(fs.existsSync('/usr/k8ts-should-fail')).toBe(false);
      // /etc is the container's own (private upper layer); the host's is untouched.
      expect((await ex('echo x > /etc/k8ts-private && cat /etc/k8ts-private')).out).toBe('x');
      expect(fs.existsSync('/etc/k8ts-private')).toBe(false);
      // The container's own root is writable; the write lands in its private layer only.
      expect((await ex('echo mine > /app/written && cat /app/written')).out).toBe('mine');
      expect(fs.existsSync(path.join(image.rootfs, 'app', 'written'))).toBe(false);
      // Host paths outside the userland are not there.
      expect((await ex(`test -e ${tmpRoot} && echo visible || echo hidden`)).out).toBe('hidden');
      await rt.stopContainer(id, 0);
    });

    test('volumes are shared between two containers of a pod; their roots are not', async () => {
      const vol = fs.mkdtempSync(path.join(tmpRoot, 'emptydir-'));
      const ro = fs.mkdtempSync(path.join(tmpRoot, 'config-'));
      fs.writeFileSync(path.join(ro, 'key'), 'value');
      const mounts = [
        { hostPath: vol, containerPath: '/data', readOnly: false },
        { hostPath: ro, containerPath: '/etc/config', readOnly: true },
        { hostPath: ro, containerPath: '/usr/share/k8ts-test/html', readOnly: true },
      ];
      const a = await run(['sh', '-c', 'sleep 30'], { mounts });
      const b = await run(['sh', '-c', 'sleep 30'], { mounts });
      expect((await rt.execSync(a, ['sh', '-c', 'echo from-a > /data/f; touch /private-a'], 10)).exitCode).toBe(0);
      expect(text((await rt.execSync(b, ['cat', '/data/f'], 10)).stdout)).toBe('from-a\n');
      expect(fs.readFileSync(path.join(vol, 'f'), 'utf8')).toBe('from-a\n');
      expect((await rt.execSync(b, ['test', '-e', '/private-a'], 10)).exitCode).toBe(1);
      expect(text((await rt.execSync(b, ['cat', '/etc/config/key'], 10)).stdout)).toBe('value');
      expect(text((await rt.execSync(b, ['cat', '/usr/share/k8ts-test/html/key'], 10)).stdout)).toBe('value');
      expect(fs.existsSync('/usr/share/k8ts-test')).toBe(false);
      const w = await rt.execSync(b, ['sh', '-c', 'echo x > /etc/config/key'], 10);
      expect(w.exitCode).not.toBe(0);
      expect(fs.readFileSync(path.join(ro, 'key'), 'utf8')).toBe('value');
      await Promise.all([rt.stopContainer(a, 0), rt.stopContainer(b, 0)]);
    });

    test('a root that cannot be assembled is a StartError naming the mount; workingDir under /usr works', async () => {
      const bad = await run(['true'], { mounts: [{ hostPath: path.join(tmpRoot, 'does-not-exist'), containerPath: '/data', readOnly: false }] });
      const s = await exited(bad);
      expect(s).toMatchObject({ exitCode: 128, reason: 'StartError' });
      expect(s.message).toContain(`cannot mount ${path.join(tmpRoot, 'does-not-exist')} at /data`);
      const wd = await run(['sh', '-c', 'pwd; touch x 2>/dev/null || echo ro'], { workingDir: '/usr/src/k8ts-app' });
      expect(await exited(wd)).toMatchObject({ exitCode: 0 });
      const log = fs.readFileSync((await rt.containerStatus(wd))!.logPath, 'utf8');
      expect(log).toMatch(/stdout F \/usr\/src\/k8ts-app$/m);
      expect(fs.existsSync('/usr/src/k8ts-app')).toBe(false);
    });

    test('init-sample: chown in the init container, uid 33 in the main one', async () => {
      const vol = fs.mkdtempSync(path.join(tmpRoot, 'data-vol-'));
      const init = await run(['/bin/sh', '-c', 'mkdir /mnt/html; chown 33:33 /mnt/html'], {
        name: 'init',
        mounts: [{ hostPath: vol, containerPath: '/mnt', readOnly: false }],
      });
      expect(await exited(init)).toMatchObject({ exitCode: 0, reason: 'Completed' });
      const main = await run(['/bin/sh', '-c', 'tail -f /dev/null'], {
        name: 'main',
        mounts: [{ hostPath: vol, containerPath: '/docs', readOnly: false }],
      });
      const r = await rt.execSync(main, ['stat', '-c', '%u:%g', '/docs/html'], 10);
      expect(text(r.stdout)).toBe('33:33\n');
      expect(fs.statSync(path.join(vol, 'html')).uid).toBe(33);
      expect(fs.existsSync('/mnt/html')).toBe(false);
      await rt.stopContainer(main, 0);
    });
  });
});

// The host here may have no writable cgroup v2; a fake cgroup fs checks the plumbing:
// the container joins its cgroup, memory.max is set, and an oom_kill is reported.
describe.each(kinds)('cgroup v2 memory limit plumbing, %s runtime (fake cgroup fs)', (kind) => {
  test('joins the cgroup, sets memory.max, reports oom_kill as OOMKilled', async () => {
    const cg = path.join(tmpRoot, `fake-cgroup-${kind}`);
    fs.mkdirSync(path.join(cg, 'k8ts'), { recursive: true });
    fs.writeFileSync(path.join(cg, 'cgroup.controllers'), 'cpu memory pids\n');
    fs.writeFileSync(path.join(cg, 'cgroup.subtree_control'), '');
    fs.writeFileSync(path.join(cg, 'k8ts', 'cgroup.subtree_control'), '');
    const rootDir = path.join(tmpRoot, `cg-root-${kind}`);
    allRoots.push(rootDir);
    const rt = createRuntime({ rootDir, logger, prefer: kind, cgroupRoot: cg });
    const image = makeImage(`cg-${kind}`);
    const sb = await rt.runPodSandbox({ podUid: 'u4', namespace: 'default', name: 'p4', hostname: 'p4', podIP: '127.244.0.13', logDir: path.join(tmpRoot, 'cg-logs'), labels: {} });
    const id = await rt.createContainer(sb, {
      name: 'm', image, argv: ['sh', '-c', 'sleep 1'], env: {}, mounts: [], labels: {},
      logPath: path.join(tmpRoot, 'cg-logs', `m-${kind}.log`), memoryLimitBytes: 64 * 1024 * 1024, cpuLimitMillicores: 250,
    });
    await rt.startContainer(id);
    const dir = path.join(cg, 'k8ts', id);
    expect(fs.readFileSync(path.join(dir, 'memory.max'), 'utf8')).toBe(String(64 * 1024 * 1024));
    expect(fs.readFileSync(path.join(dir, 'cpu.max'), 'utf8')).toBe('25000 100000');
    expect(fs.readFileSync(path.join(dir, 'cgroup.procs'), 'utf8')).toBe('0\n');
    fs.writeFileSync(path.join(dir, 'memory.events'), 'low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n');
    const s = await waitFor('exit', async () => {
      const st = await rt.containerStatus(id);
      return st?.state === 'exited' && st;
    });
    expect(s).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
  });
});
