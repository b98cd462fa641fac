/**
 * Shared fixture for the ReplicaSet/Deployment integration tests: an in-process API
 * server (in-memory store), controller managers that can be started and stopped
 * abruptly, and a fake kubelet. No real kubelet runs: the fake binds every pod to
 * `node-1`, marks it Running/Ready (unless its image is listed in `neverReady`), and
 * finishes graceful deletions (DELETE with grace 0) the way a kubelet confirms them.
 */
import { startApiServer, type RunningApiServer } from '../../apiserver/app';
import { createLogger } from '../../shared/logger';
import { KubeClient } from '../../shared/client';
import { ControllerManager } from '../../controller-manager/manager';

export const silent = () => createLogger('test', { level: 'silent', pretty: false });

export interface Harness {
  api: RunningApiServer;
  client: KubeClient;
  kubelet: FakeKubelet;
  startManager(controllers?: string[]): Promise<ControllerManager>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const api = await startApiServer({ logger: silent() });
  const client = new KubeClient({ server: api.url });
  const managers: { m: ControllerManager; c: KubeClient }[] = [];
  const kubelet = new FakeKubelet(client);
  kubelet.start();
  return {
    api,
    client,
    kubelet,
    async startManager(controllers = ['replicaset', 'deployment']) {
      const c = new KubeClient({ server: api.url });
      const m = new ControllerManager({ client: c, logger: silent(), controllers });
      await m.start();
      managers.push({ m, c });
      return m;
    },
    async close() {
      await kubelet.stop();
      for (const { m, c } of managers) {
        await m.stop().catch(() => undefined);
        await c.close().catch(() => undefined);
      }
      await client.close();
      await api.close();
    },
  };
}

/** Polls `fn` until it returns something truthy. */
export async function until<T>(fn: () => Promise<T | undefined | false | null>, what: string, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const rfc3339 = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

export class FakeKubelet {
  /** Images whose pods never become ready (a broken rollout). */
  readonly neverReady = new Set<string>();
  /** When false, the kubelet leaves pods alone (pending). */
  enabled = true;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(private readonly client: KubeClient) {}

  start(): void {
    const tick = async () => {
      if (this.enabled) await this.pass().catch(() => undefined);
      this.timer = setTimeout(() => (this.running = tick()), 40);
    };
    this.running = tick();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    await this.running;
    clearTimeout(this.timer);
  }

  async pass(): Promise<void> {
    const pods = await this.client.list<any>('/api/v1/pods');
    await Promise.all(
      pods.items.map(async (p: any) => {
        const base = `/api/v1/namespaces/${p.metadata.namespace}/pods/${p.metadata.name}`;
        try {
          if (p.metadata.deletionTimestamp) {
            await this.client.delete(base, { gracePeriodSeconds: 0 });
            return;
          }
          if (!p.spec.nodeName) {
            await this.client.create(`${base}/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: p.metadata.name }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-1' } });
            return;
          }
          const ready = !p.spec.containers.some((c: any) => this.neverReady.has(c.image));
          const isReady = p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True');
          if (p.status?.phase === 'Running' && (isReady === ready)) return;
          const now = rfc3339();
          await this.client.patch(
            `${base}/status`,
            {
              status: {
                phase: 'Running',
                startTime: now,
                conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: now }, { type: 'PodScheduled', status: 'True', lastTransitionTime: now }],
                containerStatuses: p.spec.containers.map((c: any) => ({ name: c.name, image: c.image, imageID: '', ready, restartCount: 0, started: true, state: ready ? { running: { startedAt: now } } : { waiting: { reason: 'ImagePullBackOff' } } })),
              },
            },
            'merge',
          );
        } catch {
          // raced with a delete or another pass; the next pass retries
        }
      }),
    );
  }
}

export const ns = 'default';
export const RS_PATH = `/apis/apps/v1/namespaces/${ns}/replicasets`;
export const D_PATH = `/apis/apps/v1/namespaces/${ns}/deployments`;
export const POD_PATH = `/api/v1/namespaces/${ns}/pods`;

/** Active pods (no deletionTimestamp) with the given label. */
export async function activePods(client: KubeClient, selector: string): Promise<any[]> {
  const l = await client.list<any>(POD_PATH, { query: { labelSelector: selector } });
  return l.items.filter((p: any) => !p.metadata.deletionTimestamp);
}

export async function eventsFor(client: KubeClient, name: string): Promise<any[]> {
  const l = await client.list<any>(`/api/v1/namespaces/${ns}/events`);
  return l.items.filter((e: any) => e.involvedObject?.name === name);
}
