/**
 * The foundation scenarios (SCENARIOS.md §1 pods by hand — without a kubelet yet — and
 * §3 labels, selectors, namespaces) against a real k8ts API server process, run twice:
 * through the real kubectl v1.32 and through our `k8ts` CLI. Each client gets its own
 * server and a fresh HOME, so kubectl's discovery cache starts cold.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startApiServerProcess, Cli, SEEDS, tempDir, eventually, type ApiServerProcess } from '../helpers/processes';

const seed = (f: string) => path.join(SEEDS, f);

function header(out: string): string[] {
  return out.split('\n')[0].trim().split(/\s{2,}/);
}

describe.each(['kubectl', 'k8ts'] as const)('%s', (client) => {
  let api: ApiServerProcess;
  let k: Cli;
  let work: string;

  beforeAll(async () => {
    api = await startApiServerProcess();
    k = new Cli(client, api.url);
    work = tempDir('cli-work');
  });

  afterAll(async () => {
    await api?.stop();
    k?.cleanup();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  const getJson = async (args: string[]) => JSON.parse(await k.ok(['get', ...args, '-o', 'json']));
  const names = async (args: string[]) => (await k.ok(['get', ...args, '-o', 'name'])).trim().split('\n').filter(Boolean).sort();

  test('version reports server v1.32', async () => {
    const out = await k.ok(['version']);
    expect(out).toMatch(/Client Version: v1\.32/);
    expect(out).toMatch(/Server Version: v1\.32\.0/);
  });

  test('api-resources and api-versions list resources with short names and groups', async () => {
    const out = await k.ok(['api-resources']);
    expect(header(out)).toEqual(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND']);
    expect(out).toMatch(/^pods\s+po\s+v1\s+true\s+Pod$/m);
    expect(out).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    expect(out).toMatch(/^namespaces\s+ns\s+v1\s+false\s+Namespace$/m);
    expect(out).toMatch(/^leases\s+coordination\.k8s\.io\/v1\s+true\s+Lease$/m);
    const versions = await k.ok(['api-versions']);
    expect(versions).toContain('apps/v1');
    expect(versions).toContain('batch/v1');
  });

  test('cluster-info names the control plane', async () => {
    expect(await k.ok(['cluster-info'])).toContain(`is running at ${api.url}`);
  });

  test('create -f works for every seed manifest; the tab-indented one fails and creates nothing', async () => {
    const files = fs.readdirSync(SEEDS).filter((f) => f !== 'nginx-pod-tabs.yaml' && f !== 'nginx-pod.json');
    const ns = 'seeds';
    fs.writeFileSync(path.join(work, 'ns.yaml'), `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`);
    await k.ok(['create', '-f', path.join(work, 'ns.yaml')]);
    // kuard appears in three seeds under one name: after the first, create says AlreadyExists.
    const seen = new Set<string>();
    for (const f of files) {
      const name = /name: (\S+)/.exec(fs.readFileSync(seed(f), 'utf8'))![1];
      const r = await k.run(['create', '-n', ns, '-f', seed(f)]);
      if (seen.has(name)) expect(r.stderr).toContain(`pods "${name}" already exists`);
      else expect(r.stdout).toBe(`pod/${name} created\n`);
      seen.add(name);
    }
    expect(await names(['pods', '-n', ns])).toEqual(['pod/init-sample', 'pod/kuard', 'pod/kubia-manual', 'pod/kubia-manual-v2', 'pod/nginx', 'pod/web2', 'pod/webapl']);

    const before = await k.ok(['get', 'pods', '-A', '-o', 'name']);
    const bad = await k.run(['create', '-f', seed('nginx-pod-tabs.yaml')]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/line \d+/);
    expect(bad.stderr.toLowerCase()).toMatch(/yaml|tab/);
    expect(await k.ok(['get', 'pods', '-A', '-o', 'name'])).toBe(before);
    await k.ok(['delete', '-n', ns, 'pods', '--all']);
  });

  test('YAML and JSON manifests give the same object', async () => {
    await k.ok(['create', '-f', seed('nginx-pod.yaml')]);
    const fromYaml = await getJson(['pod', 'nginx']);
    await k.ok(['delete', 'pod', 'nginx']);
    await k.ok(['create', '-f', seed('nginx-pod.json')]);
    const fromJson = await getJson(['pod', 'nginx']);
    await k.ok(['delete', 'pod/nginx']);
    expect(fromJson.spec).toEqual(fromYaml.spec);
    expect(fromJson.metadata.name).toBe('nginx');
    expect(fromYaml.spec.containers[0]).toMatchObject({ name: 'nginx', image: 'nginx:latest', imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log' });
    expect(fromYaml.spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler' });
    expect(fromYaml.status.phase).toBe('Pending');
    expect(fromYaml.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('apply creates, an unchanged apply is unchanged, a changed apply configures; delete -f', async () => {
    const file = path.join(work, 'kubia.yaml');
    fs.copyFileSync(seed('kubia-manual.yaml'), file);
    expect(await k.ok(['apply', '-f', file])).toMatch(/pod\/kubia-manual created/);
    expect(await k.ok(['apply', '-f', file])).toMatch(/pod\/kubia-manual unchanged/);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('name: kubia-manual\n', 'name: kubia-manual\n    labels:\n        tier: web\n'));
    expect(await k.ok(['apply', '-f', file])).toMatch(/pod\/kubia-manual configured/);
    const obj = await getJson(['pod', 'kubia-manual']);
    expect(obj.metadata.labels.tier).toBe('web');
    expect(obj.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toContain('"tier":"web"');
    expect(await k.ok(['delete', '-f', file])).toMatch(/pod "kubia-manual" deleted/);
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
    const list = await getJson(['pods']);
    expect(list.kind).toBe('List');
    expect(list.items[0].kind).toBe('Pod');
    expect(await names(['pods'])).toEqual(['pod/kubia-manual-v2']);
    const labels = await k.ok(['get', 'pods', '--show-labels']);
    expect(header(labels)).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'LABELS']);
    expect(labels).toMatch(/creation_method=manual,env=prod/);
    const cols = await k.ok(['get', 'pods', '-L', 'env,creation_method']);
    expect(header(cols)).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'ENV', 'CREATION_METHOD']);
    expect(cols).toMatch(/kubia-manual-v2\s+0\/1\s+Pending\s+0\s+\d+s\s+prod\s+manual/);
    expect(await k.ok(['get', 'namespaces'])).toMatch(/^kube-system\s+Active\s+\d+[smh]$/m);
    expect(header(await k.ok(['get', 'ns']))).toEqual(['NAME', 'STATUS', 'AGE']);
    const multi = await k.ok(['get', 'pods,namespaces']);
    expect(multi).toMatch(/^pod\/kubia-manual-v2\s/m);
    expect(multi).toMatch(/^namespace\/default\s/m);
    await k.ok(['delete', 'pod', 'kubia-manual-v2']);
  });

  test('label and annotate: --overwrite, key-, and selectors of every form; delete -l', async () => {
    await k.ok(['create', '-f', seed('kubia-manual.yaml')]);
    await k.ok(['create', '-f', seed('kubia-manual-v2.yaml')]);
    await k.ok(['create', '-f', seed('kuard-pod.yaml')]);
    expect(await k.ok(['label', 'po', 'kubia-manual', 'creation_method=manual'])).toMatch(/pod\/kubia-manual labeled/);
    const noOverwrite = await k.run(['label', 'po', 'kubia-manual-v2', 'env=debug']);
    expect(noOverwrite.code).not.toBe(0);
    expect(noOverwrite.stderr).toMatch(/'env' already has a value \(prod\), and --overwrite is false/);
    await k.ok(['label', 'po', 'kubia-manual-v2', 'env=debug', '--overwrite']);
    await k.ok(['label', 'po', 'kuard', 'env=devel']);
    const sel = (s: string) => names(['po', '-l', s]);
    expect(await sel('creation_method=manual')).toEqual(['pod/kubia-manual', 'pod/kubia-manual-v2']);
    expect(await sel('env')).toEqual(['pod/kuard', 'pod/kubia-manual-v2']);
    expect(await sel('!env')).toEqual(['pod/kubia-manual']);
    expect(await sel('creation_method!=manual')).toEqual(['pod/kuard']);
    expect(await sel('env in (prod,devel)')).toEqual(['pod/kuard']);
    expect(await sel('env notin (prod,devel)')).toEqual(['pod/kubia-manual', 'pod/kubia-manual-v2']);
    await k.ok(['label', 'po', 'kuard', 'env-']);
    expect(await sel('env')).toEqual(['pod/kubia-manual-v2']);
    expect(await k.ok(['annotate', 'pod', 'kuard', 'owner=team-a'])).toMatch(/pod\/kuard annotated/);
    expect((await getJson(['pod', 'kuard'])).metadata.annotations.owner).toBe('team-a');
    const del = await k.ok(['delete', 'po', '-l', 'creation_method=manual']);
    expect(del).toMatch(/pod "kubia-manual" deleted/);
    expect(del).toMatch(/pod "kubia-manual-v2" deleted/);
    expect(await sel('creation_method')).toEqual([]);
    expect(await names(['po'])).toEqual(['pod/kuard']);
    await k.ok(['delete', 'pods/kuard']);
  });

  test('describe shows the pod, by name and by prefix', async () => {
    await k.ok(['create', '-f', seed('web2-pod.yaml')]);
    const out = await k.ok(['describe', 'pod', 'web2']);
    expect(out).toMatch(/^Name:\s+web2$/m);
    expect(out).toMatch(/^Namespace:\s+default$/m);
    expect(out).toMatch(/^Status:\s+Pending$/m);
    expect(out).toMatch(/Image:\s+nginx:1\.28/);
    expect(out).toMatch(/Port:\s+80\/TCP/);
    expect(out).toMatch(/QoS Class:\s+BestEffort/);
    expect(out).toMatch(/^Events:\s+<none>$/m);
    expect(await k.ok(['describe', 'pods', 'web'])).toMatch(/^Name:\s+web2$/m);
    expect(await k.ok(['describe', 'pods', '-l', 'nope!=x', '-A'])).toMatch(/^Name:\s+web2$/m);
    await k.ok(['delete', 'pod', 'web2']);
  });

  test('-n and -A across namespaces; a missing namespace is NotFound', async () => {
    fs.writeFileSync(path.join(work, 'dev.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev\n');
    await k.ok(['create', '-f', path.join(work, 'dev.yaml')]);
    await k.ok(['create', '-f', seed('nginx-pod.yaml'), '-n', 'dev']);
    await k.ok(['create', '-f', seed('nginx-pod.yaml')]);
    const all = await k.ok(['get', 'pods', '-A']);
    expect(header(all)).toEqual(['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(all).toMatch(/^dev\s+nginx\s/m);
    expect(all).toMatch(/^default\s+nginx\s/m);
    expect(await names(['pods', '-n', 'dev'])).toEqual(['pod/nginx']);
    const missing = await k.run(['create', '-f', seed('nginx-pod.yaml'), '-n', 'nope']);
    expect(missing.stderr).toContain('namespaces "nope" not found');
    await k.ok(['delete', 'pod', 'nginx', '-n', 'dev']);
    await k.ok(['delete', 'pod', 'nginx']);
  });

  test('get -w prints changes as they happen', async () => {
    const [cmd, pre] = k.command();
    const watcher = spawn(cmd, [...pre, 'get', 'pods', '-w'], { env: k.env() });
    let out = '';
    watcher.stdout.on('data', (c) => (out += c));
    watcher.stderr.on('data', (c) => (out += c));
    try {
      // With nothing to list, the client prints nothing until the first event: give it time
      // to list and open its watch (a missed event fails the wait below, it cannot pass it).
      await new Promise((r) => setTimeout(r, 2000));
      await k.ok(['create', '-f', seed('kubia-manual.yaml')]);
      await eventually(async () => /kubia-manual\s+0\/1\s+Pending/.test(out), 15_000);
      await k.ok(['label', 'pod', 'kubia-manual', 'x=y']);
      await eventually(async () => (out.match(/kubia-manual/g) ?? []).length >= 2, 15_000);
    } finally {
      watcher.kill('SIGKILL');
      await k.run(['delete', 'pod', 'kubia-manual']);
    }
  });

  test('delete all --all removes every object of the "all" category', async () => {
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
    // kubectl hides managedFields in its output; read them from the API directly.
    const live: any = await (await fetch(`${api.url}/api/v1/namespaces/default/pods/nginx`)).json();
    expect(live.metadata.managedFields.map((m: any) => `${m.manager}/${m.operation}`)).toEqual(['kubectl/Apply']); // k8ts uses kubectl's manager name, so the two share ownership
    await k.ok(['delete', 'pod', 'nginx']);
  });
});

describe('kubectl only', () => {
  let api: ApiServerProcess;
  let k: Cli;

  beforeAll(async () => {
    api = await startApiServerProcess();
    k = new Cli('kubectl', api.url);
  });

  afterAll(async () => {
    await api?.stop();
    k?.cleanup();
  });

  test('protobuf bodies from generator commands decode; scale uses the scale subresource', async () => {
    expect(await k.ok(['create', 'deployment', 'web', '--image=nginx:1.28', '--replicas=2'])).toMatch(/deployment.apps\/web created/);
    const d = JSON.parse(await k.ok(['get', 'deploy', 'web', '-o', 'json']));
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.template.spec.containers[0].image).toBe('nginx:1.28');
    expect(d.spec.strategy.type).toBe('RollingUpdate');
    await k.ok(['create', 'namespace', 'qa']);
    expect(await k.ok(['get', 'ns', 'qa', '-o', 'jsonpath={.status.phase}'])).toBe('Active');
    await k.ok(['create', 'configmap', 'cfg', '--from-literal=a=b']);
    expect(await k.ok(['get', 'cm', 'cfg', '-o', 'jsonpath={.data.a}'])).toBe('b');
    await k.ok(['create', 'secret', 'generic', 'sec', '--from-literal=password=s3cret']);
    expect(Buffer.from(await k.ok(['get', 'secret', 'sec', '-o', 'jsonpath={.data.password}']), 'base64').toString()).toBe('s3cret');
    await k.ok(['create', 'serviceaccount', 'robot']);
    await k.ok(['create', 'job', 'once', '--image=busybox']);
    expect(await k.ok(['get', 'job', 'once', '-o', 'jsonpath={.spec.backoffLimit}'])).toBe('6');
    await k.ok(['scale', 'deployment', 'web', '--replicas=3']);
    expect(await k.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])).toBe('3');
    const table = await k.ok(['get', 'deploy']);
    expect(header(table)).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
    await k.ok(['delete', 'deploy', 'web']);
  });

  test('run --dry-run=client -o yaml then apply -f, as the course notes do', async () => {
    const yaml = await k.ok(['run', 'test', '--image=nginx', '--dry-run=client', '-o', 'yaml']);
    expect(yaml).toMatch(/run: test/);
    expect(await k.ok(['apply', '-f', '-'], { input: yaml })).toMatch(/pod\/test created/);
    const again = await k.run(['run', 'test', '--image=nginx']);
    expect(again.stderr).toContain('pods "test" already exists');
    await k.ok(['delete', 'pod', 'test']);
  });

  test('explain reads the OpenAPI v3 schemas', async () => {
    expect(await k.ok(['explain', 'pods.spec.containers.image'])).toMatch(/FIELD:\s+image <string>/);
  });
});
