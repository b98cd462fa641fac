import { WorkQueue } from '../../shared/controller/workqueue';

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

test('a key is never processed twice at once; re-adding while processing runs it once more', async () => {
  const q = new WorkQueue();
  let running = 0;
  let maxRunning = 0;
  let runs = 0;
  const workers = q.runWorkers(4, async () => {
    running++;
    maxRunning = Math.max(maxRunning, running);
    runs++;
    await tick(20);
    running--;
  });
  q.add('a');
  await tick();
  q.add('a'); // while processing
  q.add('a'); // deduplicated
  await tick(100);
  q.shutdown();
  await workers;
  expect(maxRunning).toBe(1);
  expect(runs).toBe(2);
});

test('failures back off exponentially per key and success forgets them', async () => {
  const q = new WorkQueue({ baseDelayMs: 1 });
  expect([q.retryDelay('k'), q.retryDelay('k'), q.retryDelay('k')]).toEqual([1, 2, 4]);
  expect(q.retryDelay('other')).toBe(1);
  q.forget('k');
  expect(q.retryDelay('k')).toBe(1);
});

test('a failing reconcile is retried until it succeeds; requeueAfter schedules another run', async () => {
  const q = new WorkQueue({ baseDelayMs: 1 });
  const seen: string[] = [];
  let fails = 2;
  const workers = q.runWorkers(1, async (key) => {
    seen.push(key);
    if (key === 'flaky' && fails-- > 0) throw new Error('boom');
    if (key === 'again' && seen.filter((k) => k === 'again').length === 1) return { requeueAfter: 5 };
  });
  q.add('flaky');
  q.add('again');
  await tick(100);
  q.shutdown();
  await workers;
  expect(seen.filter((k) => k === 'flaky')).toHaveLength(3);
  expect(seen.filter((k) => k === 'again')).toHaveLength(2);
});

test('of two delayed adds for one key, the sooner wins', async () => {
  const q = new WorkQueue();
  const seen: number[] = [];
  const start = Date.now();
  const workers = q.runWorkers(1, async () => {
    seen.push(Date.now() - start);
  });
  q.addAfter('k', 10_000);
  q.addAfter('k', 10);
  await tick(100);
  q.shutdown();
  await workers;
  expect(seen).toHaveLength(1);
  expect(seen[0]).toBeLessThan(1000);
});
