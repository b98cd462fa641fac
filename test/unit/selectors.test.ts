import fc from 'fast-check';
import { parseLabelSelector, matchLabels, parseFieldSelector, matchFields, fromLabelSelector, formatRequirements, SelectorError } from '../../shared/selectors';

describe('label selectors', () => {
  const labels = { creation_method: 'manual', env: 'prod', app: 'kubia' };
  const cases: [string, Record<string, string> | undefined, boolean][] = [
    ['', labels, true],
    ['creation_method=manual', labels, true],
    ['creation_method==manual', labels, true],
    ['creation_method!=manual', labels, false],
    ['creation_method!=manual', { env: 'prod' }, true],
    ['env', labels, true],
    ['env', { app: 'x' }, false],
    ['!env', labels, false],
    ['!env', { app: 'x' }, true],
    ['!env', undefined, true],
    ['env in (prod,devel)', labels, true],
    ['env in (prod, devel)', labels, true],
    ['env in (qa,devel)', labels, false],
    ['env notin (prod,devel)', labels, false],
    ['env notin (prod,devel)', { app: 'x' }, true],
    ['env in (prod),app=kubia', labels, true],
    ['env in (prod),app=other', labels, false],
    ['app=kubia,!missing', labels, true],
    ['example.com/tier=front', { 'example.com/tier': 'front' }, true],
  ];
  test.each(cases)('%s', (sel, l, want) => {
    expect(matchLabels(parseLabelSelector(sel), l)).toBe(want);
  });

  test.each(['env in ()', 'a=b=c', 'Bad Key=x', 'env in (prod', 'a=%bad', ',a'])('rejects %s', (sel) => {
    expect(() => parseLabelSelector(sel)).toThrow(SelectorError);
  });

  test('LabelSelector objects convert and print like Kubernetes', () => {
    const reqs = fromLabelSelector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] })!;
    expect(formatRequirements(reqs)).toBe('app=web,tier in (a,b)');
    expect(matchLabels(reqs, { app: 'web', tier: 'a' })).toBe(true);
    expect(fromLabelSelector(undefined)).toBeNull();
  });

  test('formatted selectors parse back to the same meaning', () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);
    const value = fc.stringMatching(/^[a-z0-9]{1,6}$/);
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 4 }), fc.dictionary(key, value, { maxKeys: 4 }), (sel, labels) => {
        const reqs = fromLabelSelector({ matchLabels: sel })!;
        const reparsed = parseLabelSelector(formatRequirements(reqs));
        expect(matchLabels(reparsed, labels)).toBe(matchLabels(reqs, labels));
      }),
    );
  });
});

describe('field selectors', () => {
  const fields = { 'metadata.name': 'web', 'status.phase': 'Running', 'involvedObject.namespace': '' };
  test.each<[string, boolean]>([
    ['metadata.name=web', true],
    ['metadata.name==web', true],
    ['metadata.name!=web', false],
    ['status.phase!=Succeeded,status.phase!=Failed', true],
    ['involvedObject.namespace=', true],
    ['involvedObject.namespace!=', false],
  ])('%s', (sel, want) => expect(matchFields(parseFieldSelector(sel), fields)).toBe(want));

  test('escapes', () => {
    expect(parseFieldSelector('a=x\\,y,b=z')).toEqual([
      { field: 'a', op: '=', value: 'x,y' },
      { field: 'b', op: '=', value: 'z' },
    ]);
  });

  test('rejects a term without an operator', () => {
    expect(() => parseFieldSelector('metadata.name')).toThrow(SelectorError);
  });
});
