/** Probe attempts (HTTP/TCP/exec against local servers and a fake exec) and the probe worker state machine. */
import * as http from 'node:http';
import * as net from 'node:net';
import type { Pod } from '../../shared/api/types';
import type { ContainerStatus as RC } from '../../kubelet/runtime/interface';
import { ProbeManager, runProbe, type ProbeOutcome } from '../../kubelet/probes';

let server: http.Server;
let port = 0;
let seenHeaders: http.IncomingHttpHeaders = {};
beforeAll(async () => {
  server = http.createServer((req, res) => {
    seenHeaders = req.headers;
    if (req.url === '/ok') res.writeHead(200).end('fine');
    else if (req.url === '/redirect') res.writeHead(302, { location: 'http://elsewhere.example/' }).end('moved');
    else if (req.url === '/slow') setTimeout(() => res.writeHead(200).end(), 3000);
    else res.writeHead(500).end('boom');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const container = (extra = {}) => ({ name: 'web', ports: [{ name: 'http', containerPort: port }], ...extra });

describe('runProbe', () => {
  test('HTTP 200 success, with kube-probe headers', async () => {
    const o = await runProbe({ httpGet: { path: '/ok', port: 'http' } }, { podIP: '127.0.0.1', container: container() });
    expect(o).toEqual({ result: 'success', output: 'fine' });
    expect(seenHeaders['user-agent']).toBe('kube-probe/1.32');
    expect(seenHeaders.accept).toBe('*/*');
    expect(seenHeaders.connection).toBe('close');
  });
  test('HTTP 500 fails with upstream wording', async () => {
    const o = await runProbe({ httpGet: { path: '/fail', port } }, { podIP: '127.0.0.1', container: container() });
    expect(o).toEqual({ result: 'failure', output: 'HTTP probe failed with statuscode: 500' });
  });
  test('HTTP 3xx is a warning (success)', async () => {
    const o = await runProbe({ httpGet: { path: '/redirect', port } }, { podIP: '127.0.0.1', container: container() });
    expect(o).toEqual({ result: 'warning', output: 'Probe terminated redirects, Response body: moved' });
  });
  test('HTTP timeout and connection refused', async () => {
    const t = await runProbe({ httpGet: { path: '/slow', port }, timeoutSeconds: 1 }, { podIP: '127.0.0.1', container: container() });
    expect(t).toEqual({ result: 'failure', output: `Get "http://127.0.0.1:${port}/slow": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` });
    const r = await runProbe({ httpGet: { path: '/x', port: 1 } }, { podIP: '127.0.0.1', container: container() });
    expect(r).toEqual({ result: 'failure', output: 'Get "http://127.0.0.1:1/x": dial tcp 127.0.0.1:1: connect: connection refused' });
  });
  test('TCP', async () => {
    expect(await runProbe({ tcpSocket: { port } }, { podIP: '127.0.0.1', container: container() })).toEqual({ result: 'success', output: '' });
    expect(await runProbe({ tcpSocket: { port: 1 } }, { podIP: '127.0.0.1', container: container() })).toEqual({ result: 'failure', output: 'dial tcp 127.0.0.1:1: connect: connection refused' });
  });
  test('exec: exit code decides, output is combined stdout+stderr', async () => {
    const exec = async (argv: string[]) => ({ exitCode: argv[0] === 'ok' ? 0 : 1, stdout: Buffer.from('out '), stderr: Buffer.from('err\n') });
    expect(await runProbe({ exec: { command: ['ok'] } }, { podIP: '', container: container(), exec })).toEqual({ result: 'success', output: 'out err\n' });
    expect(await runProbe({ exec: { command: ['cat', '/tmp/healthy'] } }, { podIP: '', container: container(), exec })).toEqual({ result: 'failure', output: 'out err\n' });
    const slow = async () => {
      throw Object.assign(new Error('command ["sleep","9"] timed out after 1s'), { name: 'ExecTimeoutError' });
    };
    expect(await runProbe({ exec: { command: ['sleep', '9'] } }, { podIP: '', container: container(), exec: slow })).toEqual({ result: 'failure', output: 'command "sleep 9" timed out' });
  });
});

describe('ProbeManager', () => {
  const mkPod = (c: Record<string, unknown>): Pod => ({ metadata: { name: 'p', namespace: 'default', uid: 'u1' }, spec: { containers: [{ name: 'web', image: 'x', ...c }] } }) as Pod;
  const inst = (id: string): RC => ({ id, sandboxId: 's', name: 'web', state: 'running', createdAt: new Date().toISOString(), startedAt: new Date(Date.now() - 60_000).toISOString(), image: { ref: 'x', digest: '', rootfs: '', config: {} }, labels: {}, logPath: '' });

  function setup(pod: Pod, outcomes: ProbeOutcome[]) {
    const events: string[] = [];
    const changes: number[] = [];
    const m = new ProbeManager({
      exec: async () => ({ exitCode: 0, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) }),
      event: (_p, type, reason, message) => events.push(`${type} ${reason}: ${message}`),
      onChange: () => changes.push(1),
      run: async () => outcomes.shift() ?? { result: 'success', output: '' },
    });
    return { m, events, changes };
  }

  test('liveness: failures count to the threshold, each one an Unhealthy event; then held until a new instance', async () => {
    const pod = mkPod({ livenessProbe: { httpGet: { port: 80 }, failureThreshold: 3, periodSeconds: 3600 } });
    const fail = { result: 'failure' as const, output: 'HTTP probe failed with statuscode: 500' };
    const { m, events, changes } = setup(pod, [fail, fail, fail, fail]);
    m.update(pod, '127.0.0.1', new Map([['web', inst('c1')]]));
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(m.failed('u1', 'web', 'c1')).toBeUndefined();
    await m.tickAll();
    expect(m.failed('u1', 'web', 'c1')).toBeUndefined();
    await m.tickAll();
    expect(m.failed('u1', 'web', 'c1')).toBe('liveness');
    expect(changes).toHaveLength(1);
    expect(events).toEqual(Array(3).fill('Warning Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500'));
    await m.tickAll(); // on hold: no more probing for this instance
    expect(events).toHaveLength(3);
    m.update(pod, '127.0.0.1', new Map([['web', inst('c2')]]));
    expect(m.failed('u1', 'web', 'c2')).toBeUndefined();
    m.stop();
  });

  test('readiness starts as Failure, flips after successThreshold, back after failureThreshold', async () => {
    const pod = mkPod({ readinessProbe: { tcpSocket: { port: 80 }, successThreshold: 2, failureThreshold: 1, periodSeconds: 3600 } });
    const ok = { result: 'success' as const, output: '' };
    const { m } = setup(pod, [ok, ok, { result: 'failure', output: 'dial tcp: refused' }]);
    m.update(pod, '127.0.0.1', new Map([['web', inst('c1')]]));
    expect(m.ready('u1', 'web', 'c1')).toBe(false);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(m.ready('u1', 'web', 'c1')).toBe(false);
    await m.tickAll();
    expect(m.ready('u1', 'web', 'c1')).toBe(true);
    await m.tickAll();
    expect(m.ready('u1', 'web', 'c1')).toBe(false);
    m.stop();
  });

  test('startup gates liveness/readiness; started once it succeeds', async () => {
    const pod = mkPod({ startupProbe: { exec: { command: ['true'] }, periodSeconds: 3600 }, readinessProbe: { exec: { command: ['true'] }, periodSeconds: 3600 } });
    const runs: string[] = [];
    const m = new ProbeManager({
      exec: async () => ({ exitCode: 0, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) }),
      event: () => undefined,
      onChange: () => undefined,
      run: async (p) => {
        runs.push(p === pod.spec!.containers[0].startupProbe ? 'startup' : 'readiness');
        return { result: runs.length === 1 ? 'failure' : 'success', output: '' };
      },
    });
    m.update(pod, '127.0.0.1', new Map([['web', inst('c1')]]));
    expect(m.started('u1', 'web', 'c1')).toBe(false);
    await m.tickAll();
    await m.tickAll();
    await m.tickAll();
    expect(m.started('u1', 'web', 'c1')).toBe(true);
    // Readiness ran only after startup succeeded.
    expect(runs.indexOf('readiness')).toBeGreaterThan(runs.lastIndexOf('startup'));
    m.stop();
  });

  test('initialDelaySeconds skips probing right after the start', async () => {
    const pod = mkPod({ livenessProbe: { tcpSocket: { port: 80 }, initialDelaySeconds: 3600, periodSeconds: 3600 } });
    const { m, events } = setup(pod, [{ result: 'failure', output: 'x' }]);
    m.update(pod, '127.0.0.1', new Map([['web', inst('c1')]]));
    await m.tickAll();
    expect(events).toEqual([]);
    m.stop();
  });

  test('errors are discarded; redirects record ProbeWarning', async () => {
    const pod = mkPod({ readinessProbe: { httpGet: { port: 80 }, periodSeconds: 3600 } });
    const { m, events } = setup(pod, [{ result: 'error', output: 'boom' }, { result: 'warning', output: 'Probe terminated redirects, Response body: ' }]);
    m.update(pod, '127.0.0.1', new Map([['web', inst('c1')]]));
    await m.tickAll();
    await m.tickAll();
    await m.tickAll();
    expect(events).toEqual(['Warning ProbeWarning: Readiness probe warning: Probe terminated redirects, Response body: ']);
    expect(m.ready('u1', 'web', 'c1')).toBe(true);
    m.stop();
  });
});
