/** Garbage collector decisions and graph bookkeeping (pure parts). */
import { classifyOwner, decide, OwnerGraph, type GraphNode, type OwnerState } from '../../controller-manager/garbagecollector-graph';
import type { KObject, OwnerReference } from '../../shared/api/types';

const ref = (uid: string, block = false): OwnerReference => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `rs-${uid}`, uid, blockOwnerDeletion: block });
const obj = (owners: OwnerReference[], finalizers?: string[]): KObject => ({ metadata: { name: 'x', ownerReferences: owners, finalizers } });

describe('classifyOwner', () => {
  test.each([
    ['not found', undefined, 'dangling'],
    ['same name, other uid', { uid: 'other' }, 'dangling'],
    ['present', { uid: 'a' }, 'solid'],
    ['deleting in background', { uid: 'a', deletionTimestamp: 't', finalizers: [] }, 'solid'],
    ['deleting with orphan', { uid: 'a', deletionTimestamp: 't', finalizers: ['orphan'] }, 'solid'],
    ['deleting in foreground', { uid: 'a', deletionTimestamp: 't', finalizers: ['foregroundDeletion'] }, 'waitingForDependentsDeletion'],
  ])('%s', (_n, owner, want) => {
    expect(classifyOwner(ref('a'), owner as never)).toBe(want);
  });
});

describe('decide', () => {
  const st = (e: Record<string, OwnerState>) => new Map(Object.entries(e));
  test('no owners → keep', () => expect(decide(obj([]), st({}), false)).toEqual({ action: 'keep' }));
  test('all solid → keep', () => expect(decide(obj([ref('a'), ref('b')]), st({ a: 'solid', b: 'solid' }), false)).toEqual({ action: 'keep' }));
  test('solid + dangling + waiting → drop the latter refs', () =>
    expect(decide(obj([ref('a'), ref('b'), ref('c')]), st({ a: 'solid', b: 'dangling', c: 'waitingForDependentsDeletion' }), false)).toEqual({ action: 'removeOwnerRefs', uids: ['b', 'c'] }));
  test('all dangling → delete in background', () => expect(decide(obj([ref('a')]), st({ a: 'dangling' }), false)).toEqual({ action: 'delete', propagation: 'Background' }));
  test('waiting owner and own dependents → foreground', () =>
    expect(decide(obj([ref('a')]), st({ a: 'waitingForDependentsDeletion' }), true)).toEqual({ action: 'delete', propagation: 'Foreground' }));
  test('waiting owner, no dependents → background', () =>
    expect(decide(obj([ref('a')]), st({ a: 'waitingForDependentsDeletion' }), false)).toEqual({ action: 'delete', propagation: 'Background' }));
  test('own orphan finalizer → orphan', () => expect(decide(obj([ref('a')], ['orphan']), st({ a: 'dangling' }), true)).toEqual({ action: 'delete', propagation: 'Orphan' }));
  test('own foreground finalizer → foreground', () =>
    expect(decide(obj([ref('a')], ['foregroundDeletion']), st({ a: 'dangling' }), false)).toEqual({ action: 'delete', propagation: 'Foreground' }));
});

describe('OwnerGraph', () => {
  const node = (uid: string, owners: OwnerReference[]): GraphNode => ({ uid, owners, finalizers: [], address: { path: `/x/${uid}`, apiVersion: 'v1', kind: 'Pod', name: uid } });
  test('indexes dependents, follows owner changes and removal, finds blocking ones', () => {
    const g = new OwnerGraph();
    g.upsert(node('p1', [ref('rs', true)]));
    g.upsert(node('p2', [ref('rs', false)]));
    expect(g.dependentsOf('rs').map((n) => n.uid).sort()).toEqual(['p1', 'p2']);
    expect(g.blockingDependentsOf('rs').map((n) => n.uid)).toEqual(['p1']);
    g.upsert(node('p1', [])); // ref removed (orphaned)
    expect(g.dependentsOf('rs').map((n) => n.uid)).toEqual(['p2']);
    expect(g.blockingDependentsOf('rs')).toEqual([]);
    g.remove('p2');
    expect(g.hasDependents('rs')).toBe(false);
    expect(g.size()).toBe(1);
  });
});
