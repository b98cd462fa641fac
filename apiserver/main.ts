/**
 * k8ts-apiserver: flags → startApiServer. Stops gracefully on SIGTERM/SIGINT (pending
 * writes are committed before the store closes).
 */
import { Command } from 'commander';
import { createLogger } from '../shared/logger';
import { startApiServer, DEFAULT_EVENT_TTL_SECONDS } from './app';

async function main(): Promise<void> {
  const program = new Command('k8ts-apiserver')
    .description('The k8ts API server: Kubernetes REST API over LevelDB')
    .option('--port <n>', 'port to listen on', '6443')
    .option('--bind-address <ip>', 'address to listen on', '127.0.0.1')
    .option('--data-dir <dir>', 'LevelDB directory (omit with --storage=memory)', '.k8ts/data')
    .option('--storage <kind>', 'storage backend: leveldb or memory', 'leveldb')
    .option('--event-ttl <seconds>', 'how long events are kept', String(DEFAULT_EVENT_TTL_SECONDS))
    .parse(process.argv);
  const o = program.opts();
  const logger = createLogger('apiserver');
  const server = await startApiServer({
    port: Number(o.port),
    host: o.bindAddress,
    dataDir: o.storage === 'memory' ? undefined : o.dataDir,
    eventTtlSeconds: Number(o.eventTtl),
    logger,
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await server.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err) => {
  // eslint-disable-next-line no-console
  console.error(`k8ts-apiserver: ${err?.message ?? err}`);
  process.exit(1);
});
