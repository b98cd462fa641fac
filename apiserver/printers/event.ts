/**
 * The Event printer, shared by core/v1 and events.k8s.io/v1 (PRINTERS.md §7).
 *
 * Upstream both API versions convert to one internal Event and print the same table. We
 * may be handed either wire shape, so `asCoreEvent` reads the events.k8s.io names
 * (regarding, note, deprecatedSource, deprecatedFirstTimestamp, …) wherever the core
 * names are absent — the same field mapping the upstream conversion uses.
 *
 * The "x3 over 10m" LAST SEEN form belongs to the client-side `kubectl events`, not here.
 */
import type { Event as CoreEvent, EventSeries, EventSource, ObjectReference } from 'kubernetes-types/core/v1';
import type { Event as EventsV1Event } from 'kubernetes-types/events/v1';
import { ageSince, timestampMs } from './duration';
import { NAME_COLUMN, column, definePrinter, wide } from './table';

interface PrintableEvent {
  name: string;
  involvedObject: ObjectReference;
  type: string;
  reason: string;
  message: string;
  source: EventSource;
  reportingController: string;
  reportingInstance: string;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  count: number;
  series?: EventSeries;
}

function asCoreEvent(e: CoreEvent & Partial<EventsV1Event>): PrintableEvent {
  return {
    name: e.metadata?.name ?? '',
    involvedObject: e.involvedObject ?? e.regarding ?? {},
    type: e.type ?? '',
    reason: e.reason ?? '',
    message: e.message ?? e.note ?? '',
    source: e.source ?? e.deprecatedSource ?? {},
    reportingController: e.reportingComponent ?? e.reportingController ?? '',
    reportingInstance: e.reportingInstance ?? '',
    firstTimestamp: e.firstTimestamp ?? e.deprecatedFirstTimestamp,
    lastTimestamp: e.lastTimestamp ?? e.deprecatedLastTimestamp,
    eventTime: e.eventTime,
    count: e.count ?? e.deprecatedCount ?? 0,
    series: e.series,
  };
}

/** `component, instance`, each falling back to the reporting* fields of the newer API. */
function eventSource(e: PrintableEvent): string {
  const component = e.source.component || e.reportingController;
  const instance = e.source.host || e.reportingInstance;
  return instance ? `${component}, ${instance}` : component;
}

/** `pod/nginx`; just `pod` when the event names no object. */
function eventObject(ref: ObjectReference): string {
  const kind = (ref.kind ?? '').toLowerCase();
  return ref.name ? `${kind}/${ref.name}` : kind;
}

export const eventColumns = [
  column('Last Seen', 'string', 'Time since the most recent occurrence.'),
  column('Type', 'string', 'Normal or Warning.'),
  column('Reason', 'string', 'Short, machine-readable reason for the event.'),
  column('Object', 'string', 'The object the event is about, as kind/name.'),
  wide('Subobject', 'string', 'Field path within the object, e.g. spec.containers{nginx}.'),
  wide('Source', 'string', 'Component (and host) that reported the event.'),
  column('Message', 'string', 'Human-readable description of the event.'),
  wide('First Seen', 'string', 'Time since the first occurrence.'),
  wide('Count', 'string', 'Number of occurrences.'),
  // The name column is wide here, so the kind prefix of multi-type output stays out of sight.
  { ...NAME_COLUMN, priority: 1 },
] as const;

export const eventPrinter = definePrinter<CoreEvent & Partial<EventsV1Event>>(eventColumns, (raw, { now }) => {
  const e = asCoreEvent(raw);
  const firstSeen = timestampMs(e.firstTimestamp) !== undefined ? ageSince(e.firstTimestamp, now) : ageSince(e.eventTime, now);
  let lastSeen = timestampMs(e.lastTimestamp) !== undefined ? ageSince(e.lastTimestamp, now) : firstSeen;
  let count = e.count;
  if (e.series) {
    lastSeen = ageSince(e.series.lastObservedTime, now);
    count = e.series.count ?? 0;
  } else if (count === 0) {
    // Singleton events of the newer API carry no count.
    count = 1;
  }
  return [
    lastSeen,
    e.type,
    e.reason,
    eventObject(e.involvedObject),
    e.involvedObject.fieldPath ?? '',
    eventSource(e),
    e.message.trim(),
    firstSeen,
    count,
    e.name,
  ];
});
