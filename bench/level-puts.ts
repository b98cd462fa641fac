/**
 * Baseline B: raw classic-level writes on this machine's disk, in a child process of its
 * own (as the API server is), so neither the bench client nor another server shares its
 * event loop. What it measures, each phase bounded by count and time, after a short
 * unrecorded warm-up:
 *
 *   unsynced    `put(k, v)` one at a time                      — LevelDB without fsync
 *   sequential  `put(k, v, {sync: true})` one at a time        — one fsync per write
 *   concurrent  50 writers each looping `put(..., {sync:true})` — LevelDB's own writer
 *               queue merges concurrent writes into one log write + fsync, but only as
 *               many as libuv's thread pool runs at once (4 by default)
 *   batched     `batch(50 puts, {sync: true})` one at a time    — what the API server's
 *               group commit does: many writes, one fsync
 *
 * Values are `valueBytes` of JSON-like text, the size of a stored pod plus its change-log
 * entry. Usage: node level-puts.js '<json options>'; prints one {"msg":"result",...} line.
 */
import { ClassicLevel } from 'classic-level';
import { exitWithParent, Samples, type Latency } from './common';

export interface LevelPutsOptions {
  dir: string;
  valueBytes: number;
  /** Bound and time limit of each phase. */
  maxPuts: number;
  phaseMs: number;
  warmupPuts: number;
  concurrency: number;
  batchSize: number;
}

export interface PhaseResult {
  puts: number;
  seconds: number;
  putsPerSecond: number;
  /** Per put (unsynced, sequential, concurrent) or per batch (batched). */
  latency: Latency;
}

export interface LevelPutsResult {
  unsynced: PhaseResult;
  sequential: PhaseResult;
  concurrent: PhaseResult;
  batched: PhaseResult;
}

async function main(): Promise<void> {
  exitWithParent();
  const o = JSON.parse(process.argv[2]) as LevelPutsOptions;
  const db = new ClassicLevel<string, string>(o.dir, { createIfMissing: true });
  await db.open();
  const value = '{"bench":"' + 'x'.repeat(Math.max(0, o.valueBytes - 12)) + '"}';
  let n = 0;
  const key = (phase: string) => `/bench/${phase}/${String(n++).padStart(12, '0')}`;

  for (let i = 0; i < o.warmupPuts; i++) await db.put(key('warmup'), value, { sync: true });

  // One writer (or `writers` of them) looping `op` until the phase's count or time is used up.
  async function phase(writers: number, putsPerOp: number, op: () => Promise<void>): Promise<PhaseResult> {
    const samples = new Samples();
    const t0 = performance.now();
    const end = t0 + o.phaseMs;
    let puts = 0;
    await Promise.all(
      Array.from({ length: writers }, async () => {
        while (puts < o.maxPuts && performance.now() < end) {
          puts += putsPerOp;
          const s = performance.now();
          await op();
          samples.push(performance.now() - s);
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    return { puts, seconds, putsPerSecond: puts / seconds, latency: samples.stats() };
  }

  const unsynced = await phase(1, 1, () => db.put(key('unsynced'), value));
  const sequential = await phase(1, 1, () => db.put(key('seq'), value, { sync: true }));
  const concurrent = await phase(o.concurrency, 1, () => db.put(key('conc'), value, { sync: true }));
  const batched = await phase(1, o.batchSize, () =>
    db.batch(
      Array.from({ length: o.batchSize }, () => ({ type: 'put' as const, key: key('batch'), value })),
      { sync: true },
    ),
  );
  await db.close();
  const result: LevelPutsResult = { unsynced, sequential, concurrent, batched };
  process.stdout.write(JSON.stringify({ msg: 'result', ...result }) + '\n');
  process.exit(0);
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`level-puts: ${err?.stack ?? err}\n`);
    process.exit(1);
  });
}
