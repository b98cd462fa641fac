/**
 * Registry + node image cache over real HTTP on loopback, and the catalog's stand-ins run
 * as real processes (`node <script>` with POD_IP=127.0.0.1 and a free PORT) from a pulled
 * rootfs. Every child is killed in afterAll; temp dirs are removed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { imageIdOf, NodeImageService, pullWithPolicy } from '../../images/cache';
import { readImageDir } from '../../images/manifest';
import { pushImageDir } from '../../images/push';
import { startRegistry, type RunningRegistry } from '../../images/registry';
import { ImagePullError } from '../../images/types';
import { runCli } from '../../cli/main';
import { createLogger } from '../../shared/logger';

let tmp: string;
let registry: RunningRegistry;
const children: ChildProcess[] = [];

beforeAll(async () => {
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'k8ts-images-'));
  registry = await startRegistry({ port: 0, host: '127.0.0.1', dataDir: path.join(tmp, 'registry'), logger: createLogger('registry', { level: 'silent' }) });
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await registry?.close();
  await fsp.rm(tmp, { recursive: true, force: true });
});

let cacheSeq = 0;
function newCache(url = registry.url): NodeImageService {
  return new NodeImageService(url, path.join(tmp, `cache-${++cacheSeq}`));
}

async function exists(p: string): Promise<boolean> {
  return fsp.access(p).then(() => true, () => false);
}

describe('registry API', () => {
  test('GET /v2/ answers, manifests resolve by short and full name, unknown is MANIFEST_UNKNOWN', async () => {
    expect((await fetch(`${registry.url}/v2/`)).status).toBe(200);
    const short = await (await fetch(`${registry.url}/v2/nginx/manifests/1.28`)).json() as any;
    const full = await (await fetch(`${registry.url}/v2/docker.io/library/nginx/manifests/latest`)).json() as any;
    expect(short.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(full.digest).toBe(short.digest);
    expect(short.config.exposedPorts).toEqual(['80/tcp']);
    expect(short.files).toContainEqual(expect.objectContaining({ path: 'usr/share/nginx/html/index.html', type: 'file', mode: 0o644 }));
    const byDigest = await fetch(`${registry.url}/v2/nginx/manifests/${short.digest}`);
    expect(byDigest.status).toBe(200);
    for (const url of ['/v2/nginx/manifests/doesnotexist', '/v2/nosuchimage/manifests/latest']) {
      const res = await fetch(registry.url + url);
      expect(res.status).toBe(404);
      expect((await res.json() as any).errors[0].code).toBe('MANIFEST_UNKNOWN');
    }
    const file = short.files.find((f: { path: string }) => f.path === 'usr/share/nginx/html/index.html');
    const blob = await fetch(`${registry.url}/v2/nginx/blobs/${file.digest}`);
    expect(await blob.text()).toContain('<title>Welcome to nginx!</title>');
  });

  test('uploads are verified: wrong digest and manifests naming missing blobs are refused', async () => {
    const bad = await fetch(`${registry.url}/v2/x/blobs/uploads/?digest=sha256:${'0'.repeat(64)}`, { method: 'POST', body: 'hello', headers: { 'content-type': 'application/octet-stream' } });
    expect(bad.status).toBe(400);
    expect((await bad.json() as any).errors[0].code).toBe('DIGEST_INVALID');
    const missing = await fetch(`${registry.url}/v2/x/manifests/1`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ config: {}, files: [{ path: 'a', mode: 420, digest: `sha256:${'1'.repeat(64)}`, size: 1 }] }),
    });
    expect(missing.status).toBe(400);
    expect((await missing.json() as any).errors[0].code).toBe('MANIFEST_BLOB_UNKNOWN');
    const evil = await fetch(`${registry.url}/v2/x/manifests/1`, { method: 'PUT', body: JSON.stringify({ config: {}, files: [{ path: '../x', mode: 420, type: 'dir' }] }) });
    expect((await evil.json() as any).errors[0].code).toBe('MANIFEST_INVALID');
  });
});

describe('node image cache', () => {
  test('pull nginx, then again from the cache (manifest re-checked, no blob downloads)', async () => {
    const svc = newCache();
    const getBlob = jest.spyOn(svc.client, 'getBlob');
    const getManifest = jest.spyOn(svc.client, 'getManifest');
    expect(await svc.cached('nginx:1.28')).toBeUndefined();
    const first = await svc.pull('nginx:1.28');
    expect(first.ref).toBe('docker.io/library/nginx:1.28');
    expect(first.config.cmd).toEqual(['nginx', '-g', 'daemon off;']);
    expect(await fsp.readFile(path.join(first.rootfs, 'usr/share/nginx/html/index.html'), 'utf8')).toContain('Welcome to nginx!');
    expect((await fsp.stat(path.join(first.rootfs, 'usr/sbin/nginx'))).mode & 0o777).toBe(0o755);
    expect(imageIdOf(first)).toBe(`docker.io/library/nginx@${first.digest}`);
    expect(await svc.imageSize(first)).toBeGreaterThan(615);
    const blobsFirst = getBlob.mock.calls.length;
    expect(blobsFirst).toBeGreaterThan(0);

    const second = await svc.pull('nginx:1.28');
    expect(second).toEqual(first);
    expect(getBlob.mock.calls.length).toBe(blobsFirst);
    expect(getManifest).toHaveBeenCalledTimes(2);
    // Another tag of the same image reuses the materialised rootfs.
    const latest = await svc.pull('nginx');
    expect(latest.digest).toBe(first.digest);
    expect(latest.rootfs).toBe(first.rootfs);
    expect(getBlob.mock.calls.length).toBe(blobsFirst);

    // The index survives a restart of the service (a new kubelet process).
    const again = new NodeImageService(registry.url, svc.cacheDir);
    expect(await again.cached('nginx:1.28')).toEqual(first);
    expect(await again.cached(`nginx@${first.digest}`)).toMatchObject({ digest: first.digest, rootfs: first.rootfs });
    expect(await again.cached('nginx:1.27')).toBeUndefined();
    expect((await again.list()).map((i) => i.ref)).toEqual(['docker.io/library/nginx:1.28', 'docker.io/library/nginx:latest']);
  });

  test('concurrent pulls of one image dedupe, also across two services sharing a cache dir', async () => {
    const svc = newCache();
    const getManifest = jest.spyOn(svc.client, 'getManifest');
    const results = await Promise.all([svc.pull('luksa/kubia'), svc.pull('luksa/kubia:latest'), svc.pull('docker.io/luksa/kubia'), svc.pull('luksa/kubia')]);
    expect(getManifest).toHaveBeenCalledTimes(1);
    expect(new Set(results.map((r) => r.rootfs)).size).toBe(1);

    const other = new NodeImageService(registry.url, path.join(tmp, 'shared-cache'));
    const other2 = new NodeImageService(registry.url, path.join(tmp, 'shared-cache'));
    const [a, b] = await Promise.all([other.pull('gcr.io/kuar-demo/kuard-amd64:blue'), other2.pull('gcr.io/kuar-demo/kuard-amd64:blue')]);
    expect(a.rootfs).toBe(b.rootfs);
    expect(await exists(path.join(a.rootfs, 'kuard'))).toBe(true);
    const leftovers = (await fsp.readdir(path.join(tmp, 'shared-cache', 'images'))).filter((n) => n.includes('.tmp-'));
    expect(leftovers).toEqual([]);
  });

  test('an unknown image fails with ErrImagePull worded like containerd', async () => {
    const svc = newCache();
    for (const [image, ref] of [['nginx:doesnotexist', 'docker.io/library/nginx:doesnotexist'], ['nosuch/image', 'docker.io/nosuch/image:latest']]) {
      const err = await svc.pull(image).catch((e) => e);
      expect(err).toBeInstanceOf(ImagePullError);
      expect(err.reason).toBe('ErrImagePull');
      expect(err.message).toBe(`rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`);
    }
    const never = await pullWithPolicy(svc, 'nginx:doesnotexist', 'Never').catch((e) => e);
    expect(never.reason).toBe('ErrImageNeverPull');
  });

  test('an unreachable registry is ErrImagePull carrying the connection error', async () => {
    const port = await freePort();
    const svc = newCache(`http://127.0.0.1:${port}`);
    const err = await svc.pull('nginx').catch((e) => e);
    expect(err).toBeInstanceOf(ImagePullError);
    expect(err.reason).toBe('ErrImagePull');
    expect(err.message).toContain('rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/library/nginx:latest": failed to resolve reference');
    expect(err.message).toContain(`dial tcp 127.0.0.1:${port}: connect: connection refused`);
  });

  test('push a user image, pull it by tag and digest; re-push uploads nothing; the CLI lists it', async () => {
    const dir = path.join(tmp, 'myapp');
    await fsp.mkdir(path.join(dir, 'rootfs', 'usr', 'local', 'bin'), { recursive: true });
    await fsp.mkdir(path.join(dir, 'rootfs', 'var', 'empty'), { recursive: true });
    await fsp.writeFile(path.join(dir, 'image.json'), JSON.stringify({ config: { cmd: ['/usr/local/bin/myapp'], env: ['GREETING=hi'] } }));
    await fsp.writeFile(path.join(dir, 'rootfs', 'usr', 'local', 'bin', 'myapp'), '#!/bin/sh\necho "$GREETING"\n', { mode: 0o755 });
    await fsp.symlink('usr/local/bin/myapp', path.join(dir, 'rootfs', 'start'));

    const pushed = await pushImageDir(dir, registry.url, 'myorg/myapp:1.0');
    expect(pushed).toMatchObject({ ref: 'docker.io/myorg/myapp:1.0', uploaded: 1, skipped: 0 });
    expect(pushed.digest).toBe((await readImageDir(dir)).digest);
    expect(await pushImageDir(dir, registry.url, 'myorg/myapp:1.0')).toMatchObject({ digest: pushed.digest, uploaded: 0, skipped: 1 });

    const svc = newCache();
    const img = await svc.pull('myorg/myapp:1.0');
    expect(img.digest).toBe(pushed.digest);
    expect(img.config).toEqual({ cmd: ['/usr/local/bin/myapp'], env: ['GREETING=hi'] });
    expect(await fsp.readFile(path.join(img.rootfs, 'usr/local/bin/myapp'), 'utf8')).toContain('GREETING');
    expect((await fsp.stat(path.join(img.rootfs, 'usr/local/bin/myapp'))).mode & 0o777).toBe(0o755);
    expect(await fsp.readlink(path.join(img.rootfs, 'start'))).toBe('usr/local/bin/myapp');
    expect((await fsp.stat(path.join(img.rootfs, 'var/empty'))).isDirectory()).toBe(true);
    expect((await svc.pull(`myorg/myapp@${pushed.digest}`)).rootfs).toBe(img.rootfs);

    // The CLI: push under another tag, then ls shows pushed and catalog images.
    const out: string[] = [];
    const io = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => out.push(s) }, env: { K8TS_REGISTRY: registry.url } };
    expect(await runCli(['image', 'push', dir, '--tag', 'myorg/myapp:2.0'], io)).toBe(0);
    expect(out.join('')).toContain(`digest: ${pushed.digest}`);
    out.length = 0;
    expect(await runCli(['image', 'ls'], io)).toBe(0);
    const ls = out.join('');
    expect(ls).toMatch(/^IMAGE\s+TAG\s+DIGEST\s+SIZE\s+SOURCE/);
    expect(ls).toMatch(/myorg\/myapp\s+2\.0\s+sha256:[a-f0-9]{12}\s+\S+\s+pushed/);
    expect(ls).toMatch(/\nnginx\s+1\.\*\s+sha256:/);
    expect(ls).toMatch(/gcr\.io\/kuar-demo\/kuard-amd64\s+blue/);
    out.length = 0;
    expect(await runCli(['image', 'push', path.join(tmp, 'nope'), '--tag', 'x:1'], io)).toBe(1);
    expect(out.join('')).toMatch(/image\.json: not found/);
    out.length = 0;
    expect(await runCli(['image', 'ls', '--registry', `http://127.0.0.1:${await freePort()}`], io)).toBe(1);
    expect(out.join('')).toMatch(/cannot reach the registry .*connection refused/);

    // Pushed images survive a registry restart (a second registry on the same data dir).
    const restarted = await startRegistry({ port: 0, host: '127.0.0.1', dataDir: path.join(tmp, 'registry'), logger: createLogger('registry', { level: 'silent' }) });
    try {
      const m = await (await fetch(`${restarted.url}/v2/myorg/myapp/manifests/2.0`)).json() as any;
      expect(m.digest).toBe(pushed.digest);
    } finally {
      await restarted.close();
    }
  });

  test('a corrupted blob is detected: ErrImagePull, nothing left in the cache', async () => {
    const dir = path.join(tmp, 'corrupt');
    await fsp.mkdir(path.join(dir, 'rootfs'), { recursive: true });
    await fsp.writeFile(path.join(dir, 'image.json'), JSON.stringify({ config: { cmd: ['/data'] } }));
    await fsp.writeFile(path.join(dir, 'rootfs', 'data'), 'the real content');
    const pushed = await pushImageDir(dir, registry.url, 'corrupt:1');
    const blobDigest = (await readImageDir(dir)).manifest.files[0].digest!;
    await fsp.writeFile(path.join(tmp, 'registry', 'blobs', blobDigest.slice(7)), 'tampered content');

    const svc = newCache();
    const err = await svc.pull('corrupt:1').catch((e) => e);
    expect(err).toBeInstanceOf(ImagePullError);
    expect(err.reason).toBe('ErrImagePull');
    expect(err.message).toMatch(/^rpc error: code = FailedPrecondition desc = failed to pull and unpack image "docker.io\/library\/corrupt:1": failed commit on ref "blob-sha256:[a-f0-9]{64}": unexpected commit digest sha256:[a-f0-9]{64}, expected sha256:/);
    expect(await fsp.readdir(path.join(svc.cacheDir, 'blobs'))).toEqual([]);
    expect(await fsp.readdir(path.join(svc.cacheDir, 'images'))).toEqual([]);
    expect(await svc.cached('corrupt:1')).toBeUndefined();
    expect(pushed.digest).toMatch(/^sha256:/);
  });
});

// ---- the stand-ins, run from a pulled rootfs ------------------------------------------

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

interface Proc {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function run(script: string, env: Record<string, string>, cwd?: string): Proc {
  const child = spawn(process.execPath, [script], { env: { PATH: process.env.PATH ?? '', ...env }, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function waitForHttp(url: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await fetch(url);
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

async function until(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('stand-ins', () => {
  let svc: NodeImageService;
  beforeAll(() => {
    svc = newCache();
  });

  test('nginx serves the welcome page on POD_IP, logs requests, exits 0 on SIGTERM', async () => {
    const img = await svc.pull('nginx:1.28');
    const port = await freePort();
    const p = run(path.join(img.rootfs, 'usr/sbin/nginx'), { POD_IP: '127.0.0.1', PORT: String(port) });
    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(base);
    const res = await fetch(base + '/', { headers: { 'user-agent': 'jest-probe' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('server')).toMatch(/^nginx\//);
    expect(await res.text()).toContain('<h1>Welcome to nginx!</h1>');
    expect((await fetch(base + '/missing')).status).toBe(404);
    expect((await fetch(base + '/..%2f..%2f..%2fetc/passwd')).status).not.toBe(200);
    // A file put where a volume would be mounted is served instead of the welcome page.
    await fsp.writeFile(path.join(img.rootfs, 'usr/share/nginx/html/custom.html'), 'mine');
    expect(await (await fetch(base + '/custom.html')).text()).toBe('mine');
    await until(() => /"GET \/ HTTP\/1\.1" 200 615 "-" "jest-probe" "-"/.test(p.stdout()));
    expect(p.stdout()).toMatch(/^127\.0\.0\.1 - - \[\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\] "GET \/ HTTP\/1\.1" 200 615 "-" "jest-probe" "-"$/m);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(p.stderr()).toMatch(/signal 15 \(SIGTERM\) received, exiting/);
  });

  test('nginx SIGQUIT is a graceful stop', async () => {
    const img = await svc.pull('nginx');
    const port = await freePort();
    const p = run(path.join(img.rootfs, 'usr/sbin/nginx'), { POD_IP: '127.0.0.1', PORT: String(port) });
    await waitForHttp(`http://127.0.0.1:${port}`);
    p.child.kill('SIGQUIT');
    expect(await p.exited).toBe(0);
    expect(p.stderr()).toMatch(/signal 3 \(SIGQUIT\) received, shutting down/);
  });

  test("kubia answers You've hit <hostname> and logs the client", async () => {
    const img = await svc.pull('luksa/kubia');
    expect(img.config).toMatchObject({ entrypoint: ['node', 'app.js'], workingDir: '/' });
    const port = await freePort();
    const p = run(path.join(img.rootfs, 'app.js'), { POD_IP: '127.0.0.1', PORT: String(port) });
    await waitForHttp(`http://127.0.0.1:${port}`);
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe(`You've hit ${os.hostname()}\n`);
    await until(() => /Received request from \S*127\.0\.0\.1/.test(p.stdout()));
    expect(p.stdout()).toMatch(/^Kubia server starting\.\.\./);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(143);
  });

  test('kuard: /healthy and /ready fail on demand, count=0 heals, /env is JSON', async () => {
    const img = await svc.pull('gcr.io/kuar-demo/kuard-amd64:blue');
    const port = await freePort();
    const p = run(path.join(img.rootfs, 'kuard'), { POD_IP: '127.0.0.1', PORT: String(port) });
    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(base);
    const status = async (u: string) => (await fetch(base + u)).status;
    expect(await status('/healthy')).toBe(200);
    expect(await (await fetch(base + '/healthy')).text()).toBe('ok');
    expect(await status('/ready')).toBe(200);
    expect(await status('/fail/healthy?count=2')).toBe(200);
    expect([await status('/healthy'), await status('/healthy'), await status('/healthy')]).toEqual([500, 500, 200]);
    expect(await status('/ready')).toBe(200);
    expect((await fetch(base + '/fail/ready', { method: 'POST' })).status).toBe(200);
    expect([await status('/ready'), await status('/ready'), await status('/ready')]).toEqual([500, 500, 500]);
    expect(await (await fetch(base + '/status')).json() as any).toEqual({ healthy: { failNext: 0 }, ready: { failNext: 'unlimited' } });
    await fetch(base + '/fail/ready?count=0');
    expect(await status('/ready')).toBe(200);
    expect(await status('/fail/healthy?count=abc')).toBe(400);
    expect((await (await fetch(base + '/env')).json() as any).POD_IP).toBe('127.0.0.1');
    expect(await (await fetch(base + '/')).text()).toContain(os.hostname());
    p.child.kill('SIGTERM');
    await p.exited;
  });

  test('webapl: /ready after the warm-up, /healthz fails after FAIL_AFTER_SECONDS', async () => {
    const img = await svc.pull('dlatqdlatq/webapl:0.1');
    expect(img.config).toMatchObject({ cmd: ['node', 'webapl.js'], workingDir: '/opt/webapl', exposedPorts: ['3000/tcp'] });
    const port = await freePort();
    const started = Date.now();
    const p = run(path.join(img.rootfs, 'opt/webapl/webapl.js'), { POD_IP: '127.0.0.1', PORT: String(port), READY_AFTER_SECONDS: '2', FAIL_AFTER_SECONDS: '3.5' });
    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(base);
    const status = async (u: string) => (await fetch(base + u)).status;
    expect(Date.now() - started).toBeLessThan(1800); // the checks below rely on being early
    expect(await status('/ready')).toBe(500);
    expect(await status('/healthz')).toBe(200);
    expect(await (await fetch(base + '/')).text()).toContain(os.hostname());
    await new Promise((r) => setTimeout(r, Math.max(0, started + 2300 - Date.now())));
    expect(await status('/ready')).toBe(200);
    expect(await status('/healthz')).toBe(200);
    await new Promise((r) => setTimeout(r, Math.max(0, started + 3900 - Date.now())));
    expect(await status('/healthz')).toBe(500);
    expect(await status('/ready')).toBe(200);
    expect(p.stdout()).toMatch(/GET \/healthz 500/);
    p.child.kill('SIGTERM');
    await p.exited;
  });

  test("hello-world prints Docker's greeting and exits 0", async () => {
    const img = await svc.pull('hello-world');
    expect(img.config.cmd).toEqual(['/hello']);
    const p = run(path.join(img.rootfs, 'hello'), {});
    expect(await p.exited).toBe(0);
    expect(p.stdout()).toContain('\nHello from Docker!\nThis message shows that your installation appears to be working correctly.\n');
    expect(p.stdout()).toContain('$ docker run -it ubuntu bash');
  });

  test('shell images: sh/bash commands and an os-release naming the stand-in', async () => {
    for (const [image, cmd, id] of [['busybox', ['sh'], 'busybox'], ['alpine:3.20', ['/bin/sh'], 'alpine'], ['ubuntu:22.04', ['/bin/bash'], 'ubuntu']] as const) {
      const img = await svc.pull(image);
      expect(img.config.cmd).toEqual(cmd);
      const osRelease = await fsp.readFile(path.join(img.rootfs, 'etc/os-release'), 'utf8');
      expect(osRelease).toContain(`ID=${id}\n`);
      expect(osRelease).toContain('VARIANT_ID=k8ts');
    }
  });
});
