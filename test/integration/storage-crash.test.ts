/**
 * Crash safety of LevelStorage: a child process writes as fast as it can (creates,
 * deletes, contended counter increments, background compactions) and is SIGKILLed at a
 * random moment, several rounds over the same directory. After each kill the store is
 * reopened and must hold every write the child saw acknowledged, with a revision that
 * never went backwards and a contiguous change log.
 *
 * The child runs dist/ when it is up to date with the sources (the project's `npm test`
 * builds first); otherwise it transpiles the TypeScript sources on require, so this test
 * never checks stale code.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LevelStorage } from '../../apiserver/storage';

const ROOT = path.resolve(__dirname, '../..');
const WRITER = path.join(__dirname, 'fixtures', 'storage-crash-writer.js');
const COUNTER = '/registry/configmaps/default/counter';
const ROUNDS = 6;

function storageModule(): string {
  const srcDir = path.join(ROOT, 'apiserver', 'storage');
  const sources = [
    ...readdirSync(srcDir).filter((f) => f.endsWith('.ts')).map((f) => path.join(srcDir, f)),
    path.join(ROOT, 'shared', 'api', 'errors.ts'),
    path.join(ROOT, 'shared', 'api', 'types.ts'),
  ];
  const distOf = (src: string) => path.join(ROOT, 'dist', path.relative(ROOT, src)).replace(/\.ts$/, '.js');
  const fresh = sources.every((src) => existsSync(distOf(src)) && statSync(distOf(src)).mtimeMs >= statSync(src).mtimeMs);
  return fresh ? distOf(path.join(srcDir, 'index.ts')) : path.join(srcDir, 'index.ts');
}

interface RoundOutput {
  lines: string[];
  killedAfterMs: number;
  stderr: string;
}

const children = new Set<ChildProcess>();
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'k8ts-storage-crash-'));
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Runs the writer until it has acknowledged something, lets it run a random while more, then SIGKILLs it. */
function runRound(mod: string, round: number): Promise<RoundOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, mod, dir, String(round)], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    const lines: string[] = [];
    let partial = '';
    let stderr = '';
    let killedAfterMs = -1;
    let killTimer: NodeJS.Timeout | undefined;
    const giveUp = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`round ${round}: the writer acknowledged nothing in 30 s; stderr:\n${stderr}`));
    }, 30_000);
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      partial += chunk;
      let nl: number;
      while ((nl = partial.indexOf('\n')) >= 0) {
        lines.push(partial.slice(0, nl));
        partial = partial.slice(nl + 1);
      }
      if (!killTimer && lines.some((l) => l.startsWith('ack '))) {
        killedAfterMs = Math.floor(Math.random() * 400);
        killTimer = setTimeout(() => child.kill('SIGKILL'), killedAfterMs);
      }
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => (stderr += d));
    child.on('exit', (code, signal) => {
      clearTimeout(giveUp);
      if (killTimer) clearTimeout(killTimer);
      children.delete(child);
      // Lines are written whole (synchronous pipe writes, < PIPE_BUF); a trailing
      // fragment cannot happen, but if it did it would not count as acknowledged.
      if (signal !== 'SIGKILL') reject(new Error(`round ${round}: writer exited on its own (code ${code}); stderr:\n${stderr}`));
      else resolve({ lines, killedAfterMs, stderr });
    });
  });
}

test(`every acknowledged write survives SIGKILL (${ROUNDS} rounds)`, async () => {
  const mod = storageModule();
  /** key → resourceVersion of every create acknowledged and not (possibly) deleted since. */
  const mustExist = new Map<string, string>();
  const mustBeGone = new Set<string>();
  let lastRevision = 0;
  let lastCounter = 0;
  let totalAcks = 0;

  for (let round = 1; round <= ROUNDS; round++) {
    const { lines, killedAfterMs } = await runRound(mod, round);
    const where = `round ${round} (killed ${killedAfterMs} ms after the first ack, module ${path.relative(ROOT, mod)})`;
    let maxAckedRevision = 0;
    for (const line of lines) {
      const [kind, a, b] = line.split(' ');
      if (kind === 'ready') {
        // The writer found the store exactly as the last check left it (or ahead: round 1 creates the counter).
        expect(Number(a)).toBeGreaterThanOrEqual(lastRevision);
      } else if (kind === 'ack') {
        mustExist.set(a, b);
        maxAckedRevision = Math.max(maxAckedRevision, Number(b));
        totalAcks++;
      } else if (kind === 'deleting') {
        mustExist.delete(a); // outcome unknown until "deleted"
      } else if (kind === 'deleted') {
        mustBeGone.add(a);
        maxAckedRevision = Math.max(maxAckedRevision, Number(b));
      } else if (kind === 'counter') {
        lastCounter = Math.max(lastCounter, Number(a));
        maxAckedRevision = Math.max(maxAckedRevision, Number(b));
      }
    }

    const s = await LevelStorage.open({ path: dir, compactionIntervalMs: 0 });
    try {
      const revision = s.currentRevision();
      expect({ where, revision: revision >= maxAckedRevision && revision >= lastRevision }).toEqual({ where, revision: true });
      const missing: string[] = [];
      for (const [key, rv] of mustExist) {
        const obj = await s.get(key);
        if (!obj || obj.metadata.resourceVersion !== rv) missing.push(`${key}@${rv} → ${obj ? obj.metadata.resourceVersion : 'absent'}`);
      }
      const resurrected: string[] = [];
      for (const key of mustBeGone) if (await s.get(key)) resurrected.push(key);
      expect({ where, missing, resurrected }).toEqual({ where, missing: [], resurrected: [] });
      const counter = await s.get(COUNTER);
      expect(Number((counter!.data as { n: string }).n)).toBeGreaterThanOrEqual(lastCounter);
      // The change log opened contiguous (open() refuses a gap) and ends at the revision.
      // (From revision 0 would mean "from now", hence at least 1.)
      const from = Math.max(s.compactedRevision(), 1);
      let replayed = 0;
      s.watch('/registry/', from, () => replayed++);
      await new Promise((r) => setImmediate(r));
      expect(replayed).toBe(revision - from);
      lastRevision = revision;
    } finally {
      await s.close();
    }
  }
  expect(totalAcks).toBeGreaterThan(ROUNDS);
}, 180_000);
