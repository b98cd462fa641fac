/**
 * k8ts-controller-manager: flags → a KubeClient → `ControllerManager`. Only wiring
 * lives here (manager.ts holds the controller list, each controller its own module).
 * Timing flags take Go-style durations (`50s`, `5m`, `500ms`) or plain seconds and
 * shrink kube-controller-manager's defaults for tests. SIGTERM/SIGINT stop gracefully.
 */
import { Command } from 'commander';
import { KubeClient } from '../shared/client';
import { createLogger } from '../shared/logger';
import { DEFAULT_CONTROLLER_OPTIONS } from './controller';
import { CONTROLLERS, ControllerManager } from './manager';

/** `1h2m3.5s`, `500ms`, or a bare number of seconds → seconds. */
export function parseDurationSeconds(v: string): number {
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  const unit: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };
  let total = 0, consumed = 0;
  for (const m of v.matchAll(re)) {
    total += Number(m[1]) * unit[m[2]];
    consumed += m[0].length;
  }
  if (consumed !== v.length || consumed === 0) throw new Error(`invalid duration ${JSON.stringify(v)}`);
  return total;
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`expected a positive integer, got ${JSON.stringify(v)}`);
  return n;
}

async function main(): Promise<void> {
  const d = DEFAULT_CONTROLLER_OPTIONS;
  const program = new Command('k8ts-controller-manager')
    .description('The k8ts controller manager: runs the workload and cluster controllers')
    .option('--server <url>', 'API server URL', 'http://127.0.0.1:6443')
    .option('--kubeconfig <path>', 'kubeconfig to use instead of --server')
    .option('--controllers <list>', `comma-separated controllers; '*' = all, '-name' disables (known: ${Object.keys(CONTROLLERS).join(', ')})`, '*')
    .option('--node-monitor-grace-period <duration>', 'time a node may go without a heartbeat before it is marked unhealthy', `${d.nodeMonitorGracePeriodSeconds}s`)
    .option('--node-monitor-period <duration>', 'how often node health is checked', `${d.nodeMonitorPeriodSeconds}s`)
    .option('--pod-eviction-timeout <duration>', 'default toleration before pods on an unhealthy node are evicted', `${d.podEvictionTimeoutSeconds}s`)
    .option('--cluster-cidr <cidr>', 'pod address range for node IPAM', d.clusterCIDR)
    .option('--node-cidr-mask-size <n>', 'mask size of each node podCIDR', String(d.nodeCIDRMaskSize))
    .option('--concurrent-syncs <n>', 'workers per controller', String(d.workers))
    .parse(process.argv);
  const o = program.opts();
  const logger = createLogger('controller-manager');
  const client = o.kubeconfig ? KubeClient.fromKubeconfig(o.kubeconfig) : new KubeClient({ server: o.server });
  const manager = new ControllerManager({
    client,
    logger,
    controllers: String(o.controllers).split(',').map((s) => s.trim()).filter(Boolean),
    options: {
      nodeMonitorGracePeriodSeconds: parseDurationSeconds(o.nodeMonitorGracePeriod),
      nodeMonitorPeriodSeconds: parseDurationSeconds(o.nodeMonitorPeriod),
      podEvictionTimeoutSeconds: parseDurationSeconds(o.podEvictionTimeout),
      clusterCIDR: o.clusterCidr,
      nodeCIDRMaskSize: positiveInt(o.nodeCidrMaskSize),
      workers: positiveInt(o.concurrentSyncs),
    },
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await manager.stop();
    await client.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  await manager.start();
  logger.info({ controllers: manager.controllers.map((c) => c.name) }, 'controller manager started');
}

if (require.main === module) {
  main().catch((err) => {
    // eslint-disable-next-line no-console
    console.error(`k8ts-controller-manager: ${err?.message ?? err}`);
    process.exit(1);
  });
}
