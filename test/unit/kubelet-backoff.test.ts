/** Crash/image back-off (client-go flowcontrol semantics) and Go duration strings. */
import { Backoff, goDuration } from '../../kubelet/backoff';

test('10 s doubling to 300 s, expiring after 2 × max without updates', () => {
  let now = 0;
  const b = new Backoff({ now: () => now });
  const seq: number[] = [];
  for (let i = 0; i < 8; i++) {
    b.next('k', now);
    seq.push(b.get('k') / 1000);
    now += 1000;
  }
  expect(seq).toEqual([10, 20, 40, 80, 160, 300, 300, 300]);
  // A container that ran > 10 min after the last advance starts over at 10 s.
  now += 601_000;
  b.next('k', now);
  expect(b.get('k')).toBe(10_000);
});

test('isInBackOffSince measures from the exit time', () => {
  let now = 100_000;
  const b = new Backoff({ now: () => now });
  b.next('k', now); // 10 s
  const finishedAt = now + 1000;
  now = finishedAt + 5000;
  expect(b.isInBackOffSince('k', finishedAt)).toBe(true);
  expect(b.remaining('k', finishedAt)).toBe(5000);
  now = finishedAt + 10_001;
  expect(b.isInBackOffSince('k', finishedAt)).toBe(false);
  expect(b.isInBackOffSince('other', finishedAt)).toBe(false);
});

test('image back-off: in back-off since the last failure', () => {
  let now = 0;
  const b = new Backoff({ now: () => now });
  b.next('img');
  now = 9_999;
  expect(b.isInBackOffSinceUpdate('img')).toBe(true);
  now = 10_000;
  expect(b.isInBackOffSinceUpdate('img')).toBe(false);
  b.next('img');
  expect(b.get('img')).toBe(20_000);
});

test('scale shrinks both bounds', () => {
  const b = new Backoff({ scale: 0.01 });
  expect([b.initialMs, b.maxMs]).toEqual([100, 3000]);
});

test('resetPrefix and gc', () => {
  let now = 0;
  const b = new Backoff({ now: () => now });
  b.next('u1_a');
  b.next('u2_a');
  b.resetPrefix('u1_');
  expect(b.get('u1_a')).toBe(0);
  expect(b.get('u2_a')).toBe(10_000);
  now = 700_000;
  b.gc();
  expect(b.get('u2_a')).toBe(0);
});

test.each([
  [10_000, '10s'],
  [40_000, '40s'],
  [80_000, '1m20s'],
  [160_000, '2m40s'],
  [300_000, '5m0s'],
  [100, '100ms'],
  [1500, '1.5s'],
  [3_723_000, '1h2m3s'],
  [0, '0s'],
])('goDuration(%d) = %s', (ms, s) => expect(goDuration(ms)).toBe(s));
