/**
 * The storage conformance suite: one set of tests, run against every backend, proving
 * the guarantees written in apiserver/storage/interface.ts. A new backend passes this
 * suite before the API server may use it. Backend-specific behaviour (reopening a
 * durable store) runs only when the backend can `reopen`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { LevelStorage, MemoryStorage, StoreCore, type StoreEvent, type StoreOptions } from '../../apiserver/storage';
import { ApiError } from '../../shared/api/errors';
import type { KObject } from '../../shared/api/types';

interface Opened {
  storage: StoreCore;
  /** Durable backends: close this store and open the same data again. */
  reopen?: (opts?: StoreOptions) => Promise<StoreCore>;
}

interface Backend {
  name: string;
  open(opts?: StoreOptions): Promise<Opened>;
  /** fast-check runs for the model test (a durable store per run costs a directory and fsyncs). */
  propertyRuns: number;
  cleanup(): Promise<void>;
}

class FakeClock {
  t = Date.UTC(2024, 0, 1);
  now(): number {
    return this.t;
  }
  step(ms: number): void {
    this.t += ms;
  }
}

/** Collects a watcher's events and lets a test await a count. */
class Recorder {
  readonly events: StoreEvent[] = [];
  private waiters: Array<{ n: number; resolve: () => void }> = [];
  readonly cb = (e: StoreEvent): void => {
    this.events.push(e);
    this.waiters = this.waiters.filter((w) => (this.events.length >= w.n ? (w.resolve(), false) : true));
  };
  until(n: number, timeoutMs = 10_000): Promise<void> {
    if (this.events.length >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${n} events, have ${this.events.length}`)), timeoutMs);
      this.waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }
  revisions(): number[] {
    return this.events.map((e) => e.revision);
  }
}

const NS = '/registry/pods/default/';
const key = (name: string, ns = 'default') => `/registry/pods/${ns}/${name}`;
const target = (name: string) => ({ resource: 'pods', name });
const pod = (name: string, extra: Record<string, unknown> = {}): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', uid: `uid-${name}` },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
  ...extra,
});
const tick = () => new Promise((r) => setImmediate(r));

async function waitUntil(pred: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function apiError(p: Promise<unknown> | (() => unknown)): Promise<ApiError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    return err as ApiError;
  }
  throw new Error('expected an ApiError, but it succeeded');
}

function storageConformance(backend: Backend): void {
  describe(`storage conformance: ${backend.name}`, () => {
    const opened: StoreCore[] = [];
    const open = async (opts: StoreOptions = {}): Promise<Opened> => {
      const o = await backend.open({ compactionIntervalMs: 0, ...opts });
      opened.push(o.storage);
      const reopen = o.reopen;
      if (reopen) {
        o.reopen = async (more) => {
          const s = await reopen({ compactionIntervalMs: 0, ...opts, ...more });
          opened.push(s);
          return s;
        };
      }
      return o;
    };
    const store = async (opts: StoreOptions = {}) => (await open(opts)).storage;

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });
    afterAll(() => backend.cleanup());

    describe('create / get / delete', () => {
      test('create stores a private copy with resourceVersion = its revision', async () => {
        const s = await store();
        expect(s.currentRevision()).toBe(0);
        const input = pod('a');
        const created = await s.create(key('a'), input, target('a'));
        expect(created.metadata.resourceVersion).toBe('1');
        expect(input.metadata.resourceVersion).toBeUndefined(); // caller's object untouched
        expect(s.currentRevision()).toBe(1);
        const got = await s.get(key('a'));
        expect(got).toEqual(created);
        got!.metadata.labels = { mutated: 'yes' };
        (created.spec as { x?: number }).x = 1;
        expect(await s.get(key('a'))).toEqual({ ...pod('a'), metadata: { ...pod('a').metadata, resourceVersion: '1' } });
      });

      test('get of a missing key is undefined', async () => {
        const s = await store();
        expect(await s.get(key('nope'))).toBeUndefined();
      });

      test('create on an existing key is AlreadyExists and takes no revision', async () => {
        const s = await store();
        await s.create(key('a'), pod('a'), target('a'));
        const err = await apiError(s.create(key('a'), pod('a', { spec: { other: true } }), target('a')));
        expect(err.code).toBe(409);
        expect(err.reason).toBe('AlreadyExists');
        expect(err.message).toBe('pods "a" already exists');
        expect(s.currentRevision()).toBe(1);
        expect((await s.get(key('a')))!.spec).toEqual(pod('a').spec);
      });

      test('delete returns the last state with the delete revision; the key is gone', async () => {
        const s = await store();
        await s.create(key('a'), pod('a'), target('a'));
        const gone = await s.delete(key('a'), target('a'));
        expect(gone.metadata.resourceVersion).toBe('2');
        expect(gone.spec).toEqual(pod('a').spec);
        expect(await s.get(key('a'))).toBeUndefined();
        expect(s.currentRevision()).toBe(2);
        // The key can be created again, as a new object.
        expect((await s.create(key('a'), pod('a'), target('a'))).metadata.resourceVersion).toBe('3');
      });

      test('delete / update of a missing key is NotFound', async () => {
        const s = await store();
        const del = await apiError(s.delete(key('x'), target('x')));
        expect([del.code, del.reason, del.message]).toEqual([404, 'NotFound', 'pods "x" not found']);
        const upd = await apiError(s.guaranteedUpdate(key('x'), target('x'), (o) => o));
        expect([upd.code, upd.reason]).toEqual([404, 'NotFound']);
        expect(s.currentRevision()).toBe(0);
      });

      test('delete preconditions: uid and resourceVersion', async () => {
        const s = await store();
        await s.create(key('a'), pod('a'), target('a'));
        const byUid = await apiError(s.delete(key('a'), target('a'), { uid: 'other' }));
        expect(byUid.code).toBe(409);
        expect(byUid.reason).toBe('Conflict');
        expect(byUid.message).toMatch(/^Operation cannot be fulfilled on pods "a": .*Precondition failed: UID in precondition: other, UID in object meta: uid-a$/);
        const byRv = await apiError(s.delete(key('a'), target('a'), { resourceVersion: '7' }));
        expect(byRv.reason).toBe('Conflict');
        expect(byRv.message).toMatch(/Precondition failed: ResourceVersion in precondition: 7, ResourceVersion in object meta: 1$/);
        expect(s.currentRevision()).toBe(1);
        await s.delete(key('a'), target('a'), { uid: 'uid-a', resourceVersion: '1' });
        expect(await s.get(key('a'))).toBeUndefined();
      });

      test('keys outside /registry/ are refused', async () => {
        const s = await store();
        await expect(s.create('/meta/revision', pod('a'), target('a'))).rejects.toThrow(/must start with \/registry\//);
      });
    });

    describe('guaranteedUpdate', () => {
      test('updates, bumps the revision, returns the stored object', async () => {
        const s = await store();
        await s.create(key('a'), pod('a'), target('a'));
        const out = await s.guaranteedUpdate(key('a'), target('a'), (cur) => ({ ...cur, status: { phase: 'Running' } }));
        expect(out.metadata.resourceVersion).toBe('2');
        expect(out.status).toEqual({ phase: 'Running' });
        expect(await s.get(key('a'))).toEqual(out);
      });

      test('stale resourceVersion precondition → Conflict with Kubernetes\' message; fn not called', async () => {
        const s = await store();
        await s.create(key('a'), pod('a'), target('a'));
        await s.guaranteedUpdate(key('a'), target('a'), (cur) => ({ ...cur, status: { n: 1 } }));
        const fn = jest.fn((cur: KObject) => ({ ...cur, status: { n: 2 } }));
        const err = await apiError(s.guaranteedUpdate(key('a'), target('a'), fn, { resourceVersion: '1' }));
        expect(err.code).toBe(409);
        expect(err.reason).toBe('Conflict');
        expect(err.message).toBe('Operation cannot be fulfilled on pods "a": the object has been modified; please apply your changes to the latest version and try again');
        expect(err.details).toMatchObject({ name: 'a', kind: 'pods' });
        expect(fn).not.toHaveBeenCalled();
        expect(s.currentRevision()).toBe(2);
        // The current resourceVersion passes.
        await s.guaranteedUpdate(key('a'), target('a'), fn, { resourceVersion: '2' });
        expect((await s.get(key('a')))!.status).toEqual({ n: 2 });
      });

      test('uid precondition', async () => {
        const s = await store();
        await s.create(key('a'), pod('a'), target('a'));
        const err = await apiError(s.guaranteedUpdate(key('a'), target('a'), (o) => ({ ...o, x: 1 }), { uid: 'someone-else' }));
        expect(err.reason).toBe('Conflict');
        expect(err.message).toMatch(/^Operation cannot be fulfilled on pods "a": .*Precondition failed: UID in precondition: someone-else, UID in object meta: uid-a$/);
        const ok = await s.guaranteedUpdate(key('a'), target('a'), (o) => ({ ...o, x: 1 }), { uid: 'uid-a' });
        expect(ok.x).toBe(1);
      });

      test('50 concurrent increments all land (CAS retry)', async () => {
        const s = await store();
        await s.create(key('counter'), pod('counter', { data: { n: 0 } }), target('counter'));
        const calls = { n: 0 };
        await Promise.all(
          Array.from({ length: 50 }, () =>
            s.guaranteedUpdate(key('counter'), target('counter'), async (cur) => {
              calls.n++;
              await tick(); // widen the race window
              const data = cur.data as { n: number };
              data.n += 1;
              return cur;
            }),
          ),
        );
        const final = await s.get(key('counter'));
        expect((final!.data as { n: number }).n).toBe(50);
        expect(final!.metadata.resourceVersion).toBe('51');
        expect(s.currentRevision()).toBe(51);
        expect(calls.n).toBeGreaterThan(50); // some had to retry
      });

      test('a concurrent write makes fn run again with the fresh object', async () => {
        const s = await store();
        await s.create(key('a'), pod('a', { data: { log: [] } }), target('a'));
        const seen: string[] = [];
        let release!: () => void;
        const gate = new Promise<void>((r) => (release = r));
        const slow = s.guaranteedUpdate(key('a'), target('a'), async (cur) => {
          seen.push(cur.metadata.resourceVersion!);
          if (seen.length === 1) await gate;
          (cur.data as { log: string[] }).log.push('slow');
          return cur;
        });
        await tick();
        await s.guaranteedUpdate(key('a'), target('a'), (cur) => {
          (cur.data as { log: string[] }).log.push('fast');
          return cur;
        });
        release();
        const out = await slow;
        expect(seen).toEqual(['1', '2']);
        expect(out.data).toEqual({ log: ['fast', 'slow'] });
        expect(out.metadata.resourceVersion).toBe('3');
      });

      test('a precondition is re-checked against the fresh object on retry', async () => {
        const s = await store();
        await s.create(key('a'), pod('a'), target('a'));
        let release!: () => void;
        const gate = new Promise<void>((r) => (release = r));
        const slow = s.guaranteedUpdate(key('a'), target('a'), async (cur) => {
          await gate;
          return { ...cur, slow: true };
        }, { resourceVersion: '1' });
        await tick();
        await s.guaranteedUpdate(key('a'), target('a'), (cur) => ({ ...cur, fast: true }));
        release();
        const err = await apiError(slow);
        expect(err.reason).toBe('Conflict');
        expect((await s.get(key('a')))!.slow).toBeUndefined();
      });

      test('a no-op update writes nothing and returns the current object', async () => {
        const s = await store();
        const created = await s.create(key('a'), pod('a', { data: { b: 1, a: 2 } }), target('a'));
        const rec = new Recorder();
        s.watch(NS, undefined, rec.cb);
        const stats = s.commitStats();
        // Same content, different key order, a stale resourceVersion and an undefined field.
        const out = await s.guaranteedUpdate(key('a'), target('a'), (cur) => ({
          data: { a: 2, b: 1 },
          spec: cur.spec,
          metadata: { ...cur.metadata, resourceVersion: '999' },
          kind: cur.kind,
          apiVersion: cur.apiVersion,
          extra: undefined,
        }));
        expect(out).toEqual(created);
        expect(s.currentRevision()).toBe(1);
        expect(s.commitStats()).toEqual(stats);
        await tick();
        expect(rec.events).toEqual([]);
      });

      test('fn throwing aborts the update and writes nothing', async () => {
        const s = await store();
        await s.create(key('a'), pod('a'), target('a'));
        await expect(s.guaranteedUpdate(key('a'), target('a'), () => { throw new ApiError(422, 'Invalid', 'nope'); })).rejects.toThrow('nope');
        expect(s.currentRevision()).toBe(1);
      });
    });

    describe('list', () => {
      async function seed(s: StoreCore, names: string[]) {
        for (const n of names) await s.create(key(n), pod(n, { metadata: { name: n, namespace: 'default', labels: { even: String(Number(n.slice(1)) % 2 === 0) } } }), target(n));
      }

      test('prefix, key order, revision', async () => {
        const s = await store();
        await seed(s, ['p3', 'p1', 'p2']);
        await s.create(key('q', 'other'), pod('q'), target('q'));
        await s.create('/registry/pods/default-x/z', pod('z'), target('z'));
        const res = await s.list(NS);
        expect(res.items.map((o) => o.metadata.name)).toEqual(['p1', 'p2', 'p3']);
        expect(res.revision).toBe(5);
        expect(res.continueKey).toBeUndefined();
        expect(res.remainingItemCount).toBeUndefined();
        expect((await s.list('/registry/pods/')).items).toHaveLength(5);
        expect((await s.list('/registry/nothing/')).items).toEqual([]);
        // Items are private copies.
        res.items[0].metadata.name = 'changed';
        expect((await s.list(NS)).items[0].metadata.name).toBe('p1');
      });

      test('limit + continue pages through everything once, with remainingItemCount', async () => {
        const s = await store();
        const names = Array.from({ length: 10 }, (_, i) => `p${String(i).padStart(2, '0')}`);
        await seed(s, names);
        const seen: string[] = [];
        let continueKey: string | undefined;
        const remaining: Array<number | undefined> = [];
        do {
          const page = await s.list(NS, { limit: 3, continueKey });
          seen.push(...page.items.map((o) => o.metadata.name!));
          remaining.push(page.remainingItemCount);
          continueKey = page.continueKey;
        } while (continueKey);
        expect(seen).toEqual(names);
        expect(remaining).toEqual([7, 4, 1, undefined]);
        // A limit that ends exactly at the last item carries no token.
        const exact = await s.list(NS, { limit: 10 });
        expect(exact.items).toHaveLength(10);
        expect(exact.continueKey).toBeUndefined();
      });

      test('filter applies before limit (full pages) and the last page has no token', async () => {
        const s = await store();
        const names = Array.from({ length: 10 }, (_, i) => `p${i}`);
        await seed(s, names);
        const even = (o: KObject) => o.metadata.labels?.even === 'true';
        const page1 = await s.list(NS, { limit: 2, filter: even });
        expect(page1.items.map((o) => o.metadata.name)).toEqual(['p0', 'p2']);
        expect(page1.continueKey).toBe(key('p2'));
        expect(page1.remainingItemCount).toBeUndefined();
        const page2 = await s.list(NS, { limit: 2, filter: even, continueKey: page1.continueKey });
        expect(page2.items.map((o) => o.metadata.name)).toEqual(['p4', 'p6']);
        const page3 = await s.list(NS, { limit: 2, filter: even, continueKey: page2.continueKey });
        expect(page3.items.map((o) => o.metadata.name)).toEqual(['p8']);
        expect(page3.continueKey).toBeUndefined();
        // p8 is the last match though p9 follows: no useless token.
        const upTo8 = await s.list(NS, { limit: 1, filter: even, continueKey: key('p6') });
        expect(upTo8.items.map((o) => o.metadata.name)).toEqual(['p8']);
        expect(upTo8.continueKey).toBeUndefined();
      });

      test('filter sees a read-only object', async () => {
        const s = await store();
        await seed(s, ['p1']);
        await expect(s.list(NS, { filter: (o) => { o.metadata.name = 'x'; return true; } })).rejects.toThrow(TypeError);
        expect((await s.get(key('p1')))!.metadata.name).toBe('p1');
      });
    });

    describe('revisions', () => {
      test('strictly increasing and gap-free across mixed writes', async () => {
        const s = await store();
        const rec = new Recorder();
        s.watch('/registry/', 0, rec.cb);
        const rvs: number[] = [];
        for (let i = 0; i < 5; i++) rvs.push(Number((await s.create(key(`p${i}`), pod(`p${i}`), target(`p${i}`))).metadata.resourceVersion));
        rvs.push(Number((await s.guaranteedUpdate(key('p1'), target('p1'), (o) => ({ ...o, x: 1 }))).metadata.resourceVersion));
        rvs.push(Number((await s.delete(key('p2'), target('p2'))).metadata.resourceVersion));
        await apiError(s.create(key('p3'), pod('p3'), target('p3'))); // fails, takes no revision
        rvs.push(Number((await s.create(key('p9'), pod('p9'), target('p9'))).metadata.resourceVersion));
        expect(rvs).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
        await rec.until(8);
        expect(rec.revisions()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
        expect((await s.list(NS)).revision).toBe(8);
      });
    });

    describe('watch', () => {
      test('from now (undefined or 0): only later events, delivered asynchronously', async () => {
        const s = await store();
        await s.create(key('old'), pod('old'), target('old'));
        const a = new Recorder();
        const b = new Recorder();
        s.watch(NS, undefined, a.cb);
        s.watch(NS, 0, b.cb);
        await s.create(key('new'), pod('new'), target('new'));
        await a.until(1);
        await b.until(1);
        expect(a.events.map((e) => [e.type, e.key, e.revision])).toEqual([['ADDED', key('new'), 2]]);
        expect(b.revisions()).toEqual([2]);
      });

      test('ADDED / MODIFIED / DELETED carry object and prevObject', async () => {
        const s = await store();
        const rec = new Recorder();
        s.watch(NS, undefined, rec.cb);
        await s.create(key('a'), pod('a'), target('a'));
        await s.guaranteedUpdate(key('a'), target('a'), (o) => ({ ...o, status: { phase: 'Running' } }));
        await s.delete(key('a'), target('a'));
        await rec.until(3);
        const [added, modified, deleted] = rec.events;
        expect(added).toMatchObject({ type: 'ADDED', key: key('a'), revision: 1, object: { metadata: { resourceVersion: '1' } } });
        expect(added.prevObject).toBeUndefined();
        expect(modified).toMatchObject({ type: 'MODIFIED', revision: 2, object: { status: { phase: 'Running' }, metadata: { resourceVersion: '2' } }, prevObject: { metadata: { resourceVersion: '1' } } });
        expect(modified.prevObject!.status).toBeUndefined();
        expect(deleted).toMatchObject({ type: 'DELETED', revision: 3, object: { status: { phase: 'Running' }, metadata: { resourceVersion: '3' } }, prevObject: { metadata: { resourceVersion: '2' } } });
      });

      test('event objects are frozen (shared with other watchers and history)', async () => {
        const s = await store();
        const rec = new Recorder();
        s.watch(NS, undefined, rec.cb);
        await s.create(key('a'), pod('a'), target('a'));
        await rec.until(1);
        expect(() => { rec.events[0].object.metadata.name = 'x'; }).toThrow(TypeError);
        expect(Object.isFrozen(rec.events[0].object.spec)).toBe(true);
      });

      test('from a past revision: history first, then live, in order; prefix filtering', async () => {
        const s = await store();
        for (let i = 0; i < 5; i++) await s.create(key(`p${i}`), pod(`p${i}`), target(`p${i}`));
        await s.create('/registry/secrets/default/s', pod('s'), target('s')); // rev 6, other prefix
        const rec = new Recorder();
        s.watch(NS, 2, rec.cb);
        expect(rec.events).toEqual([]); // asynchronous: nothing before watch() returned
        await s.create(key('p5'), pod('p5'), target('p5')); // rev 7
        await rec.until(4);
        expect(rec.revisions()).toEqual([3, 4, 5, 7]);
        expect(rec.events.every((e) => e.key.startsWith(NS))).toBe(true);
      });

      test('writes racing the history replay are neither lost nor duplicated', async () => {
        const s = await store();
        for (let i = 0; i < 20; i++) await s.create(key(`p${i}`), pod(`p${i}`), target(`p${i}`));
        // Queue writes, then start watchers while they commit.
        const writes = Array.from({ length: 30 }, (_, i) => s.create(key(`q${i}`), pod(`q${i}`), target(`q${i}`)));
        const recs: Recorder[] = [];
        for (let i = 0; i < 5; i++) {
          const r = new Recorder();
          s.watch(NS, 10, r.cb);
          recs.push(r);
          await tick();
        }
        await Promise.all(writes);
        for (const r of recs) {
          await r.until(40);
          await tick();
          expect(r.revisions()).toEqual(Array.from({ length: 40 }, (_, i) => 11 + i));
        }
      });

      test('from a future revision waits for it', async () => {
        const s = await store();
        const rec = new Recorder();
        s.watch(NS, 2, rec.cb);
        for (let i = 0; i < 4; i++) await s.create(key(`p${i}`), pod(`p${i}`), target(`p${i}`));
        await rec.until(2);
        expect(rec.revisions()).toEqual([3, 4]);
      });

      test('stop is idempotent and immediate; a throwing callback stops only its own watcher', async () => {
        const errors: unknown[] = [];
        const s = await store({ onError: (err) => errors.push(err) });
        const stopped = new Recorder();
        const w = s.watch(NS, undefined, stopped.cb);
        const bad = jest.fn(() => { throw new Error('consumer bug'); });
        s.watch(NS, undefined, bad);
        const good = new Recorder();
        s.watch(NS, undefined, good.cb);
        await s.create(key('a'), pod('a'), target('a'));
        await stopped.until(1);
        w.stop();
        w.stop();
        await s.create(key('b'), pod('b'), target('b'));
        await good.until(2);
        await tick();
        expect(stopped.revisions()).toEqual([1]);
        expect(bad).toHaveBeenCalledTimes(1);
        expect(errors).toHaveLength(1);
        expect(good.revisions()).toEqual([1, 2]);
        // Stopped right after watch(): queued history is never delivered.
        const never = new Recorder();
        s.watch(NS, 0 + 1, never.cb).stop();
        await tick();
        expect(never.events).toEqual([]);
      });

      test('resume across a reconnect: no missed and no duplicated events while writes continue', async () => {
        const s = await store();
        const CM = '/registry/configmaps/default/';
        const full = new Recorder();
        s.watch(CM, 0, full.cb);
        const everything = new Recorder();
        s.watch('/registry/', 0, everything.cb);
        const total = 240;
        let done = 0;
        // Three writers: creates, updates and deletes on 15 keys, plus noise under another prefix.
        const writer = async (w: number) => {
          for (let i = w; i < total; i += 3) {
            const name = `cm-${i % 15}`;
            const k = `${CM}${name}`;
            if (i % 7 === 0) await s.create(`/registry/secrets/default/n${i}`, pod(`n${i}`), target(`n${i}`));
            else if (!(await s.get(k))) await s.create(k, pod(name), target(name)).catch(() => undefined);
            else if (i % 5 === 0) await s.delete(k, target(name)).catch(() => undefined);
            else await s.guaranteedUpdate(k, target(name), (o) => ({ ...o, data: { i } })).catch(() => undefined);
            done++;
            if (i % 4 === 0) await tick();
          }
        };
        const writers = Promise.all([0, 1, 2].map(writer));

        // First connection: stop it from inside its callback after 40 events.
        const first: StoreEvent[] = [];
        const w1 = s.watch(CM, 0, (e) => {
          first.push(e);
          if (first.length === 40) w1.stop();
        });
        await full.until(60);
        expect(first).toHaveLength(40);
        const resumeFrom = first[first.length - 1].revision;
        // Reconnect later, from the last seen revision, while writes continue.
        expect(done).toBeLessThan(total);
        const second = new Recorder();
        s.watch(CM, resumeFrom, second.cb);
        await writers;
        await waitUntil(() => everything.events.length === s.currentRevision(), 'the full watch caught up');
        const last = full.events[full.events.length - 1].revision;
        await waitUntil(() => second.events.length > 0 && second.events[second.events.length - 1].revision === last, 'the resumed watch caught up');
        await tick();
        expect(first).toHaveLength(40); // nothing after stop()
        const stitched = [...first, ...second.events].map((e) => [e.type, e.key, e.revision]);
        expect(stitched).toEqual(full.events.map((e) => [e.type, e.key, e.revision]));
        // And the full stream is strictly increasing, covering every write under the prefix.
        const revs = full.revisions();
        expect(revs.every((r, i) => i === 0 || r > revs[i - 1])).toBe(true);
        expect(everything.revisions()).toEqual(Array.from({ length: s.currentRevision() }, (_, i) => i + 1));
        expect(everything.events.filter((e) => e.key.startsWith(CM)).map((e) => e.revision)).toEqual(revs);
      });
    });

    describe('compaction', () => {
      test('a watch from below the compacted revision is 410 Expired; from it or later works', async () => {
        const s = await store();
        for (let i = 0; i < 10; i++) await s.create(key(`p${i}`), pod(`p${i}`), target(`p${i}`));
        await s.compact(5);
        expect(s.compactedRevision()).toBe(5);
        const err = await apiError(() => s.watch(NS, 4, () => undefined));
        expect([err.code, err.reason, err.message]).toEqual([410, 'Expired', 'too old resource version: 4 (5)']);
        const rec = new Recorder();
        s.watch(NS, 5, rec.cb);
        await rec.until(5);
        expect(rec.revisions()).toEqual([6, 7, 8, 9, 10]);
        // Compaction never goes backwards and never beyond the current revision.
        await s.compact(3);
        expect(s.compactedRevision()).toBe(5);
        await s.compact(1000);
        expect(s.compactedRevision()).toBe(10);
        const live = new Recorder();
        s.watch(NS, 10, live.cb); // from the (compacted) current revision: still whole
        await s.create(key('x'), pod('x'), target('x'));
        await live.until(1);
        expect(live.revisions()).toEqual([11]);
        // Objects themselves are untouched by compaction.
        expect((await s.list(NS)).items).toHaveLength(11);
      });

      test('the window keeps both the last N revisions and the last T of time', async () => {
        const clock = new FakeClock();
        const s = await store({ clock, retainRevisions: 5, retainMs: 60_000 });
        const write = async (n: number) => {
          for (let i = 0; i < n; i++) await s.create(key(`p${s.currentRevision()}`), pod('p'), target('p'));
        };
        await write(10); // revisions 1-10 at t0
        expect(await s.compactToWindow()).toBe(0); // old enough by count, too young by time
        clock.step(30_000);
        await write(10); // 11-20 at t0+30s
        clock.step(31_000); // t0+61s: 1-10 are older than 60 s
        expect(await s.compactToWindow()).toBe(10); // 11-15 are beyond the count but too young
        clock.step(30_000); // t0+91s: everything is old
        expect(await s.compactToWindow()).toBe(15); // the last 5 revisions stay
        expect(s.compactedRevision()).toBe(15);
        await expect(apiError(() => s.watch(NS, 14, () => undefined))).resolves.toMatchObject({ code: 410 });
      });

      test('the periodic timer compacts to the window', async () => {
        const clock = new FakeClock();
        const s = await store({ clock, retainRevisions: 2, retainMs: 1000, compactionIntervalMs: 10 });
        for (let i = 0; i < 6; i++) await s.create(key(`p${i}`), pod('p'), target('p'));
        clock.step(5000);
        const deadline = Date.now() + 5000;
        while (s.compactedRevision() !== 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
        expect(s.compactedRevision()).toBe(4);
      });
    });

    describe('object size', () => {
      test('an object over maxObjectBytes (default 1.5 MiB) is 422 and nothing is written', async () => {
        const s = await store();
        const rec = new Recorder();
        s.watch('/registry/', undefined, rec.cb);
        const big = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big', namespace: 'default' }, data: { blob: 'x'.repeat(1_600_000) } };
        const err = await apiError(s.create('/registry/configmaps/default/big', big, { resource: 'configmaps', name: 'big' }));
        expect(err.code).toBe(422);
        expect(err.reason).toBe('Invalid');
        expect(err.message).toMatch(/^ConfigMap "big" is invalid: Request entity too large: limit is 1572864/);
        expect(err.details?.causes?.[0]).toMatchObject({ reason: 'FieldValueTooLong', field: '' });
        expect(s.currentRevision()).toBe(0);
        expect(await s.get('/registry/configmaps/default/big')).toBeUndefined();

        // Growing an existing object past the limit fails the same way and leaves it as it was.
        const small = await s.create('/registry/configmaps/default/small', { ...big, metadata: { name: 'small' }, data: {} }, { resource: 'configmaps', name: 'small' });
        const err2 = await apiError(s.guaranteedUpdate('/registry/configmaps/default/small', { resource: 'configmaps', name: 'small' }, (o) => ({ ...o, data: big.data })));
        expect(err2.code).toBe(422);
        expect(await s.get('/registry/configmaps/default/small')).toEqual(small);
        expect(s.currentRevision()).toBe(1);
        await rec.until(1);
        await tick();
        expect(rec.revisions()).toEqual([1]);
      });

      test('the limit is configurable and counts the stored JSON', async () => {
        const s = await store({ maxObjectBytes: 200 });
        await s.create(key('a'), pod('a'), target('a'));
        await expect(s.create(key('b'), pod('b', { data: 'y'.repeat(200) }), target('b'))).rejects.toMatchObject({ code: 422, message: expect.stringContaining('limit is 200') });
      });
    });

    describe('group commit', () => {
      test('many concurrent creates are committed in fewer batches than writes', async () => {
        const s = await store();
        const before = s.commitStats();
        const n = 200;
        const created = await Promise.all(Array.from({ length: n }, (_, i) => s.create(key(`p${i}`), pod(`p${i}`), target(`p${i}`))));
        const after = s.commitStats();
        expect(after.writes - before.writes).toBe(n);
        expect(after.batches - before.batches).toBeLessThan(n / 4);
        const rvs = created.map((o) => Number(o.metadata.resourceVersion)).sort((a, b) => a - b);
        expect(rvs).toEqual(Array.from({ length: n }, (_, i) => i + 1));
        expect(s.currentRevision()).toBe(n);
      });

      test('a failing op fails alone inside a batch and takes no revision', async () => {
        const s = await store();
        const results = await Promise.allSettled([
          s.create(key('a'), pod('a'), target('a')),
          s.create(key('a'), pod('a'), target('a')),
          s.create(key('b'), pod('b'), target('b')),
          s.delete(key('zzz'), target('zzz')),
          s.create(key('a'), pod('a'), target('a')),
        ]);
        expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'rejected']);
        expect((results[1] as PromiseRejectedResult).reason.reason).toBe('AlreadyExists');
        expect((results[3] as PromiseRejectedResult).reason.reason).toBe('NotFound');
        expect(s.currentRevision()).toBe(2);
        expect((results[2] as PromiseFulfilledResult<KObject>).value.metadata.resourceVersion).toBe('2');
      });

      test('ops in one batch see the earlier ops of the same batch', async () => {
        const s = await store();
        await s.create(key('a'), pod('a'), target('a'));
        const [del, re] = await Promise.all([s.delete(key('a'), target('a')), s.create(key('a'), pod('a', { v: 2 }), target('a'))]);
        expect(del.metadata.resourceVersion).toBe('2');
        expect(re.metadata.resourceVersion).toBe('3');
        expect((await s.get(key('a')))!.v).toBe(2);
      });
    });

    describe('close', () => {
      test('drains pending writes, then refuses new ones', async () => {
        const s = await store();
        const writes = Array.from({ length: 20 }, (_, i) => s.create(key(`p${i}`), pod(`p${i}`), target(`p${i}`)));
        await s.close();
        const done = await Promise.allSettled(writes);
        expect(done.every((r) => r.status === 'fulfilled')).toBe(true);
        expect(s.currentRevision()).toBe(20);
        await expect(s.create(key('late'), pod('late'), target('late'))).rejects.toMatchObject({ code: 503 });
        await s.close(); // idempotent
      });
    });

    describe('model', () => {
      test('random op sequences: list equals the model, and watch history replays to it', async () => {
        type Cmd = { op: 'create' | 'update' | 'delete'; k: number; v: number };
        const cmd = fc.record({ op: fc.constantFrom<'create' | 'update' | 'delete'>('create', 'update', 'delete'), k: fc.integer({ min: 0, max: 4 }), v: fc.integer({ min: 0, max: 3 }) });
        await fc.assert(
          fc.asyncProperty(fc.array(fc.array(cmd, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 12 }), async (rounds: Cmd[][]) => {
            const s = await store();
            const model = new Map<string, number>();
            const rec = new Recorder();
            s.watch('/registry/', undefined, rec.cb);
            let expectedRevision = 0;
            for (const round of rounds) {
              // A round's ops are issued together. Creates and deletes queue at once and
              // share one batch, checked in issue order; an update reads the key when
              // called and commits in a later batch, retrying if the key changed meanwhile.
              const outcomes = await Promise.allSettled(
                round.map((c) => {
                  const k = key(`k${c.k}`);
                  if (c.op === 'create') return s.create(k, pod(`k${c.k}`, { v: c.v }), target('k'));
                  if (c.op === 'delete') return s.delete(k, target('k'));
                  return s.guaranteedUpdate(k, target('k'), (o) => ({ ...o, v: c.v }));
                }),
              );
              const before = new Map(model);
              round.forEach((c, i) => {
                const k = key(`k${c.k}`);
                const ok = outcomes[i].status === 'fulfilled';
                if (c.op === 'create') expect(ok).toBe(!model.has(k));
                if (c.op === 'delete') expect(ok).toBe(model.has(k));
                if (!ok || c.op === 'update') return;
                if (c.op === 'create') model.set(k, c.v);
                else model.delete(k);
                expectedRevision++;
              });
              // Updates succeed iff the key existed when read and either still exists after
              // the batch or the update was a no-op (same value: nothing to write, so it
              // returns at once). Concurrent updates of one key land in some order, so the
              // survivor is any one of their values.
              const updated = new Map<string, Set<number>>();
              round.forEach((c, i) => {
                if (c.op !== 'update') return;
                const k = key(`k${c.k}`);
                expect(outcomes[i].status === 'fulfilled').toBe(before.has(k) && (model.has(k) || before.get(k) === c.v));
                if (outcomes[i].status === 'fulfilled') updated.set(k, (updated.get(k) ?? new Set()).add(c.v));
              });
              for (const [k, values] of updated) {
                if (!model.has(k)) continue;
                const v = (await s.get(k))!.v as number;
                // (or the value the batch left, when every update of the key was a no-op)
                expect(values.has(v) || v === model.get(k)).toBe(true);
                model.set(k, v);
              }
            }
            const listed = await s.list('/registry/');
            expect(new Map(listed.items.map((o) => [key(o.metadata.name!), o.v as number]))).toEqual(model);
            expect(listed.revision).toBe(s.currentRevision());
            expect(s.currentRevision()).toBeGreaterThanOrEqual(expectedRevision);
            await rec.until(s.currentRevision());
            expect(rec.revisions()).toEqual(Array.from({ length: s.currentRevision() }, (_, i) => i + 1));
            const replayed = new Map<string, number>();
            for (const e of rec.events) {
              if (e.type === 'DELETED') replayed.delete(e.key);
              else replayed.set(e.key, e.object.v as number);
            }
            expect(replayed).toEqual(model);
            await s.close();
          }),
          { numRuns: backend.propertyRuns },
        );
      });
    });

    describe('performance (in-memory reads)', () => {
      test('gets ≥ 10,000/s and a list of 5,000 pods ≤ 100 ms', async () => {
        const s = await store();
        const n = 5000;
        const chunk = 500;
        for (let i = 0; i < n; i += chunk) {
          await Promise.all(Array.from({ length: chunk }, (_, j) => {
            const name = `pod-${i + j}`;
            return s.create(key(name), pod(name, {
              metadata: { name, namespace: 'default', uid: `uid-${i + j}`, labels: { app: 'web', tier: 'frontend' }, annotations: { note: 'x'.repeat(200) } },
              spec: { nodeName: 'node-1', containers: [{ name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80 }], env: [{ name: 'A', value: 'b' }] }] },
              status: { phase: 'Running', podIP: '10.244.0.5', conditions: [{ type: 'Ready', status: 'True' }] },
            }), target(name));
          }));
        }
        // Best of three: the machine is shared, the claim is about what the code can do.
        let bestList = Infinity;
        for (let r = 0; r < 3; r++) {
          const t0 = performance.now();
          const res = await s.list(NS);
          bestList = Math.min(bestList, performance.now() - t0);
          expect(res.items).toHaveLength(n);
        }
        let bestGetsPerSec = 0;
        for (let r = 0; r < 3; r++) {
          const t0 = performance.now();
          for (let i = 0; i < 10_000; i++) await s.get(key(`pod-${i % n}`));
          bestGetsPerSec = Math.max(bestGetsPerSec, 10_000 / ((performance.now() - t0) / 1000));
        }
        expect(bestList).toBeLessThan(100);
        expect(bestGetsPerSec).toBeGreaterThan(10_000);
      });
    });

    describe('durability', () => {
      test('reopen shows all data, the revision, the compacted revision and retained history', async () => {
        const o = await open();
        if (!o.reopen) return; // not a durable backend
        const s = o.storage;
        const before = new Recorder();
        s.watch('/registry/', undefined, before.cb);
        for (let i = 0; i < 8; i++) await s.create(key(`p${i}`), pod(`p${i}`), target(`p${i}`));
        await s.guaranteedUpdate(key('p1'), target('p1'), (x) => ({ ...x, status: { phase: 'Running' } }));
        await s.delete(key('p2'), target('p2'));
        await s.compact(3);
        await before.until(10);
        const listBefore = await s.list('/registry/');

        const s2 = await o.reopen();
        expect(s2.currentRevision()).toBe(10);
        expect(s2.compactedRevision()).toBe(3);
        expect(await s2.list('/registry/')).toEqual(listBefore);
        expect(await s2.get(key('p1'))).toEqual(listBefore.items.find((x) => x.metadata.name === 'p1'));

        // A watch from a pre-restart revision replays the same history, then goes live.
        const after = new Recorder();
        s2.watch('/registry/', 3, after.cb);
        await s2.create(key('p9'), pod('p9'), target('p9'));
        await after.until(8);
        const shape = (e: StoreEvent) => ({ type: e.type, key: e.key, revision: e.revision, object: e.object, prevObject: e.prevObject });
        expect(after.events.slice(0, 7).map(shape)).toEqual(before.events.slice(3).map(shape));
        expect(after.events[7]).toMatchObject({ type: 'ADDED', key: key('p9'), revision: 11 });
        await expect(apiError(() => s2.watch('/registry/', 2, () => undefined))).resolves.toMatchObject({ code: 410 });

        // New writes continue the revision sequence.
        expect((await s2.create(key('p10'), pod('p10'), target('p10'))).metadata.resourceVersion).toBe('12');
      });

      test('the compaction window survives a restart (commit times are stored)', async () => {
        const clock = new FakeClock();
        const o = await open({ clock, retainRevisions: 0, retainMs: 60_000 });
        if (!o.reopen) return;
        for (let i = 0; i < 3; i++) await o.storage.create(key(`p${i}`), pod('p'), target('p'));
        clock.step(40_000);
        for (let i = 3; i < 6; i++) await o.storage.create(key(`p${i}`), pod('p'), target('p'));
        const s2 = await o.reopen({ clock, retainRevisions: 0, retainMs: 60_000 });
        clock.step(30_000); // first three are 70 s old, last three 30 s
        expect(await s2.compactToWindow()).toBe(3);
      });
    });
  });
}

// ---- backends -------------------------------------------------------------------------

storageConformance({
  name: 'MemoryStorage',
  propertyRuns: Number(process.env.STORAGE_PROPERTY_RUNS ?? 60),
  open: async (opts) => ({ storage: new MemoryStorage(opts) }),
  cleanup: async () => undefined,
});

const levelDirs: string[] = [];
storageConformance({
  name: 'LevelStorage',
  propertyRuns: 15,
  open: async (opts) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'k8ts-storage-'));
    levelDirs.push(dir);
    const storage = await LevelStorage.open({ ...opts, path: dir });
    return {
      storage,
      reopen: async (more) => {
        await storage.close();
        return LevelStorage.open({ ...opts, ...more, path: dir });
      },
    };
  },
  cleanup: async () => {
    await Promise.all(levelDirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  },
});
