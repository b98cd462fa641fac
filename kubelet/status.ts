/**
 * Pod status computation: spec + runtime state + probe results → `Pod.status`, exactly
 * as a v1.32 kubelet reports it (../shared/KUBELET-STATUS.md §0–3; upstream
 * generateAPIPodStatus, getPhase, convertToAPIContainerStatuses and status/generate.go).
 *
 * Pure: no I/O, time comes in as `now`. The pod worker calls it after every sync and
 * PATCHes the result when it differs from what the API server holds.
 */
import type { Container, ContainerStatus as ApiContainerStatus, Pod, PodCondition, PodStatus } from '../shared/api/types';
import type { ContainerStatus as RuntimeContainer } from './runtime/interface';
import { LABEL_CONTAINER_NAME, LABEL_RESTART_COUNT } from './labels';
import { parseQuantity } from './env';

type Mut<T> = { -readonly [K in keyof T]: T[K] };
type CStatus = Mut<ApiContainerStatus>;
type Cond = Mut<PodCondition>;

/** Why the last attempt to start a container failed (upstream's reason cache). */
export interface ReasonEntry {
  reason: string;
  message?: string;
}

export interface ProbeView {
  /** Startup result for this container instance: true once succeeded (or no startup probe). */
  started(name: string, containerId: string): boolean;
  /** Readiness result for this instance: true when Success (or no readiness probe). */
  ready(name: string, containerId: string): boolean;
}

export interface StatusInput {
  pod: Pod;
  /** Every runtime instance of this pod's containers (any state). */
  containers: RuntimeContainer[];
  /** The sandbox exists and has its IP (PodReadyToStartContainers). */
  sandboxReady: boolean;
  podIP?: string;
  hostIP: string;
  reasons?: Map<string, ReasonEntry>;
  probes?: ProbeView;
  /** The pod is being finished (deleted/evicted): restartPolicy no longer matters. */
  podIsTerminal?: boolean;
  /** CRI runtime type used in `containerID` (`k8ts://…`). */
  runtimeType?: string;
  now: Date;
}

export const EPOCH = '1970-01-01T00:00:00Z';

/** RFC 3339 in whole seconds, UTC (upstream normalizeStatus). */
export function rfc3339(d: Date | string | number | undefined): string | null {
  if (d === undefined || d === null || d === '') return null;
  const date = d instanceof Date ? d : new Date(d);
  if (Number.isNaN(date.getTime())) return null;
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function isInitContainerSidecar(c: Container): boolean {
  return c.restartPolicy === 'Always';
}

/** `POD_NS(UID)` — upstream format.Pod. */
export function podDesc(pod: Pod): string {
  return `${pod.metadata?.name}_${pod.metadata?.namespace}(${pod.metadata?.uid})`;
}

/** All instances of one spec container, newest first. */
export function instancesOf(all: RuntimeContainer[], name: string): RuntimeContainer[] {
  return all
    .filter((c) => (c.labels?.[LABEL_CONTAINER_NAME] ?? c.name) === name)
    .sort((a, b) => {
      const t = Date.parse(b.createdAt) - Date.parse(a.createdAt);
      return t !== 0 ? t : restartCountOf(b) - restartCountOf(a);
    });
}

export function restartCountOf(c: RuntimeContainer): number {
  return Number(c.labels?.[LABEL_RESTART_COUNT] ?? 0) || 0;
}

/** Upstream ShouldContainerBeRestarted for the newest instance (undefined = none). */
export function shouldContainerBeRestarted(pod: Pod, newest: RuntimeContainer | undefined, isInit = false, sidecar = false): boolean {
  if (pod.metadata?.deletionTimestamp) return false;
  if (!newest || newest.state === 'created' || newest.state === 'unknown') return true;
  if (newest.state === 'running') return false;
  if (sidecar) return true;
  const policy = pod.spec?.restartPolicy ?? 'Always';
  if (isInit && newest.exitCode === 0) return false;
  if (policy === 'Never') return false;
  if (policy === 'OnFailure' && newest.exitCode === 0) return false;
  return true;
}

/** `docker.io/library/nginx:1.28` + `sha256:…` → `docker.io/library/nginx@sha256:…`. */
export function imageIdOf(ref: string, digest: string): string {
  if (!digest) return '';
  const at = ref.indexOf('@');
  let repo = at >= 0 ? ref.slice(0, at) : ref;
  const slash = repo.lastIndexOf('/');
  const colon = repo.lastIndexOf(':');
  if (colon > slash) repo = repo.slice(0, colon);
  return `${repo}@${digest}`;
}

function terminatedOf(c: RuntimeContainer, runtimeType: string): Record<string, unknown> {
  const t: Record<string, unknown> = { exitCode: c.exitCode ?? 0 };
  const reason = c.reason ?? (c.exitCode === 0 ? 'Completed' : 'Error');
  if (reason) t.reason = reason;
  if (c.message) t.message = c.message;
  t.startedAt = rfc3339(c.startedAt) ?? EPOCH;
  t.finishedAt = rfc3339(c.finishedAt);
  t.containerID = `${runtimeType}://${c.id}`;
  return t;
}

function stateOf(c: RuntimeContainer, runtimeType: string): Record<string, unknown> {
  switch (c.state) {
    case 'running':
      return { running: { startedAt: rfc3339(c.startedAt) } };
    case 'exited':
      return { terminated: terminatedOf(c, runtimeType) };
    default:
      return { waiting: {} };
  }
}

function volumeMountsOf(c: Container): CStatus['volumeMounts'] {
  const vm = (c.volumeMounts ?? []).map((m) => {
    const o: Record<string, unknown> = { name: m.name, mountPath: m.mountPath };
    if (m.readOnly) {
      o.readOnly = true;
      o.recursiveReadOnly = m.recursiveReadOnly === 'Enabled' ? 'Enabled' : 'Disabled';
    }
    return o;
  });
  return vm.length ? (vm as unknown as CStatus['volumeMounts']) : undefined;
}

function containerStatusOf(input: StatusInput, spec: Container, kind: 'init' | 'sidecar' | 'app'): CStatus {
  const { pod } = input;
  const runtimeType = input.runtimeType ?? 'k8ts';
  const insts = instancesOf(input.containers, spec.name);
  const newest = insts[0];
  const hasInit = (pod.spec?.initContainers ?? []).length > 0;
  const s: CStatus = {
    name: spec.name,
    state: {},
    lastState: {},
    ready: false,
    restartCount: 0,
    image: spec.image ?? '',
    imageID: '',
  };
  if (!newest) {
    s.state = { waiting: { reason: hasInit ? 'PodInitializing' : 'ContainerCreating' } };
  } else {
    s.state = stateOf(newest, runtimeType) as CStatus['state'];
    s.containerID = `${runtimeType}://${newest.id}`;
    s.image = newest.image?.ref || s.image;
    s.imageID = imageIdOf(newest.image?.ref ?? '', newest.image?.digest ?? '');
    s.restartCount = restartCountOf(newest);
    const prev = insts.find((c, i) => i > 0 && c.state === 'exited');
    if (prev) s.lastState = { terminated: terminatedOf(prev, runtimeType) } as unknown as CStatus['lastState'];
  }
  // A failed start (image pull, config, back-off) overrides the state while the
  // container is due for a (re)start; the dead instance moves to lastState.
  const cached = input.reasons?.get(spec.name);
  if (cached && shouldContainerBeRestarted(pod, newest, kind === 'init', kind === 'sidecar')) {
    if (s.state?.terminated) s.lastState = { terminated: s.state.terminated };
    const w: Record<string, string> = { reason: cached.reason };
    if (cached.message) w.message = cached.message;
    s.state = { waiting: w };
  }
  const running = !!s.state?.running;
  if (kind === 'init') {
    s.ready = !!s.state?.terminated && s.state.terminated.exitCode === 0;
    s.started = running;
  } else {
    const id = newest?.id ?? '';
    const started = running && (input.probes ? input.probes.started(spec.name, id) : true);
    s.started = started;
    s.ready = started && (input.probes ? input.probes.ready(spec.name, id) : true);
  }
  const vm = volumeMountsOf(spec);
  if (vm) s.volumeMounts = vm;
  return s;
}

// ------------------------------------------------------------------------ phase

/** Upstream getPhase (§1.2); `statuses` are API container statuses. */
export function getPhase(pod: Pod, init: CStatus[], app: CStatus[], podIsTerminal: boolean): PodStatus['phase'] {
  const spec = pod.spec!;
  const restartPolicy = spec.restartPolicy ?? 'Always';
  let pendingInit = 0;
  let failedInit = 0;
  let pendingSidecars = 0;
  const initSpecs = spec.initContainers ?? [];
  const byName = (list: CStatus[], n: string) => list.find((s) => s.name === n);
  for (const c of initSpecs) {
    const st = byName(init, c.name);
    if (isInitContainerSidecar(c)) {
      if (!st || st.state?.waiting || (st.state?.running && !st.started)) pendingSidecars++;
      continue;
    }
    if (!st) {
      pendingInit++;
      continue;
    }
    if (st.state?.running) pendingInit++;
    else if (st.state?.terminated) {
      if (st.state.terminated.exitCode !== 0) failedInit++;
    } else if (st.state?.waiting) {
      if (st.lastState?.terminated) {
        if (st.lastState.terminated.exitCode !== 0) failedInit++;
      } else pendingInit++;
    } else pendingInit++;
  }
  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of spec.containers) {
    const st = byName(app, c.name);
    if (!st) {
      unknown++;
      continue;
    }
    if (st.state?.running) running++;
    else if (st.state?.terminated) {
      stopped++;
      if (st.state.terminated.exitCode === 0) succeeded++;
    } else if (st.state?.waiting) {
      if (st.lastState?.terminated) stopped++;
      else waiting++;
    } else unknown++;
  }
  const regularStarted = app.some((s) => s.state?.running || s.state?.terminated || s.lastState?.terminated);
  if (failedInit > 0 && restartPolicy === 'Never') return 'Failed';
  if (pendingInit > 0 || (pendingSidecars > 0 && !regularStarted)) return 'Pending';
  if (waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (podIsTerminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (restartPolicy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (restartPolicy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

// ------------------------------------------------------------------- conditions

const list = (names: string[]) => `[${names.join(' ')}]`;

function initializedCondition(pod: Pod, init: CStatus[], app: CStatus[], phase: string): Cond {
  const specs = pod.spec?.initContainers ?? [];
  if (specs.length > 0 && init.length === 0) return { type: 'Initialized', status: 'False', reason: 'UnknownContainerStatuses' };
  const known = specs.every((c) => init.some((s) => s.name === c.name));
  if (phase === 'Succeeded' && known) return { type: 'Initialized', status: 'True', reason: 'PodCompleted' };
  if (app.some((s) => s.state?.running || s.state?.terminated || s.lastState?.terminated)) return { type: 'Initialized', status: 'True' };
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const c of specs) {
    const st = init.find((s) => s.name === c.name);
    if (!st) unknown.push(c.name);
    else if (isInitContainerSidecar(c) ? !st.started : !st.ready) incomplete.push(c.name);
  }
  if (unknown.length || incomplete.length) {
    const parts: string[] = [];
    if (unknown.length) parts.push(`containers with unknown status: ${list(unknown)}`);
    if (incomplete.length) parts.push(`containers with incomplete status: ${list(incomplete)}`);
    return { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message: parts.join(', ') };
  }
  return { type: 'Initialized', status: 'True' };
}

function containersReadyCondition(pod: Pod, init: CStatus[], app: CStatus[], phase: string): Cond {
  const specs = [...(pod.spec?.initContainers ?? []).filter(isInitContainerSidecar), ...(pod.spec?.containers ?? [])];
  const all = [...init, ...app];
  if (all.length === 0) return { type: 'ContainersReady', status: 'False', reason: 'UnknownContainerStatuses' };
  const unknown: string[] = [];
  const unready: string[] = [];
  for (const c of specs) {
    const st = all.find((s) => s.name === c.name);
    if (!st) unknown.push(c.name);
    else if (!st.ready) unready.push(c.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return { type: 'ContainersReady', status: 'False', reason: 'PodCompleted' };
  if (phase === 'Failed') return { type: 'ContainersReady', status: 'False', reason: 'PodFailed' };
  if (unknown.length || unready.length) {
    const parts: string[] = [];
    if (unknown.length) parts.push(`containers with unknown status: ${list(unknown)}`);
    if (unready.length) parts.push(`containers with unready status: ${list(unready)}`);
    return { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: parts.join(', ') };
  }
  return { type: 'ContainersReady', status: 'True' };
}

function readyCondition(pod: Pod, containersReady: Cond, otherConds: Cond[]): Cond {
  if (containersReady.status !== 'True') {
    const c: Cond = { type: 'Ready', status: containersReady.status };
    if (containersReady.reason) c.reason = containersReady.reason;
    if (containersReady.message) c.message = containersReady.message;
    return c;
  }
  const msgs: string[] = [];
  for (const g of pod.spec?.readinessGates ?? []) {
    const cond = otherConds.find((c) => c.type === g.conditionType);
    if (!cond) msgs.push(`corresponding condition of pod readiness gate "${g.conditionType}" does not exist.`);
    else if (cond.status !== 'True') msgs.push(`the status of pod readiness gate "${g.conditionType}" is not "True", but ${cond.status}`);
  }
  if (msgs.length) return { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: msgs.join(', ') };
  return { type: 'Ready', status: 'True' };
}

const KUBELET_OWNED = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];

// ---------------------------------------------------------------------- status

/** QoS class from requests/limits (used only when the API server did not set one). */
export function qosClassOf(pod: Pod): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const cs = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of cs) {
    const req = (c.resources?.requests ?? {}) as Record<string, string>;
    const lim = (c.resources?.limits ?? {}) as Record<string, string>;
    for (const r of ['cpu', 'memory']) {
      const rq = req[r] !== undefined ? parseQuantity(req[r]) : 0;
      const lm = lim[r] !== undefined ? parseQuantity(lim[r]) : 0;
      if (rq > 0 || lm > 0) any = true;
      if (lm <= 0) guaranteed = false;
      if (rq > 0 && rq !== lm) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** Computes the full status to send; the previous status (pod.status) supplies sticky fields. */
export function computePodStatus(input: StatusInput): PodStatus {
  const { pod, now } = input;
  const prev = pod.status ?? {};
  const spec = pod.spec!;
  const init = (spec.initContainers ?? []).map((c) => containerStatusOf(input, c, isInitContainerSidecar(c) ? 'sidecar' : 'init'));
  const app = spec.containers.map((c) => containerStatusOf(input, c, 'app'));
  let phase = getPhase(pod, init, app, !!input.podIsTerminal);
  // Terminal phases are sticky: the kubelet never moves a pod out of one.
  if (prev.phase === 'Succeeded' || prev.phase === 'Failed') phase = prev.phase;

  const other = (prev.conditions ?? []).filter((c) => !KUBELET_OWNED.includes(c.type)) as Cond[];
  const ready2start: Cond = { type: 'PodReadyToStartContainers', status: input.sandboxReady && (input.podIP || spec.hostNetwork) ? 'True' : 'False' };
  const initialized = initializedCondition(pod, init, app, phase!);
  const containersReady = containersReadyCondition(pod, init, app, phase!);
  const ready = readyCondition(pod, containersReady, other);
  const scheduled: Cond = { type: 'PodScheduled', status: 'True' };
  const nowStr = rfc3339(now)!;
  const withTimes = [ready2start, initialized, ready, containersReady, scheduled].map((c) => {
    const old = (prev.conditions ?? []).find((o) => o.type === c.type);
    const out: Cond = { type: c.type, status: c.status };
    if (c.reason) out.reason = c.reason;
    if (c.message) out.message = c.message;
    (out as Record<string, unknown>).lastProbeTime = null;
    out.lastTransitionTime = old && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : nowStr;
    return out;
  });

  const status: Mut<PodStatus> = {
    phase,
    conditions: [...other, ...withTimes],
    hostIP: input.hostIP,
    hostIPs: [{ ip: input.hostIP }],
  };
  const podIP = spec.hostNetwork ? input.hostIP : input.podIP;
  if (podIP) {
    status.podIP = podIP;
    status.podIPs = [{ ip: podIP }];
  }
  status.startTime = prev.startTime ?? nowStr;
  if (init.length) status.initContainerStatuses = init;
  status.containerStatuses = [...app].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  status.qosClass = prev.qosClass ?? qosClassOf(pod);
  // Pod-level reason/message stay while the phase is the same (eviction, deadline…).
  if (prev.reason && prev.phase === phase) status.reason = prev.reason;
  if (prev.message && prev.phase === phase) status.message = prev.message;
  return status;
}

/** True when two statuses differ in anything the kubelet writes (key order insensitive). */
export function statusChanged(a: PodStatus | undefined, b: PodStatus): boolean {
  return canonical(a ?? {}) !== canonical(b);
}

function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, val) => {
    if (val && typeof val === 'object' && !Array.isArray(val)) {
      return Object.fromEntries(Object.keys(val).sort().filter((k) => val[k] !== undefined).map((k) => [k, val[k]]));
    }
    return val;
  });
}

/**
 * Upstream TerminatePod (§1.3): once the pod worker finished a pod, containers that never
 * reached a terminated state are reported as ContainerStatusUnknown/137 and a phase still
 * Pending or Running becomes Failed.
 */
export function terminatePodStatus(status: PodStatus): PodStatus {
  const s = structuredClone(status) as Mut<PodStatus>;
  const unknown = (c: CStatus) => {
    if (c.state?.terminated) return;
    if (c.state?.running) {
      c.lastState = c.lastState ?? {};
    }
    c.state = {
      terminated: {
        exitCode: 137,
        reason: 'ContainerStatusUnknown',
        message: 'The container could not be located when the pod was terminated',
        startedAt: null as unknown as string,
        finishedAt: null as unknown as string,
      },
    };
    c.ready = false;
    c.started = false;
  };
  const initialized = (s.conditions ?? []).some((c) => c.type === 'Initialized' && c.status === 'True');
  if (initialized) for (const c of (s.containerStatuses ?? []) as CStatus[]) unknown(c);
  // Trailing init containers that never started keep their waiting state.
  const inits = (s.initContainerStatuses ?? []) as CStatus[];
  let lastStarted = -1;
  inits.forEach((c, i) => {
    if (!c.state?.waiting || c.lastState?.terminated) lastStarted = i;
  });
  inits.forEach((c, i) => {
    if (i <= lastStarted) unknown(c);
  });
  if (s.phase === 'Pending' || s.phase === 'Running') s.phase = 'Failed';
  if (s.phase === 'Failed' || s.phase === 'Succeeded') {
    const reason = s.phase === 'Succeeded' ? 'PodCompleted' : 'PodFailed';
    for (const c of s.conditions ?? []) {
      if (c.type === 'Ready' || c.type === 'ContainersReady') {
        if (c.status !== 'False') (c as Cond).lastTransitionTime = rfc3339(new Date())!;
        (c as Cond).status = 'False';
        (c as Cond).reason = reason;
        delete (c as Cond).message;
      }
    }
  }
  return s;
}
