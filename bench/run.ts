/**
 * `npm run bench`: runs every benchmark in BENCHMARKS (today: api) one after another —
 * never concurrently, they would share the machine's cores — prints each figure as it
 * is measured, and rewrites BENCHMARKS.md from this run's numbers.
 *
 *   node dist/bench/run.js [--quick] [--only NAME] [--data-root DIR] [--out FILE] [--no-wait]
 *
 * --quick: tiny sizes so CI finishes in well under a minute; prints only, never writes
 * the document and judges no target (the sizes are not the targets' sizes).
 * --data-root: where LevelDB data dirs go (default: the OS temp dir); fsync cost depends
 * on that filesystem, which the document records.
 * --no-wait: start at once; by default a full run first waits (bounded) for the shared
 * machine to be quiet, since other people's builds would otherwise be what it measures.
 *
 * Exit code 0 when every benchmark ran (missed targets are findings, not failures);
 * 1 on an error, after children are killed and temp dirs removed (common.ts).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeMachine, waitForQuiet } from './common';
import { apiBenchmark } from './api';
import { podsBenchmark } from './pods';
import { controllersBenchmark } from './controllers';
import { extractAnalysis, renderMarkdown, verdict, type Benchmark, type BenchReport } from './report';

/** Every benchmark; a new one is added here. */
const BENCHMARKS: Benchmark[] = [apiBenchmark, podsBenchmark, controllersBenchmark];

const ROOT = path.resolve(__dirname, '..', '..');
/** Before a full run, wait up to this long for other work to use less than QUIET_THRESHOLD_PCT of a core. */
const QUIET_WAIT_MS = 300_000;
const QUIET_THRESHOLD_PCT = 30;
/** …for this many 2 s samples in a row. */
const QUIET_SAMPLES = 3;

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const only = flag('--only');
  const dataRoot = path.resolve(flag('--data-root') ?? os.tmpdir());
  const out = path.resolve(flag('--out') ?? path.join(ROOT, 'BENCHMARKS.md'));
  const selected = BENCHMARKS.filter((b) => !only || b.name === only);
  if (selected.length === 0) throw new Error(`no benchmark named ${only}; have: ${BENCHMARKS.map((b) => b.name).join(', ')}`);

  const log = (line: string) => console.log(line);
  log(`k8ts benchmarks${quick ? ' (quick: tiny sizes, targets not judged, BENCHMARKS.md untouched)' : ''}`);
  // A full run is worth a short wait for a quiet machine; a quick (CI) run is not.
  const before = quick || process.argv.includes('--no-wait') ? undefined : await waitForQuiet(QUIET_WAIT_MS, QUIET_THRESHOLD_PCT, QUIET_SAMPLES, log);
  const machine = { ...describeMachine(dataRoot), before };
  log(`machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB.toFixed(1)} GiB, Node ${machine.node}, load ${machine.loadAverage.map((l) => l.toFixed(2)).join(' ')}, data on ${machine.dataFs}`);

  const reports: BenchReport[] = [];
  for (const b of selected) {
    const t0 = performance.now();
    log(`\n== ${b.name}`);
    const report = await b.run({ quick, dataRoot, log });
    reports.push(report);
    log(`== ${b.name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }

  log('\nsummary');
  for (const r of reports) for (const f of r.figures) log(`  [${r.name}] ${f.label}: ${verdict(f.met)}`);

  if (quick) return;
  if (only) {
    log(`--only: ${path.relative(ROOT, out)} not written (it holds every benchmark)`);
    return;
  }
  const previous = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '';
  fs.writeFileSync(out, renderMarkdown(machine, reports, 'npm run bench', extractAnalysis(previous)));
  log(`wrote ${path.relative(process.cwd(), out) || out}`);
}

main()
  .then(() => process.exit(0))
  .catch((err) => {
    console.error(`bench: ${err?.stack ?? err}`);
    process.exit(1);
  });
