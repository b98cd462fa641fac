/**
 * Recording Kubernetes Events, the way client-go's recorder does: one core/v1 Event per
 * (object, type, reason, message), named `<object>.<unique hex>`; a repeat of the same
 * event within the aggregation window bumps `count` and `lastTimestamp` instead of
 * making a new object. Recording is fire-and-forget: a failure is logged, never thrown,
 * because an Event must not block the work it describes.
 */
import { randomBytes } from 'node:crypto';
import type { KObject } from '../api/types';
import type { KubeClient } from '../client';
import type { Logger } from '../logger';

export type EventType = 'Normal' | 'Warning';

export interface EventSource {
  component: string;
  host?: string;
}

/** Repeats within this window are counted on the first event (client-go keeps a similar LRU). */
const AGGREGATE_WINDOW_MS = 10 * 60 * 1000;

interface Seen {
  name: string;
  namespace: string;
  count: number;
  first: string;
  at: number;
}

function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class EventRecorder {
  private readonly seen = new Map<string, Seen>();
  private sequence = randomBytes(2).readUInt16BE(0);

  constructor(
    private readonly client: KubeClient,
    private readonly source: EventSource,
    private readonly logger?: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Records an event about `obj` (its kind/apiVersion must be set); `fieldPath` names a container, e.g. `spec.containers{web}`. */
  event(obj: KObject, type: EventType, reason: string, message: string, fieldPath?: string): void {
    void this.record(obj, type, reason, message, fieldPath).catch((err) => this.logger?.warn({ err: String(err), reason }, 'could not record event'));
  }

  private async record(obj: KObject, type: EventType, reason: string, message: string, fieldPath?: string): Promise<void> {
    const md = obj.metadata;
    const namespace = md.namespace || 'default';
    const involved: Record<string, unknown> = { kind: obj.kind, namespace: md.namespace, name: md.name, uid: md.uid, apiVersion: obj.apiVersion, resourceVersion: md.resourceVersion };
    if (fieldPath) involved.fieldPath = fieldPath;
    const key = JSON.stringify([md.uid ?? md.name, fieldPath ?? '', type, reason, message]);
    const now = this.now();
    const ts = rfc3339(now);
    const prev = this.seen.get(key);
    const base = `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`;
    if (prev && now.getTime() - prev.at < AGGREGATE_WINDOW_MS) {
      prev.count++;
      prev.at = now.getTime();
      try {
        await this.client.patch(`${base}/${encodeURIComponent(prev.name)}`, { count: prev.count, lastTimestamp: ts }, 'merge');
        return;
      } catch {
        // the event expired or was deleted: record a fresh one
      }
    }
    // Like client-go: `<object>.<hex of the time in ns>`, so names sort by time (describe
    // lists same-second events in name order); a counter keeps one process's names unique.
    const name = `${md.name}.${(BigInt(now.getTime()) * 1_000_000n + BigInt(this.sequence++ % 1_000_000)).toString(16)}`;
    await this.client.create(base, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: involved,
      reason,
      message,
      type,
      source: this.source,
      firstTimestamp: ts,
      lastTimestamp: ts,
      count: 1,
      reportingComponent: this.source.component,
      reportingInstance: this.source.host ?? '',
    } as KObject);
    this.seen.set(key, { name, namespace, count: 1, first: ts, at: now.getTime() });
    if (this.seen.size > 4096) this.seen.delete(this.seen.keys().next().value!);
  }
}
