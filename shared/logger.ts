/**
 * Logging for every component: pino JSON lines carrying `component`, pretty-printed
 * when stdout is a terminal (or K8TS_LOG_PRETTY=1). Objects are logged as `object:
 * "ns/name"` so a grep follows one object across components.
 */
import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(component: string, opts: { level?: string; pretty?: boolean } = {}): Logger {
  const level = opts.level ?? process.env.K8TS_LOG_LEVEL ?? 'info';
  const pretty = opts.pretty ?? (process.env.K8TS_LOG_PRETTY === '1' || (process.stdout.isTTY && process.env.K8TS_LOG_PRETTY !== '0'));
  if (pretty) {
    return pino({ level, base: { component } }, pino.transport({ target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname', messageFormat: '[{component}] {msg}' } }));
  }
  return pino({ level, base: { component } });
}

/** `ns/name` (or `name` for cluster-scoped objects), the way Kubernetes logs an object reference. */
export function objectRef(obj: { metadata?: { namespace?: string; name?: string } }): string {
  const md = obj.metadata ?? {};
  return md.namespace ? `${md.namespace}/${md.name}` : md.name ?? '';
}
