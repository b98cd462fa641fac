/**
 * The workload verbs (run, create generators, scale, set image, rollout, cordon, drain,
 * wait) against a real k8ts API server process, through the real kubectl v1.32 and
 * through `k8ts`. Both clients run the same steps on one server, each in its own
 * namespace (and with its own node names), and the test compares what they print and
 * the objects they leave behind, ignoring uids, versions, timestamps and the namespace.
 *
 * There are no controllers, scheduler or kubelets here, so the test plays their part:
 * it writes Deployment status, ReplicaSets and pod conditions by hand.
 */
import { startApiServerProcess, Cli, type ApiServerProcess, type RunResult } from '../helpers/processes';

const CLIENTS = [
  { name: 'kubectl', tag: 'verbs-a' },
  { name: 'k8ts', tag: 'verbs-b' },
] as const;

let api: ApiServerProcess;
const clis = new Map<string, Cli>();

beforeAll(async () => {
  api = await startApiServerProcess();
  for (const c of CLIENTS) clis.set(c.name, new Cli(c.name, api.url));
});

afterAll(async () => {
  await api?.stop();
  for (const c of clis.values()) c.cleanup();
});

type Json = Record<string, any>;

async function apiReq(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Json> {
  const res = await fetch(`${api.url}${path}`, { method, headers: body === undefined ? {} : { 'content-type': contentType }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await res.json()) as Json;
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const mergePatch = (path: string, body: unknown) => apiReq('PATCH', path, body, 'application/merge-patch+json');

/** The object with what legitimately differs between the two runs blanked out. */
function normalize(obj: Json): unknown {
  // The server copies the uid into labels (Jobs' controller-uid): blank it everywhere.
  const c = obj.metadata?.uid ? JSON.parse(JSON.stringify(obj).split(obj.metadata.uid).join('<uid>')) : structuredClone(obj);
  for (const k of ['uid', 'resourceVersion', 'creationTimestamp', 'namespace']) delete c.metadata?.[k];
  for (const mf of c.metadata?.managedFields ?? []) delete mf.time;
  // Entry order is the server's bookkeeping, not something the client chose.
  c.metadata?.managedFields?.sort((x: Json, y: Json) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
  const restarted = c.spec?.template?.metadata?.annotations;
  if (restarted?.['kubectl.kubernetes.io/restartedAt']) restarted['kubectl.kubernetes.io/restartedAt'] = '<time>';
  for (const ref of c.metadata?.ownerReferences ?? []) delete ref.uid;
  return JSON.parse(JSON.stringify(c).replace(/verbs-[ab]/g, 'verbs-X'));
}

/** Runs `step` for kubectl then k8ts; returns both results. */
async function both<T>(step: (k: Cli, tag: string) => Promise<T>): Promise<[T, T]> {
  const out: T[] = [];
  for (const c of CLIENTS) out.push(await step(clis.get(c.name)!, c.tag));
  return out as [T, T];
}

const unify = (s: string) => s.replace(/verbs-[ab]/g, 'verbs-X').replace(/See 'kubectl /g, "See 'k8ts ");

/** Both runs printed the same (after unifying names) and exited alike. */
function expectSameRun([a, b]: [RunResult, RunResult]): void {
  expect({ code: b.code, stdout: unify(b.stdout), stderr: unify(b.stderr) }).toEqual({ code: a.code, stdout: unify(a.stdout), stderr: unify(a.stderr) });
}

async function getObj(path: string): Promise<Json> {
  return apiReq('GET', path);
}

async function sameObjects(pathOf: (tag: string) => string): Promise<Json[]> {
  const [a, b] = await Promise.all(CLIENTS.map((c) => getObj(pathOf(c.tag))));
  expect(normalize(b)).toEqual(normalize(a));
  return [a, b];
}

test('create namespace makes the same Namespace (each client then works in its own)', async () => {
  expectSameRun(await both((k, tag) => k.run(['create', 'namespace', tag])));
  await sameObjects((tag) => `/api/v1/namespaces/${tag}`);
});

describe('run', () => {
  test('creates the Pod kubectl creates', async () => {
    expectSameRun(await both((k, tag) => k.run(['run', 'web', '-n', tag, '--image=nginx:1.27', '--port', '80', '--env', 'A=1', '--env=B=two', '--labels', 'app=web,tier=fe', '--', 'arg1', 'arg2'])));
    await sameObjects((tag) => `/api/v1/namespaces/${tag}/pods/web`);
    expectSameRun(await both((k, tag) => k.run(['run', 'hello', '-n', tag, '--image=hello-world', '--restart=Never', '--command', '--', '/hello', '-v'])));
    const [hello] = await sameObjects((tag) => `/api/v1/namespaces/${tag}/pods/hello`);
    expect(hello.metadata.labels).toEqual({ run: 'hello' });
    expect(hello.spec).toMatchObject({ restartPolicy: 'Never', dnsPolicy: 'ClusterFirst', containers: [{ name: 'hello', image: 'hello-world', command: ['/hello', '-v'] }] });
  });

  test('a second run is AlreadyExists; dry runs print the same objects', async () => {
    const again = await both((k, tag) => k.run(['run', 'web', '-n', tag, '--image=nginx']));
    expectSameRun(again);
    expect(again[1].stderr).toBe('Error from server (AlreadyExists): pods "web" already exists\n');
    expectSameRun(await both((k) => k.run(['run', 'dry', '--image=busybox', '--restart=OnFailure', '--dry-run=client', '-o', 'yaml', '--', 'sleep', '1'])));
    expectSameRun(await both((k, tag) => k.run(['run', 'dry', '-n', tag, '--image=busybox', '--dry-run=server', '-o', 'name'])));
    expectSameRun(await both((k) => k.run(['run', 'x', '--image=busybox', '--rm'])));
  });
});

describe('run --rm -i (k8ts only: kubectl would attach, which needs a kubelet)', () => {
  test('waits for the pod to finish, notes that logs are not served yet, deletes it, exits with the container\'s code', async () => {
    const k = clis.get('k8ts')!;
    const ns = 'verbs-b';
    const running = k.run(['run', 'once', '-n', ns, '--image=busybox', '--rm', '-i', '--restart=Never', '--', 'sh', '-c', 'exit 3']);
    const podPath = `/api/v1/namespaces/${ns}/pods/once`;
    for (let i = 0; i < 50; i++) {
      const res = await fetch(`${api.url}${podPath}`);
      if (res.status === 200) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await mergePatch(`${podPath}/status`, { status: { phase: 'Failed', containerStatuses: [{ name: 'once', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 3, reason: 'Error' } } }] } });
    const r = await running;
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('pod "once" deleted\n');
    expect(r.stderr).toMatch(/^Note: attach is not available yet/);
    expect(r.stderr).toContain(`pod ${ns}/once terminated (Error)`);
    expect((await fetch(`${api.url}${podPath}`)).status).toBe(404);
  });
});

describe('create generators', () => {
  const cases: [string, string[], (tag: string) => string][] = [
    ['deployment', ['create', 'deployment', 'web', '--image=docker.io/library/nginx:1.27', '--replicas=2', '--port=80'], (t) => `/apis/apps/v1/namespaces/${t}/deployments/web`],
    ['job', ['create', 'job', 'pi', '--image=perl:5.34', '--', 'perl', '-Mbignum=bpi', '-wle', 'print bpi(20)'], (t) => `/apis/batch/v1/namespaces/${t}/jobs/pi`],
    ['configmap', ['create', 'configmap', 'cfg', '--from-literal=a=1', '--from-literal=b=two words'], (t) => `/api/v1/namespaces/${t}/configmaps/cfg`],
    ['secret', ['create', 'secret', 'generic', 'sec', '--from-literal=user=admin', '--from-literal=pass=s3cr=t'], (t) => `/api/v1/namespaces/${t}/secrets/sec`],
    ['serviceaccount', ['create', 'serviceaccount', 'bot'], (t) => `/api/v1/namespaces/${t}/serviceaccounts/bot`],
  ];
  test.each(cases)('create %s makes the same object and prints the same', async (_kind, args, pathOf) => {
    // -n goes before any `-- command`, which takes everything after it.
    const withNs = (tag: string, ...flags: string[]) => [args[0], '-n', tag, ...flags, ...args.slice(1)];
    expectSameRun(await both((k, tag) => k.run(withNs(tag))));
    await sameObjects(pathOf);
    expectSameRun(await both((k, tag) => k.run(withNs(tag, '--dry-run=client', '-o', 'yaml'))));
    // A second create fails the same way (kubectl words it differently for jobs).
    expectSameRun(await both((k, tag) => k.run(withNs(tag))));
  });

  test('create -f still works beside the subcommands', async () => {
    const manifest = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fromfile\ndata:\n  k: v\n';
    expectSameRun(await both((k, tag) => k.run(['create', '-n', tag, '-f', '-'], { input: manifest })));
  });
});

describe('scale, set image, rollout pause/resume/restart', () => {
  const deploy = (tag: string) => `/apis/apps/v1/namespaces/${tag}/deployments/app`;
  beforeAll(async () => {
    await both((k, tag) => k.ok(['create', 'deployment', 'app', '-n', tag, '--image=nginx:1.26']));
  });

  test('scale changes spec.replicas through /scale', async () => {
    const r = await both((k, tag) => k.run(['scale', '-n', tag, 'deployment', 'app', '--replicas=3']));
    expectSameRun(r);
    expect(r[1].stdout).toBe('deployment.apps/app scaled\n');
    const [a] = await sameObjects(deploy);
    expect(a.spec.replicas).toBe(3);
    expectSameRun(await both((k, tag) => k.run(['scale', '-n', tag, 'deploy/app', '--replicas=1', '--current-replicas=2'])));
    expectSameRun(await both((k, tag) => k.run(['scale', '-n', tag, 'deploy/nope', '--replicas=1'])));
  });

  test('set image changes the template', async () => {
    const r = await both((k, tag) => k.run(['set', 'image', '-n', tag, 'deployment/app', 'nginx=nginx:1.27']));
    expectSameRun(r);
    expect(r[1].stdout).toBe('deployment.apps/app image updated\n');
    const [a] = await sameObjects(deploy);
    expect(a.spec.template.spec.containers[0].image).toBe('nginx:1.27');
    expectSameRun(await both((k, tag) => k.run(['set', 'image', '-n', tag, 'deployment/app', 'nope=x'])));
  });

  test('rollout pause, resume and restart patch as kubectl does', async () => {
    for (const step of [['pause'], ['pause'], ['resume'], ['resume'], ['restart']]) {
      const r = await both((k, tag) => k.run(['rollout', ...step, '-n', tag, 'deployment/app']));
      expectSameRun(r);
      await sameObjects(deploy);
    }
    const [a] = await sameObjects(deploy);
    expect(a.spec.paused).toBeUndefined();
    expect(a.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/);
  });
});

describe('rollout history and undo', () => {
  const template = (image: string, hash: string) => ({
    metadata: { labels: { app: 'hist', 'pod-template-hash': hash } },
    spec: { containers: [{ name: 'main', image }] },
  });

  beforeAll(async () => {
    // A Deployment at revision 2 with the two ReplicaSets its controller would have made.
    for (const c of CLIENTS) {
      const ns = c.tag;
      const d = await apiReq('POST', `/apis/apps/v1/namespaces/${ns}/deployments`, {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'hist', labels: { app: 'hist' }, annotations: { 'deployment.kubernetes.io/revision': '2' } },
        spec: { replicas: 1, selector: { matchLabels: { app: 'hist' } }, template: { metadata: { labels: { app: 'hist' } }, spec: { containers: [{ name: 'main', image: 'busybox:1.37' }] } } },
      });
      const owner = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'hist', uid: d.metadata.uid, controller: true, blockOwnerDeletion: true };
      const rs = (rev: number, hash: string, image: string, cause?: string) => ({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `hist-${hash}`,
          labels: { app: 'hist', 'pod-template-hash': hash },
          annotations: { 'deployment.kubernetes.io/revision': String(rev), ...(cause ? { 'kubernetes.io/change-cause': cause } : {}) },
          ownerReferences: [owner],
        },
        spec: { replicas: rev === 2 ? 1 : 0, selector: { matchLabels: { app: 'hist', 'pod-template-hash': hash } }, template: template(image, hash) },
      });
      await apiReq('POST', `/apis/apps/v1/namespaces/${ns}/replicasets`, rs(1, '5d4f8c7b9', 'busybox:1.36'));
      await apiReq('POST', `/apis/apps/v1/namespaces/${ns}/replicasets`, rs(2, '7c9d6b5f4', 'busybox:1.37', 'kubectl set image deployment/hist main=busybox:1.37'));
      // Same labels, but not owned by this Deployment: must not be listed.
      await apiReq('POST', `/apis/apps/v1/namespaces/${ns}/replicasets`, { ...rs(7, 'stray', 'busybox:0'), metadata: { ...rs(7, 'stray', 'busybox:0').metadata, ownerReferences: [] } });
    }
  });

  test('history lists the owned ReplicaSets with their change causes', async () => {
    const r = await both((k, tag) => k.run(['rollout', 'history', '-n', tag, 'deployment/hist']));
    expectSameRun(r);
    expect(r[1].stdout).toBe('deployment.apps/hist \nREVISION  CHANGE-CAUSE\n1         <none>\n2         kubectl set image deployment/hist main=busybox:1.37\n\n');
    expectSameRun(await both((k, tag) => k.run(['rollout', 'history', '-n', tag, 'deployment/hist', '--revision=1'])));
    expectSameRun(await both((k, tag) => k.run(['rollout', 'history', '-n', tag, 'deployment/hist', '--revision=9'])));
  });

  test('undo copies the previous template back; a second undo to it is skipped', async () => {
    const r = await both((k, tag) => k.run(['rollout', 'undo', '-n', tag, 'deployment/hist']));
    expectSameRun(r);
    expect(r[1].stdout).toBe('deployment.apps/hist rolled back\n');
    const [a] = await sameObjects((tag) => `/apis/apps/v1/namespaces/${tag}/deployments/hist`);
    expect(a.spec.template.spec.containers[0].image).toBe('busybox:1.36');
    expect(a.spec.template.metadata.labels).toEqual({ app: 'hist' });
    expectSameRun(await both((k, tag) => k.run(['rollout', 'undo', '-n', tag, 'deployment/hist', '--to-revision=1'])));
    expectSameRun(await both((k, tag) => k.run(['rollout', 'undo', '-n', tag, 'deployment/hist', '--to-revision=5'])));
  });
});

describe('rollout status', () => {
  const statusPath = (tag: string, name: string) => `/apis/apps/v1/namespaces/${tag}/deployments/${name}/status`;

  test('follows the status the test writes until the rollout is done', async () => {
    await both((k, tag) => k.ok(['create', 'deployment', 'roll', '-n', tag, '--image=nginx', '--replicas=3']));
    const outputs: RunResult[] = [];
    for (const c of CLIENTS) {
      const k = clis.get(c.name)!;
      const d = await getObj(`/apis/apps/v1/namespaces/${c.tag}/deployments/roll`);
      const gen = d.metadata.generation;
      const running = k.run(['rollout', 'status', '-n', c.tag, 'deployment/roll', '--timeout=30s']);
      const steps = [
        { observedGeneration: gen, replicas: 3, updatedReplicas: 1, availableReplicas: 0 },
        { observedGeneration: gen, replicas: 4, updatedReplicas: 3, availableReplicas: 2 },
        { observedGeneration: gen, replicas: 3, updatedReplicas: 3, availableReplicas: 2 },
        { observedGeneration: gen, replicas: 3, updatedReplicas: 3, availableReplicas: 3, readyReplicas: 3 },
      ];
      for (const s of steps) {
        await new Promise((r) => setTimeout(r, 700));
        await mergePatch(statusPath(c.tag, 'roll'), { status: s });
      }
      outputs.push(await running);
    }
    for (const o of outputs) {
      expect(o.code).toBe(0);
      const lines = o.stdout.trim().split('\n');
      expect(lines).toEqual(expect.arrayContaining([
        'Waiting for deployment "roll" rollout to finish: 1 out of 3 new replicas have been updated...',
        'Waiting for deployment "roll" rollout to finish: 1 old replicas are pending termination...',
        'Waiting for deployment "roll" rollout to finish: 2 of 3 updated replicas are available...',
      ]));
      expect(lines[lines.length - 1]).toBe('deployment "roll" successfully rolled out');
    }
  });

  test('ProgressDeadlineExceeded fails; --watch=false prints once; a timeout is an error', async () => {
    await both((k, tag) => k.ok(['create', 'deployment', 'stuck', '-n', tag, '--image=nginx']));
    expectSameRun(await both((k, tag) => k.run(['rollout', 'status', '-n', tag, 'deployment/stuck', '--watch=false'])));
    expectSameRun(await both((k, tag) => k.run(['rollout', 'status', '-n', tag, 'deployment/stuck', '--timeout=1s'])));
    for (const c of CLIENTS) {
      const d = await getObj(`/apis/apps/v1/namespaces/${c.tag}/deployments/stuck`);
      await mergePatch(statusPath(c.tag, 'stuck'), {
        status: { observedGeneration: d.metadata.generation, replicas: 1, updatedReplicas: 1, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "stuck-1" has timed out progressing.' }] },
      });
    }
    const r = await both((k, tag) => k.run(['rollout', 'status', '-n', tag, 'deployment/stuck']));
    expectSameRun(r);
    expect(r[1]).toEqual({ code: 1, stdout: '', stderr: 'error: deployment "stuck" exceeded its progress deadline\n' });
  });
});

describe('other kinds and misuse, compared with kubectl', () => {
  test('DaemonSet and StatefulSet rollouts, verbs on kinds that do not support them, set image on a pod', async () => {
    for (const c of CLIENTS) {
      const tmpl = { metadata: { labels: { app: 'k' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
      await apiReq('POST', `/apis/apps/v1/namespaces/${c.tag}/daemonsets`, { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent' }, spec: { selector: { matchLabels: { app: 'k' } }, template: tmpl } });
      await apiReq('POST', `/apis/apps/v1/namespaces/${c.tag}/statefulsets`, { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' }, spec: { replicas: 2, serviceName: 'db', selector: { matchLabels: { app: 'k' } }, template: tmpl } });
    }
    const dsStates = [
      { observedGeneration: 1, desiredNumberScheduled: 2, updatedNumberScheduled: 1, numberAvailable: 0, currentNumberScheduled: 2, numberMisscheduled: 0, numberReady: 0 },
      { observedGeneration: 1, desiredNumberScheduled: 2, updatedNumberScheduled: 2, numberAvailable: 1, currentNumberScheduled: 2, numberMisscheduled: 0, numberReady: 1 },
      { observedGeneration: 1, desiredNumberScheduled: 2, updatedNumberScheduled: 2, numberAvailable: 2, currentNumberScheduled: 2, numberMisscheduled: 0, numberReady: 2 },
    ];
    for (const st of dsStates) {
      for (const c of CLIENTS) await mergePatch(`/apis/apps/v1/namespaces/${c.tag}/daemonsets/agent/status`, { status: st });
      expectSameRun(await both((k, tag) => k.run(['rollout', 'status', '-n', tag, 'ds/agent', '--watch=false'])));
    }
    const stsStates = [
      { observedGeneration: 1, replicas: 2, readyReplicas: 1, currentReplicas: 2, updatedReplicas: 2, currentRevision: 'db-1', updateRevision: 'db-1' },
      { observedGeneration: 1, replicas: 2, readyReplicas: 2, currentReplicas: 2, updatedReplicas: 2, currentRevision: 'db-1', updateRevision: 'db-1' },
    ];
    for (const st of stsStates) {
      for (const c of CLIENTS) await mergePatch(`/apis/apps/v1/namespaces/${c.tag}/statefulsets/db/status`, { status: st });
      expectSameRun(await both((k, tag) => k.run(['rollout', 'status', '-n', tag, 'statefulset/db', '--watch=false'])));
    }
    expectSameRun(await both((k, tag) => k.run(['scale', '-n', tag, 'statefulset', 'db', '--replicas=3'])));
    await sameObjects((tag) => `/apis/apps/v1/namespaces/${tag}/statefulsets/db`);
    expectSameRun(await both((k, tag) => k.run(['rollout', 'restart', '-n', tag, 'daemonset/agent'])));
    await sameObjects((tag) => `/apis/apps/v1/namespaces/${tag}/daemonsets/agent`);
    for (const verb of ['status', 'history', 'undo', 'pause', 'resume', 'restart']) {
      expectSameRun(await both((k, tag) => k.run(['rollout', verb, '-n', tag, 'pod/web'])));
    }
    for (const verb of ['pause', 'history', 'undo']) {
      expectSameRun(await both((k, tag) => k.run(['rollout', verb, '-n', tag, 'daemonset/agent'])));
    }
    expectSameRun(await both((k, tag) => k.run(['scale', '-n', tag, 'pod/web', '--replicas=2'])));
    expectSameRun(await both((k, tag) => k.run(['set', 'image', '-n', tag, 'pod/web', 'web=nginx:1.28'])));
    await sameObjects((tag) => `/api/v1/namespaces/${tag}/pods/web`);
  });
});

describe('nodes: cordon, uncordon, drain', () => {
  beforeAll(async () => {
    for (const c of CLIENTS) {
      await apiReq('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: `${c.tag}-node`, labels: { 'kubernetes.io/hostname': `${c.tag}-node` } } });
    }
  });

  test('cordon and uncordon patch spec.unschedulable, and say when there is nothing to do', async () => {
    for (const verb of ['cordon', 'cordon', 'uncordon', 'uncordon', 'cordon']) {
      const r = await both((k, tag) => k.run([verb, `${tag}-node`]));
      expectSameRun(r);
      await sameObjects((tag) => `/api/v1/nodes/${tag}-node`);
    }
    const [a] = await sameObjects((tag) => `/api/v1/nodes/${tag}-node`);
    expect(a.spec.unschedulable).toBe(true);
    await both((k, tag) => k.ok(['uncordon', `${tag}-node`]));
  });

  test('drain refuses bare pods without --force, then evicts them with it', async () => {
    for (const c of CLIENTS) {
      await apiReq('POST', `/api/v1/namespaces/${c.tag}/pods`, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'bare' },
        spec: { nodeName: `${c.tag}-node`, containers: [{ name: 'c', image: 'busybox' }] },
      });
    }
    const refused = await both((k, tag) => k.run(['drain', `${tag}-node`]));
    expectSameRun(refused);
    expect(refused[1].code).toBe(1);
    expect(unify(refused[1].stderr)).toContain('cannot delete Pods that declare no controller (use --force to override): verbs-X/bare');
    const drained = await both((k, tag) => k.run(['drain', `${tag}-node`, '--force', '--grace-period=0', '--timeout=30s']));
    expectSameRun(drained);
    expect(unify(drained[1].stdout)).toBe('node/verbs-X-node already cordoned\nevicting pod verbs-X/bare\npod/bare evicted\nnode/verbs-X-node drained\n');
  });
});

describe('wait', () => {
  test('--for=condition=Ready returns when the pod becomes Ready; a timeout is kubectl\'s error', async () => {
    await both((k, tag) => k.ok(['run', 'waiter', '-n', tag, '--image=nginx']));
    expectSameRun(await both((k, tag) => k.run(['wait', '-n', tag, '--for=condition=Ready', 'pod/waiter', '--timeout=1s'])));
    const results: RunResult[] = [];
    for (const c of CLIENTS) {
      const running = clis.get(c.name)!.run(['wait', '-n', c.tag, '--for=condition=Ready', 'pod/waiter', '--timeout=30s']);
      await new Promise((r) => setTimeout(r, 1500));
      await mergePatch(`/api/v1/namespaces/${c.tag}/pods/waiter/status`, { status: { conditions: [{ type: 'Ready', status: 'True' }] } });
      results.push(await running);
    }
    expectSameRun(results as [RunResult, RunResult]);
    expect(results[1]).toEqual({ code: 0, stdout: 'pod/waiter condition met\n', stderr: '' });
    expectSameRun(await both((k, tag) => k.run(['wait', '-n', tag, '--for=jsonpath={.status.conditions[0].status}=True', 'pod/waiter'])));
    expectSameRun(await both((k, tag) => k.run(['wait', '-n', tag, '--for=delete', 'pod/never-there'])));
  });
});
