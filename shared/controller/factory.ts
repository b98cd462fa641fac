/**
 * Shared informers: one list-watch per collection per process, however many
 * controllers read it (client-go's SharedInformerFactory). Controllers ask for the
 * collection path they need; the first caller creates and starts it.
 */
import type { KObject } from '../api/types';
import type { KubeClient } from '../client';
import type { Logger } from '../logger';
import { Informer, type InformerOptions } from './informer';

export class InformerFactory {
  private readonly informers = new Map<string, Informer<KObject>>();

  constructor(
    private readonly client: KubeClient,
    private readonly logger?: Logger,
    private readonly defaults: InformerOptions = {},
  ) {}

  /** The shared informer for a collection path (e.g. `/api/v1/pods`), started on first use. */
  for<T extends KObject = KObject>(path: string, opts: InformerOptions = {}): Informer<T> {
    const key = `${path}?${opts.labelSelector ?? ''}&${opts.fieldSelector ?? ''}`;
    let inf = this.informers.get(key);
    if (!inf) {
      inf = new Informer<KObject>(this.client, path, { logger: this.logger, ...this.defaults, ...opts });
      this.informers.set(key, inf);
      inf.start();
    }
    return inf as unknown as Informer<T>;
  }

  /** Resolves when every informer created so far has listed once. */
  async waitForSync(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.waitForSync()));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }
}
