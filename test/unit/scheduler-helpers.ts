/** Builders shared by the scheduler unit tests (not a test file: no `.test.ts`). */
import type { Affinity, Node, Pod, Toleration } from 'kubernetes-types/core/v1';
import { NodeInfo, SchedulerCache, podInfoOf } from '../../scheduler/cache';

export function node(name: string, o: { cpu?: string; memory?: string; pods?: string; labels?: Record<string, string>; taints?: { key: string; value?: string; effect: string }[]; unschedulable?: boolean; ready?: 'True' | 'False' | 'Unknown' | null } = {}): Node {
  const ready = o.ready === undefined ? 'True' : o.ready;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: o.labels },
    spec: { taints: o.taints, unschedulable: o.unschedulable },
    status: {
      allocatable: { cpu: o.cpu ?? '2', memory: o.memory ?? '4Gi', pods: o.pods ?? '110' },
      conditions: ready === null ? [] : [{ type: 'Ready', status: ready }],
    },
  };
}

export function pod(name: string, o: { cpu?: string; memory?: string; nodeName?: string; nodeSelector?: Record<string, string>; tolerations?: Toleration[]; hostPort?: number; hostIP?: string; protocol?: string; phase?: string; init?: { cpu?: string; memory?: string }[]; affinity?: Affinity } = {}): Pod {
  const requests: Record<string, string> = {};
  if (o.cpu) requests.cpu = o.cpu;
  if (o.memory) requests.memory = o.memory;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: {
      nodeName: o.nodeName,
      nodeSelector: o.nodeSelector,
      tolerations: o.tolerations,
      affinity: o.affinity,
      initContainers: o.init?.map((r, i) => ({ name: `init${i}`, image: 'busybox', resources: { requests: { ...(r.cpu ? { cpu: r.cpu } : {}), ...(r.memory ? { memory: r.memory } : {}) } } })),
      containers: [
        {
          name: 'c',
          image: 'nginx',
          resources: { requests },
          ports: o.hostPort ? [{ containerPort: 80, hostPort: o.hostPort, hostIP: o.hostIP, protocol: o.protocol }] : undefined,
        },
      ],
    },
    status: o.phase ? { phase: o.phase } : {},
  };
}

export function nodeInfo(n: Node, bound: Pod[] = []): NodeInfo {
  const cache = new SchedulerCache();
  cache.setNode(n);
  for (const p of bound) cache.updatePod({ ...p, spec: { ...p.spec!, nodeName: n.metadata!.name } });
  return cache.nodeInfo(n.metadata!.name!)!;
}

export { podInfoOf };
