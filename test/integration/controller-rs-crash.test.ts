/**
 * Crash safety with a real process: the compiled controller manager (dist/, built by
 * `npm run build`) is SIGKILLed in the middle of a ReplicaSet scale from 1 to 50 and
 * started again; the ReplicaSet must end with exactly 50 active pods and stay there.
 * Pods are left pending (no kubelet) so only the controller changes the pod count.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { activePods, RS_PATH, startHarness, until, type Harness } from './controller-rs-harness';

const MAIN = join(__dirname, '..', '..', 'dist', 'controller-manager', 'main.js');
const maybe = existsSync(MAIN) ? test : test.skip;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  h.kubelet.enabled = false;
});
afterAll(async () => {
  await h?.close();
});

function startProcess(): ChildProcess {
  return spawn(process.execPath, [MAIN, '--server', h.api.url, '--controllers', 'replicaset'], { stdio: 'ignore', env: { ...process.env, K8TS_LOG_LEVEL: 'warn', K8TS_LOG_PRETTY: '0' } });
}

maybe('SIGKILL mid-scale 1 → 50, restart: exactly 50 pods', async () => {
  let cm = startProcess();
  try {
    await h.client.create(RS_PATH, {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'kill' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'kill' } }, template: { metadata: { labels: { app: 'kill' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    });
    await until(async () => (await activePods(h.client, 'app=kill')).length === 1, '1 pod', 20_000);
    await h.client.patch(`${RS_PATH}/kill`, { spec: { replicas: 50 } }, 'merge');
    await until(async () => (await activePods(h.client, 'app=kill')).length >= 4, 'scale-up under way', 20_000);
    cm.kill('SIGKILL');
    await new Promise((r) => cm.once('exit', r));
    cm = startProcess();
    let max = 0;
    await until(async () => {
      const n = (await activePods(h.client, 'app=kill')).length;
      max = Math.max(max, n);
      return n === 50;
    }, 'exactly 50', 30_000);
    await new Promise((r) => setTimeout(r, 1500));
    const n = (await activePods(h.client, 'app=kill')).length;
    expect(n).toBe(50);
    expect(max).toBe(50);
  } finally {
    cm.kill('SIGKILL');
  }
}, 90_000);

maybe('SIGTERM stops the process gracefully (exit 0)', async () => {
  const cm = startProcess();
  await new Promise((r) => setTimeout(r, 1000));
  const exited = new Promise<number | null>((r) => cm.once('exit', (code) => r(code)));
  cm.kill('SIGTERM');
  const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('timeout'), 10_000))]);
  if (code === 'timeout') cm.kill('SIGKILL');
  expect(code).toBe(0);
}, 30_000);
