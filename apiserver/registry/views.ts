/**
 * Resources that are two API views of one stored object. Kubernetes serves Events as
 * core/v1 and as events.k8s.io/v1: the same objects, different field names. k8ts
 * stores the core/v1 shape and converts at the edge, so a watch on either sees every
 * event, as in Kubernetes.
 */
import type { KObject } from '../../shared/api/types';
import { findResource, type ResourceInfo } from './resources';

const coreEvents = () => findResource('', 'v1', 'events')!;

/** core/v1 field ↔ events.k8s.io/v1 field. Fields with the same name in both are copied as is. */
const EVENT_FIELDS: [core: string, events: string][] = [
  ['involvedObject', 'regarding'],
  ['message', 'note'],
  ['reportingComponent', 'reportingController'],
  ['source', 'deprecatedSource'],
  ['firstTimestamp', 'deprecatedFirstTimestamp'],
  ['lastTimestamp', 'deprecatedLastTimestamp'],
  ['count', 'deprecatedCount'],
];

function isEventsView(r: ResourceInfo): boolean {
  return r.group === 'events.k8s.io' && r.resource === 'events';
}

/** The resource whose rules (strategy, defaults, validation, storage) apply. */
export function storedResource(r: ResourceInfo): ResourceInfo {
  return isEventsView(r) ? coreEvents() : r;
}

function rename(obj: KObject, pairs: [string, string][]): KObject {
  const out: KObject = { ...obj };
  for (const [from, to] of pairs) {
    delete out[from];
    if (obj[from] !== undefined) out[to] = obj[from];
  }
  return out;
}

/** View shape → stored shape. */
export function toStored(r: ResourceInfo, obj: KObject): KObject {
  if (!isEventsView(r)) return obj;
  const out = rename(obj, EVENT_FIELDS.map(([c, e]) => [e, c]));
  out.apiVersion = 'v1';
  return out;
}

/** Stored shape → view shape. */
export function fromStored(r: ResourceInfo, obj: KObject): KObject {
  if (!isEventsView(r)) return obj;
  return rename(obj, EVENT_FIELDS);
}
