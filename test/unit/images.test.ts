/**
 * Pure logic of images/: reference normalisation, pull-policy defaulting, canonical
 * digests, manifest validation (the network gate), tag patterns, and the kubelet's
 * pull-policy helper against a fake ImageService.
 */
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pullWithPolicy } from '../../images/cache';
import { defaultCatalogDir, loadCatalog } from '../../images/catalog';
import {
  canonicalJson, manifestDigest, parseImageSpec, readImageDir, tagMatches, validateManifest, ManifestError, type FileEntry,
} from '../../images/manifest';
import { defaultPullPolicy, familiarName, InvalidImageNameError, parseReference } from '../../images/reference';
import { ImagePullError, type ImageService } from '../../images/types';
import type { LocalImage } from '../../kubelet/runtime/interface';

const D = 'sha256:' + 'a'.repeat(64);

describe('parseReference', () => {
  test.each([
    ['nginx', 'docker.io/library/nginx:latest', 'docker.io/library/nginx'],
    ['nginx:1.28', 'docker.io/library/nginx:1.28', 'docker.io/library/nginx'],
    ['library/nginx:1.28', 'docker.io/library/nginx:1.28', 'docker.io/library/nginx'],
    ['docker.io/nginx', 'docker.io/library/nginx:latest', 'docker.io/library/nginx'],
    ['index.docker.io/library/nginx', 'docker.io/library/nginx:latest', 'docker.io/library/nginx'],
    ['luksa/kubia', 'docker.io/luksa/kubia:latest', 'docker.io/luksa/kubia'],
    ['dlatqdlatq/webapl:0.1', 'docker.io/dlatqdlatq/webapl:0.1', 'docker.io/dlatqdlatq/webapl'],
    ['gcr.io/kuar-demo/kuard-amd64:blue', 'gcr.io/kuar-demo/kuard-amd64:blue', 'gcr.io/kuar-demo/kuard-amd64'],
    ['localhost/app', 'localhost/app:latest', 'localhost/app'],
    ['127.0.0.1:5000/team/app:v2', '127.0.0.1:5000/team/app:v2', '127.0.0.1:5000/team/app'],
    [`nginx@${D}`, `docker.io/library/nginx@${D}`, 'docker.io/library/nginx'],
    [`nginx:1.28@${D}`, `docker.io/library/nginx:1.28@${D}`, 'docker.io/library/nginx'],
    ['my-org/x-y__z.v2:1.0-rc_1', 'docker.io/my-org/x-y__z.v2:1.0-rc_1', 'docker.io/my-org/x-y__z.v2'],
  ])('%s → %s', (input, normalized, repository) => {
    const r = parseReference(input);
    expect(r.normalized).toBe(normalized);
    expect(r.repository).toBe(repository);
  });

  test.each(['', 'Nginx', 'nginx:', ':1.0', 'nginx:bad tag', 'a//b', 'nginx@sha256:abc', `nginx@md5:${'a'.repeat(32)}`, 'nginx/', ' nginx', '-nginx', 'nginx:-x', 'my_app.v2/x', 'a'.repeat(256)])(
    'rejects %j with the kubelet InvalidImageName wording',
    (input) => {
      expect(() => parseReference(input)).toThrow(InvalidImageNameError);
      try {
        parseReference(input);
      } catch (err) {
        expect((err as Error).message).toBe(`Failed to apply default image tag "${input}": couldn't parse image name "${input}": invalid reference format`);
      }
    },
  );

  test('familiarName is the short form users write', () => {
    expect(familiarName('docker.io/library/nginx:1.28')).toBe('nginx:1.28');
    expect(familiarName('luksa/kubia')).toBe('luksa/kubia:latest');
    expect(familiarName('gcr.io/kuar-demo/kuard-amd64:blue')).toBe('gcr.io/kuar-demo/kuard-amd64:blue');
  });

  test.each([
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.28', 'IfNotPresent'],
    [`nginx@${D}`, 'IfNotPresent'],
    [`nginx:latest@${D}`, 'Always'],
    ['Not A Name', 'IfNotPresent'],
  ])('defaultPullPolicy(%s) = %s', (image, policy) => {
    expect(defaultPullPolicy(image)).toBe(policy);
  });
});

describe('digests', () => {
  const files: FileEntry[] = [
    { path: 'usr/bin/app', type: 'file', mode: 0o755, digest: D, size: 3 },
    { path: 'usr', type: 'dir', mode: 0o755 },
    { path: 'usr/bin', type: 'dir', mode: 0o755 },
    { path: 'usr/bin/link', type: 'symlink', mode: 0o777, target: 'app' },
  ];
  const config = { cmd: ['app'], env: ['A=1'] };

  test('canonicalJson sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: undefined } })).toBe('{"a":{"d":[2,{"e":0,"f":1}]},"b":1}');
  });

  test('the digest does not depend on entry order or key order', () => {
    const d1 = manifestDigest({ config, files });
    const d2 = manifestDigest({ config: { env: ['A=1'], cmd: ['app'] }, files: [...files].reverse() });
    expect(d1).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(d2).toBe(d1);
  });

  test('the digest changes with content, mode, path and config', () => {
    const base = manifestDigest({ config, files });
    const other = (change: (f: FileEntry[]) => void, cfg = config) => {
      const copy = files.map((f) => ({ ...f }));
      change(copy);
      return manifestDigest({ config: cfg, files: copy });
    };
    expect(other((f) => (f[0].digest = 'sha256:' + 'b'.repeat(64)))).not.toBe(base);
    expect(other((f) => (f[0].mode = 0o644))).not.toBe(base);
    expect(other((f) => (f[3].target = 'other'))).not.toBe(base);
    expect(other(() => undefined, { cmd: ['app', '-v'], env: ['A=1'] })).not.toBe(base);
  });

  test('an image folder hashes the same regardless of timestamps and non-exec mode bits', async () => {
    const tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'k8ts-img-unit-'));
    try {
      const mk = async (dir: string, mode: number) => {
        await fsp.mkdir(path.join(dir, 'rootfs', 'bin'), { recursive: true });
        await fsp.writeFile(path.join(dir, 'image.json'), JSON.stringify({ name: 'x', config: { cmd: ['/bin/run'] } }));
        await fsp.writeFile(path.join(dir, 'rootfs', 'bin', 'run'), '#!/bin/sh\necho hi\n', { mode });
        await fsp.writeFile(path.join(dir, 'rootfs', 'data.txt'), 'data', { mode: 0o600 });
      };
      await mk(path.join(tmp, 'a'), 0o755);
      await mk(path.join(tmp, 'b'), 0o700);
      await fsp.utimes(path.join(tmp, 'b', 'rootfs', 'data.txt'), new Date(0), new Date(0));
      const a = await readImageDir(path.join(tmp, 'a'));
      const b = await readImageDir(path.join(tmp, 'b'));
      expect(b.digest).toBe(a.digest);
      expect(a.manifest.files.map((f) => [f.path, f.type, f.mode])).toEqual([
        ['bin', 'dir', 0o755],
        ['bin/run', 'file', 0o755],
        ['data.txt', 'file', 0o644],
      ]);
      await fsp.writeFile(path.join(tmp, 'b', 'rootfs', 'data.txt'), 'DATA');
      expect((await readImageDir(path.join(tmp, 'b'))).digest).not.toBe(a.digest);
    } finally {
      await fsp.rm(tmp, { recursive: true, force: true });
    }
  });

  test('the shipped catalog loads, deterministically, with the expected names', async () => {
    const a = await loadCatalog(defaultCatalogDir());
    const b = await loadCatalog(defaultCatalogDir());
    expect(a.map((i) => i.digest)).toEqual(b.map((i) => i.digest));
    expect(a.map((i) => i.repository).sort()).toEqual([
      'docker.io/dlatqdlatq/webapl', 'docker.io/library/alpine', 'docker.io/library/busybox', 'docker.io/library/hello-world',
      'docker.io/library/nginx', 'docker.io/library/ubuntu', 'docker.io/luksa/kubia', 'gcr.io/kuar-demo/kuard-amd64',
    ]);
    expect(new Set(a.map((i) => i.digest)).size).toBe(a.length);
  });

  test('the catalog has no empty directories (git drops them, which would change digests between checkouts)', async () => {
    const empty: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      const entries = await fsp.readdir(dir, { withFileTypes: true });
      if (entries.length === 0) empty.push(dir);
      for (const e of entries) if (e.isDirectory()) await walk(path.join(dir, e.name));
    };
    await walk(defaultCatalogDir());
    expect(empty).toEqual([]);
  });
});

describe('manifest parsing', () => {
  const ok = { config: { cmd: ['x'] }, files: [{ path: 'a/b', mode: 0o644, digest: D, size: 1 }] };

  test('a valid manifest comes back canonical (file type defaulted, schemaVersion set)', () => {
    expect(validateManifest(ok)).toEqual({ schemaVersion: 1, config: { cmd: ['x'] }, files: [{ path: 'a/b', type: 'file', mode: 0o644, digest: D, size: 1 }] });
  });

  test.each([
    ['absolute path', { path: '/etc/passwd', mode: 0o644, digest: D, size: 1 }],
    ['.. component', { path: 'a/../../x', mode: 0o644, digest: D, size: 1 }],
    ['. component', { path: './x', mode: 0o644, digest: D, size: 1 }],
    ['empty path', { path: '', mode: 0o644, digest: D, size: 1 }],
    ['bad digest', { path: 'x', mode: 0o644, digest: 'sha256:zz', size: 1 }],
    ['negative size', { path: 'x', mode: 0o644, digest: D, size: -1 }],
    ['bad mode', { path: 'x', mode: 0o17777, digest: D, size: 1 }],
    ['unknown type', { path: 'x', mode: 0o644, type: 'fifo' }],
  ])('refuses %s', (_what, entry) => {
    expect(() => validateManifest({ config: {}, files: [entry] })).toThrow(ManifestError);
  });

  test('refuses paths below a symlink (they could escape the rootfs) and duplicates', () => {
    expect(() => validateManifest({ config: {}, files: [{ path: 'l', type: 'symlink', mode: 0o777, target: '/etc' }, { path: 'l/passwd', mode: 0o644, digest: D, size: 1 }] })).toThrow(/below the symlink/);
    expect(() => validateManifest({ config: {}, files: [ok.files[0], ok.files[0]] })).toThrow(/duplicate/);
  });

  test('image.json: config fields are checked', () => {
    expect(parseImageSpec('{"name":"x","tags":"*","config":{"env":["A=b=c"],"exposedPorts":["80/tcp"]}}')).toEqual({ name: 'x', tags: '*', config: { env: ['A=b=c'], exposedPorts: ['80/tcp'] } });
    expect(() => parseImageSpec('{"config":{"env":["NOEQUALS"]}}')).toThrow(/KEY=value/);
    expect(() => parseImageSpec('{"config":{"cmd":"sh"}}')).toThrow(/cmd: must be a list/);
    expect(() => parseImageSpec('{"config":{"exposedPorts":["http"]}}')).toThrow(/PORT\/PROTO/);
    expect(() => parseImageSpec('{"config":{"entryPoint":["x"]}}')).toThrow(/unknown field "entryPoint"/);
    expect(() => parseImageSpec('{not json')).toThrow(ManifestError);
  });

  test('tag patterns', () => {
    const nginx = ['latest', 'stable', '1', '1.*'];
    expect(tagMatches(nginx, '1.28')).toBe(true);
    expect(tagMatches(nginx, '1.28.0-alpine')).toBe(true);
    expect(tagMatches(nginx, 'latest')).toBe(true);
    expect(tagMatches(nginx, 'doesnotexist')).toBe(false);
    expect(tagMatches(nginx, '1.')).toBe(false);
    expect(tagMatches(['*.04'], '22.04')).toBe(true);
    expect(tagMatches('*', 'anything')).toBe(true);
    expect(tagMatches(undefined, 'latest')).toBe(true);
    expect(tagMatches(undefined, 'v1')).toBe(false);
  });
});

describe('pullWithPolicy', () => {
  const img: LocalImage = { ref: 'docker.io/library/nginx:1.28', digest: D, rootfs: '/x', config: {} };
  function fake(present: boolean): ImageService & { pulls: number } {
    const svc = {
      pulls: 0,
      cached: async () => (present ? img : undefined),
      pull: async () => {
        svc.pulls++;
        return img;
      },
    };
    return svc;
  }

  test.each([
    ['Always', true, true],
    ['Always', false, true],
    ['IfNotPresent', true, false],
    ['IfNotPresent', false, true],
    ['Never', true, false],
  ] as const)('%s with image present=%s pulls=%s', async (policy, present, pulls) => {
    const svc = fake(present);
    const res = await pullWithPolicy(svc, 'nginx:1.28', policy);
    expect(res).toEqual({ image: img, pulled: pulls });
    expect(svc.pulls).toBe(pulls ? 1 : 0);
  });

  test('Never without the image: ErrImageNeverPull quoting the spec string as written', async () => {
    const svc = fake(false);
    const err = await pullWithPolicy(svc, 'nginx', 'Never').catch((e) => e);
    expect(err).toBeInstanceOf(ImagePullError);
    expect(err.reason).toBe('ErrImageNeverPull');
    expect(err.message).toBe('Container image "nginx" is not present with pull policy of Never');
    expect(svc.pulls).toBe(0);
  });

  test('an unparseable image is InvalidImageName before any lookup', async () => {
    const svc = fake(true);
    await expect(pullWithPolicy(svc, 'NGINX', 'IfNotPresent')).rejects.toThrow(InvalidImageNameError);
    expect(svc.pulls).toBe(0);
  });
});
