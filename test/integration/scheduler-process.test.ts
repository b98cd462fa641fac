/**
 * `k8ts-scheduler` as a real process (dist/, built by `npm test`): flags, binding a pod
 * through a real API server, and a clean exit on SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startApiServer, type RunningApiServer } from '../../apiserver/app';
import { createLogger } from '../../shared/logger';
import { KubeClient } from '../../shared/client';
import { DIST, eventually } from '../helpers/processes';

// K8TS_SCHEDULER_MAIN points at another build (e.g. a scratch tsc output) when dist/ is stale.
const MAIN = process.env.K8TS_SCHEDULER_MAIN ?? path.join(DIST, 'scheduler', 'main.js');

let api: RunningApiServer;
let client: KubeClient;
let proc: ChildProcess | undefined;
const logs: string[] = [];

beforeAll(async () => {
  if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does)`);
  api = await startApiServer({ logger: createLogger('apiserver', { level: 'silent', pretty: false }) });
  client = new KubeClient({ server: api.url });
});

afterAll(async () => {
  if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  await client?.close();
  await api?.close();
});

test('binds a pod and stops cleanly on SIGTERM', async () => {
  await client.create('/api/v1/nodes', {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node-1' },
    status: { allocatable: { cpu: '2', memory: '4Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
  });
  proc = spawn(process.execPath, [MAIN, '--server', api.url, '--scheduler-name', 'default-scheduler'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, K8TS_LOG_PRETTY: '0' } });
  proc.stdout!.on('data', (d: Buffer) => logs.push(d.toString()));
  proc.stderr!.on('data', (d: Buffer) => logs.push(d.toString()));
  await client.create('/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  const node = await eventually(async () => (await client.get<any>('/api/v1/namespaces/default/pods/web')).spec.nodeName as string | undefined, 15_000);
  expect(node).toBe('node-1');

  const exited = new Promise<number | null>((resolve) => proc!.once('exit', (code) => resolve(code)));
  proc.kill('SIGTERM');
  expect(await exited).toBe(0);
  const lines = logs.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['scheduler started', 'shutting down']));
  expect(lines.every((l) => l.component === 'scheduler')).toBe(true);
}, 30_000);
