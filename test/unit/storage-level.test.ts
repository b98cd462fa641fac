/**
 * LevelStorage specifics the conformance suite cannot see: the on-disk layout (revision
 * counter in the same batch as the data), recovery from an interrupted compaction,
 * refusing a damaged change log, and the single-opener lock.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ClassicLevel } from 'classic-level';
import { LevelStorage } from '../../apiserver/storage';
import { changelogKey } from '../../apiserver/storage/level';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'k8ts-storage-level-'));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const key = (n: string) => `/registry/configmaps/default/${n}`;
const t = (n: string) => ({ resource: 'configmaps', name: n });
const cm = (n: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: n, namespace: 'default' }, data: { n } });

async function raw(dir: string): Promise<Map<string, string>> {
  const db = new ClassicLevel<string, string>(dir);
  await db.open();
  const all = new Map<string, string>();
  for await (const [k, v] of db.iterator()) all.set(k, v);
  await db.close();
  return all;
}

describe('LevelStorage on disk', () => {
  test('layout: objects, change log and revision counter', async () => {
    const dir = await tempDir();
    const s = await LevelStorage.open({ path: dir, compactionIntervalMs: 0 });
    await s.create(key('a'), cm('a'), t('a'));
    await s.create(key('b'), cm('b'), t('b'));
    await s.delete(key('a'), t('a'));
    await s.close();
    const all = await raw(dir);
    expect([...all.keys()]).toEqual([changelogKey(1), changelogKey(2), changelogKey(3), '/meta/revision', key('b')]);
    expect(all.get('/meta/revision')).toBe('3');
    expect(JSON.parse(all.get(key('b'))!).metadata.resourceVersion).toBe('2');
    expect(JSON.parse(all.get(changelogKey(3))!)).toMatchObject({ type: 'DELETED', key: key('a'), object: { metadata: { resourceVersion: '3' } }, prevObject: { metadata: { resourceVersion: '1' } } });
  });

  test('compaction persists its revision; entries left by an interrupted one are dropped on open', async () => {
    const dir = await tempDir();
    const s = await LevelStorage.open({ path: dir, compactionIntervalMs: 0 });
    for (let i = 0; i < 6; i++) await s.create(key(`c${i}`), cm(`c${i}`), t('c'));
    await s.compact(2);
    await s.close();
    // Simulate a crash after "/meta/compacted" was raised but before old entries went.
    const db = new ClassicLevel<string, string>(dir);
    await db.open();
    expect(await db.get(changelogKey(2))).toBeUndefined();
    await db.put('/meta/compacted', '4', { sync: true });
    await db.close();
    const s2 = await LevelStorage.open({ path: dir, compactionIntervalMs: 0 });
    expect(s2.compactedRevision()).toBe(4);
    const seen: number[] = [];
    s2.watch('/registry/', 4, (e) => seen.push(e.revision));
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual([5, 6]);
    await s2.close();
    const keys = [...(await raw(dir)).keys()].filter((k) => k.startsWith('/changelog/'));
    expect(keys).toEqual([changelogKey(5), changelogKey(6)]);
  });

  test('a gap in the change log is refused, not papered over', async () => {
    const dir = await tempDir();
    const s = await LevelStorage.open({ path: dir, compactionIntervalMs: 0 });
    for (let i = 0; i < 4; i++) await s.create(key(`c${i}`), cm(`c${i}`), t('c'));
    await s.close();
    const db = new ClassicLevel<string, string>(dir);
    await db.open();
    await db.del(changelogKey(2));
    await db.close();
    await expect(LevelStorage.open({ path: dir, compactionIntervalMs: 0 })).rejects.toThrow(/not contiguous at revision 3/);
    // The failed open released the database.
    await expect(raw(dir)).resolves.toBeInstanceOf(Map);
  });

  test('only one store may open a directory at a time', async () => {
    const dir = await tempDir();
    const s = await LevelStorage.open({ path: dir, compactionIntervalMs: 0 });
    await expect(LevelStorage.open({ path: dir, compactionIntervalMs: 0 })).rejects.toMatchObject({ code: 'LEVEL_DATABASE_NOT_OPEN' });
    await s.close();
  });

  test('methods before open() fail clearly', async () => {
    const s = new LevelStorage({ path: await tempDir(), compactionIntervalMs: 0 });
    await expect(s.get(key('a'))).rejects.toThrow(/not open/);
    expect(() => s.watch('/registry/', undefined, () => undefined)).toThrow(/not open/);
    await s.open();
    await s.open(); // idempotent
    expect(await s.get(key('a'))).toBeUndefined();
    await s.close();
  });
});
