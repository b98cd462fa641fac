/**
 * Assembles a running API server from its parts: storage backend, registry, HTTP
 * server, the built-in namespaces, and the events TTL sweeper. `main.ts` parses flags
 * and calls this; tests call it in-process.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { KObject } from '../shared/api/types';
import { isApiError } from '../shared/api/errors';
import { createLogger, type Logger } from '../shared/logger';
import type { Storage } from './storage/interface';
import { MemoryStorage, LevelStorage } from './storage';
import { Registry, systemClock, type Clock } from './registry/generic';
import { findResource } from './registry/resources';
import { buildServer } from './http/server';

/** kube-apiserver's --event-ttl default. */
export const DEFAULT_EVENT_TTL_SECONDS = 3600;

export interface ApiServerOptions {
  port?: number;
  host?: string;
  /** LevelDB directory; omitted → in-memory store. */
  dataDir?: string;
  eventTtlSeconds?: number;
  bookmarkIntervalMs?: number;
  logger?: Logger;
  clock?: Clock;
  storage?: Storage;
}

export interface RunningApiServer {
  url: string;
  port: number;
  app: FastifyInstance;
  registry: Registry;
  storage: Storage;
  close(): Promise<void>;
}

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export async function startApiServer(opts: ApiServerOptions = {}): Promise<RunningApiServer> {
  const logger = opts.logger ?? createLogger('apiserver');
  const clock = opts.clock ?? systemClock;
  const storage = opts.storage ?? (opts.dataDir ? await LevelStorage.open({ path: opts.dataDir, clock }) : new MemoryStorage({ clock }));
  const registry = new Registry(storage, clock);
  let ready = false;
  const app = buildServer({ registry, logger, bookmarkIntervalMs: opts.bookmarkIntervalMs, ready: () => ready });

  await ensureNamespaces(registry);
  const sweeper = startEventSweeper(registry, logger, opts.eventTtlSeconds ?? DEFAULT_EVENT_TTL_SECONDS, clock);

  await app.listen({ port: opts.port ?? 0, host: opts.host ?? '127.0.0.1' });
  ready = true;
  const port = (app.server.address() as AddressInfo).port;
  const host = opts.host && opts.host !== '0.0.0.0' ? opts.host : '127.0.0.1';
  logger.info({ port, dataDir: opts.dataDir ?? '(memory)', revision: storage.currentRevision() }, 'API server listening');
  return {
    url: `http://${host}:${port}`,
    port,
    app,
    registry,
    storage,
    async close() {
      clearInterval(sweeper);
      await app.close();
      await storage.close();
    },
  };
}

async function ensureNamespaces(registry: Registry): Promise<void> {
  const namespaces = findResource('', 'v1', 'namespaces')!;
  for (const name of SYSTEM_NAMESPACES) {
    try {
      await registry.create(namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    } catch (err) {
      if (!isApiError(err, 'AlreadyExists')) throw err;
    }
  }
}

/**
 * Events expire after a TTL, as etcd leases expire them in Kubernetes. The clock of an
 * event is its last occurrence (lastTimestamp / eventTime / series), else its creation.
 */
function startEventSweeper(registry: Registry, logger: Logger, ttlSeconds: number, clock: Clock): NodeJS.Timeout {
  const events = findResource('', 'v1', 'events')!;
  const period = Math.max(1000, Math.min(60_000, (ttlSeconds * 1000) / 4));
  const timer = setInterval(() => {
    void (async () => {
      const cutoff = clock.now().getTime() - ttlSeconds * 1000;
      const { items } = await registry.list(events, {});
      for (const ev of items) {
        if (lastSeen(ev) < cutoff) {
          await registry.delete(events, ev.metadata.namespace, ev.metadata.name!).catch(() => undefined);
        }
      }
    })().catch((err) => logger.warn({ err }, 'event sweep failed'));
  }, period);
  timer.unref();
  return timer;
}

function lastSeen(ev: KObject): number {
  const e = ev as any;
  const t = e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? ev.metadata.creationTimestamp;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? 0 : ms;
}
