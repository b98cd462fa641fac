/**
 * The real kubectl (v1.32 on PATH) against our API server + ReplicaSet/Deployment
 * controllers + fake kubelet: `rollout status` exits 0 with "successfully rolled out",
 * `set image` rolls, `rollout history` lists revisions with change causes, and `rollout
 * undo` brings back the previous ReplicaSet under a new revision (no third ReplicaSet).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { D_PATH, RS_PATH, startHarness, until, type Harness } from './controller-rs-harness';

let h: Harness;
let home: string;
beforeAll(async () => {
  h = await startHarness();
  await h.startManager(['replicaset', 'deployment']);
  home = mkdtempSync(join(tmpdir(), 'k8ts-kubectl-'));
});
afterAll(async () => {
  await h?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

function kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { PATH: process.env.PATH ?? '', HOME: home };
    execFile('kubectl', ['--server', h.api.url, ...args], { env, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

test('rollout status, set image, history and undo with the real kubectl', async () => {
  await h.client.create(D_PATH, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', annotations: { 'kubernetes.io/change-cause': 'initial nginx:1.25' } },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } } },
  });
  let r = await kubectl('rollout', 'status', 'deploy/web', '--timeout=30s');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout.trim().split('\n').pop()).toBe('deployment "web" successfully rolled out');

  r = await kubectl('set', 'image', 'deploy/web', 'nginx=nginx:1.26');
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('deployment.apps/web image updated');
  r = await kubectl('annotate', '--overwrite', 'deploy/web', 'kubernetes.io/change-cause=upgrade to 1.26');
  expect(r.code).toBe(0);
  r = await kubectl('rollout', 'status', 'deploy/web', '--timeout=30s');
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('deployment "web" successfully rolled out');

  r = await kubectl('rollout', 'history', 'deploy/web');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/REVISION\s+CHANGE-CAUSE/);
  expect(r.stdout).toMatch(/^1\s+initial nginx:1\.25$/m);
  expect(r.stdout).toMatch(/^2\s+upgrade to 1\.26$/m);

  r = await kubectl('rollout', 'undo', 'deploy/web');
  expect(r.stderr).toBe('');
  expect(r.stdout.trim()).toBe('deployment.apps/web rolled back');
  r = await kubectl('rollout', 'status', 'deploy/web', '--timeout=30s');
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('deployment "web" successfully rolled out');

  const rss = (await h.client.list<any>(RS_PATH, { query: { labelSelector: 'app=web' } })).items;
  expect(rss).toHaveLength(2);
  const active = rss.find((x: any) => x.spec.replicas === 3);
  expect(active.spec.template.spec.containers[0].image).toBe('nginx:1.25');
  expect(active.metadata.annotations['deployment.kubernetes.io/revision']).toBe('3');
  r = await kubectl('rollout', 'history', 'deploy/web');
  expect(r.stdout).toMatch(/^2\s+upgrade to 1\.26$/m);
  expect(r.stdout).toMatch(/^3\s+initial nginx:1\.25$/m);
  await until(async () => (await h.client.get<any>(`${D_PATH}/web`)).metadata.annotations['deployment.kubernetes.io/revision'] === '3', 'deployment revision 3');

  r = await kubectl('get', 'deploy', 'web');
  expect(r.stdout).toMatch(/web\s+3\/3\s+3\s+3/);
}, 120_000);
