/**
 * The real kubectl v1.32 against a real k8ts API server process: the foundation
 * scenarios (SCENARIOS.md §1 pods by hand without a kubelet, §3 labels, selectors,
 * namespaces). kubectl gets a fresh HOME so its discovery cache starts cold.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startApiServerProcess, Kubectl, SEEDS, tempDir, eventually, type ApiServerProcess } from '../helpers/processes';

let api: ApiServerProcess;
let k: Kubectl;
let work: string;

beforeAll(async () => {
  api = await startApiServerProcess();
  k = new Kubectl(api.url);
  work = tempDir('kubectl-work');
});

afterAll(async () => {
  await api?.stop();
  k?.cleanup();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

const seed = (f: string) => path.join(SEEDS, f);

function header(out: string): string[] {
  return out.split('\n')[0].trim().split(/\s{2,}/);
}

test('version reports server v1.32', async () => {
  const out = await k.ok(['version']);
  expect(out).toMatch(/Client Version: v1\.32/);
  expect(out).toMatch(/Server Version: v1\.32\.0/);
});

test('api-resources lists resources with short names and groups', async () => {
  const out = await k.ok(['api-resources']);
  expect(out).toMatch(/^pods\s+po\s+v1\s+true\s+Pod$/m);
  expect(out).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
  expect(out).toMatch(/^namespaces\s+ns\s+v1\s+false\s+Namespace$/m);
  expect(out).toMatch(/^leases\s+coordination\.k8s\.io\/v1\s+true\s+Lease$/m);
  const versions = await k.ok(['api-versions']);
  expect(versions).toContain('apps/v1');
  expect(versions).toContain('batch/v1');
});

test('create -f works for every seed manifest; the tab-indented one fails and creates nothing', async () => {
  const files = fs.readdirSync(SEEDS).filter((f) => f !== 'nginx-pod-tabs.yaml' && f !== 'nginx-pod.json');
  const ns = 'seeds';
  await k.ok(['create', 'namespace', ns]);
  // kuard appears in three seeds under one name: after the first, create says AlreadyExists.
  const seen = new Set<string>();
  for (const f of files) {
    const name = /name: (\S+)/.exec(fs.readFileSync(seed(f), 'utf8'))![1];
    const r = await k.run(['create', '-n', ns, '-f', seed(f)]);
    if (seen.has(name)) {
      expect(r.stderr).toContain(`pods "${name}" already exists`);
    } else {
      expect(r.stdout).toBe(`pod/${name} created\n`);
    }
    seen.add(name);
  }
  const names = (await k.ok(['get', 'pods', '-n', ns, '-o', 'name'])).trim().split('\n').sort();
  expect(names).toEqual(expect.arrayContaining(['pod/init-sample', 'pod/kuard', 'pod/kubia-manual', 'pod/kubia-manual-v2', 'pod/nginx', 'pod/web2', 'pod/webapl']));

  const before = await k.ok(['get', 'pods', '-A', '-o', 'name']);
  const bad = await k.run(['create', '-f', seed('nginx-pod-tabs.yaml')]);
  expect(bad.code).not.toBe(0);
  expect(bad.stderr).toMatch(/line \d+/);
  expect(bad.stderr.toLowerCase()).toMatch(/yaml|tab/);
  expect(await k.ok(['get', 'pods', '-A', '-o', 'name'])).toBe(before);
  await k.ok(['delete', 'namespace', ns, '--wait=false']);
});

test('YAML and JSON manifests give the same object', async () => {
  await k.ok(['create', '-f', seed('nginx-pod.yaml')]);
  const fromYaml = JSON.parse(await k.ok(['get', 'pod', 'nginx', '-o', 'json']));
  await k.ok(['delete', 'pod', 'nginx']);
  await k.ok(['create', '-f', seed('nginx-pod.json')]);
  const fromJson = JSON.parse(await k.ok(['get', 'pod', 'nginx', '-o', 'json']));
  await k.ok(['delete', 'pod/nginx']);
  expect(fromJson.spec).toEqual(fromYaml.spec);
  expect(fromJson.metadata.name).toBe('nginx');
  expect(fromYaml.spec.containers[0]).toMatchObject({ name: 'nginx', image: 'nginx:latest', imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log' });
  expect(fromYaml.spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler' });
  expect(fromYaml.status.phase).toBe('Pending');
  expect(fromYaml.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
});

test('apply creates, a changed apply configures, an unchanged apply is unchanged', async () => {
  const file = path.join(work, 'kubia.yaml');
  fs.copyFileSync(seed('kubia-manual.yaml'), file);
  expect(await k.ok(['apply', '-f', file])).toMatch(/pod\/kubia-manual created/);
  expect(await k.ok(['apply', '-f', file])).toMatch(/pod\/kubia-manual unchanged/);
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('name: kubia-manual\n', 'name: kubia-manual\n    labels:\n        tier: web\n'));
  expect(await k.ok(['apply', '-f', file])).toMatch(/pod\/kubia-manual configured/);
  expect(await k.ok(['get', 'pod', 'kubia-manual', '-o', 'jsonpath={.metadata.labels.tier}'])).toBe('web');
  const obj = JSON.parse(await k.ok(['get', 'pod', 'kubia-manual', '-o', 'json']));
  expect(obj.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toContain('"tier":"web"');
  await k.ok(['delete', '-f', file]);
  const gone = await k.run(['get', 'pod', 'kubia-manual']);
  expect(gone.code).not.toBe(0);
  expect(gone.stderr).toContain('Error from server (NotFound): pods "kubia-manual" not found');
});

test('get prints the server-side columns in every output format', async () => {
  await k.ok(['create', '-f', seed('kubia-manual-v2.yaml')]);
  const table = await k.ok(['get', 'pods']);
  expect(header(table)).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
  expect(table).toMatch(/^kubia-manual-v2\s+0\/1\s+Pending\s+0\s+\d+s$/m);
  const wide = await k.ok(['get', 'pods', '-o', 'wide']);
  expect(header(wide)).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
  expect(wide).toMatch(/kubia-manual-v2\s+0\/1\s+Pending\s+0\s+\d+s\s+<none>\s+<none>\s+<none>\s+<none>/);
  const yaml = await k.ok(['get', 'pod', 'kubia-manual-v2', '-o', 'yaml']);
  expect(yaml).toMatch(/^kind: Pod$/m);
  expect(yaml).toMatch(/creation_method: manual/);
  expect(yaml).toMatch(/resourceVersion: "\d+"/);
  const list = JSON.parse(await k.ok(['get', 'pods', '-o', 'json']));
  expect(list.kind).toBe('List');
  expect(list.items[0].kind).toBe('Pod');
  expect((await k.ok(['get', 'pods', '-o', 'name'])).trim()).toBe('pod/kubia-manual-v2');
  const labels = await k.ok(['get', 'pods', '--show-labels']);
  expect(header(labels)).toContain('LABELS');
  expect(labels).toMatch(/creation_method=manual,env=prod/);
  const cols = await k.ok(['get', 'pods', '-L', 'env,creation_method']);
  expect(header(cols)).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'ENV', 'CREATION_METHOD']);
  expect(await k.ok(['get', 'namespaces'])).toMatch(/^kube-system\s+Active\s+\d+[smh]$/m);
  expect(header(await k.ok(['get', 'ns']))).toEqual(['NAME', 'STATUS', 'AGE']);
  await k.ok(['delete', 'pod', 'kubia-manual-v2']);
});

test('label and annotate: --overwrite, key-, and selectors of every form', async () => {
  await k.ok(['create', '-f', seed('kubia-manual.yaml')]);
  await k.ok(['create', '-f', seed('kubia-manual-v2.yaml')]);
  await k.ok(['create', '-f', seed('kuard-pod.yaml')]);
  expect(await k.ok(['label', 'po', 'kubia-manual', 'creation_method=manual'])).toMatch(/pod\/kubia-manual labeled/);
  const noOverwrite = await k.run(['label', 'po', 'kubia-manual-v2', 'env=debug']);
  expect(noOverwrite.code).not.toBe(0);
  expect(noOverwrite.stderr).toMatch(/'env' already has a value \(prod\), and --overwrite is false/);
  await k.ok(['label', 'po', 'kubia-manual-v2', 'env=debug', '--overwrite']);
  await k.ok(['label', 'po', 'kuard', 'env=devel']);
  const names = async (sel: string) => (await k.ok(['get', 'po', '-l', sel, '-o', 'name'])).trim().split('\n').filter(Boolean).sort();
  expect(await names('creation_method=manual')).toEqual(['pod/kubia-manual', 'pod/kubia-manual-v2']);
  expect(await names('env')).toEqual(['pod/kuard', 'pod/kubia-manual-v2']);
  expect(await names('!env')).toEqual(['pod/kubia-manual']);
  expect(await names('creation_method!=manual')).toEqual(['pod/kuard']);
  expect(await names('env in (prod,devel)')).toEqual(['pod/kuard']);
  expect(await names('env notin (prod,devel)')).toEqual(['pod/kubia-manual', 'pod/kubia-manual-v2']);
  await k.ok(['label', 'po', 'kuard', 'env-']);
  expect(await names('env')).toEqual(['pod/kubia-manual-v2']);
  expect(await k.ok(['annotate', 'pod', 'kuard', 'owner=team-a'])).toMatch(/pod\/kuard annotated/);
  expect(await k.ok(['get', 'pod', 'kuard', '-o', 'jsonpath={.metadata.annotations.owner}'])).toBe('team-a');
  // delete -l removes exactly the matching pods
  expect(await k.ok(['delete', 'po', '-l', 'creation_method=manual'])).toMatch(/pod "kubia-manual" deleted/);
  expect(await names('creation_method')).toEqual([]);
  expect((await k.ok(['get', 'po', '-o', 'name'])).trim()).toBe('pod/kuard');
  await k.ok(['delete', 'pods/kuard']);
});

test('describe shows the pod and its events', async () => {
  await k.ok(['create', '-f', seed('web2-pod.yaml')]);
  const out = await k.ok(['describe', 'pod', 'web2']);
  expect(out).toMatch(/^Name:\s+web2$/m);
  expect(out).toMatch(/^Namespace:\s+default$/m);
  expect(out).toMatch(/^Status:\s+Pending$/m);
  expect(out).toMatch(/Image:\s+nginx:1\.28/);
  expect(out).toMatch(/Port:\s+80\/TCP/);
  expect(out).toMatch(/QoS Class:\s+BestEffort/);
  // prefix match, as kubectl does
  expect(await k.ok(['describe', 'pods', 'web'])).toMatch(/^Name:\s+web2$/m);
  await k.ok(['delete', 'pod', 'web2']);
});

test('-n and -A, namespaces', async () => {
  await k.ok(['create', 'namespace', 'dev']);
  await k.ok(['create', '-f', seed('nginx-pod.yaml'), '-n', 'dev']);
  await k.ok(['create', '-f', seed('nginx-pod.yaml')]);
  const all = await k.ok(['get', 'pods', '-A']);
  expect(header(all)).toEqual(['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
  expect(all).toMatch(/^dev\s+nginx\s/m);
  expect(all).toMatch(/^default\s+nginx\s/m);
  expect((await k.ok(['get', 'pods', '-n', 'dev', '-o', 'name'])).trim()).toBe('pod/nginx');
  const missing = await k.run(['create', '-f', seed('nginx-pod.yaml'), '-n', 'nope']);
  expect(missing.stderr).toContain('namespaces "nope" not found');
  await k.ok(['delete', 'pod', 'nginx', '-n', 'dev']);
  await k.ok(['delete', 'pod', 'nginx']);
});

test('get -w prints changes as they happen', async () => {
  const watcher = spawn('kubectl', ['get', 'pods', '-w'], { env: k.env() });
  let out = '';
  watcher.stdout.on('data', (c) => (out += c));
  watcher.stderr.on('data', (c) => (out += c));
  try {
    // With nothing to list, kubectl prints nothing until the first event: give it time to
    // list and open its watch (a missed event would fail the wait below, not pass it).
    await new Promise((r) => setTimeout(r, 2000));
    await k.ok(['create', '-f', seed('kubia-manual.yaml')]);
    await eventually(async () => /kubia-manual\s+0\/1\s+Pending/.test(out), 15_000);
    await k.ok(['label', 'pod', 'kubia-manual', 'x=y']);
    await k.ok(['delete', 'pod', 'kubia-manual']);
    await eventually(async () => (out.match(/kubia-manual/g) ?? []).length >= 2, 15_000);
  } finally {
    watcher.kill('SIGKILL');
  }
});

test('delete all --all removes pods, services and more', async () => {
  await k.ok(['create', '-f', seed('nginx-pod.yaml')]);
  await k.ok(['create', '-f', seed('kuard-pod.yaml')]);
  const out = await k.ok(['delete', 'all', '--all']);
  expect(out).toMatch(/pod "nginx" deleted/);
  expect(out).toMatch(/pod "kuard" deleted/);
  const r = await k.run(['get', 'pods']);
  expect(r.stderr).toMatch(/No resources found in default namespace/);
});

test('server-side dry run and server-side apply', async () => {
  const dry = await k.ok(['create', '-f', seed('nginx-pod.yaml'), '--dry-run=server', '-o', 'name']);
  expect(dry.trim()).toBe('pod/nginx');
  expect((await k.run(['get', 'pod', 'nginx'])).code).not.toBe(0);
  expect(await k.ok(['apply', '--server-side', '-f', seed('nginx-pod.yaml')])).toMatch(/pod\/nginx serverside-applied/);
  expect(await k.ok(['apply', '--server-side', '-f', seed('nginx-pod.yaml')])).toMatch(/pod\/nginx serverside-applied/);
  await k.ok(['delete', 'pod', 'nginx']);
});

test('protobuf bodies from generator commands decode', async () => {
  expect(await k.ok(['create', 'deployment', 'web', '--image=nginx:1.28', '--replicas=2'])).toMatch(/deployment.apps\/web created/);
  const d = JSON.parse(await k.ok(['get', 'deploy', 'web', '-o', 'json']));
  expect(d.spec.replicas).toBe(2);
  expect(d.spec.template.spec.containers[0].image).toBe('nginx:1.28');
  expect(d.spec.strategy.type).toBe('RollingUpdate');
  await k.ok(['create', 'configmap', 'cfg', '--from-literal=a=b']);
  expect(await k.ok(['get', 'cm', 'cfg', '-o', 'jsonpath={.data.a}'])).toBe('b');
  await k.ok(['create', 'secret', 'generic', 'sec', '--from-literal=password=s3cret']);
  expect(Buffer.from(await k.ok(['get', 'secret', 'sec', '-o', 'jsonpath={.data.password}']), 'base64').toString()).toBe('s3cret');
  await k.ok(['scale', 'deployment', 'web', '--replicas=3']);
  expect(await k.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])).toBe('3');
  await k.ok(['delete', 'deploy', 'web']);
  await k.ok(['delete', 'cm', 'cfg']);
  await k.ok(['delete', 'secret', 'sec']);
});
