/**
 * The scheduler's retry policy with fake informers, a fake client and fake timers:
 * an unschedulable pod is parked (no busy loop), released by helpful changes only,
 * never before its back-off, flushed after 5 min; a binding answered 409 is skipped.
 */
import type { KObject } from '../../shared/api/types';
import { ApiError } from '../../shared/api/errors';
import { keyOf, type Handler } from '../../shared/controller/informer';
import { Algorithm } from '../../scheduler/algorithm';
import { Scheduler, MAX_UNSCHEDULABLE_MS } from '../../scheduler/scheduler';
import { node, pod } from './scheduler-helpers';

class FakeInformer {
  readonly objects = new Map<string, KObject>();
  private readonly handlers: Handler<KObject>[] = [];
  on(h: Handler<KObject>) {
    this.handlers.push(h);
    return this;
  }
  get(key: string) {
    return this.objects.get(key);
  }
  list() {
    return [...this.objects.values()];
  }
  set(obj: object) {
    const o = obj as KObject;
    const old = this.objects.get(keyOf(o));
    this.objects.set(keyOf(o), o);
    for (const h of this.handlers) old ? h.update?.(old, o) : h.add?.(o);
  }
  remove(obj: object) {
    this.objects.delete(keyOf(obj as KObject));
    for (const h of this.handlers) h.delete?.(obj as KObject);
  }
}

let pods: FakeInformer;
let nodes: FakeInformer;
let bindings: { pod: string; node: string }[];
let bindError: ApiError | undefined;
let scheduler: Scheduler;
let attempts: jest.SpyInstance;

const client = {
  create: jest.fn(async (path: string, body: any) => {
    if (path.endsWith('/binding')) {
      if (bindError) throw bindError;
      bindings.push({ pod: body.metadata.name, node: body.target.name });
    }
    return body;
  }),
  patch: jest.fn(async () => ({})),
};

const settle = () => jest.advanceTimersByTimeAsync(0);

beforeEach(async () => {
  jest.useFakeTimers();
  pods = new FakeInformer();
  nodes = new FakeInformer();
  bindings = [];
  bindError = undefined;
  client.create.mockClear();
  client.patch.mockClear();
  attempts = jest.spyOn(Algorithm.prototype, 'schedule');
  const factory = {
    for: (path: string) => (path.endsWith('/pods') ? pods : nodes),
    waitForSync: async () => undefined,
    stop: async () => undefined,
  };
  scheduler = new Scheduler({ client: client as never, informerFactory: factory as never, workers: 2 });
  nodes.set(node('a', { cpu: '1' }));
  await scheduler.start();
});

afterEach(async () => {
  attempts.mockRestore();
  await scheduler.stop();
  jest.useRealTimers();
});

test('a pod that fits binds once; the informer confirming it ends the assumption', async () => {
  const p = pod('p', { cpu: '500m' });
  pods.set(p);
  await settle();
  expect(bindings).toEqual([{ pod: 'p', node: 'a' }]);
  expect(scheduler.cache.isAssumed('default/p')).toBe(true);
  pods.set({ ...p, spec: { ...p.spec, nodeName: 'a' } });
  expect(scheduler.cache.isAssumed('default/p')).toBe(false);
  expect(scheduler.cache.nodeInfo('a')!.requested.milliCPU).toBe(500);
});

test('an unschedulable pod is parked, then released only by a helpful change', async () => {
  pods.set(pod('big', { cpu: '2' }));
  await settle();
  expect(attempts).toHaveBeenCalledTimes(1);
  expect(client.patch).toHaveBeenCalledWith(
    '/api/v1/namespaces/default/pods/big/status',
    { status: { conditions: [expect.objectContaining({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: expect.stringMatching(/^0\/1 nodes are available: 1 Insufficient cpu\./) })] } },
    'strategic',
  );
  const failed = client.create.mock.calls.filter(([path, body]) => path.endsWith('/events') && body.reason === 'FailedScheduling');
  expect(failed).toHaveLength(1);

  // A minute of quiet, a status write to the pod, a node heartbeat: no new attempt.
  await jest.advanceTimersByTimeAsync(60_000);
  pods.set({ ...pod('big', { cpu: '2' }), status: { conditions: [{ type: 'PodScheduled', status: 'False' }] } });
  const hb = node('a', { cpu: '1' });
  nodes.set({ ...hb, status: { ...hb.status, conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2026-01-01T00:00:00Z' }] } });
  await settle();
  expect(attempts).toHaveBeenCalledTimes(1);

  // More allocatable on the node: retried (its 1 s back-off is long past) and bound.
  nodes.set(node('a', { cpu: '4' }));
  await settle();
  expect(attempts).toHaveBeenCalledTimes(2);
  expect(bindings).toEqual([{ pod: 'big', node: 'a' }]);
});

test('releases wait out the back-off: 1 s, then 2 s, …', async () => {
  pods.set(pod('big', { cpu: '2' }));
  await settle();
  expect(attempts).toHaveBeenCalledTimes(1);

  nodes.set(node('b', { cpu: '1' })); // a node that does not help, but is a change
  await jest.advanceTimersByTimeAsync(900);
  expect(attempts).toHaveBeenCalledTimes(1);
  await jest.advanceTimersByTimeAsync(100);
  expect(attempts).toHaveBeenCalledTimes(2);

  nodes.set(node('c', { cpu: '1' }));
  await jest.advanceTimersByTimeAsync(1900);
  expect(attempts).toHaveBeenCalledTimes(2);
  await jest.advanceTimersByTimeAsync(100);
  expect(attempts).toHaveBeenCalledTimes(3);
  expect(scheduler.backoffFor(3)).toBe(4000);
  expect(scheduler.backoffFor(10)).toBe(10_000);
});

test('deleting a bound pod releases parked pods', async () => {
  const x = pod('x', { cpu: '1' });
  pods.set({ ...x, spec: { ...x.spec, nodeName: 'a' } });
  pods.set(pod('w', { cpu: '500m' }));
  await settle();
  expect(attempts).toHaveBeenCalledTimes(1);
  await jest.advanceTimersByTimeAsync(2000);
  pods.remove({ ...x, spec: { ...x.spec, nodeName: 'a' } });
  await settle();
  expect(bindings).toEqual([{ pod: 'w', node: 'a' }]);
});

test('parked pods are retried after 5 minutes even without a change', async () => {
  pods.set(pod('big', { cpu: '2' }));
  await settle();
  await jest.advanceTimersByTimeAsync(MAX_UNSCHEDULABLE_MS - 30_000);
  expect(attempts).toHaveBeenCalledTimes(1);
  await jest.advanceTimersByTimeAsync(30_000);
  expect(attempts).toHaveBeenCalledTimes(2);
});

test('a 409 from the binding is skipped and the assumption dropped', async () => {
  bindError = new ApiError(409, 'Conflict', 'pod p is already assigned to node "b"');
  pods.set(pod('p', { cpu: '500m' }));
  await settle();
  expect(attempts).toHaveBeenCalledTimes(1);
  expect(scheduler.cache.isAssumed('default/p')).toBe(false);
  expect(scheduler.cache.nodeInfo('a')!.requested.milliCPU).toBe(0);
  await jest.advanceTimersByTimeAsync(30_000);
  expect(attempts).toHaveBeenCalledTimes(1);
});

test('another error from the binding is retried with back-off', async () => {
  bindError = new ApiError(500, 'InternalError', 'boom');
  pods.set(pod('p', { cpu: '500m' }));
  await settle();
  expect(attempts).toHaveBeenCalledTimes(1);
  expect(scheduler.cache.nodeInfo('a')!.requested.milliCPU).toBe(0);
  bindError = undefined;
  await jest.advanceTimersByTimeAsync(1000);
  expect(bindings).toEqual([{ pod: 'p', node: 'a' }]);
});

test('pods of another scheduler, being deleted, or gated are not scheduled', async () => {
  const other = pod('other');
  other.spec!.schedulerName = 'my-scheduler';
  const deleting = pod('deleting');
  Object.assign(deleting.metadata!, { deletionTimestamp: '2026-01-01T00:00:00Z' });
  const gated = pod('gated');
  gated.spec!.schedulingGates = [{ name: 'wait' }];
  for (const p of [other, deleting, gated]) pods.set(p);
  await settle();
  expect(attempts).not.toHaveBeenCalled();
});
