/**
 * The core's commit loop against a journal the test controls: what happens while a
 * batch is being made durable, and when making it durable fails. (Behaviour every
 * backend shares is in storage-conformance; this is about the seam to the journal.)
 */
import { StoreCore, type CommitRecord, type Journal, type StoreEvent, type StoreOptions } from '../../apiserver/storage';
import type { KObject } from '../../shared/api/types';

class ControlledJournal implements Journal {
  batches: CommitRecord[][] = [];
  failAppend: Error | undefined;
  failCompact: Error | undefined;
  private gate: Promise<void> | undefined;
  private open: (() => void) | undefined;

  hold(): void {
    this.gate = new Promise((r) => (this.open = r));
  }
  release(): void {
    this.open?.();
    this.gate = undefined;
  }
  async append(records: CommitRecord[]): Promise<void> {
    this.batches.push(records);
    if (this.gate) await this.gate;
    if (this.failAppend) throw this.failAppend;
  }
  async compact(): Promise<void> {
    if (this.failCompact) throw this.failCompact;
  }
  async close(): Promise<void> {}
}

class TestStore extends StoreCore {
  constructor(journal: ControlledJournal, opts: StoreOptions = {}) {
    super({ compactionIntervalMs: 0, ...opts }, journal);
    this.start({ revision: 0, compacted: 0, objects: [], history: [] });
  }
}

const key = (n: string) => `/registry/configmaps/default/${n}`;
const t = (n: string) => ({ resource: 'configmaps', name: n });
const cm = (n: string, data: Record<string, string> = {}): KObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: n, namespace: 'default' }, data });
const flush = () => new Promise((r) => setImmediate(r));

describe('storage core ↔ journal', () => {
  test('nothing is visible or acknowledged before the journal resolves', async () => {
    const j = new ControlledJournal();
    const s = new TestStore(j);
    const events: StoreEvent[] = [];
    s.watch('/registry/', undefined, (e) => events.push(e));
    j.hold();
    let acked = false;
    const p = s.create(key('a'), cm('a'), t('a')).then((o) => ((acked = true), o));
    await flush();
    expect(j.batches).toHaveLength(1);
    expect(acked).toBe(false);
    expect(await s.get(key('a'))).toBeUndefined();
    expect(s.currentRevision()).toBe(0);
    expect((await s.list('/registry/')).items).toEqual([]);
    expect(events).toEqual([]);
    j.release();
    await p;
    expect(acked).toBe(true);
    expect(s.currentRevision()).toBe(1);
    expect(events.map((e) => e.revision)).toEqual([1]);
    await s.close();
  });

  test('writes arriving during a sync form the next batch, together', async () => {
    const j = new ControlledJournal();
    const s = new TestStore(j);
    j.hold();
    const first = s.create(key('a'), cm('a'), t('a'));
    await flush();
    const rest = Array.from({ length: 10 }, (_, i) => s.create(key(`b${i}`), cm(`b${i}`), t('b')));
    await flush();
    expect(j.batches).toHaveLength(1);
    j.release();
    await Promise.all([first, ...rest]);
    expect(j.batches.map((b) => b.length)).toEqual([1, 10]);
    expect(j.batches[1].map((r) => r.revision)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(s.commitStats()).toEqual({ batches: 2, writes: 11 });
    await s.close();
  });

  test('a failed journal write rejects every op of the batch and changes nothing', async () => {
    const j = new ControlledJournal();
    const s = new TestStore(j);
    const events: StoreEvent[] = [];
    s.watch('/registry/', undefined, (e) => events.push(e));
    await s.create(key('a'), cm('a', { v: '1' }), t('a'));
    j.failAppend = new Error('disk on fire');
    const results = await Promise.allSettled([
      s.create(key('b'), cm('b'), t('b')),
      s.guaranteedUpdate(key('a'), t('a'), (o) => ({ ...o, data: { v: '2' } })),
      s.delete(key('a'), t('a')),
      s.create(key('a'), cm('a'), t('a')), // would fail AlreadyExists; the batch failure wins
    ]);
    for (const r of results) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 500, reason: 'InternalError', message: 'Internal error occurred: storage write failed: disk on fire' });
    }
    expect(s.currentRevision()).toBe(1);
    expect(await s.get(key('b'))).toBeUndefined();
    expect((await s.get(key('a')))!.data).toEqual({ v: '1' });
    await flush();
    expect(events.map((e) => e.revision)).toEqual([1]);
    expect(s.commitStats()).toEqual({ batches: 1, writes: 1 });

    // The revisions the failed batch would have used are given out again.
    j.failAppend = undefined;
    expect((await s.create(key('b'), cm('b'), t('b'))).metadata.resourceVersion).toBe('2');
    await flush();
    expect(events.map((e) => e.revision)).toEqual([1, 2]);
    await s.close();
  });

  test('a failed compaction leaves the change log and the compacted revision alone', async () => {
    const j = new ControlledJournal();
    const s = new TestStore(j);
    for (let i = 0; i < 5; i++) await s.create(key(`c${i}`), cm(`c${i}`), t('c'));
    j.failCompact = new Error('nope');
    await expect(s.compact(3)).rejects.toThrow('nope');
    expect(s.compactedRevision()).toBe(0);
    const seen: number[] = [];
    s.watch('/registry/', 1, (e) => seen.push(e.revision));
    await flush();
    expect(seen).toEqual([2, 3, 4, 5]);
    j.failCompact = undefined;
    await s.compact(3); // the chain is not stuck behind the failure
    expect(s.compactedRevision()).toBe(3);
    await s.close();
  });

  test('close waits for the batch in flight and for queued ones', async () => {
    const j = new ControlledJournal();
    const s = new TestStore(j);
    j.hold();
    const a = s.create(key('a'), cm('a'), t('a'));
    await flush();
    const b = s.create(key('b'), cm('b'), t('b'));
    let closed = false;
    const c = s.close().then(() => (closed = true));
    await flush();
    expect(closed).toBe(false);
    j.release();
    await c;
    await expect(a).resolves.toMatchObject({ metadata: { resourceVersion: '1' } });
    await expect(b).resolves.toMatchObject({ metadata: { resourceVersion: '2' } });
    expect(() => s.watch('/registry/', undefined, () => undefined)).toThrow(/closed/);
  });

  test('the journal records what the log replays: objects, prevObjects, times', async () => {
    const j = new ControlledJournal();
    let now = 1000;
    const s = new TestStore(j, { clock: { now: () => new Date(now) } }); // a Date clock works too
    await s.create(key('a'), cm('a'), t('a'));
    now = 2000;
    await s.guaranteedUpdate(key('a'), t('a'), (o) => ({ ...o, data: { x: 'y' } }));
    await s.delete(key('a'), t('a'));
    const recs = j.batches.flat();
    expect(recs.map((r) => [r.revision, r.type, r.time])).toEqual([[1, 'ADDED', 1000], [2, 'MODIFIED', 2000], [3, 'DELETED', 2000]]);
    expect(JSON.parse(recs[1].prevObjectJson!).metadata.resourceVersion).toBe('1');
    expect(JSON.parse(recs[2].objectJson)).toMatchObject({ data: { x: 'y' }, metadata: { resourceVersion: '3' } });
    expect(JSON.parse(recs[2].prevObjectJson!).metadata.resourceVersion).toBe('2');
    await s.close();
  });
});
