import { applyMetaUpdate, labelMessage, labelValueErrors, metaPatch, parseMetaArgs, qualifiedNameErrors } from '../../cli/label';
import { parseResourceArgs, propagationPolicy, parseDryRun } from '../../cli/resources';
import { deleteOptionsBody } from '../../cli/delete';
import { formatApiError, formatError, withSource } from '../../cli/errors';
import { normalizeArgv } from '../../cli/main';
import { ApiError, invalid, field, notFound } from '../../shared/api/errors';

describe('label/annotate arguments', () => {
  test('resources first, then changes', () => {
    expect(parseMetaArgs(['po', 'kubia-manual', 'creation_method=manual', 'env-'], 'labels')).toEqual({
      resources: ['po', 'kubia-manual'],
      update: { add: { creation_method: 'manual' }, remove: ['env'] },
    });
    expect(parseMetaArgs(['pod/web', 'example.com/tier=fe'], 'labels').update.add).toEqual({ 'example.com/tier': 'fe' });
    expect(() => parseMetaArgs(['po', 'a=b', 'web'], 'labels')).toThrow('all resources must be specified before label changes: web');
  });

  test('label values are validated; annotation values may contain = and anything', () => {
    expect(() => parseMetaArgs(['po', 'x', 'a=b=c'], 'labels')).toThrow('invalid label spec: a=b=c');
    expect(() => parseMetaArgs(['po', 'x', 'a=b c'], 'labels')).toThrow(/^invalid label value: "a=b c": a valid label must be/);
    expect(parseMetaArgs(['po', 'x', 'description=a=b c'], 'annotations').update.add).toEqual({ description: 'a=b c' });
    expect(() => parseMetaArgs(['po', 'x', '=v'], 'annotations')).toThrow('invalid annotation format: =v');
    expect(() => parseMetaArgs(['po', 'x', 'a=1', 'a-'], 'labels')).toThrow('can not both modify and remove a label in the same command');
    expect(qualifiedNameErrors('Bad/x')).toHaveLength(1);
    expect(qualifiedNameErrors('-x')).toHaveLength(1);
    expect(qualifiedNameErrors('a'.repeat(64))).toEqual(['name part must be no more than 63 characters']);
    expect(labelValueErrors('')).toEqual([]);
  });

  test('changing an existing value needs --overwrite (same value is fine)', () => {
    const cur = { env: 'prod', app: 'web' };
    expect(() => applyMetaUpdate(cur, { add: { env: 'debug' }, remove: [] }, false)).toThrow("'env' already has a value (prod), and --overwrite is false");
    expect(applyMetaUpdate(cur, { add: { env: 'prod' }, remove: [] }, false)).toEqual(cur);
    expect(applyMetaUpdate(cur, { add: { env: 'debug' }, remove: ['app'] }, true)).toEqual({ env: 'debug' });
  });

  test('the merge patch holds only what changed; the verdict is kubectl\'s', () => {
    expect(metaPatch('labels', { a: '1', b: '2' }, { a: '1', c: '3' })).toEqual({ metadata: { labels: { c: '3', b: null } } });
    expect(metaPatch('labels', { a: '1' }, { a: '1' })).toBeUndefined();
    expect(metaPatch('annotations', undefined, { x: 'y' }, '42')).toEqual({ metadata: { annotations: { x: 'y' }, resourceVersion: '42' } });
    expect(labelMessage({ a: '1' }, { a: '1', b: '2' }, false)).toBe('labeled');
    expect(labelMessage({ a: '1', b: '2' }, { a: '1' }, false)).toBe('unlabeled');
    expect(labelMessage({ a: '1', b: '2' }, { a: '1' }, true)).toBe('labeled');
    expect(labelMessage({ a: '1' }, { a: '1' }, false)).toBe('not labeled');
  });
});

describe('resource arguments and flags', () => {
  test('TYPE[,TYPE] NAME… and TYPE/NAME…', () => {
    expect(parseResourceArgs(['pods,svc', 'web', 'api'])).toEqual({ form: 'types', types: ['pods', 'svc'], names: ['web', 'api'] });
    expect(parseResourceArgs(['pod/web', 'deploy/api'])).toEqual({ form: 'pairs', pairs: [{ type: 'pod', name: 'web' }, { type: 'deploy', name: 'api' }] });
    expect(() => parseResourceArgs(['pods', 'pod/web'])).toThrow(/there is no need to specify a resource type as a separate argument/);
    expect(() => parseResourceArgs(['pod/'])).toThrow();
  });

  test('delete options as kubectl sends them', () => {
    expect(deleteOptionsBody({})).toEqual({ propagationPolicy: 'Background' });
    expect(deleteOptionsBody({ gracePeriod: '0', force: true })).toEqual({ gracePeriodSeconds: 0, propagationPolicy: 'Background' });
    expect(deleteOptionsBody({ gracePeriod: '0' })).toEqual({ gracePeriodSeconds: 1, propagationPolicy: 'Background' });
    expect(deleteOptionsBody({ now: true, cascade: 'foreground' })).toEqual({ gracePeriodSeconds: 1, propagationPolicy: 'Foreground' });
    expect(deleteOptionsBody({ force: true })).toEqual({ gracePeriodSeconds: 0, propagationPolicy: 'Background' });
    expect(propagationPolicy('orphan')).toBe('Orphan');
    expect(propagationPolicy('false')).toBe('Orphan');
    expect(() => propagationPolicy('sideways')).toThrow('invalid cascade value (sideways)');
    expect(parseDryRun('server')).toBe('server');
    expect(parseDryRun(true)).toBe('client');
    expect(() => parseDryRun('maybe')).toThrow();
  });
});

test('kubectl-style flags are normalised for commander', () => {
  expect(normalizeArgv(['get', 'pods', '-o=yaml', '-n=dev'])).toEqual(['get', 'pods', '-o', 'yaml', '-n', 'dev']);
  expect(normalizeArgv(['delete', '--dry-run', 'pod', 'web'])).toEqual(['delete', '--dry-run=client', 'pod', 'web']);
  expect(normalizeArgv(['delete', 'pod', 'web', '--wait=false', '--cascade'])).toEqual(['delete', 'pod', 'web', '--wait=false', '--cascade=background']);
  expect(normalizeArgv(['get', 'po', '--show-labels=true', '--watch=false', '-A=true', '-w=false'])).toEqual(['get', 'po', '--show-labels', '-A']);
  expect(normalizeArgv(['x', '--', '-o=y', '--dry-run'])).toEqual(['x', '--', '-o=y', '--dry-run']);
});

describe('error wording', () => {
  test('API errors as kubectl prints them', () => {
    expect(formatError(notFound({ resource: 'pods', name: 'x' }))).toBe('Error from server (NotFound): pods "x" not found');
    expect(formatError(invalid('Pod', 'bad', [field.required('spec.containers')]))).toBe('The Pod "bad" is invalid: spec.containers: Required value');
    expect(formatApiError(invalid('Pod', 'bad', [field.required('spec.containers'), field.required('metadata.name')]))).toBe('The Pod "bad" is invalid: \n* spec.containers: Required value\n* metadata.name: Required value');
    expect(formatError(new ApiError(401, 'Unauthorized', 'Unauthorized'))).toBe('error: You must be logged in to the server (Unauthorized)');
    expect(formatError(new ApiError(500, '', 'boom'))).toBe('Error from server: boom');
    expect(formatError(new Error('plain'))).toBe('error: plain');
    expect(formatError(withSource(new ApiError(409, 'AlreadyExists', 'pods "web" already exists'), 'creating', 'pod.yaml'))).toBe('Error from server (AlreadyExists): error when creating "pod.yaml": pods "web" already exists');
  });
});
