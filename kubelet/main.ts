/**
 * k8ts-kubelet: flags → client, runtime, image service → `Kubelet`. Only wiring lives
 * here; the logic is in kubelet.ts and its modules.
 *
 * SIGTERM/SIGINT: stop watching and exit WITHOUT stopping containers — they outlive the
 * kubelet, as in Kubernetes, and the next kubelet adopts them.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { KubeClient } from '../shared/client';
import { createLogger } from '../shared/logger';
import { NodeImageService } from '../images/cache';
import { createRuntime } from './runtime';
import { parseQuantity } from './env';
import { Kubelet } from './kubelet';
import { DEFAULT_MAX_PODS, NODE_LEASE_DURATION_SECONDS, NODE_STATUS_UPDATE_FREQUENCY_MS } from './node-status';

function positiveNumber(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`not a non-negative number: ${v}`);
  return n;
}

/** `10s`, `500ms`, `1m`, or plain seconds. */
function duration(v: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(v.trim());
  if (!m) throw new InvalidArgumentError(`invalid duration: ${v}`);
  const mult = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Number(m[1]) * mult;
}

async function main(): Promise<void> {
  const program = new Command('k8ts-kubelet')
    .description('The k8ts kubelet: registers its node and runs the pods bound to it')
    .option('--server <url>', 'API server URL', 'http://127.0.0.1:6443')
    .option('--kubeconfig <path>', 'kubeconfig to use instead of --server')
    .requiredOption('--node-name <name>', 'this node\'s name')
    .option('--root-dir <dir>', 'state: runtime root, image cache, pod volumes, logs')
    .option('--node-index <n>', '1-based node number: pod IPs are 127.244.N.x until the node has a podCIDR', positiveNumber, 1)
    .option('--registry <url>', 'image registry URL', 'http://127.0.0.1:5000')
    .option('--port <port>', 'kubelet server port (0 = pick)', positiveNumber, 0)
    .option('--cpu <cores>', 'cpu capacity (default: the host\'s)', positiveNumber)
    .option('--memory <quantity>', 'memory capacity, e.g. 8Gi (default: the host\'s)')
    .option('--max-pods <n>', 'pod capacity', positiveNumber, DEFAULT_MAX_PODS)
    .option('--node-status-update-frequency <duration>', 'node status heartbeat period', duration, NODE_STATUS_UPDATE_FREQUENCY_MS)
    .option('--node-lease-duration <duration>', 'node lease duration (renewed every quarter of it)', duration, NODE_LEASE_DURATION_SECONDS * 1000)
    .option('--backoff-scale <factor>', 'multiplies the crash and image-pull back-off (10 s … 300 s)', positiveNumber, 1)
    .option('--runtime <name>', 'force a runtime: linux-sandbox or process (default: probe)')
    .parse(process.argv);
  const o = program.opts();
  const logger = createLogger('kubelet');
  const client = o.kubeconfig ? KubeClient.fromKubeconfig(o.kubeconfig) : new KubeClient({ server: o.server });
  const rootDir = path.resolve(o.rootDir ?? path.join(os.tmpdir(), `k8ts-kubelet-${o.nodeName}`));
  const runtime = createRuntime({ rootDir: path.join(rootDir, 'runtime'), logger, prefer: o.runtime });
  const images = new NodeImageService(o.registry, path.join(rootDir, 'images'));
  const kubelet = new Kubelet({
    client,
    nodeName: o.nodeName,
    rootDir,
    nodeIndex: o.nodeIndex,
    runtime,
    images,
    logger,
    port: o.port,
    cpu: o.cpu,
    memoryBytes: o.memory !== undefined ? parseQuantity(o.memory) : undefined,
    maxPods: o.maxPods,
    nodeStatusUpdateFrequencyMs: o.nodeStatusUpdateFrequency,
    nodeLeaseDurationSeconds: Math.max(1, Math.round(o.nodeLeaseDuration / 1000)),
    backoffScale: o.backoffScale,
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down; containers keep running');
    await kubelet.stop();
    await client.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  await kubelet.start();
}

main().catch((err) => {
  // eslint-disable-next-line no-console
  console.error(`k8ts-kubelet: ${err?.message ?? err}`);
  process.exit(1);
});
