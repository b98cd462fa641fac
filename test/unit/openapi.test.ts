/**
 * Strict field validation (unknown fields, duplicate keys, Go-decoder type errors) and
 * the shape of the /openapi/v3 documents kubectl relies on.
 */
import {
  decodeErrorMessage, duplicateFields, inspect, kindSchemas, pruneUnknownFields, openapiDocument, openapiDocumentJson, openapiIndex, schemaNameFor, strictDecodingError, strictWarnings,
  typeErrors, unknownFields,
} from '../../apiserver/openapi';
import { groupVersions, RESOURCES } from '../../apiserver/registry/resources';

const POD = { group: '', version: 'v1', kind: 'Pod' };
const DEPLOY = { group: 'apps', version: 'v1', kind: 'Deployment' };
const SVC = { group: '', version: 'v1', kind: 'Service' };

describe('schema coverage', () => {
  it('every served kind, and the API machinery kinds, has a schema', () => {
    for (const r of RESOURCES) expect([r.kind, schemaNameFor(r)]).toEqual([r.kind, expect.stringContaining(`.${r.kind}`)]);
    expect(schemaNameFor({ group: '', version: 'v1', kind: 'Status' })).toBe('io.k8s.apimachinery.pkg.apis.meta.v1.Status');
    expect(schemaNameFor({ group: 'apps', version: 'v1', kind: 'DeleteOptions' })).toBe('io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions');
    expect(schemaNameFor({ group: 'autoscaling', version: 'v1', kind: 'Scale' })).toBe('io.k8s.api.autoscaling.v1.Scale');
    expect(schemaNameFor({ group: 'policy', version: 'v1', kind: 'Eviction' })).toBe('io.k8s.api.policy.v1.Eviction');
    expect(schemaNameFor({ group: 'events.k8s.io', version: 'v1', kind: 'Event' })).toBe('io.k8s.api.events.v1.Event');
    expect(schemaNameFor({ group: 'example.com', version: 'v1', kind: 'Widget' })).toBeUndefined();
    expect(kindSchemas().length).toBeGreaterThan(RESOURCES.length);
  });
});

describe('unknownFields', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { anything: 'goes' }, creationTimestamp: null }, spec: { containers: [{ name: 'a', image: 'x' }] }, status: {} };

  it.each([
    ['a clean pod', pod, []],
    ['a typo in a container', { ...pod, spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y', imagePullPolicyy: 'Always' }] } }, ['.spec.containers[1].imagePullPolicyy']],
    ['top level and metadata', { ...pod, specc: {}, metadata: { name: 'p', labelz: {} } }, ['.metadata.labelz', '.specc']],
    ['deep in a volume', { ...pod, spec: { containers: [], volumes: [{ name: 'v', configMap: { name: 'c', itemz: [] } }] } }, ['.spec.volumes[0].configMap.itemz']],
    ['case matters', { ...pod, spec: { containers: [], RestartPolicy: 'Always' } }, ['.spec.RestartPolicy']],
  ])('%s', (_n, obj, want) => {
    expect(unknownFields(POD, obj)).toEqual(want);
  });

  it('map entries and free-form fields are never unknown', () => {
    expect(unknownFields({ group: 'apps', version: 'v1', kind: 'ControllerRevision' }, { metadata: { name: 'r' }, revision: 1, data: { anything: { at: 'all' } } })).toEqual([]);
    expect(unknownFields(POD, { metadata: { managedFields: [{ manager: 'kubectl', fieldsV1: { 'f:spec': { 'f:x': {} } } }] } })).toEqual([]);
    expect(unknownFields({ group: '', version: 'v1', kind: 'ConfigMap' }, { metadata: { name: 'c' }, data: { 'any.key': 'v' } })).toEqual([]);
  });

  it('knows the kinds the API machinery accepts in every group', () => {
    expect(unknownFields({ group: 'apps', version: 'v1', kind: 'DeleteOptions' }, { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background', bogus: 1 })).toEqual(['.bogus']);
  });

  it('1.31/1.32 fields missing from kubernetes-types 1.30 are known', () => {
    expect(unknownFields(POD, { spec: { containers: [], volumes: [{ name: 'i', image: { reference: 'x', pullPolicy: 'Always' } }], securityContext: { supplementalGroupsPolicy: 'Merge' } } })).toEqual([]);
  });

  it('pruneUnknownFields drops them in place (Ignore/Warn), inspect finds both kinds of problem in one walk', () => {
    const obj = { ...pod, extra: 1, spec: { containers: [{ name: 'a', image: 'x', junk: true }] } };
    expect(pruneUnknownFields(POD, obj)).toEqual(['.spec.containers[0].junk', '.extra']);
    expect(obj).toEqual({ ...pod, spec: { containers: [{ name: 'a', image: 'x' }] } });
    expect(inspect(POD, { bogus: 1, spec: { hostNetwork: 'yes' } })).toMatchObject({ unknown: ['.bogus'], typeErrors: [{ path: '.spec.hostNetwork' }] });
  });

  it('unknown kinds have nothing to judge by', () => {
    expect(unknownFields({ group: 'example.com', version: 'v1', kind: 'Widget' }, { anything: 1 })).toEqual([]);
  });
});

describe('typeErrors', () => {
  const msgs = (gvk: typeof POD, obj: unknown) => typeErrors(gvk, obj).map((e) => e.message);

  it.each([
    ['replicas as a string', DEPLOY, { spec: { replicas: '3' } }, ['json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32']],
    ['a fraction into an int', DEPLOY, { spec: { replicas: 1.5 } }, ['json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32']],
    ['int32 overflow', DEPLOY, { spec: { replicas: 3000000000 } }, ['json: cannot unmarshal number 3000000000 into Go struct field DeploymentSpec.spec.replicas of type int32']],
    ['nested port (no indices in Go paths)', POD, { spec: { containers: [{ name: 'a', ports: [{ containerPort: '80' }] }] } }, ['json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32']],
    ['int64 field', POD, { spec: { terminationGracePeriodSeconds: '30' } }, ['json: cannot unmarshal string into Go struct field PodSpec.spec.terminationGracePeriodSeconds of type int64']],
    ['bool field', POD, { spec: { hostNetwork: 'true' } }, ['json: cannot unmarshal string into Go struct field PodSpec.spec.hostNetwork of type bool']],
    ['string field given a number', POD, { spec: { containers: [{ name: 'a', image: 5 }] } }, ['json: cannot unmarshal number into Go struct field Container.spec.containers.image of type string']],
    ['a struct given a string', DEPLOY, { spec: 'x' }, ['json: cannot unmarshal string into Go struct field Deployment.spec of type v1.DeploymentSpec']],
    ['a list given an object', POD, { spec: { containers: {} } }, ['json: cannot unmarshal object into Go struct field PodSpec.spec.containers of type []v1.Container']],
    ['a list item of the wrong type', POD, { spec: { containers: ['nginx'] } }, ['json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type v1.Container']],
    ['a map value of the wrong type', POD, { metadata: { labels: { a: 1 } } }, ['json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string']],
    ['IntOrString given a bool', SVC, { spec: { ports: [{ port: 80, targetPort: true }] } }, ['json: cannot unmarshal bool into Go struct field ServicePort.spec.ports.targetPort of type int32']],
    ['a time given a number', POD, { metadata: { creationTimestamp: 5 } }, ['json: cannot unmarshal number into Go struct field ObjectMeta.metadata.creationTimestamp of type string']],
    ['a quantity given a bool', POD, { spec: { containers: [{ name: 'a', resources: { limits: { cpu: true } } }] } }, ["quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"]],
    ['a malformed quantity', POD, { spec: { containers: [{ name: 'a', resources: { requests: { memory: '1GB' } } }] } }, ["quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"]],
  ])('%s', (_n, gvk, obj, want) => {
    expect(msgs(gvk, obj)).toEqual(want);
  });

  it.each([
    ['nulls are zero values', POD, { metadata: { creationTimestamp: null, labels: null }, spec: { containers: [{ name: 'a', image: 'x', resources: {} }] }, status: {} }],
    ['IntOrString as a name or a number', SVC, { spec: { ports: [{ port: 80, targetPort: 'http' }, { port: 81, targetPort: 8081 }] } }],
    ['quantities as strings or numbers', POD, { spec: { containers: [{ name: 'a', resources: { limits: { cpu: 1, memory: '64Mi' }, requests: { cpu: '0.5', memory: '1e6' } } }] } }],
    ['RFC 3339 times', POD, { metadata: { creationTimestamp: '2025-01-02T03:04:05Z', deletionTimestamp: '2025-01-02T03:04:05.123+01:00' } }],
  ])('accepts %s', (_n, gvk, obj) => {
    expect(msgs(gvk, obj)).toEqual([]);
  });

  it.each([
    ['plain text in Secret data', { data: { a: 'hello world' } }, ['illegal base64 data at input byte 5']],
    ['a short quantum', { data: { a: 'abc' } }, ['illegal base64 data at input byte 0']],
    ['missing second pad', { data: { a: 'YQ=' } }, ['illegal base64 data at input byte 3']],
    ['garbage after padding', { data: { a: 'YQ==YQ==' } }, ['illegal base64 data at input byte 4']],
    ['bytes given a number', { data: { a: 1 } }, ['json: cannot unmarshal number into Go struct field Secret.data of type []uint8']],
    ['valid base64 with line breaks', { data: { a: 'YWRt\naW4=', b: 'YQ==', c: '' } }, []],
  ])('Secret data: %s', (_n, obj, want) => {
    expect(msgs({ group: '', version: 'v1', kind: 'Secret' }, obj)).toEqual(want);
  });

  it('reports where, too', () => {
    expect(typeErrors(POD, { spec: { containers: [{ name: 'a' }, { name: 'b', ports: [{ containerPort: 'x' }] }] } })[0].path).toBe('.spec.containers[1].ports[0].containerPort');
  });
});

describe('duplicateFields', () => {
  it.each([
    ['none', '{"metadata":{"name":"a"},"spec":{}}', []],
    ['in metadata', '{"metadata":{"name":"a","name":"b"}}', ['.metadata.name']],
    ['at the top', '{"kind":"Pod","kind":"Pod"}', ['.kind']],
    ['in a list item', '{"spec":{"containers":[{"name":"a"},{"name":"b","image":"x","name":"c"}]}}', ['.spec.containers[1].name']],
    ['in a map', '{"metadata":{"labels":{"a":"1","a":"2"}}}', ['.metadata.labels.a']],
    ['after escapes', '{"a\\u0062":1,"ab":2,"s":"x\\"y","s":"z"}', ['.ab', '.s']],
    ['whitespace everywhere', ' { "a" : [ 1 , { "b" : true , "b" : null } ] , "a" : 2 } ', ['.a[1].b', '.a']],
    ['same key at different levels is fine', '{"name":"a","spec":{"name":"b"}}', []],
  ])('%s', (_n, raw, want) => {
    expect(duplicateFields(raw)).toEqual(want);
  });

  it('stops quietly on bad JSON', () => {
    expect(duplicateFields('{"a":1,"a":')).toEqual(['.a']);
    expect(duplicateFields('not json')).toEqual([]);
    expect(duplicateFields('')).toEqual([]);
  });
});

describe('messages', () => {
  it('words strict failures and warnings like kube-apiserver', () => {
    expect(strictDecodingError(['.spec.containers[0].imagePullPolicyy'], ['.metadata.name'])).toBe('strict decoding error: unknown field "spec.containers[0].imagePullPolicyy", duplicate field "metadata.name"');
    expect(strictWarnings(['.spec.x'], [])).toEqual(['unknown field "spec.x"']);
    expect(decodeErrorMessage(DEPLOY, 'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32')).toBe(
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    );
  });
});

describe('/openapi/v3 documents', () => {
  type Doc = { openapi: string; paths: Record<string, Record<string, any>>; components: { schemas: Record<string, any> } };
  const index = openapiIndex() as { paths: Record<string, { serverRelativeURL: string }> };
  const gvPaths = groupVersions().flatMap((g) => g.versions.map((v) => (g.group ? `apis/${g.group}/${v}` : `api/${v}`)));

  it('the index lists every served group-version with its content hash', () => {
    expect(Object.keys(index.paths).sort()).toEqual([...gvPaths].sort());
    for (const gv of gvPaths) {
      const d = openapiDocumentJson(gv)!;
      expect(index.paths[gv].serverRelativeURL).toBe(`/openapi/v3/${gv}?hash=${d.hash}`);
      expect(d.hash).toMatch(/^[0-9A-F]{128}$/);
      expect(JSON.parse(d.json)).toEqual(openapiDocument(gv));
    }
  });

  it('accepts the path with or without slashes and the /openapi/v3 prefix; unknown is undefined', () => {
    expect(openapiDocument('/openapi/v3/apis/apps/v1')).toBe(openapiDocument('apis/apps/v1'));
    expect(openapiDocument('/api/v1/')).toBe(openapiDocument('api/v1'));
    expect(openapiDocument('apis/nope/v1')).toBeUndefined();
  });

  it('every kind has a PATCH with its GVK and a fieldValidation parameter (what kubectl looks for)', () => {
    for (const r of RESOURCES.filter((x) => x.verbs.includes('patch'))) {
      const doc = openapiDocument(r.group ? `apis/${r.group}/${r.version}` : `api/${r.version}`) as Doc;
      const ops = Object.values(doc.paths).map((p) => p.patch).filter(Boolean);
      const op = ops.find((o) => o['x-kubernetes-group-version-kind'].kind === r.kind && o['x-kubernetes-group-version-kind'].group === r.group);
      expect([r.kind, op?.parameters.some((p: any) => p.name === 'fieldValidation' && p.in === 'query')]).toEqual([r.kind, true]);
    }
  });

  it('create-only kinds (Binding) get a POST with fieldValidation', () => {
    const doc = openapiDocument('api/v1') as Doc;
    expect(doc.paths['/api/v1/namespaces/{namespace}/bindings'].post.parameters.map((p: any) => p.name)).toContain('fieldValidation');
    expect(doc.paths['/api/v1/namespaces/{namespace}/pods/{name}/eviction'].post['x-kubernetes-group-version-kind']).toEqual({ group: 'policy', version: 'v1', kind: 'Eviction' });
    expect((openapiDocument('apis/apps/v1') as Doc).paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'].patch['x-kubernetes-group-version-kind']).toEqual({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
  });

  it('every $ref resolves, and kinds carry x-kubernetes-group-version-kind', () => {
    for (const gv of gvPaths) {
      const doc = openapiDocument(gv) as Doc;
      expect(doc.openapi).toBe('3.0.0');
      const refs = new Set<string>();
      JSON.stringify(doc, (k, v) => {
        if (k === '$ref') refs.add(v);
        return v;
      });
      for (const ref of refs) expect([gv, ref, !!doc.components.schemas[ref.replace('#/components/schemas/', '')]]).toEqual([gv, ref, true]);
    }
    const core = openapiDocument('api/v1') as Doc;
    const pod = core.components.schemas['io.k8s.api.core.v1.Pod'];
    expect(pod['x-kubernetes-group-version-kind']).toEqual([{ group: '', kind: 'Pod', version: 'v1' }]);
    expect(pod.properties.spec).toEqual({ description: expect.stringContaining('Specification of the desired behavior'), allOf: [{ $ref: '#/components/schemas/io.k8s.api.core.v1.PodSpec' }], default: {} });
    expect(core.components.schemas['io.k8s.api.core.v1.Container'].required).toEqual(['name']);
    expect(core.components.schemas['io.k8s.api.core.v1.ContainerPort'].properties.protocol).toMatchObject({ type: 'string', enum: ['SCTP', 'TCP', 'UDP'] });
    expect(core.components.schemas['io.k8s.api.core.v1.PodSpec'].properties.terminationGracePeriodSeconds).toMatchObject({ type: 'integer', format: 'int64' });
    expect(core.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'].properties.labels).toMatchObject({ type: 'object', additionalProperties: { type: 'string' } });
  });
});
