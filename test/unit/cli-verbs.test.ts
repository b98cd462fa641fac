/**
 * The workload verbs (run, create generators, scale, set image, rollout, cordon/drain,
 * wait, delete --cascade) driven in-process against the extended fake API server: the
 * requests each sends and what it prints. Pure pieces (generators, status viewers,
 * revision picking, drain filters, JSONPath) are tested table-style at the end.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli, normalizeArgv } from '../../cli/main';
import { containerNameFromImage, deploymentObject, goZeroValues, runPod } from '../../cli/generators';
import { rolloutStatus, pickRevision, templatesEqualIgnoringHash, undoPatch, rfc3339, formatHistory, historyOf } from '../../cli/rollout';
import { classifyPod } from '../../cli/drain';
import { conditionMet, evalJsonPath, parseWaitFor, parseWaitTimeout } from '../../cli/wait';
import { imagePatch, parseImageArgs } from '../../cli/set';
import { runFinished } from '../../cli/run';
import { Sink } from './cli-fake-server';
import { VerbsFakeServer } from './cli-verbs-fake-server';

let srv: VerbsFakeServer;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'k8ts-verbs-'));

beforeAll(async () => {
  srv = new VerbsFakeServer();
  await srv.start();
});
afterAll(async () => {
  await srv.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});
beforeEach(() => {
  srv.store.clear();
  srv.requests.length = 0;
  srv.evictionAnswers = [];
  srv.logs = {};
});

interface RunResult {
  code: number;
  out: string;
  err: string;
}

async function k8ts(argv: string[], opts: { now?: () => Date } = {}): Promise<RunResult> {
  const stdout = new Sink();
  const stderr = new Sink();
  // --server first: anything after a `--` belongs to the container.
  const code = await runCli(['--server', srv.url, ...argv], { stdout, stderr, env: { HOME: tmp }, cwd: tmp, now: opts.now });
  return { code, out: stdout.text, err: stderr.text };
}

const writes = () => srv.requests.filter((r) => r.method !== 'GET');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function deployment(name: string, extra: Record<string, any> = {}): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', generation: 1, labels: { app: name } },
    spec: { replicas: 3, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.26' }] } } },
    ...extra,
  };
}

describe('run', () => {
  test('POSTs kubectl\'s Pod with fieldManager=kubectl-run and prints pod/NAME created', async () => {
    const r = await k8ts(['run', 'web', '--image=nginx', '--port', '80', '--env', 'A=1', '--', 'a', 'b']);
    expect(r).toEqual({ code: 0, out: 'pod/web created\n', err: '' });
    const post = writes()[0];
    expect(post.method).toBe('POST');
    expect(post.path).toBe('/api/v1/namespaces/default/pods');
    expect(post.query.get('fieldManager')).toBe('kubectl-run');
    expect(JSON.parse(post.body)).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', labels: { run: 'web' } },
      spec: { containers: [{ name: 'web', image: 'nginx', args: ['a', 'b'], env: [{ name: 'A', value: '1' }], ports: [{ containerPort: 80 }] }], restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' },
    });
    const again = await k8ts(['run', 'web', '--image=nginx']);
    expect(again).toEqual({ code: 1, out: '', err: 'Error from server (AlreadyExists): pods "web" already exists\n' });
  });

  test('flag errors are kubectl\'s', async () => {
    expect((await k8ts(['run', 'web'])).err).toBe('error: required flag(s) "image" not set\n');
    expect((await k8ts(['run', '--image=x'])).err).toBe('error: NAME is required for run\n');
    expect((await k8ts(['run', 'x', '--image=x', '--rm'])).err).toBe("error: --rm should only be used for attached containers\nSee 'k8ts run -h' for help and examples\n");
    expect((await k8ts(['run', 'x', '--image=x', '-it', '--dry-run=client'])).err).toMatch(/can't be used with attached containers options/);
    expect((await k8ts(['run', 'x', '--image=x', '--restart=Sometimes'])).err).toBe('error: invalid restart policy: Sometimes\n');
    expect(writes()).toHaveLength(0);
  });

  test('--rm -i waits for the pod to finish, notes missing logs, deletes it, exits 0', async () => {
    const running = k8ts(['run', 'job1', '--image=busybox', '--rm', '-i', '--restart=Never', '--', 'echo', 'hi']);
    await sleep(300);
    const pod = srv.find('v1', 'Pod', 'default', 'job1')!;
    srv.modify({ ...pod, status: { phase: 'Succeeded', containerStatuses: [{ name: 'job1', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] } });
    const r = await running;
    expect(r.code).toBe(0);
    expect(r.out).toBe('pod "job1" deleted\n');
    expect(r.err).toMatch(/^Note: attach is not available yet .*HTTP 503/);
    expect(srv.find('v1', 'Pod', 'default', 'job1')).toBeUndefined();
    const body = JSON.parse(writes()[0].body);
    expect(body.spec.containers[0]).toMatchObject({ stdin: true, stdinOnce: true });
  });

  test('-i prints the logs when the server has them and exits with the container\'s code', async () => {
    srv.logs.fail = 'boom\n';
    const running = k8ts(['run', 'fail', '--image=busybox', '-i', '--restart=Never']);
    await sleep(300);
    const pod = srv.find('v1', 'Pod', 'default', 'fail')!;
    srv.modify({ ...pod, status: { phase: 'Failed', containerStatuses: [{ name: 'fail', state: { terminated: { exitCode: 3, reason: 'Error' } } }] } });
    const r = await running;
    expect(r).toEqual({ code: 3, out: 'boom\n', err: 'pod default/fail terminated (Error)\n' });
    expect(srv.find('v1', 'Pod', 'default', 'fail')).toBeDefined();
  });

  test('-i gives up when the pod does not start within --pod-running-timeout', async () => {
    const r = await k8ts(['run', 'stuck', '--image=busybox', '-i', '--pod-running-timeout=300ms']);
    expect(r).toEqual({ code: 1, out: '', err: 'error: timed out waiting for the condition\n' });
  });

  test('--dry-run=client -o yaml prints kubectl\'s object, namespaced only with -n', async () => {
    const r = await k8ts(['run', 'web', '--image=nginx', '-n', 'dev', '--dry-run=client', '-o', 'yaml']);
    expect(r.out).toBe(
      'apiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: null\n  labels:\n    run: web\n  name: web\n  namespace: dev\nspec:\n  containers:\n  - image: nginx\n    name: web\n    resources: {}\n  dnsPolicy: ClusterFirst\n  restartPolicy: Always\nstatus: {}\n',
    );
    expect(writes()).toHaveLength(0);
  });
});

describe('create generators', () => {
  test('create deployment: POST with fieldManager=kubectl-create, labels app=NAME, container from the image', async () => {
    const r = await k8ts(['create', 'deployment', 'web', '--image=docker.io/library/nginx:1.27', '--replicas=2', '--port=80']);
    expect(r).toEqual({ code: 0, out: 'deployment.apps/web created\n', err: '' });
    const post = writes()[0];
    expect(post.path).toBe('/apis/apps/v1/namespaces/default/deployments');
    expect(post.query.get('fieldManager')).toBe('kubectl-create');
    expect(post.query.get('fieldValidation')).toBe('Strict');
    const body = JSON.parse(post.body);
    expect(body.spec).toMatchObject({ replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'docker.io/library/nginx:1.27', ports: [{ containerPort: 80 }] }] } } });
  });

  test('create job with a command after --, namespace, configmap, secret, serviceaccount', async () => {
    expect((await k8ts(['create', 'job', 'pi', '--image=perl', '--', 'perl', '-e', 'print 1'])).out).toBe('job.batch/pi created\n');
    expect(srv.find('batch/v1', 'Job', 'default', 'pi')!.spec.template.spec).toMatchObject({ containers: [{ name: 'pi', image: 'perl', command: ['perl', '-e', 'print 1'] }], restartPolicy: 'Never' });
    expect((await k8ts(['create', 'namespace', 'dev'])).out).toBe('namespace/dev created\n');
    fs.writeFileSync(path.join(tmp, 'app.conf'), 'x=1\n');
    expect((await k8ts(['create', 'configmap', 'cfg', '--from-literal=a=1', `--from-file=${path.join(tmp, 'app.conf')}`, '--from-file=renamed=app.conf'])).out).toBe('configmap/cfg created\n');
    expect(srv.find('v1', 'ConfigMap', 'default', 'cfg')!.data).toEqual({ a: '1', 'app.conf': 'x=1\n', renamed: 'x=1\n' });
    expect((await k8ts(['create', 'secret', 'generic', 'sec', '--from-literal=user=admin'])).out).toBe('secret/sec created\n');
    expect(srv.find('v1', 'Secret', 'default', 'sec')!.data).toEqual({ user: 'YWRtaW4=' });
    expect((await k8ts(['create', 'sa', 'bot'])).out).toBe('serviceaccount/bot created\n');
    expect((await k8ts(['create', 'sa', 'bot'])).err).toBe('error: failed to create serviceaccount: serviceaccounts "bot" already exists\n');
    expect((await k8ts(['create', 'ns', 'dev'])).err).toBe('Error from server (AlreadyExists): namespaces "dev" already exists\n');
    expect((await k8ts(['create', 'cm', 'bad', '--from-literal=a'])).err).toBe('error: invalid literal source a, expected key=value\n');
  });

  test('--dry-run=client -o yaml sends nothing; create -f still works', async () => {
    const r = await k8ts(['create', 'deployment', 'web', '--image=nginx', '--dry-run=client', '-o', 'yaml']);
    expect(r.out).toContain('  strategy: {}\n');
    expect(r.out).toContain('      - image: nginx\n        name: nginx\n        resources: {}\n');
    expect(writes()).toHaveLength(0);
    const f = path.join(tmp, 'cm.yaml');
    fs.writeFileSync(f, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fromfile\n');
    expect(await k8ts(['create', '-f', f])).toEqual({ code: 0, out: 'configmap/fromfile created\n', err: '' });
  });
});

describe('scale and set image', () => {
  test('scale merge-patches /scale; --current-replicas is checked first', async () => {
    srv.put(deployment('web'));
    expect(await k8ts(['scale', 'deploy/web', '--replicas=5'])).toEqual({ code: 0, out: 'deployment.apps/web scaled\n', err: '' });
    const patch = writes()[0];
    expect(patch.path).toBe('/apis/apps/v1/namespaces/default/deployments/web/scale');
    expect(patch.headers['content-type']).toBe('application/merge-patch+json');
    expect(JSON.parse(patch.body)).toEqual({ spec: { replicas: 5 } });
    expect(srv.find('apps/v1', 'Deployment', 'default', 'web')!.spec.replicas).toBe(5);
    expect((await k8ts(['scale', 'deployment', 'web', '--replicas=1', '--current-replicas=2'])).err).toBe('error: Expected replicas to be 2, was 5\n');
    expect((await k8ts(['scale', 'deployment', 'nope', '--replicas=1'])).err).toBe('error: no objects passed to scale deployments.apps "nope" not found\n');
    expect((await k8ts(['scale', 'deployment', 'web'])).err).toBe('error: required flag(s) "replicas" not set\n');
  });

  test('set image sends a strategic merge patch of the template with fieldManager=kubectl-set', async () => {
    srv.put(deployment('web'));
    expect(await k8ts(['set', 'image', 'deployment/web', 'nginx=nginx:1.27'])).toEqual({ code: 0, out: 'deployment.apps/web image updated\n', err: '' });
    const patch = writes()[0];
    expect(patch.headers['content-type']).toBe('application/strategic-merge-patch+json');
    expect(patch.query.get('fieldManager')).toBe('kubectl-set');
    expect(JSON.parse(patch.body)).toEqual({ spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'nginx' }], containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } } });
    expect(srv.find('apps/v1', 'Deployment', 'default', 'web')!.spec.template.spec.containers).toEqual([{ name: 'nginx', image: 'nginx:1.27' }]);
    // Unchanged: nothing sent, nothing printed (as kubectl).
    srv.requests.length = 0;
    expect(await k8ts(['set', 'image', 'deployment/web', 'nginx=nginx:1.27'])).toEqual({ code: 0, out: '', err: '' });
    expect(writes()).toHaveLength(0);
    expect((await k8ts(['set', 'image', 'deployment/web', 'sidecar=x'])).err).toBe('error: unable to find container named "sidecar"\n');
  });
});

describe('rollout', () => {
  test('status prints each watched state until the rollout is done', async () => {
    const d = srv.put(deployment('web', { status: { observedGeneration: 1, replicas: 3, updatedReplicas: 1 } }));
    const running = k8ts(['rollout', 'status', 'deployment/web']);
    await sleep(300);
    srv.modify({ ...d, status: { observedGeneration: 1, replicas: 4, updatedReplicas: 3, availableReplicas: 2 } });
    await sleep(100);
    srv.modify({ ...d, status: { observedGeneration: 1, replicas: 3, updatedReplicas: 3, availableReplicas: 2 } });
    await sleep(100);
    srv.modify({ ...d, status: { observedGeneration: 1, replicas: 3, updatedReplicas: 3, availableReplicas: 3 } });
    const r = await running;
    expect(r).toEqual({
      code: 0,
      err: '',
      out:
        'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...\n' +
        'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...\n' +
        'Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...\n' +
        'deployment "web" successfully rolled out\n',
    });
    const watch = srv.requests.find((q) => q.query.get('watch') === 'true')!;
    expect(watch.query.get('fieldSelector')).toBe('metadata.name=web');
  });

  test('status: progress deadline, --watch=false, --timeout', async () => {
    srv.put(deployment('stuck', { status: { observedGeneration: 1, replicas: 3, updatedReplicas: 1, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] } }));
    expect(await k8ts(['rollout', 'status', 'deploy/stuck'])).toEqual({ code: 1, out: '', err: 'error: deployment "stuck" exceeded its progress deadline\n' });
    srv.put(deployment('slow', { metadata: { name: 'slow', namespace: 'default', generation: 2 }, status: { observedGeneration: 1 } }));
    expect(await k8ts(['rollout', 'status', 'deploy/slow', '--watch=false'])).toEqual({ code: 0, out: 'Waiting for deployment spec update to be observed...\n', err: '' });
    expect(await k8ts(['rollout', 'status', 'deploy/slow', '--timeout=300ms'])).toEqual({ code: 1, out: 'Waiting for deployment spec update to be observed...\n', err: 'error: timed out waiting for the condition\n' });
  });

  function seedHistory(): any {
    const d = srv.put(deployment('web', { metadata: { name: 'web', namespace: 'default', generation: 3, labels: { app: 'web' }, annotations: { 'deployment.kubernetes.io/revision': '2', 'kubectl.kubernetes.io/last-applied-configuration': '{}' } } }));
    const owner = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid, controller: true };
    const rs = (rev: number, hash: string, image: string, owned = true) => ({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: `web-${hash}`, namespace: 'default', labels: { app: 'web', 'pod-template-hash': hash }, annotations: { 'deployment.kubernetes.io/revision': String(rev), ...(rev === 2 ? { 'kubernetes.io/change-cause': 'image 1.26' } : {}) }, ownerReferences: owned ? [owner] : [] },
      spec: { template: { metadata: { labels: { app: 'web', 'pod-template-hash': hash } }, spec: { containers: [{ name: 'nginx', image }] } } },
    });
    srv.put(rs(1, 'aaa', 'nginx:1.25'));
    srv.put(rs(2, 'bbb', 'nginx:1.26'));
    srv.put(rs(9, 'zzz', 'nginx:0', false));
    return d;
  }

  test('history lists owned ReplicaSets by revision', async () => {
    seedHistory();
    expect(await k8ts(['rollout', 'history', 'deployment/web'])).toEqual({
      code: 0,
      err: '',
      out: 'deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         image 1.26\n\n',
    });
    const list = srv.requests.find((q) => q.path.endsWith('/replicasets'))!;
    expect(list.query.get('labelSelector')).toBe('app=web');
    const one = await k8ts(['rollout', 'history', 'deployment/web', '--revision=1']);
    expect(one.out).toMatch(/^deployment\.apps\/web with revision #1\nPod Template:\n {2}Labels:\tapp=web\n\tpod-template-hash=aaa\n {2}Containers:\n {3}nginx:\n {4}Image:\tnginx:1\.25\n/);
    expect((await k8ts(['rollout', 'history', 'deployment/web', '--revision=7'])).err).toBe('error: unable to find the specified revision\n');
  });

  test('undo sends kubectl\'s JSON patch; undoing to the current template is skipped', async () => {
    seedHistory();
    expect(await k8ts(['rollout', 'undo', 'deployment/web'])).toEqual({ code: 0, out: 'deployment.apps/web rolled back\n', err: '' });
    const patch = writes()[0];
    expect(patch.headers['content-type']).toBe('application/json-patch+json');
    expect(JSON.parse(patch.body)).toEqual([
      { op: 'replace', path: '/spec/template', value: { metadata: { creationTimestamp: null, labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } } },
      { op: 'replace', path: '/metadata/annotations', value: { 'deployment.kubernetes.io/revision': '2', 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
    ]);
    expect(await k8ts(['rollout', 'undo', 'deployment/web', '--to-revision=1'])).toEqual({ code: 0, out: 'deployment.apps/web skipped rollback (current template already matches revision 1)\n', err: '' });
    expect((await k8ts(['rollout', 'undo', 'deployment/web', '--to-revision=4'])).err).toBe('error: unable to find specified revision 4 in history\n');
  });

  test('pause, resume and restart are strategic patches with fieldManager=kubectl-rollout', async () => {
    srv.put(deployment('web'));
    const now = () => new Date('2026-11-23T10:00:00Z');
    expect((await k8ts(['rollout', 'pause', 'deploy/web'])).out).toBe('deployment.apps/web paused\n');
    expect(await k8ts(['rollout', 'pause', 'deploy/web'])).toEqual({ code: 1, out: '', err: 'error: deployments.apps "web" is already paused\n' });
    expect((await k8ts(['rollout', 'restart', 'deploy/web'])).err).toBe('error: deployments.apps "web" can\'t restart paused deployment (run rollout resume first)\n');
    expect((await k8ts(['rollout', 'resume', 'deploy/web'])).out).toBe('deployment.apps/web resumed\n');
    expect((await k8ts(['rollout', 'restart', 'deploy/web'], { now })).out).toBe('deployment.apps/web restarted\n');
    const bodies = writes().map((w) => [w.headers['content-type'], w.query.get('fieldManager'), JSON.parse(w.body)]);
    expect(bodies).toEqual([
      ['application/strategic-merge-patch+json', 'kubectl-rollout', { spec: { paused: true } }],
      ['application/strategic-merge-patch+json', 'kubectl-rollout', { spec: { paused: null } }],
      ['application/strategic-merge-patch+json', 'kubectl-rollout', { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': rfc3339(now()) } } } } }],
    ]);
  });
});

describe('cordon, uncordon, drain', () => {
  const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' } };
  const pod = (name: string, owner?: { kind: string; name: string }, extra: Record<string, any> = {}) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', ownerReferences: owner ? [{ apiVersion: 'apps/v1', ...owner, uid: 'u', controller: true }] : undefined },
    spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'x' }], ...extra },
    status: { phase: 'Running' },
  });

  test('cordon/uncordon patch spec.unschedulable (true / null) and say "already"', async () => {
    srv.put(node);
    expect((await k8ts(['cordon', 'node-1'])).out).toBe('node/node-1 cordoned\n');
    expect((await k8ts(['cordon', 'node-1'])).out).toBe('node/node-1 already cordoned\n');
    expect((await k8ts(['uncordon', 'node/node-1'])).out).toBe('node/node-1 uncordoned\n');
    expect((await k8ts(['uncordon', 'node-1'])).out).toBe('node/node-1 already uncordoned\n');
    expect(writes().map((w) => JSON.parse(w.body))).toEqual([{ spec: { unschedulable: true } }, { spec: { unschedulable: null } }]);
  });

  test('drain refuses bare and DaemonSet pods with kubectl\'s errors', async () => {
    srv.put(node);
    srv.put({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'default' } });
    srv.put(pod('bare'));
    srv.put(pod('agent-x', { kind: 'DaemonSet', name: 'agent' }));
    const r = await k8ts(['drain', 'node-1']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('node/node-1 cordoned\n');
    expect(r.err).toBe(
      'error: unable to drain node "node-1" due to error: [cannot delete cannot delete Pods that declare no controller (use --force to override): default/bare, cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): default/agent-x], continuing command...\n' +
        'There are pending nodes to be drained:\n node-1\n' +
        '[cannot delete cannot delete Pods that declare no controller (use --force to override): default/bare, cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): default/agent-x]\n',
    );
    expect(srv.requests.some((q) => q.path.endsWith('/eviction'))).toBe(false);
  });

  test('drain --force --ignore-daemonsets evicts (policy/v1 Eviction) and waits until the pods are gone', async () => {
    srv.put(node);
    srv.put({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'default' } });
    srv.put(pod('bare'));
    srv.put(pod('web-1', { kind: 'ReplicaSet', name: 'web' }));
    srv.put(pod('agent-x', { kind: 'DaemonSet', name: 'agent' }));
    const r = await k8ts(['drain', 'node-1', '--force', '--ignore-daemonsets', '--grace-period=10']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('Warning: deleting Pods that declare no controller: default/bare; ignoring DaemonSet-managed Pods: default/agent-x\n');
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toBe('node/node-1 cordoned');
    expect(lines.slice(1, -1).sort()).toEqual(['evicting pod default/bare', 'evicting pod default/web-1', 'pod/bare evicted', 'pod/web-1 evicted']);
    expect(lines[lines.length - 1]).toBe('node/node-1 drained');
    const ev = srv.requests.find((q) => q.path === '/api/v1/namespaces/default/pods/web-1/eviction')!;
    expect(JSON.parse(ev.body)).toEqual({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'web-1', namespace: 'default' }, deleteOptions: { gracePeriodSeconds: 10 } });
    expect(srv.find('v1', 'Pod', 'default', 'agent-x')).toBeDefined();
    const list = srv.requests.find((q) => q.path === '/api/v1/pods')!;
    expect(list.query.get('fieldSelector')).toBe('spec.nodeName=node-1');
  });
});

test('drain retries an eviction refused with 429 (a disruption budget) after 5s', async () => {
  srv.put({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-2' } });
  srv.put({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'guarded', namespace: 'default', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'g', uid: 'u', controller: true }] }, spec: { nodeName: 'node-2' }, status: { phase: 'Running' } });
  srv.evictionAnswers = [429];
  const r = await k8ts(['drain', 'node-2']);
  expect(r.code).toBe(0);
  expect(r.err).toBe('error when evicting pods/"guarded" -n "default" (will retry after 5s): Cannot evict pod as it would violate the pod\'s disruption budget.\n');
  expect(r.out).toBe('node/node-2 cordoned\nevicting pod default/guarded\npod/guarded evicted\nnode/node-2 drained\n');
  expect(srv.requests.filter((q) => q.path.endsWith('/eviction'))).toHaveLength(2);
}, 20_000);

describe('wait', () => {
  test('--for=condition=Ready returns when the watched pod becomes Ready', async () => {
    const p = srv.put({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, status: { phase: 'Pending' } });
    const running = k8ts(['wait', '--for=condition=Ready', 'pod/web']);
    await sleep(300);
    srv.modify({ ...p, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } });
    expect(await running).toEqual({ code: 0, out: 'pod/web condition met\n', err: '' });
  });

  test('timeouts, deletes, jsonpath and missing objects', async () => {
    const p = srv.put({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, status: { phase: 'Running' } });
    expect(await k8ts(['wait', '--for=condition=Ready', 'pod/web', '--timeout=200ms'])).toEqual({ code: 1, out: '', err: 'error: timed out waiting for the condition on pods/web\n' });
    expect(await k8ts(['wait', "--for=jsonpath='{.status.phase}'=Running", 'pod/web'])).toEqual({ code: 0, out: 'pod/web condition met\n', err: '' });
    expect((await k8ts(['wait', '--for=condition=Ready', 'pod/nope'])).err).toBe('Error from server (NotFound): pods "nope" not found\n');
    const running = k8ts(['wait', '--for=delete', 'pod/web']);
    await sleep(300);
    srv.remove(p);
    expect(await running).toEqual({ code: 0, out: 'pod/web condition met\n', err: '' });
    expect(await k8ts(['wait', '--for=delete', 'pod/web'])).toEqual({ code: 0, out: '', err: '' });
  });
});

test('delete --cascade sends the propagationPolicy', async () => {
  for (const [flag, policy] of [['--cascade=orphan', 'Orphan'], ['--cascade=foreground', 'Foreground'], ['--cascade', 'Background']]) {
    srv.put(deployment('web'));
    srv.requests.length = 0;
    expect((await k8ts(['delete', 'deploy', 'web', flag])).out).toBe('deployment.apps "web" deleted\n');
    expect(JSON.parse(writes()[0].body).propagationPolicy).toBe(policy);
  }
});

describe('pure pieces', () => {
  test('container names from images, as kubectl derives them', () => {
    const taken = new Set<string>();
    expect(containerNameFromImage('docker.io/library/nginx:1.27', taken)).toBe('nginx');
    expect(containerNameFromImage('busybox@sha256:abc', taken)).toBe('busybox');
    expect(containerNameFromImage('my_app', taken, () => 'xyz12')).toBe('my-app-xyz12');
    expect(containerNameFromImage('nginx', taken, () => 'b2b2b')).toBe('nginx-b2b2b');
    expect(deploymentObject({ name: 'w', images: ['a', 'b'], replicas: 1, port: 80 }).spec).toMatchObject({ template: { spec: { containers: [{ name: 'a', ports: [{ containerPort: 80 }] }, { name: 'b' }] } } });
    const zero = goZeroValues(runPod({ name: 'p', image: 'i', restart: 'Never', env: [], command: false, args: [], stdin: false, tty: false })) as any;
    expect(zero.metadata.creationTimestamp).toBeNull();
    expect(zero.status).toEqual({});
  });

  test('deployment status viewer, in kubectl\'s order', () => {
    const d = (status: any, gen = 1, replicas = 3) => ({ kind: 'Deployment', metadata: { name: 'w', generation: gen }, spec: { replicas }, status });
    expect(rolloutStatus(d({ observedGeneration: 0 })).message).toBe('Waiting for deployment spec update to be observed...');
    expect(rolloutStatus(d({ observedGeneration: 1, updatedReplicas: 0 })).message).toBe('Waiting for deployment "w" rollout to finish: 0 out of 3 new replicas have been updated...');
    expect(rolloutStatus(d({ observedGeneration: 1, updatedReplicas: 3, replicas: 5 })).message).toMatch(/2 old replicas are pending termination/);
    expect(rolloutStatus(d({ observedGeneration: 1, updatedReplicas: 3, replicas: 3, availableReplicas: 1 })).message).toMatch(/1 of 3 updated replicas are available/);
    expect(rolloutStatus(d({ observedGeneration: 1, updatedReplicas: 3, replicas: 3, availableReplicas: 3 }))).toEqual({ message: 'deployment "w" successfully rolled out', done: true });
    expect(() => rolloutStatus(d({ observedGeneration: 1, conditions: [{ type: 'Progressing', reason: 'ProgressDeadlineExceeded' }] }))).toThrow('deployment "w" exceeded its progress deadline');
    const ds = { kind: 'DaemonSet', metadata: { name: 'a', generation: 1 }, status: { observedGeneration: 1, desiredNumberScheduled: 2, updatedNumberScheduled: 2, numberAvailable: 1 } };
    expect(rolloutStatus(ds).message).toBe('Waiting for daemon set "a" rollout to finish: 1 of 2 updated pods are available...');
    expect(() => rolloutStatus({ kind: 'Pod', metadata: {} })).toThrow('no status viewer has been implemented for Pod');
  });

  test('revision picking, template comparison, undo annotations', () => {
    const rs = (rev: number | undefined, image: string) => ({ metadata: { annotations: rev === undefined ? {} : { 'deployment.kubernetes.io/revision': String(rev) } }, spec: { template: { metadata: { labels: { a: 'b', 'pod-template-hash': `h${rev}` } }, spec: { containers: [{ name: 'c', image }] } } } });
    const all = [rs(3, 'v3'), rs(1, 'v1'), rs(undefined, 'x'), rs(2, 'v2')];
    expect(pickRevision(all, 0, 'w').spec.template.spec.containers[0].image).toBe('v2');
    expect(pickRevision(all, 1, 'w').spec.template.spec.containers[0].image).toBe('v1');
    expect(() => pickRevision([rs(1, 'v1')], 0, 'w')).toThrow('no rollout history found for deployment "w"');
    expect(templatesEqualIgnoringHash(rs(1, 'v').spec.template, { metadata: { labels: { a: 'b' }, creationTimestamp: null }, spec: { containers: [{ name: 'c', image: 'v', resources: {} }] } })).toBe(true);
    const patch = undoPatch({ metadata: { annotations: { 'deployment.kubernetes.io/revision': '3', other: 'dropped' } } }, { metadata: { annotations: { 'deployment.kubernetes.io/revision': '1', 'kubernetes.io/change-cause': 'why' } }, spec: { template: {} } }) as any[];
    expect(patch[1].value).toEqual({ 'deployment.kubernetes.io/revision': '3', 'kubernetes.io/change-cause': 'why' });
    expect(formatHistory(historyOf([]), 0)).toBe('No rollout history found.');
    expect(rfc3339(new Date('2026-01-02T03:04:05.678Z'))).toMatch(/^2026-01-0\dT\d\d:\d\d:05(Z|[+-]\d\d:\d\d)$/);
  });

  test('drain filters', () => {
    const opts = {};
    const bare = { metadata: { name: 'b', namespace: 'd' }, status: { phase: 'Running' } };
    expect(classifyPod(bare, opts, () => true).error).toMatch(/declare no controller/);
    expect(classifyPod({ ...bare, status: { phase: 'Succeeded' } }, opts, () => true)).toMatchObject({ delete: true });
    const mirror = classifyPod({ ...bare, metadata: { ...bare.metadata, annotations: { 'kubernetes.io/config.mirror': 'x' } } }, opts, () => true);
    expect(mirror.delete).toBe(false);
    expect(mirror.error).toBeUndefined();
    const rsPod = { metadata: { name: 'r', namespace: 'd', ownerReferences: [{ kind: 'ReplicaSet', name: 'x', controller: true }] }, spec: { volumes: [{ name: 'v', emptyDir: {} }] }, status: { phase: 'Running' } };
    expect(classifyPod(rsPod, opts, () => true).error).toMatch(/local storage/);
    expect(classifyPod(rsPod, { deleteEmptydirData: true }, () => true)).toMatchObject({ delete: true, warning: 'deleting Pods with local storage' });
    const dsPod = { metadata: { name: 'a', namespace: 'd', ownerReferences: [{ kind: 'DaemonSet', name: 'ds', controller: true }] } };
    expect(classifyPod(dsPod, { ignoreDaemonsets: true }, () => true)).toMatchObject({ delete: false, warning: 'ignoring DaemonSet-managed Pods' });
    expect(classifyPod(dsPod, { force: true }, () => false)).toMatchObject({ delete: true });
  });

  test('wait conditions and JSONPath', () => {
    expect(parseWaitFor('condition=Ready')).toEqual({ kind: 'condition', type: 'Ready', value: 'true' });
    expect(parseWaitFor('condition=Available=False')).toEqual({ kind: 'condition', type: 'Available', value: 'False' });
    expect(parseWaitFor("jsonpath='{.status.phase}'=Running")).toEqual({ kind: 'jsonpath', path: '.status.phase', value: 'Running' });
    expect(parseWaitFor('jsonpath={.status.readyReplicas}')).toEqual({ kind: 'jsonpath', path: '.status.readyReplicas' });
    expect(() => parseWaitFor('ready')).toThrow('unrecognized condition: "ready"');
    const pod = { metadata: { generation: 2 }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }, { type: 'X', status: 'False', observedGeneration: 1 }] } };
    expect(evalJsonPath(pod, '.status.conditions[?(@.type=="Ready")].status')).toEqual(['True']);
    expect(evalJsonPath(pod, '.status.conditions[1].type')).toEqual(['X']);
    expect(conditionMet({ kind: 'condition', type: 'ready', value: 'true' }, { type: 'SYNC', object: pod as any })).toBe(true);
    expect(conditionMet({ kind: 'condition', type: 'X', value: 'False' }, { type: 'SYNC', object: pod as any })).toBe(false);
    expect(conditionMet({ kind: 'delete' }, { type: 'DELETED' })).toBe(true);
    expect(parseWaitTimeout('-1')).toBe(7 * 24 * 3_600_000);
    expect(parseWaitTimeout(undefined)).toBe(30_000);
  });

  test('set image arguments and patches', () => {
    expect(parseImageArgs(['deploy/web', 'nginx=nginx:2']).images.get('nginx')).toBe('nginx:2');
    expect(() => parseImageArgs(['deploy/web'])).toThrow('at least one image update is required');
    const pod = { kind: 'Pod', spec: { initContainers: [{ name: 'init', image: 'a' }], containers: [{ name: 'main', image: 'a' }] } };
    expect(imagePatch(pod as any, new Map([['*', 'b']]))).toEqual({
      spec: { '$setElementOrder/initContainers': [{ name: 'init' }], initContainers: [{ name: 'init', image: 'b' }], '$setElementOrder/containers': [{ name: 'main' }], containers: [{ name: 'main', image: 'b' }] },
    });
  });

  test('run: when an attached run counts as finished', () => {
    expect(runFinished({ spec: { restartPolicy: 'Never' }, status: { phase: 'Running' } })).toBeUndefined();
    expect(runFinished({ status: { phase: 'Succeeded' } })).toEqual({ phase: 'Succeeded', terminated: undefined });
    expect(runFinished({ spec: { restartPolicy: 'Always' }, status: { phase: 'Running', containerStatuses: [{ restartCount: 1, lastState: { terminated: { exitCode: 2 } } }] } })).toEqual({ phase: 'Failed', terminated: { exitCode: 2 } });
    expect(runFinished({ spec: { restartPolicy: 'OnFailure' }, status: { phase: 'Running', containerStatuses: [{ restartCount: 1, lastState: { terminated: { exitCode: 2 } } }] } })).toBeUndefined();
  });

  test('argv normalisation for the new verbs', () => {
    expect(normalizeArgv(['rollout', 'status', 'deploy/web', '--watch=false'])).toEqual(['rollout', 'status', 'deploy/web', '--watch=false']);
    expect(normalizeArgv(['-n', 'dev', 'rollout', 'status', 'deploy/web', '-w=false'])).toEqual(['-n', 'dev', 'rollout', 'status', 'deploy/web', '--watch=false']);
    expect(normalizeArgv(['get', 'po', '--watch=false'])).toEqual(['get', 'po']);
    expect(normalizeArgv(['run', 'x', '--image=y', '--rm=true', '--attach', '-i=true'])).toEqual(['run', 'x', '--image=y', '--rm', '--attach=true', '-i']);
  });
});
