import { RESTMapper, NoMatchError, groupKindName, type APIGroup, type APIResourceList } from '../../shared/client/restmapper';
import { NdjsonSplitter, parseWatchLine } from '../../shared/client/ndjson';
import { encodeQuery, resourcePath } from '../../shared/client/paths';

const groups: APIGroup[] = [
  { name: '', versions: [{ groupVersion: 'v1', version: 'v1' }], preferredVersion: { groupVersion: 'v1', version: 'v1' } },
  { name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } },
  { name: 'events.k8s.io', versions: [{ groupVersion: 'events.k8s.io/v1', version: 'v1' }] },
  {
    name: 'autoscaling',
    versions: [
      { groupVersion: 'autoscaling/v2', version: 'v2' },
      { groupVersion: 'autoscaling/v1', version: 'v1' },
    ],
    preferredVersion: { groupVersion: 'autoscaling/v2', version: 'v2' },
  },
  { name: 'networking.k8s.io', versions: [{ groupVersion: 'networking.k8s.io/v1', version: 'v1' }] },
];
const verbs = ['get', 'list'];
const lists: APIResourceList[] = [
  {
    groupVersion: 'v1',
    resources: [
      { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs, shortNames: ['po'], categories: ['all'] },
      { name: 'pods/status', singularName: '', namespaced: true, kind: 'Pod', verbs },
      { name: 'services', singularName: 'service', namespaced: true, kind: 'Service', verbs, shortNames: ['svc'], categories: ['all'] },
      { name: 'events', singularName: 'event', namespaced: true, kind: 'Event', verbs, shortNames: ['ev'] },
      { name: 'nodes', singularName: '', namespaced: false, kind: 'Node', verbs, shortNames: ['no'] },
    ],
  },
  {
    groupVersion: 'apps/v1',
    resources: [
      { name: 'deployments', singularName: 'deployment', namespaced: true, kind: 'Deployment', verbs, shortNames: ['deploy'], categories: ['all'] },
      { name: 'replicasets', singularName: 'replicaset', namespaced: true, kind: 'ReplicaSet', verbs, shortNames: ['rs'], categories: ['all'] },
    ],
  },
  { groupVersion: 'events.k8s.io/v1', resources: [{ name: 'events', singularName: 'event', namespaced: true, kind: 'Event', verbs, shortNames: ['ev'] }] },
  { groupVersion: 'autoscaling/v1', resources: [{ name: 'horizontalpodautoscalers', singularName: 'horizontalpodautoscaler', namespaced: true, kind: 'HorizontalPodAutoscaler', verbs, shortNames: ['hpa'], categories: ['all'] }] },
  { groupVersion: 'autoscaling/v2', resources: [{ name: 'horizontalpodautoscalers', singularName: 'horizontalpodautoscaler', namespaced: true, kind: 'HorizontalPodAutoscaler', verbs, shortNames: ['hpa'], categories: ['all'] }] },
  { groupVersion: 'networking.k8s.io/v1', resources: [{ name: 'ingresses', singularName: 'ingress', namespaced: true, kind: 'Ingress', verbs, shortNames: ['ing'] }] },
];
const mapper = new RESTMapper(groups, lists);

describe('RESTMapper', () => {
  test.each([
    ['po', 'pods', ''],
    ['pods', 'pods', ''],
    ['pod', 'pods', ''],
    ['Pod', 'pods', ''],
    ['PODS', 'pods', ''],
    ['deploy', 'deployments', 'apps'],
    ['deployments.apps', 'deployments', 'apps'],
    ['deployment.apps', 'deployments', 'apps'],
    ['deployment.v1.apps', 'deployments', 'apps'],
    ['Deployment', 'deployments', 'apps'],
    ['rs', 'replicasets', 'apps'],
    ['svc', 'services', ''],
    ['no', 'nodes', ''],
    ['node', 'nodes', ''],
    ['ingresses.networking', 'ingresses', 'networking.k8s.io'],
    ['ing', 'ingresses', 'networking.k8s.io'],
  ])('%s → %s.%s', (arg, resource, group) => {
    const m = mapper.resourceFor(arg);
    expect(m.resource).toBe(resource);
    expect(m.group).toBe(group);
  });

  test('core group wins for names served by several groups; group-qualified picks the other', () => {
    expect(mapper.resourceFor('events').group).toBe('');
    expect(mapper.resourceFor('ev').group).toBe('');
    expect(mapper.resourceFor('events.events.k8s.io').group).toBe('events.k8s.io');
  });

  test('preferred version unless a version is given', () => {
    expect(mapper.resourceFor('hpa').version).toBe('v2');
    expect(mapper.resourceFor('hpa.v1.autoscaling').version).toBe('v1');
    expect(mapper.resourceFor('horizontalpodautoscalers.autoscaling').version).toBe('v2');
  });

  test('singular falls back to the lower-cased kind; subresources are not resources', () => {
    expect(mapper.resourceFor('node').singular).toBe('node');
    expect(mapper.mappings.some((m) => m.resource.includes('/'))).toBe(false);
  });

  test('unknown names give kubectl\'s error', () => {
    expect(() => mapper.resourceFor('foo')).toThrow(NoMatchError);
    expect(() => mapper.resourceFor('foo')).toThrow('the server doesn\'t have a resource type "foo"');
    expect(() => mapper.resourceFor('pods.nope')).toThrow(NoMatchError);
  });

  test('category all expands in discovery order, one entry per group/resource', () => {
    expect(mapper.isCategory('all')).toBe(true);
    expect(mapper.isCategory('pods')).toBe(false);
    const all = mapper.expand('all');
    expect(all.map((m) => groupKindName(m))).toEqual(['pod', 'service', 'deployment.apps', 'replicaset.apps', 'horizontalpodautoscaler.autoscaling']);
    expect(all.find((m) => m.resource === 'horizontalpodautoscalers')!.version).toBe('v2');
  });

  test('kindFor resolves manifests by apiVersion + kind', () => {
    expect(mapper.kindFor('apps/v1', 'Deployment').resource).toBe('deployments');
    expect(mapper.kindFor('v1', 'Pod').namespaced).toBe(true);
    expect(() => mapper.kindFor('apps/v1beta1', 'Deployment')).toThrow('no matches for kind "Deployment" in version "apps/v1beta1"');
  });

  test('preferred mappings and group versions', () => {
    expect(mapper.preferredMappings().filter((m) => m.resource === 'horizontalpodautoscalers')).toHaveLength(1);
    expect(mapper.groupVersions()).toEqual(['v1', 'apps/v1', 'events.k8s.io/v1', 'autoscaling/v2', 'autoscaling/v1', 'networking.k8s.io/v1']);
  });
});

describe('paths', () => {
  test('core, grouped, namespaced, cluster-scoped, subresource', () => {
    expect(resourcePath({ group: '', version: 'v1', resource: 'pods', namespace: 'default' })).toBe('/api/v1/namespaces/default/pods');
    expect(resourcePath({ group: '', version: 'v1', resource: 'pods' })).toBe('/api/v1/pods');
    expect(resourcePath({ group: 'apps', version: 'v1', resource: 'deployments', namespace: 'dev', name: 'web', subresource: 'scale' })).toBe('/apis/apps/v1/namespaces/dev/deployments/web/scale');
    expect(resourcePath({ group: '', version: 'v1', resource: 'nodes', name: 'node-1' })).toBe('/api/v1/nodes/node-1');
    expect(resourcePath({ group: '', version: 'v1', resource: 'pods', namespace: 'a', name: '../x' })).toBe('/api/v1/namespaces/a/pods/..%2Fx');
    expect(() => resourcePath({ group: '', version: 'v1', resource: 'pods', subresource: 'log' })).toThrow();
  });

  test('query encoding drops undefined, repeats arrays, encodes spaces as +', () => {
    expect(encodeQuery({ a: '1', b: undefined, c: null, labelSelector: 'env in (a,b)', command: ['sh', '-c'] })).toBe('?a=1&labelSelector=env+in+%28a%2Cb%29&command=sh&command=-c');
    expect(encodeQuery({})).toBe('');
  });
});

describe('NDJSON splitting', () => {
  const ev = (n: number) => JSON.stringify({ type: 'ADDED', object: { metadata: { name: `p${n}`, note: 'é✓' } } });

  test('events split at every possible byte boundary come out whole and in order', () => {
    const bytes = Buffer.from(`${ev(1)}\n${ev(2)}\r\n\n${ev(3)}\n`, 'utf8');
    for (let cut = 1; cut < bytes.length; cut++) {
      const s = new NdjsonSplitter();
      const lines = [...s.push(bytes.subarray(0, cut)), ...s.push(bytes.subarray(cut)), ...s.end()];
      expect(lines.map((l) => parseWatchLine<{ metadata: { name: string; note: string } }>(l)!.object.metadata)).toEqual([1, 2, 3].map((n) => ({ name: `p${n}`, note: 'é✓' })));
    }
  });

  test('byte-at-a-time and a last line without newline', () => {
    const bytes = Buffer.from(`${ev(1)}\n${ev(2)}`, 'utf8');
    const s = new NdjsonSplitter();
    const lines: string[] = [];
    for (const b of bytes) lines.push(...s.push(Buffer.from([b])));
    expect(lines).toHaveLength(1);
    lines.push(...s.end());
    expect(lines).toHaveLength(2);
  });

  test('many events in one chunk; junk lines are not events', () => {
    const s = new NdjsonSplitter();
    expect(s.push(`${ev(1)}\n${ev(2)}\n${ev(3)}\n`)).toHaveLength(3);
    expect(parseWatchLine('not json')).toBeUndefined();
    expect(parseWatchLine('[1,2]')).toBeUndefined();
    expect(parseWatchLine('{"object":{}}')).toBeUndefined();
  });
});
