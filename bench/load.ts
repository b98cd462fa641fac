/**
 * The load generator every HTTP figure uses, baselines included, so ratios compare
 * servers rather than clients.
 *
 * Closed loop: `concurrency` workers each keep exactly one request in flight on an
 * undici Pool with as many keep-alive connections (no pipelining), so "50 concurrent
 * clients" means 50 connections each waiting for its answer before sending the next.
 * A request's latency runs from just before `pool.request` to the last byte of its
 * body. The first `warmupMs` are not recorded (JIT, connection setup); after that,
 * throughput counts the requests sent and answered inside the measured window, and the
 * latency percentiles are theirs (at steady state this differs from counting every
 * completion by at most `concurrency` requests at the window's two edges).
 *
 * Bounded: the loop stops at the time limit or after `maxRequests`, whichever is first.
 */
import type { Pool } from 'undici';
import { Samples, type Latency } from './common';

export interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** The caller's label for this request, handed back to `onOk`. */
  tag?: string;
}

export interface ClosedLoopOptions {
  pool: Pool;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  maxRequests: number;
  /** The `seq`-th request of worker `worker` (seq counts from 0 per worker). */
  request(worker: number, seq: number): RequestSpec;
  /** Status that counts as success (201 for a create, 200 otherwise). */
  expectStatus: number;
  /** Called for each successful request (e.g. to remember created names). */
  onOk?(spec: RequestSpec): void;
}

export interface LoadResult {
  ok: number;
  errors: number;
  firstError?: string;
  seconds: number;
  perSecond: number;
  latency: Latency;
}

/** Responses here are small; the limit only guards against a runaway body. */
const DUMP_LIMIT = 16 << 20;

export async function closedLoop(o: ClosedLoopOptions): Promise<LoadResult> {
  const begin = performance.now();
  const measureFrom = begin + o.warmupMs;
  const end = measureFrom + o.durationMs;
  const samples = new Samples();
  let issued = 0;
  let errors = 0;
  let firstError: string | undefined;

  const worker = async (w: number) => {
    for (let seq = 0; ; seq++) {
      if (performance.now() >= end || issued >= o.maxRequests) return;
      issued += 1;
      const spec = o.request(w, seq);
      const t0 = performance.now();
      try {
        const res = await o.pool.request({ method: spec.method, path: spec.path, headers: spec.headers, body: spec.body });
        if (res.statusCode !== o.expectStatus) {
          const text = await res.body.text();
          errors += 1;
          firstError ??= `${spec.method} ${spec.path} → ${res.statusCode}: ${text.slice(0, 300)}`;
          continue;
        }
        await res.body.dump({ limit: DUMP_LIMIT });
        const t1 = performance.now();
        // Only requests both sent and answered inside the window: one sent during warm-up
        // may carry connection setup (even a 1 s SYN retransmit) that is not the server's.
        if (t0 >= measureFrom && t1 <= end) samples.push(t1 - t0);
        o.onOk?.(spec);
      } catch (err) {
        errors += 1;
        firstError ??= `${spec.method} ${spec.path}: ${(err as Error).message}`;
        // A refused or reset connection fails fast; don't spin on it.
        await new Promise((r) => setTimeout(r, 10));
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, (_, w) => worker(w)));
  const seconds = Math.min(o.durationMs, Math.max(0, performance.now() - measureFrom)) / 1000;
  return { ok: samples.length, errors, firstError, seconds, perSecond: seconds > 0 ? samples.length / seconds : NaN, latency: samples.stats() };
}
