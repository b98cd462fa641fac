/**
 * k8ts-scheduler: flags → a KubeClient → `Scheduler`. Only wiring lives here; the logic
 * is in scheduler.ts and its modules. SIGTERM/SIGINT stop it gracefully: no new
 * decisions, bindings in flight finish, informers close.
 */
import { Command } from 'commander';
import { KubeClient } from '../shared/client';
import { createLogger } from '../shared/logger';
import { DEFAULT_SCHEDULER_NAME, Scheduler } from './scheduler';

async function main(): Promise<void> {
  const program = new Command('k8ts-scheduler')
    .description('The k8ts scheduler: binds pending pods to nodes')
    .option('--server <url>', 'API server URL', 'http://127.0.0.1:6443')
    .option('--kubeconfig <path>', 'kubeconfig to use instead of --server')
    .option('--scheduler-name <name>', 'schedule only pods with this spec.schedulerName', DEFAULT_SCHEDULER_NAME)
    .parse(process.argv);
  const o = program.opts();
  const logger = createLogger('scheduler');
  const client = o.kubeconfig ? KubeClient.fromKubeconfig(o.kubeconfig) : new KubeClient({ server: o.server });
  const scheduler = new Scheduler({ client, schedulerName: o.schedulerName, logger });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await scheduler.stop();
    await client.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  await scheduler.start();
}

main().catch((err) => {
  // eslint-disable-next-line no-console
  console.error(`k8ts-scheduler: ${err?.message ?? err}`);
  process.exit(1);
});
