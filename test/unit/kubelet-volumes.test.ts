/** Pod volumes on disk: emptyDir, configMap/secret files with items and modes, downward API, hostPath, subPath. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Pod } from '../../shared/api/types';
import { mountsFor, setUpVolumes, tearDownPodDir, VolumeError } from '../../kubelet/volumes';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'k8ts-vol-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const pod = (volumes: unknown[]): Pod => ({ metadata: { name: 'p', namespace: 'default', uid: 'u1', labels: { app: 'x' } }, spec: { containers: [], volumes } }) as unknown as Pod;
const src = {
  configMap: (n: string) => (n === 'cfg' ? ({ data: { 'a.txt': 'A', 'b.txt': 'B' } } as never) : undefined),
  secret: (n: string) => (n === 'sec' ? ({ data: { pw: Buffer.from('s3cret').toString('base64') } } as never) : undefined),
  podIP: '127.244.1.2',
};

test('every volume type becomes a host directory', () => {
  const hp = path.join(root, 'host', 'data');
  const vols = setUpVolumes(
    pod([
      { name: 'scratch', emptyDir: {} },
      { name: 'cfg', configMap: { name: 'cfg', items: [{ key: 'a.txt', path: 'sub/renamed.txt', mode: 0o600 }] } },
      { name: 'all', configMap: { name: 'cfg', defaultMode: 0o640 } },
      { name: 'sec', secret: { secretName: 'sec' } },
      { name: 'info', downwardAPI: { items: [{ path: 'name', fieldRef: { fieldPath: 'metadata.name' } }, { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
      { name: 'host', hostPath: { path: hp, type: 'DirectoryOrCreate' } },
    ]),
    root,
    src,
  );
  expect(fs.statSync(vols.get('scratch')!).isDirectory()).toBe(true);
  expect(fs.readFileSync(path.join(vols.get('cfg')!, 'sub/renamed.txt'), 'utf8')).toBe('A');
  expect(fs.existsSync(path.join(vols.get('cfg')!, 'b.txt'))).toBe(false);
  expect(fs.statSync(path.join(vols.get('cfg')!, 'sub/renamed.txt')).mode & 0o777).toBe(0o600);
  expect(fs.readdirSync(vols.get('all')!).sort()).toEqual(['a.txt', 'b.txt']);
  expect(fs.statSync(path.join(vols.get('all')!, 'a.txt')).mode & 0o777).toBe(0o640);
  expect(fs.readFileSync(path.join(vols.get('sec')!, 'pw'), 'utf8')).toBe('s3cret');
  expect(fs.readFileSync(path.join(vols.get('info')!, 'name'), 'utf8')).toBe('p');
  expect(fs.readFileSync(path.join(vols.get('info')!, 'labels'), 'utf8')).toBe('app="x"');
  expect(vols.get('host')).toBe(hp);
  expect(fs.existsSync(hp)).toBe(true);

  const mounts = mountsFor({ name: 'c', volumeMounts: [{ name: 'scratch', mountPath: '/s', subPath: 'deep/er' }, { name: 'cfg', mountPath: '/etc/cfg', readOnly: true }] }, vols);
  expect(mounts).toEqual([
    { hostPath: path.join(vols.get('scratch')!, 'deep/er'), containerPath: '/s', readOnly: false },
    { hostPath: vols.get('cfg'), containerPath: '/etc/cfg', readOnly: true },
  ]);
  expect(fs.existsSync(path.join(vols.get('scratch')!, 'deep/er'))).toBe(true);
  expect(() => mountsFor({ name: 'c', volumeMounts: [{ name: 'scratch', mountPath: '/s', subPath: '../escape' }] }, vols)).toThrow();

  tearDownPodDir(root, 'u1');
  expect(fs.existsSync(vols.get('scratch')!)).toBe(false);
  expect(fs.existsSync(hp)).toBe(true); // hostPath is never removed
});

test('a missing ConfigMap fails with FailedMount wording unless optional', () => {
  expect(() => setUpVolumes(pod([{ name: 'v', configMap: { name: 'nope' } }]), root, src)).toThrow(new VolumeError('v', 'configmap "nope" not found'));
  expect(new VolumeError('v', 'configmap "nope" not found').message).toBe('MountVolume.SetUp failed for volume "v" : configmap "nope" not found');
  const vols = setUpVolumes(pod([{ name: 'v', configMap: { name: 'nope', optional: true } }]), root, src);
  expect(fs.readdirSync(vols.get('v')!)).toEqual([]);
});
