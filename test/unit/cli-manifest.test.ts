import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseManifestText, readManifests } from '../../cli/manifest';
import { CliError } from '../../cli/errors';

const SEEDS = path.resolve(__dirname, '../../../shared/fixtures/seeds');
const haveSeeds = fs.existsSync(SEEDS);
const seedTest = haveSeeds ? test : test.skip;

describe('parseManifestText', () => {
  test('multi-document YAML, empty documents skipped', () => {
    const objs = parseManifestText('---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n---\n# only a comment\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\n', 'x.yaml');
    expect(objs.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Pod/a', 'Service/b']);
  });

  test('JSON object, JSON List and YAML List are expanded', () => {
    const json = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' } }, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'b' } }] });
    expect(parseManifestText(json, 'l.json').map((o) => o.metadata.name)).toEqual(['a', 'b']);
    expect(parseManifestText('apiVersion: v1\nkind: PodList\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: c}\n', 'l.yaml')[0].metadata.name).toBe('c');
  });

  test('YAML 1.1 like kubectl: octal modes, yes/no booleans, timestamps stay strings', () => {
    const [o] = parseManifestText('apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  annotations:\n    t: 2024-01-01T10:00:00Z\nspec:\n  defaultMode: 0644\n  flag: yes\n', 'x.yaml');
    expect((o.spec as Record<string, unknown>).defaultMode).toBe(420);
    expect((o.spec as Record<string, unknown>).flag).toBe(true);
    expect(o.metadata.annotations!.t).toBe('2024-01-01T10:00:00Z');
  });

  test('tab indentation: one line naming the file and the line', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n\tname: nginx\n';
    expect(() => parseManifestText(text, 'nginx-pod-tabs.yaml')).toThrow(CliError);
    try {
      parseManifestText(text, 'nginx-pod-tabs.yaml');
    } catch (err) {
      expect((err as Error).message).toMatch(/^error parsing nginx-pod-tabs\.yaml: error converting YAML to JSON: yaml: line 4: found a tab character/);
      expect((err as Error).message).not.toContain('\n');
    }
  });

  test('other syntax errors name the line too; broken JSON names its line (JSON-looking YAML is accepted)', () => {
    expect(parseManifestText('{apiVersion: v1, kind: Pod, metadata: {name: x,},}', 'flow.yaml')[0].metadata.name).toBe('x');
    expect(() => parseManifestText('apiVersion: v1\nkind: Pod\nmetadata: [a\n', 'bad.yaml')).toThrow(/^error parsing bad\.yaml: .*line \d+/);
    expect(() => parseManifestText('{\n  "apiVersion": "v1",\n  "kind": "Pod"\n  "metadata": {"name": "x"}\n}', 'bad.json')).toThrow(/^error parsing bad\.json: line 4: /);
  });

  test('missing apiVersion/kind is kubectl\'s validation error', () => {
    expect(() => parseManifestText('metadata:\n  name: a\n', 'x.yaml')).toThrow('error validating "x.yaml": error validating data: [apiVersion not set, kind not set]');
    expect(() => parseManifestText('apiVersion: v1\nmetadata:\n  name: a\n', 'x.yaml')).toThrow('error validating data: kind not set;');
    expect(() => parseManifestText('- a\n- b\n', 'x.yaml')).toThrow(/not an object/);
  });
});

describe('readManifests', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8ts-mf-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a directory: .yaml/.yml/.json in name order, not recursive unless -R; stdin', async () => {
    fs.writeFileSync(path.join(dir, 'b.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: b\n');
    fs.writeFileSync(path.join(dir, 'a.json'), '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"}}');
    fs.writeFileSync(path.join(dir, 'c.yml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: c\n');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a manifest');
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'sub', 'd.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: d\n');
    const flat = await readManifests([dir], { cwd: '/' });
    expect(flat.map((m) => m.object.metadata.name)).toEqual(['a', 'b', 'c']);
    expect(flat[0].source).toBe(path.join(dir, 'a.json'));
    const deep = await readManifests([dir], { cwd: '/', recursive: true });
    expect(deep.map((m) => m.object.metadata.name)).toEqual(['a', 'b', 'c', 'd']);
    const stdin = await readManifests(['-'], { cwd: '/', stdin: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: s\n' });
    expect(stdin).toEqual([{ source: 'STDIN', object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 's' } } }]);
  });

  test('a bad file among good ones fails before anything is returned', async () => {
    fs.writeFileSync(path.join(dir, 'good.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: g\n');
    fs.writeFileSync(path.join(dir, 'zz-bad.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n\tname: nginx\n');
    await expect(readManifests([path.join(dir, 'good.yaml'), path.join(dir, 'zz-bad.yaml')], { cwd: '/' })).rejects.toThrow(/zz-bad\.yaml.*line 4/);
    await expect(readManifests(['nope.yaml'], { cwd: dir })).rejects.toThrow('the path "nope.yaml" does not exist');
  });

  seedTest('the course seeds parse (and the tab one fails on line 4)', async () => {
    for (const f of fs.readdirSync(SEEDS)) {
      const p = path.join(SEEDS, f);
      if (f === 'nginx-pod-tabs.yaml') {
        await expect(readManifests([f], { cwd: SEEDS })).rejects.toThrow('error parsing nginx-pod-tabs.yaml: error converting YAML to JSON: yaml: line 4:');
      } else {
        const objs = await readManifests([p], { cwd: '/' });
        expect(objs.length).toBeGreaterThan(0);
      }
    }
    const [json] = await readManifests([path.join(SEEDS, 'nginx-pod.json')], { cwd: '/' });
    const [yaml] = await readManifests([path.join(SEEDS, 'nginx-pod.yaml')], { cwd: '/' });
    expect(json.object.metadata.name).toBe('nginx');
    expect(yaml.object.kind).toBe('Pod');
  });
});
