/** Namespace controller's status conditions (CONTROLLERS.md §8 table). */
import { mergeConditions, namespaceConditions } from '../../controller-manager/namespace';

test('all clear → the five conditions with their ok reasons', () => {
  const c = namespaceConditions({ discoveryErrors: [], deleteErrors: [], remaining: new Map(), finalizers: new Map() });
  expect(c.map((x) => [x.type, x.status, x.reason])).toEqual([
    ['NamespaceDeletionDiscoveryFailure', 'False', 'ResourcesDiscovered'],
    ['NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions'],
    ['NamespaceDeletionContentFailure', 'False', 'ContentDeleted'],
    ['NamespaceContentRemaining', 'False', 'ContentRemoved'],
    ['NamespaceFinalizersRemaining', 'False', 'ContentHasNoFinalizers'],
  ]);
  expect(c[3].message).toBe('All content successfully removed');
});

test('remaining content and finalizers, sorted, core group spelt `pods.`', () => {
  const c = namespaceConditions({
    discoveryErrors: [],
    deleteErrors: ['secrets: boom', 'configmaps: bang'],
    remaining: new Map([['pods.', 2], ['deployments.apps', 1]]),
    finalizers: new Map([['example.com/x', 1]]),
  });
  expect(c[2]).toMatchObject({ status: 'True', reason: 'ContentDeletionFailed', message: 'Failed to delete all resource types, 2 remaining: configmaps: bang, secrets: boom' });
  expect(c[3]).toMatchObject({ status: 'True', reason: 'SomeResourcesRemain', message: 'Some resources are remaining: deployments.apps has 1 resource instances, pods. has 2 resource instances' });
  expect(c[4]).toMatchObject({ status: 'True', reason: 'SomeFinalizersRemain', message: 'Some content in the namespace has finalizers remaining: example.com/x in 1 resource instances' });
});

test('lastTransitionTime moves only when the status flips', () => {
  const ok = namespaceConditions({ discoveryErrors: [], deleteErrors: [], remaining: new Map(), finalizers: new Map() });
  const bad = namespaceConditions({ discoveryErrors: [], deleteErrors: [], remaining: new Map([['pods.', 1]]), finalizers: new Map() });
  const t1 = mergeConditions([], bad, 't1');
  const t2 = mergeConditions(t1, bad, 't2');
  expect(t2.every((c) => c.lastTransitionTime === 't1')).toBe(true);
  const t3 = mergeConditions(t2, ok, 't3');
  expect(t3.find((c) => c.type === 'NamespaceContentRemaining')?.lastTransitionTime).toBe('t3');
  expect(t3.find((c) => c.type === 'NamespaceDeletionDiscoveryFailure')?.lastTransitionTime).toBe('t1');
});
