/**
 * Smoke test of the benchmark harness: `node dist/bench/run.js --quick` (tiny sizes) must
 * finish, exit 0, print every figure and baseline line, and leave BENCHMARKS.md alone.
 * No timing is asserted — CI machines are too noisy for that; the numbers live in
 * BENCHMARKS.md from full runs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DIST, ROOT, run } from '../helpers/processes';

const RUN = path.join(DIST, 'bench', 'run.js');
const DOC = path.join(ROOT, 'BENCHMARKS.md');

/** Every line a quick run must print (each starts with its label). */
const EXPECTED_LINES = [
  /^ {2}baseline B unsynced puts sequential: [\d,]+\/s/m,
  /^ {2}baseline B synced puts sequential: [\d,]+\/s/m,
  /^ {2}baseline B synced puts 50 concurrent: [\d,]+\/s/m,
  /^ {2}baseline B synced batches of 50: [\d,]+ puts\/s/m,
  /^ {2}baseline A fastify POST: [\d,]+\/s/m,
  /^ {2}baseline A fastify GET: [\d,]+\/s/m,
  /^ {2}baseline A fastify list: median /m,
  /^ {2}diagnostic: API server creates on memory storage: [\d,]+\/s/m,
  /^ {2}creates\/s: [\d,]+\/s, p50 .* p99 .*fastify POST.*raw synced puts.*memory-storage creates.* — target .*: not judged$/m,
  /^ {2}gets\/s: [\d,]+\/s, p50 .* p99 .*fastify GET.* — target .*: not judged$/m,
  /^ {2}list JSON: 200 pods: median .*fastify list.* — target .*: not judged$/m,
  /^ {2}list Table: 200 pods: median .*fastify list.* — target .*: not judged$/m,
  /^ {2}baseline raw 50 pods → Ready: [\d,.]+ ms$/m,
  /^ {2}deployment 0→50 Ready: [\d,.]+ ms .* — target .*: not judged$/m,
  /^ {2}rolling update of 50: [\d,.]+ ms .* — target .*: not judged$/m,
  /^ {2}controller-manager during rollout: \d+% .*RSS peak \d+ MiB/m,
  /^ {2}watch latency, 5 watchers: p50 .* p99 .* over [\d,]+ deliveries; [\d,]+ events\/s achieved .* — target .*: not judged$/m,
];

describe('bench --quick', () => {
  it('runs every benchmark, prints every figure line, and does not rewrite BENCHMARKS.md', async () => {
    const before = fs.existsSync(DOC) ? fs.readFileSync(DOC, 'utf8') : undefined;
    const r = await run(process.execPath, [RUN, '--quick'], { cwd: ROOT, timeoutMs: 150_000 });
    const output = `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
    if (r.code !== 0) throw new Error(`bench --quick exited ${r.code}\n${output}`);
    for (const re of EXPECTED_LINES) {
      if (!re.test(r.stdout)) throw new Error(`no line matching ${re}\n${output}`);
    }
    expect(fs.existsSync(DOC) ? fs.readFileSync(DOC, 'utf8') : undefined).toEqual(before);
  }, 180_000);
});
