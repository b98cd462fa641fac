/**
 * The CLI driven in-process (runCli) against a small fake API server: what each verb
 * sends and prints. End-to-end runs against the real API server live in test/e2e.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../cli/main';
import { LAST_APPLIED_ANNOTATION } from '../../cli/apply-patch';
import { writeKubeconfig } from '../../shared/kubeconfig';
import { FakeApiServer, Sink } from './cli-fake-server';

let srv: FakeApiServer;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'k8ts-cli-'));
const SEEDS = path.resolve(__dirname, '../../../shared/fixtures/seeds');

beforeAll(async () => {
  srv = new FakeApiServer();
  await srv.start();
});
afterAll(async () => {
  await srv.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});
beforeEach(() => {
  srv.store.clear();
  srv.requests.length = 0;
});

interface RunResult {
  code: number;
  out: string;
  err: string;
}

async function k8ts(argv: string[], opts: { signal?: AbortSignal; stdout?: Sink; tty?: boolean; server?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  const stdout = opts.stdout ?? new Sink();
  if (opts.tty) stdout.isTTY = true;
  const stderr = new Sink();
  const args = opts.server === false ? argv : [...argv, '--server', srv.url];
  const code = await runCli(args, { stdout, stderr, env: opts.env ?? { HOME: tmp }, cwd: tmp, signal: opts.signal });
  return { code, out: stdout.text, err: stderr.text };
}

function writeFile(name: string, text: string): string {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, text);
  return p;
}

const pod = (name: string, ns = 'default', labels: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels }, status: { phase: 'Running', podIP: '10.244.0.5' } });

function writes() {
  return srv.requests.filter((r) => r.method !== 'GET');
}

describe('get', () => {
  test('asks for a Table with object metadata and prints it like kubectl', async () => {
    srv.put(pod('web', 'default', { app: 'web' }));
    srv.put(pod('db', 'default', { app: 'db' }));
    const r = await k8ts(['get', 'pods']);
    expect(r).toEqual({ code: 0, out: 'NAME   STATUS    AGE\nweb    Running   5m\ndb     Running   5m\n', err: '' });
    const list = srv.requests.find((q) => q.path === '/api/v1/namespaces/default/pods')!;
    expect(list.headers.accept).toBe('application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json');
    expect(list.query.get('includeObject')).toBe('Metadata');
    expect(list.query.get('limit')).toBe('500');
  });

  test('-A, -o wide, --show-labels, -L, -l', async () => {
    srv.put(pod('web', 'default', { app: 'web', env: 'prod' }));
    srv.put(pod('api', 'dev', { app: 'api' }));
    const r = await k8ts(['get', 'po', '-A', '-o', 'wide', '--show-labels', '-L', 'env']);
    expect(r.out).toBe(
      'NAMESPACE   NAME   STATUS    AGE   IP           ENV    LABELS\n' +
        'default     web    Running   5m    10.244.0.5   prod   app=web,env=prod\n' +
        'dev         api    Running   5m    10.244.0.5          app=api\n',
    );
    expect(srv.requests.some((q) => q.path === '/api/v1/pods')).toBe(true);
    const sel = await k8ts(['get', 'pods', '-l', 'app=web', '-n', 'default', '--no-headers']);
    expect(sel.out).toBe('web   Running   5m\n');
    expect(srv.requests.at(-1)!.query.get('labelSelector')).toBe('app=web');
  });

  test('several types: kind prefixes and a blank line between blocks; get all', async () => {
    srv.put(pod('web'));
    srv.put({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: {} });
    srv.put({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: {} });
    const r = await k8ts(['get', 'pods,svc']);
    expect(r.out).toBe('NAME      STATUS    AGE\npod/web   Running   5m\n\nNAME          STATUS   AGE\nservice/web            5m\n');
    const all = await k8ts(['get', 'all']);
    expect(all.out).toBe('NAME      STATUS    AGE\npod/web   Running   5m\n\nNAME          STATUS   AGE\nservice/web            5m\n\nNAME                  STATUS   AGE\ndeployment.apps/web            5m\n');
    const one = await k8ts(['get', 'pod/web', 'svc/web', '--no-headers']);
    expect(one.out).toBe('pod/web   Running   5m\nservice/web         5m\n');
  });

  test('-o yaml of one named object is the object; of a list is kind: List', async () => {
    srv.put(pod('web'));
    const one = await k8ts(['get', 'pod', 'web', '-o', 'yaml']);
    expect(one.out).toMatch(/^apiVersion: v1\nkind: Pod\nmetadata:\n/);
    expect(srv.requests.at(-1)!.headers.accept).toBe('application/json');
    const list = await k8ts(['get', 'pods', '-o', 'json']);
    const parsed = JSON.parse(list.out);
    expect(parsed.kind).toBe('List');
    expect(parsed.metadata).toEqual({ resourceVersion: '' });
    expect(parsed.items[0]).toMatchObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' } });
    expect((await k8ts(['get', 'pods', '-o', 'name'])).out).toBe('pod/web\n');
    expect((await k8ts(['get', 'svc', '-o', 'yaml'])).out).toBe('apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: ""\n');
  });

  test('missing objects, empty lists and unknown types', async () => {
    srv.put(pod('web'));
    expect(await k8ts(['get', 'pod', 'nope'])).toEqual({ code: 1, out: '', err: 'Error from server (NotFound): pods "nope" not found\n' });
    const mixed = await k8ts(['get', 'pods', 'web', 'nope']);
    expect(mixed.code).toBe(1);
    expect(mixed.out).toBe('NAME   STATUS    AGE\nweb    Running   5m\n');
    expect(await k8ts(['get', 'pod', 'nope', '--ignore-not-found'])).toEqual({ code: 0, out: '', err: '' });
    expect(await k8ts(['get', 'svc'])).toEqual({ code: 0, out: '', err: 'No resources found in default namespace.\n' });
    expect(await k8ts(['get', 'svc', '-n', 'dev'])).toEqual({ code: 0, out: '', err: 'No resources found in dev namespace.\n' });
    expect(await k8ts(['get', 'nodes'])).toEqual({ code: 0, out: '', err: 'No resources found\n' });
    expect(await k8ts(['get', 'foo'])).toEqual({ code: 1, out: '', err: 'error: the server doesn\'t have a resource type "foo"\n' });
    expect((await k8ts(['get'])).err).toMatch(/^error: Required resource not specified\./);
    expect((await k8ts(['get', 'pods', '-o', 'toml'])).err).toMatch(/^error: unable to match a printer suitable for the output format "toml"/);
  });

  test('-w lists, then watches from the list resourceVersion and prints rows as they come', async () => {
    srv.put(pod('web'));
    const ac = new AbortController();
    const stdout = new Sink();
    const running = k8ts(['get', 'pods', '-w'], { signal: ac.signal, stdout });
    const until = async (pred: () => boolean) => {
      for (let i = 0; i < 200 && !pred(); i++) await new Promise((r) => setTimeout(r, 10));
    };
    await until(() => srv.requests.some((q) => q.query.get('watch') === 'true'));
    const watchReq = srv.requests.find((q) => q.query.get('watch') === 'true')!;
    expect(watchReq.query.get('resourceVersion')).toBe(String(Number(srv.store.get('/pods/default/web')!.metadata.resourceVersion)));
    expect(watchReq.headers.accept).toContain('as=Table');
    srv.put(pod('a-much-longer-name'));
    await until(() => stdout.text.includes('a-much-longer-name'));
    ac.abort();
    const r = await running;
    expect(r.code).toBe(0);
    expect(stdout.text).toBe('NAME   STATUS    AGE\nweb    Running   5m\na-much-longer-name   Running   5m\n');
  });
});

describe('create -f', () => {
  test('creates each object and reports AlreadyExists per object', async () => {
    const f = writeFile('two.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  namespace: dev\n');
    expect(await k8ts(['create', '-f', f])).toEqual({ code: 0, out: 'pod/a created\nconfigmap/b created\n', err: '' });
    const posts = writes();
    expect(posts.map((p) => `${p.method} ${p.path}`)).toEqual(['POST /api/v1/namespaces/default/pods', 'POST /api/v1/namespaces/dev/configmaps']);
    expect(posts[0].query.get('fieldManager')).toBe('kubectl-create');
    expect(JSON.parse(posts[0].body).metadata.namespace).toBe('default');
    const again = await k8ts(['create', '-f', f]);
    expect(again.code).toBe(1);
    expect(again.err).toBe(`Error from server (AlreadyExists): error when creating "${f}": pods "a" already exists\nError from server (AlreadyExists): error when creating "${f}": configmaps "b" already exists\n`);
  });

  test('a YAML file indented with tabs: one clear line, nothing sent', async () => {
    const good = writeFile('good.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: good\n');
    const tabs = writeFile('nginx-pod-tabs.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n\tname: nginx\nspec:\n\tcontainers:\n\t- name: nginx\n\t\timage: nginx:latest\n');
    const r = await k8ts(['create', '-f', good, '-f', tabs]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err.split('\n')).toHaveLength(2);
    expect(r.err).toMatch(/^error: error parsing .*nginx-pod-tabs\.yaml: error converting YAML to JSON: yaml: line 4: /);
    expect(writes()).toEqual([]);
  });

  test('the course seeds in JSON and YAML', async () => {
    if (!fs.existsSync(SEEDS)) return;
    expect((await k8ts(['create', '-f', path.join(SEEDS, 'nginx-pod.json')])).out).toBe('pod/nginx created\n');
    expect((await k8ts(['create', '-f', path.join(SEEDS, 'kubia-manual.yaml'), '-o', 'name'])).out).toBe('pod/kubia-manual\n');
  });

  test('--dry-run=client sends nothing; --dry-run=server sends dryRun=All', async () => {
    const f = writeFile('p.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n');
    expect((await k8ts(['create', '-f', f, '--dry-run=client'])).out).toBe('pod/p created (dry run)\n');
    expect(writes()).toEqual([]);
    expect((await k8ts(['create', '-f', f, '--dry-run=server'])).out).toBe('pod/p created (server dry run)\n');
    expect(writes()[0].query.get('dryRun')).toBe('All');
    expect(srv.store.size).toBe(0);
  });

  test('manifest namespace vs -n', async () => {
    const f = writeFile('ns.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: a\n');
    const r = await k8ts(['create', '-f', f, '-n', 'b']);
    expect(r.err).toBe("error: the namespace from the provided object \"a\" does not match the namespace \"b\". You must pass '--namespace=a' to perform this operation.\n");
    expect(writes()).toEqual([]);
    expect((await k8ts(['create', '-f', f, '-n', 'a'])).code).toBe(0);
  });
});

describe('apply -f', () => {
  const v1 = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels:\n    app: web\n    tier: fe\nspec:\n  containers:\n  - name: web\n    image: nginx\n';

  test('created → unchanged → configured (merge patch with deletions and the new annotation)', async () => {
    const f = writeFile('web.yaml', v1);
    expect((await k8ts(['apply', '-f', f])).out).toBe('pod/web created\n');
    const post = writes()[0];
    expect(post.query.get('fieldManager')).toBe('kubectl-client-side-apply');
    const created = JSON.parse(post.body);
    expect(created.metadata.annotations[LAST_APPLIED_ANNOTATION]).toBe(
      '{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{},"labels":{"app":"web","tier":"fe"},"name":"web","namespace":"default"},"spec":{"containers":[{"image":"nginx","name":"web"}]}}\n',
    );

    // The server defaults fields inside the containers list; a re-apply is still unchanged.
    const stored = srv.store.get('/pods/default/web')!;
    stored.spec.containers[0].imagePullPolicy = 'Always';
    srv.requests.length = 0;
    expect((await k8ts(['apply', '-f', f])).out).toBe('pod/web unchanged\n');
    expect(writes()).toEqual([]);

    writeFile('web.yaml', v1.replace('    tier: fe\n', '').replace('image: nginx', 'image: nginx:1.28'));
    expect((await k8ts(['apply', '-f', f])).out).toBe('pod/web configured\n');
    const patch = writes()[0];
    expect(patch.method).toBe('PATCH');
    expect(patch.headers['content-type']).toBe('application/merge-patch+json');
    const body = JSON.parse(patch.body);
    expect(body.metadata.labels).toEqual({ tier: null });
    expect(body.spec.containers).toEqual([{ image: 'nginx:1.28', name: 'web' }]);
    expect(body.metadata.annotations[LAST_APPLIED_ANNOTATION]).toContain('nginx:1.28');
    expect(srv.store.get('/pods/default/web')!.metadata.labels).toEqual({ app: 'web' });
  });

  test('an object made by create gets the annotation and a warning', async () => {
    const f = writeFile('made.yaml', v1);
    await k8ts(['create', '-f', f]);
    const r = await k8ts(['apply', '-f', f]);
    expect(r.out).toBe('pod/web configured\n');
    expect(r.err).toMatch(/^Warning: resource pods\/web is missing the kubectl.kubernetes.io\/last-applied-configuration annotation/);
  });

  test('dry runs', async () => {
    const f = writeFile('dry.yaml', v1);
    expect((await k8ts(['apply', '-f', f, '--dry-run=client'])).out).toBe('pod/web created (dry run)\n');
    expect(writes()).toEqual([]);
    expect((await k8ts(['apply', '-f', f, '--dry-run=server'])).out).toBe('pod/web created (server dry run)\n');
    expect(srv.store.size).toBe(0);
  });
});

describe('delete', () => {
  test('by name: DeleteOptions body, message, waits for 404', async () => {
    srv.put(pod('web'));
    const r = await k8ts(['delete', 'pod', 'web']);
    expect(r).toEqual({ code: 0, out: 'pod "web" deleted\n', err: '' });
    const del = writes()[0];
    expect(JSON.parse(del.body)).toEqual({ kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' });
    expect(srv.requests.at(-1)).toMatchObject({ method: 'GET', path: '/api/v1/namespaces/default/pods/web' });
  });

  test('TYPE/NAME, -l, --all, all --all, -f, missing', async () => {
    srv.put(pod('a', 'default', { app: 'x' }));
    srv.put(pod('b', 'default', { app: 'y' }));
    srv.put(pod('c'));
    srv.put({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: {} });
    expect((await k8ts(['delete', 'pods/a'])).out).toBe('pod "a" deleted\n');
    expect((await k8ts(['delete', 'pods', '-l', 'app=y'])).out).toBe('pod "b" deleted\n');
    expect((await k8ts(['delete', 'all', '--all', '--cascade=foreground'])).out).toBe('pod "c" deleted\ndeployment.apps "web" deleted\n');
    expect(JSON.parse(writes().at(-1)!.body).propagationPolicy).toBe('Foreground');
    expect(await k8ts(['delete', 'pod', 'zz'])).toEqual({ code: 1, out: '', err: 'Error from server (NotFound): pods "zz" not found\n' });
    expect((await k8ts(['delete', 'pods'])).err).toBe('error: resource(s) were provided, but no name was specified\n');
    const f = writeFile('del.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: d\n');
    srv.put(pod('d'));
    expect((await k8ts(['delete', '-f', f, '--wait=false'])).out).toBe('pod "d" deleted\n');
  });
});

describe('label / annotate', () => {
  test('add, refuse overwrite, overwrite, remove', async () => {
    srv.put(pod('kubia-manual', 'default', { app: 'kubia' }));
    expect((await k8ts(['label', 'po', 'kubia-manual', 'creation_method=manual'])).out).toBe('pod/kubia-manual labeled\n');
    const patch = writes()[0];
    expect(patch.headers['content-type']).toBe('application/merge-patch+json');
    expect(patch.query.get('fieldManager')).toBe('kubectl-label');
    expect(JSON.parse(patch.body)).toEqual({ metadata: { labels: { creation_method: 'manual' } } });
    expect(await k8ts(['label', 'po', 'kubia-manual', 'app=other'])).toEqual({ code: 1, out: '', err: "error: 'app' already has a value (kubia), and --overwrite is false\n" });
    expect((await k8ts(['label', 'po', 'kubia-manual', 'app=other', '--overwrite'])).out).toBe('pod/kubia-manual labeled\n');
    expect((await k8ts(['label', 'pod/kubia-manual', 'creation_method-'])).out).toBe('pod/kubia-manual unlabeled\n');
    expect(srv.store.get('/pods/default/kubia-manual')!.metadata.labels).toEqual({ app: 'other' });
    expect((await k8ts(['label', 'pods', '--all', 'env=dev'])).out).toBe('pod/kubia-manual labeled\n');
    expect((await k8ts(['annotate', 'pod', 'kubia-manual', 'description=my pod'])).out).toBe('pod/kubia-manual annotated\n');
    expect(srv.store.get('/pods/default/kubia-manual')!.metadata.annotations).toEqual({ description: 'my pod' });
    expect((await k8ts(['label', 'pod', 'kubia-manual'])).err).toBe('error: at least one label update is required\n');
  });
});

describe('describe', () => {
  test('exact name, name prefix, events by involvedObject', async () => {
    srv.put({ ...pod('kuard-7d9f'), spec: { containers: [{ name: 'kuard', image: 'kuard' }] } });
    srv.put({ apiVersion: 'v1', kind: 'Event', metadata: { name: 'e1', namespace: 'default' }, involvedObject: { kind: 'Pod', name: 'kuard-7d9f', namespace: 'default', uid: 'uid-kuard-7d9f' }, type: 'Normal', reason: 'Scheduled', message: 'Successfully assigned default/kuard-7d9f to node-1', source: { component: 'default-scheduler' }, firstTimestamp: new Date().toISOString(), lastTimestamp: new Date().toISOString(), count: 1 });
    srv.put({ apiVersion: 'v1', kind: 'Event', metadata: { name: 'e2', namespace: 'default' }, involvedObject: { kind: 'Pod', name: 'other', namespace: 'default', uid: 'x' }, type: 'Normal', reason: 'Other', message: 'not mine' });
    const r = await k8ts(['describe', 'pods', 'kuard']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Name:\s+kuard-7d9f\nNamespace:\s+default\n/);
    expect(r.out).toMatch(/Events:\n  Type    Reason     Age   From               Message\n  ----    ------     ----  ----               -------\n  Normal  Scheduled  \d+s +default-scheduler  Successfully assigned default\/kuard-7d9f to node-1\n$/);
    const evq = srv.requests.find((q) => q.path === '/api/v1/namespaces/default/events')!;
    expect(evq.query.get('fieldSelector')).toBe('involvedObject.name=kuard-7d9f,involvedObject.namespace=default,involvedObject.uid=uid-kuard-7d9f');
    expect(await k8ts(['describe', 'pod', 'zzz'])).toEqual({ code: 1, out: '', err: 'Error from server (NotFound): pods "zzz" not found\n' });
    expect(await k8ts(['describe', 'svc'])).toEqual({ code: 0, out: '', err: 'No resources found in default namespace.\n' });
  });

  test('several objects are separated by two blank lines; generic describer for other kinds', async () => {
    srv.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: 'v' } });
    srv.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' }, data: { k: 'w' } });
    const r = await k8ts(['describe', 'cm']);
    expect(r.out.split('\n\n\nName:')).toHaveLength(2);
    expect(r.out).toContain('Data:\n  K:   v\nKind:  ConfigMap\n');
  });
});

describe('discovery verbs, version, cluster-info, config', () => {
  test('api-resources and api-versions', async () => {
    const r = await k8ts(['api-resources', '--namespaced=false']);
    expect(r.out).toBe('NAME         SHORTNAMES   APIVERSION   NAMESPACED   KIND\nnamespaces   ns           v1           false        Namespace\nnodes        no           v1           false        Node\n');
    const wide = await k8ts(['api-resources', '--api-group', 'apps', '-o', 'wide']);
    expect(wide.out.split('\n')[0]).toBe('NAME          SHORTNAMES   APIVERSION   NAMESPACED   KIND         VERBS                                       CATEGORIES');
    expect(wide.out.split('\n')[1]).toBe('deployments   deploy       apps/v1      true         Deployment   create,delete,get,list,patch,update,watch   all');
    expect((await k8ts(['api-resources', '-o', 'name', '--api-group', 'apps'])).out).toBe('deployments.apps\nreplicasets.apps\n');
    expect((await k8ts(['api-versions'])).out).toBe('apps/v1\nevents.k8s.io/v1\nv1\n');
  });

  test('version and cluster-info (colours only on a terminal)', async () => {
    expect((await k8ts(['version'])).out).toBe('Client Version: v1.32.0-k8ts.0.1.0\nServer Version: v1.32.0\n');
    expect(JSON.parse((await k8ts(['version', '-o', 'json'])).out).serverVersion.minor).toBe('32');
    expect((await k8ts(['version', '--client'], { server: false })).out).toBe('Client Version: v1.32.0-k8ts.0.1.0\n');
    const plain = await k8ts(['cluster-info']);
    expect(plain.out).toBe(`Kubernetes control plane is running at ${srv.url}\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n`);
    const tty = await k8ts(['cluster-info'], { tty: true });
    expect(tty.out.startsWith(`\x1b[0;32mKubernetes control plane\x1b[0m is running at \x1b[0;33m${srv.url}\x1b[0m\n`)).toBe(true);
  });

  test('kubeconfig: --kubeconfig, $KUBECONFIG, context namespace; none at all is a clear error', async () => {
    const kc = path.join(tmp, 'kc');
    writeKubeconfig(kc, { server: srv.url, user: 'admin', token: 'tok', namespace: 'dev' });
    srv.put(pod('in-dev', 'dev'));
    const r = await k8ts(['get', 'pods', '--kubeconfig', kc], { server: false });
    expect(r.out).toBe('NAME     STATUS    AGE\nin-dev   Running   5m\n');
    expect(srv.requests.at(-1)!.headers.authorization).toBe('Bearer tok');
    expect((await k8ts(['get', 'pods'], { server: false, env: { HOME: tmp, KUBECONFIG: kc } })).out).toContain('in-dev');
    const none = await k8ts(['get', 'pods'], { server: false, env: { HOME: path.join(tmp, 'nohome') } });
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/^error: no cluster configured: no kubeconfig at .*Start one with `k8ts up`, or pass --server or --kubeconfig\n$/);
  });

  test('--help on every command; unknown commands', async () => {
    for (const verb of ['get', 'describe', 'create', 'apply', 'delete', 'label', 'annotate', 'api-resources', 'api-versions', 'version', 'cluster-info']) {
      const r = await k8ts([verb, '--help'], { server: false });
      expect(r.code).toBe(0);
      expect(r.out).toMatch(new RegExp(`^Usage: k8ts ${verb} `));
    }
    expect((await k8ts(['frobnicate'], { server: false })).err).toMatch(/^error: unknown command "frobnicate" for "k8ts"/);
  });
});
