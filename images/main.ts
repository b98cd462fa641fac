/**
 * k8ts-registry: flags → startRegistry. Serves the built-in catalog and pushed images
 * (kept in --data-dir). Stops on SIGTERM/SIGINT.
 */
import { Command } from 'commander';
import { createLogger } from '../shared/logger';
import { DEFAULT_REGISTRY_PORT, startRegistry } from './registry';

async function main(): Promise<void> {
  const program = new Command('k8ts-registry')
    .description('The k8ts image registry: the built-in catalog plus pushed images, over HTTP')
    .option('--port <n>', 'port to listen on', String(DEFAULT_REGISTRY_PORT))
    .option('--bind-address <ip>', 'address to listen on', '127.0.0.1')
    .option('--data-dir <dir>', 'where pushed images are stored', '.k8ts/registry')
    .option('--catalog-dir <dir>', 'built-in catalog to serve (default: the one shipped with k8ts)')
    .parse(process.argv);
  const o = program.opts();
  const logger = createLogger('registry');
  const registry = await startRegistry({ port: Number(o.port), host: o.bindAddress, dataDir: o.dataDir, catalogDir: o.catalogDir, logger });
  logger.info({ url: registry.url }, 'registry listening');
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await registry.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err) => {
  // eslint-disable-next-line no-console
  console.error(`k8ts-registry: ${err?.message ?? err}`);
  process.exit(1);
});
