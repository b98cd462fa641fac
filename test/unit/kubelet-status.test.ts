/** Pod status computation against ../shared/KUBELET-STATUS.md §1–3 (pure, table-driven). */
import type { Pod } from '../../shared/api/types';
import type { ContainerStatus as RC } from '../../kubelet/runtime/interface';
import { computePodStatus, getPhase, imageIdOf, qosClassOf, rfc3339, terminatePodStatus, type ReasonEntry } from '../../kubelet/status';

const UID = '6f1d2a7e-1c2b-4c1e-9d43-2f0a1b3c4d5e';
const NOW = new Date('2025-01-15T10:00:09.734Z');
const img = { ref: 'docker.io/library/busybox:1.36', digest: 'sha256:' + 'a'.repeat(64), rootfs: '/x', config: {} };

function pod(spec: Partial<Pod['spec']> & { containers?: unknown[] }, status?: Pod['status']): Pod {
  return {
    metadata: { name: 'crash-demo', namespace: 'default', uid: UID },
    spec: { containers: [{ name: 'app', image: 'busybox:1.36' }], ...spec } as Pod['spec'],
    status: status ?? { phase: 'Pending', qosClass: 'BestEffort', conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: '2025-01-15T10:00:00Z' }] },
  } as Pod;
}

let seq = 0;
function rc(name: string, state: RC['state'], o: Partial<RC> & { restart?: number; created?: string } = {}): RC {
  seq++;
  return {
    id: o.id ?? `id${seq}`,
    sandboxId: 'sb',
    name,
    state,
    createdAt: o.created ?? `2025-01-15T10:00:0${Math.min(seq, 9)}Z`,
    startedAt: 'startedAt' in o ? o.startedAt : state === 'created' ? undefined : '2025-01-15T10:00:01.5Z',
    finishedAt: o.finishedAt ?? (state === 'exited' ? '2025-01-15T10:00:02.9Z' : undefined),
    exitCode: o.exitCode ?? (state === 'exited' ? 0 : undefined),
    reason: o.reason,
    message: o.message,
    image: img,
    labels: { 'io.kubernetes.container.name': name, 'io.kubernetes.container.restartCount': String(o.restart ?? 0) },
    logPath: '/dev/null',
  };
}

function status(p: Pod, containers: RC[], extra: { reasons?: Map<string, ReasonEntry>; terminal?: boolean; ready?: boolean } = {}) {
  return computePodStatus({
    pod: p,
    containers,
    sandboxReady: true,
    podIP: '127.244.1.2',
    hostIP: '127.0.0.1',
    reasons: extra.reasons,
    podIsTerminal: extra.terminal,
    probes: extra.ready === undefined ? undefined : { started: () => true, ready: () => extra.ready! },
    now: NOW,
  });
}

const cond = (s: ReturnType<typeof status>, type: string) => s.conditions!.find((c) => c.type === type)!;

describe('phase (§1)', () => {
  const table: [string, string, RC[], string][] = [
    ['Always, exited 1, waiting to restart', 'Always', [rc('app', 'exited', { exitCode: 1 })], 'Running'],
    ['Always, exited 0', 'Always', [rc('app', 'exited', { exitCode: 0 })], 'Running'],
    ['OnFailure, exited 0', 'OnFailure', [rc('app', 'exited', { exitCode: 0 })], 'Succeeded'],
    ['OnFailure, exited 1', 'OnFailure', [rc('app', 'exited', { exitCode: 1 })], 'Running'],
    ['Never, exited 1', 'Never', [rc('app', 'exited', { exitCode: 1 })], 'Failed'],
    ['Never, exited 0', 'Never', [rc('app', 'exited', { exitCode: 0 })], 'Succeeded'],
    ['running', 'Always', [rc('app', 'running')], 'Running'],
    ['no instance yet', 'Always', [], 'Pending'],
    ['created, not started', 'Always', [rc('app', 'created')], 'Pending'],
  ];
  test.each(table)('%s', (_n, restartPolicy, cs, phase) => {
    expect(status(pod({ restartPolicy: restartPolicy as 'Always' }), cs).phase).toBe(phase);
  });

  test('two containers: OnFailure c1 running + c2 exited 0 → Running; Never c1 0 + c2 1 → Failed', () => {
    const two = (rp: string) => pod({ restartPolicy: rp as 'Never', containers: [{ name: 'c1', image: 'x' }, { name: 'c2', image: 'x' }] });
    expect(status(two('OnFailure'), [rc('c1', 'running'), rc('c2', 'exited', { exitCode: 0 })]).phase).toBe('Running');
    expect(status(two('Never'), [rc('c1', 'exited', { exitCode: 0 }), rc('c2', 'exited', { exitCode: 1 })]).phase).toBe('Failed');
    expect(status(two('Never'), [rc('c1', 'running'), rc('c2', 'exited', { exitCode: 1 })]).phase).toBe('Running');
  });

  test('terminal phases are sticky', () => {
    const p = pod({ restartPolicy: 'Always' }, { phase: 'Succeeded' });
    expect(status(p, [rc('app', 'running')]).phase).toBe('Succeeded');
  });

  test('a deleted pod is judged by exit codes regardless of restartPolicy', () => {
    const p = pod({ restartPolicy: 'Always' });
    expect(status(p, [rc('app', 'exited', { exitCode: 0 })], { terminal: true }).phase).toBe('Succeeded');
    expect(status(p, [rc('app', 'exited', { exitCode: 137 })], { terminal: true }).phase).toBe('Failed');
  });

  test('init containers: Never + init exit 1 → Failed; Always → Pending; running init → Pending', () => {
    const withInit = (rp: string) => pod({ restartPolicy: rp as 'Never', initContainers: [{ name: 'init', image: 'x' }] });
    expect(status(withInit('Never'), [rc('init', 'exited', { exitCode: 1 })]).phase).toBe('Failed');
    expect(status(withInit('Always'), [rc('init', 'exited', { exitCode: 1 })]).phase).toBe('Pending');
    expect(status(withInit('Always'), [rc('init', 'running')]).phase).toBe('Pending');
    expect(status(withInit('Always'), [rc('init', 'exited', { exitCode: 0 }), rc('app', 'running')]).phase).toBe('Running');
  });

  test('getPhase: waiting with lastState counts as stopped', () => {
    const p = pod({ restartPolicy: 'Always' });
    const app = [{ name: 'app', state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1 } }, ready: false, restartCount: 1, image: '', imageID: '' }];
    expect(getPhase(p, [], app as never, false)).toBe('Running');
  });
});

describe('container statuses (§3)', () => {
  test('ContainerCreating before any instance (exact shape)', () => {
    const s = status(pod({ containers: [{ name: 'web', image: 'nginx:1.27', volumeMounts: [{ name: 'kube-api-access-x7k2p', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }] }] }), []);
    expect(s.containerStatuses![0]).toEqual({
      name: 'web',
      state: { waiting: { reason: 'ContainerCreating' } },
      lastState: {},
      ready: false,
      restartCount: 0,
      image: 'nginx:1.27',
      imageID: '',
      started: false,
      volumeMounts: [{ name: 'kube-api-access-x7k2p', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true, recursiveReadOnly: 'Disabled' }],
    });
  });

  test('running and ready', () => {
    const c = rc('app', 'running', { id: 'abc' });
    const cs = status(pod({}), [c]).containerStatuses![0];
    expect(cs).toEqual({
      name: 'app',
      state: { running: { startedAt: '2025-01-15T10:00:01Z' } },
      lastState: {},
      ready: true,
      started: true,
      restartCount: 0,
      image: 'docker.io/library/busybox:1.36',
      imageID: 'docker.io/library/busybox@sha256:' + 'a'.repeat(64),
      containerID: 'k8ts://abc',
    });
  });

  test('CrashLoopBackOff after 3 restarts: waiting + lastState of the newest run', () => {
    const runs = [0, 1, 2, 3].map((n) => rc('app', 'exited', { exitCode: 1, restart: n, id: `run${n}`, created: `2025-01-15T10:01:0${n}Z`, startedAt: '2025-01-15T10:01:10Z', finishedAt: '2025-01-15T10:01:11Z' }));
    const reasons = new Map([['app', { reason: 'CrashLoopBackOff', message: `back-off 40s restarting failed container=app pod=crash-demo_default(${UID})` }]]);
    const s = status(pod({}), runs, { reasons });
    const cs = s.containerStatuses![0];
    expect(cs.state).toEqual({ waiting: { reason: 'CrashLoopBackOff', message: `back-off 40s restarting failed container=app pod=crash-demo_default(${UID})` } });
    expect(cs.lastState).toEqual({ terminated: { exitCode: 1, reason: 'Error', startedAt: '2025-01-15T10:01:10Z', finishedAt: '2025-01-15T10:01:11Z', containerID: 'k8ts://run3' } });
    expect(cs.restartCount).toBe(3);
    expect(cs.containerID).toBe('k8ts://run3');
    expect(cs.ready).toBe(false);
    expect(cs.started).toBe(false);
    expect(s.phase).toBe('Running');
    expect(cond(s, 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [app]' });
  });

  test('Never: an exited container stays terminated even with a reason cached', () => {
    const reasons = new Map([['app', { reason: 'CrashLoopBackOff' }]]);
    const cs = status(pod({ restartPolicy: 'Never' }), [rc('app', 'exited', { exitCode: 1 })], { reasons }).containerStatuses![0];
    expect(cs.state!.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
  });

  test('ImagePullBackOff on first start', () => {
    const reasons = new Map([['web', { reason: 'ImagePullBackOff', message: 'Back-off pulling image "nginx:doesnotexist"' }]]);
    const s = status(pod({ containers: [{ name: 'web', image: 'nginx:doesnotexist' }] }), [], { reasons });
    expect(s.containerStatuses![0]).toEqual({
      name: 'web',
      state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "nginx:doesnotexist"' } },
      lastState: {},
      ready: false,
      restartCount: 0,
      image: 'nginx:doesnotexist',
      imageID: '',
      started: false,
    });
    expect(s.phase).toBe('Pending');
  });

  test('init container running: PodInitializing everywhere else, Initialized False', () => {
    const p = pod({ initContainers: [{ name: 'init-db', image: 'busybox' }, { name: 'init-cache', image: 'busybox' }], containers: [{ name: 'app', image: 'app:1' }] });
    const s = status(p, [rc('init-db', 'running')]);
    expect(s.initContainerStatuses!.map((c) => [c.name, c.started, c.ready, Object.keys(c.state!)[0], c.state!.waiting?.reason])).toEqual([
      ['init-db', true, false, 'running', undefined],
      ['init-cache', false, false, 'waiting', 'PodInitializing'],
    ]);
    expect(s.containerStatuses![0].state).toEqual({ waiting: { reason: 'PodInitializing' } });
    expect(cond(s, 'Initialized')).toMatchObject({ status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [init-db init-cache]' });
    expect(s.phase).toBe('Pending');
  });

  test('a completed init container is ready and terminated Completed', () => {
    const p = pod({ initContainers: [{ name: 'init', image: 'busybox' }] });
    const s = status(p, [rc('init', 'exited', { exitCode: 0 }), rc('app', 'running')]);
    expect(s.initContainerStatuses![0]).toMatchObject({ ready: true, started: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } });
    expect(cond(s, 'Initialized')).toEqual({ type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: '2025-01-15T10:00:09Z' });
  });

  test('containerStatuses are sorted by name; StartError shows the epoch start', () => {
    const p = pod({ containers: [{ name: 'zeta', image: 'x' }, { name: 'alpha', image: 'x' }] });
    const s = status(p, [rc('zeta', 'exited', { exitCode: 128, reason: 'StartError', startedAt: undefined as never, message: 'exec: "foo": not found' })]);
    expect(s.containerStatuses!.map((c) => c.name)).toEqual(['alpha', 'zeta']);
    const zeta = s.containerStatuses![1];
    expect(zeta.state!.terminated).toMatchObject({ exitCode: 128, reason: 'StartError', startedAt: '1970-01-01T00:00:00Z', message: 'exec: "foo": not found' });
  });

  test('readiness from probes drives ready and the conditions', () => {
    const s = status(pod({ containers: [{ name: 'web', image: 'x' }] }), [rc('web', 'running')], { ready: false });
    expect(s.containerStatuses![0].ready).toBe(false);
    expect(cond(s, 'ContainersReady')).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [web]' });
    const s2 = status(pod({ containers: [{ name: 'web', image: 'x' }] }), [rc('web', 'running')], { ready: true });
    expect(cond(s2, 'Ready').status).toBe('True');
  });
});

describe('conditions (§2)', () => {
  test('order, lastProbeTime null, PodScheduled kept with its time', () => {
    const s = status(pod({}), [rc('app', 'running')]);
    expect(s.conditions!.map((c) => c.type)).toEqual(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);
    expect(s.conditions!.every((c) => (c as { lastProbeTime?: unknown }).lastProbeTime === null)).toBe(true);
    expect(cond(s, 'PodScheduled').lastTransitionTime).toBe('2025-01-15T10:00:00Z');
    expect(cond(s, 'Ready').lastTransitionTime).toBe('2025-01-15T10:00:09Z');
  });

  test('lastTransitionTime moves only when status flips', () => {
    const p = pod({}, { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2025-01-15T09:00:00Z' }, { type: 'Initialized', status: 'False', lastTransitionTime: '2025-01-15T09:00:00Z' }] });
    const s = status(p, [rc('app', 'running')]);
    expect(cond(s, 'Ready').lastTransitionTime).toBe('2025-01-15T09:00:00Z');
    expect(cond(s, 'Initialized').lastTransitionTime).toBe('2025-01-15T10:00:09Z');
  });

  test('completed Job pod', () => {
    const s = status(pod({ restartPolicy: 'Never' }), [rc('app', 'exited', { exitCode: 0 })]);
    expect(s.phase).toBe('Succeeded');
    expect(cond(s, 'Initialized')).toMatchObject({ status: 'True', reason: 'PodCompleted' });
    expect(cond(s, 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
    expect(cond(s, 'ContainersReady')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
    expect(cond(s, 'Ready').message).toBeUndefined();
  });

  test('failed pod', () => {
    const s = status(pod({ restartPolicy: 'Never' }), [rc('app', 'exited', { exitCode: 2 })]);
    expect(s.phase).toBe('Failed');
    expect(cond(s, 'Initialized')).toMatchObject({ status: 'True' });
    expect(cond(s, 'Initialized').reason).toBeUndefined();
    expect(cond(s, 'Ready')).toMatchObject({ status: 'False', reason: 'PodFailed' });
  });

  test('readiness gates', () => {
    const p = pod({ readinessGates: [{ conditionType: 'example.com/lb' }] });
    const s = status(p, [rc('app', 'running')]);
    expect(cond(s, 'ContainersReady').status).toBe('True');
    expect(cond(s, 'Ready')).toMatchObject({ status: 'False', reason: 'ReadinessGatesNotReady', message: 'corresponding condition of pod readiness gate "example.com/lb" does not exist.' });
  });

  test('PodReadyToStartContainers follows the sandbox', () => {
    const s = computePodStatus({ pod: pod({}), containers: [], sandboxReady: false, hostIP: '127.0.0.1', now: NOW });
    expect(cond(s, 'PodReadyToStartContainers').status).toBe('False');
    expect(s.podIP).toBeUndefined();
  });
});

describe('other fields', () => {
  test('IPs, startTime (sticky), qosClass kept from the API', () => {
    const s = status(pod({}), []);
    expect(s).toMatchObject({ hostIP: '127.0.0.1', hostIPs: [{ ip: '127.0.0.1' }], podIP: '127.244.1.2', podIPs: [{ ip: '127.244.1.2' }], startTime: '2025-01-15T10:00:09Z', qosClass: 'BestEffort' });
    const p = pod({}, { phase: 'Running', startTime: '2025-01-01T00:00:00Z', qosClass: 'Guaranteed' });
    expect(status(p, []).startTime).toBe('2025-01-01T00:00:00Z');
    expect(status(p, []).qosClass).toBe('Guaranteed');
  });

  test('qosClassOf', () => {
    expect(qosClassOf(pod({}))).toBe('BestEffort');
    expect(qosClassOf(pod({ containers: [{ name: 'a', resources: { limits: { cpu: '1', memory: '1Gi' } } }] }))).toBe('Guaranteed');
    expect(qosClassOf(pod({ containers: [{ name: 'a', resources: { requests: { cpu: '100m' } } }] }))).toBe('Burstable');
    expect(qosClassOf(pod({ containers: [{ name: 'a', resources: { limits: { cpu: '1' } } }] }))).toBe('Burstable');
  });

  test('imageIdOf / rfc3339', () => {
    expect(imageIdOf('docker.io/library/nginx:1.28', 'sha256:ab')).toBe('docker.io/library/nginx@sha256:ab');
    expect(imageIdOf('localhost:5000/x/y', 'sha256:ab')).toBe('localhost:5000/x/y@sha256:ab');
    expect(rfc3339('2025-01-15T10:00:00.999Z')).toBe('2025-01-15T10:00:00Z');
  });

  test('terminatePodStatus: never-started containers become ContainerStatusUnknown, phase Failed', () => {
    const s = terminatePodStatus(status(pod({}), [rc('app', 'running')]));
    expect(s.phase).toBe('Failed');
    expect(s.containerStatuses![0].state!.terminated).toMatchObject({ exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was terminated' });
    expect(cond(s, 'Ready')).toMatchObject({ status: 'False', reason: 'PodFailed' });
  });
});
