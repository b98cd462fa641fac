import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiError } from '../../shared/api/errors';
import { ConnectionError, KubeClient, errorFromResponse, parseWarningHeader, watchEventError } from '../../shared/client/client';
import { discover } from '../../shared/client/discovery';
import { defaultKubeconfigPaths, kubeconfigYaml, loadKubeconfig, resolveKubeconfig, writeKubeconfig } from '../../shared/kubeconfig';
import { FakeApiServer } from './cli-fake-server';

type Handler = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void;

let server: http.Server;
let url: string;
let handler: Handler;
const seen: { method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString();
    seen.push({ method: req.method, url: req.url, headers: req.headers, body });
    handler(req, body, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});
beforeEach(() => {
  seen.length = 0;
});

function json(res: http.ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(code, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

describe('KubeClient requests', () => {
  test('verbs send the right method, headers, query and body', async () => {
    handler = (req, body, res) => json(res, req.method === 'POST' ? 201 : 200, { kind: 'Pod', metadata: { name: 'web' }, echo: body });
    const c = new KubeClient({ server: url, token: 'secret', userAgent: 'test/1' });
    await c.get('/api/v1/namespaces/default/pods/web', { query: { pretty: false } });
    await c.create('/api/v1/namespaces/default/pods', { metadata: { name: 'web' } }, { query: { fieldManager: 'kubectl-create' } });
    await c.patch('/api/v1/namespaces/default/pods/web', { metadata: { labels: { a: 'b' } } }, 'merge');
    await c.patch('/api/v1/namespaces/default/pods/web', [{ op: 'remove', path: '/x' }], 'application/json-patch+json');
    await c.update('/api/v1/namespaces/default/pods/web', { metadata: { name: 'web' } });
    await c.delete('/api/v1/namespaces/default/pods/web', { propagationPolicy: 'Background' });
    await c.close();
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'GET /api/v1/namespaces/default/pods/web?pretty=false',
      'POST /api/v1/namespaces/default/pods?fieldManager=kubectl-create',
      'PATCH /api/v1/namespaces/default/pods/web',
      'PATCH /api/v1/namespaces/default/pods/web',
      'PUT /api/v1/namespaces/default/pods/web',
      'DELETE /api/v1/namespaces/default/pods/web',
    ]);
    expect(seen[0].headers.authorization).toBe('Bearer secret');
    expect(seen[0].headers['user-agent']).toBe('test/1');
    expect(seen[0].headers.accept).toBe('application/json');
    expect(seen[1].headers['content-type']).toBe('application/json');
    expect(seen[2].headers['content-type']).toBe('application/merge-patch+json');
    expect(seen[3].headers['content-type']).toBe('application/json-patch+json');
    expect(JSON.parse(seen[5].body)).toEqual({ kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' });
  });

  test('a Status error becomes an ApiError with its code, reason, message and details', async () => {
    handler = (_req, _b, res) =>
      json(res, 404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'pods "x" not found', reason: 'NotFound', details: { name: 'x', kind: 'pods' }, code: 404 });
    const c = new KubeClient({ server: url });
    const err = await c.get('/api/v1/namespaces/default/pods/x').catch((e) => e);
    await c.close();
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 404, reason: 'NotFound', message: 'pods "x" not found', details: { name: 'x', kind: 'pods' } });
  });

  test('errors without a Status body get client-go wording', () => {
    expect(errorFromResponse(404, '')).toMatchObject({ code: 404, reason: 'NotFound', message: 'the server could not find the requested resource' });
    expect(errorFromResponse(500, 'boom')).toMatchObject({ code: 500, reason: 'InternalError', message: 'an error on the server ("boom") has prevented the request from succeeding' });
    expect(errorFromResponse(409, '{"kind":"Status","code":409,"reason":"AlreadyExists","message":"m"}')).toMatchObject({ code: 409, reason: 'AlreadyExists' });
  });

  test('warning headers reach onWarning', async () => {
    handler = (_req, _b, res) => json(res, 200, {}, { warning: '299 - "spec.foo: deprecated"' });
    const warnings: string[] = [];
    const c = new KubeClient({ server: url, onWarning: (w) => warnings.push(w) });
    await c.get('/x');
    await c.close();
    expect(warnings).toEqual(['spec.foo: deprecated']);
    expect(parseWarningHeader(['299 - "a \\"b\\""', '299 k8s "c", 299 k8s "d"'])).toEqual(['a "b"', 'c', 'd']);
  });

  test('a refused connection says so the way kubectl does', async () => {
    const tmp = http.createServer();
    await new Promise<void>((r) => tmp.listen(0, '127.0.0.1', () => r()));
    const port = (tmp.address() as AddressInfo).port;
    await new Promise<void>((r) => tmp.close(() => r()));
    const c = new KubeClient({ server: `http://127.0.0.1:${port}` });
    const err = await c.get('/version').catch((e) => e);
    await c.close();
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.message).toBe(`The connection to the server 127.0.0.1:${port} was refused - did you specify the right host or port?`);
  });

  test('a server path prefix is kept', async () => {
    handler = (_req, _b, res) => json(res, 200, {});
    const c = new KubeClient({ server: `${url}/k8s/clusters/c1/` });
    await c.get('/api');
    await c.close();
    expect(seen[0].url).toBe('/k8s/clusters/c1/api');
  });
});

describe('KubeClient.watch', () => {
  test('events split across chunks arrive whole, in order; the stream end resolves', async () => {
    const lines = [1, 2, 3].map((n) => JSON.stringify({ type: 'ADDED', object: { metadata: { name: `p${n}`, resourceVersion: String(n) } } }) + '\n').join('');
    handler = (req, _b, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
      // Dribble the bytes in odd-sized pieces.
      let i = 0;
      const step = () => {
        if (i >= lines.length) return res.end();
        res.write(lines.slice(i, i + 7));
        i += 7;
        setTimeout(step, 1);
      };
      step();
    };
    const c = new KubeClient({ server: url });
    const got: string[] = [];
    await c.watch<{ metadata: { name: string } }>('/api/v1/pods', { resourceVersion: '0' }, (ev) => {
      got.push(`${ev.type} ${ev.object.metadata.name}`);
    });
    await c.close();
    expect(got).toEqual(['ADDED p1', 'ADDED p2', 'ADDED p3']);
    expect(seen[0].url).toBe('/api/v1/pods?resourceVersion=0&watch=true');
  });

  test('abort ends an endless watch quietly', async () => {
    handler = (_req, _b, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'a' } } }) + '\n');
    };
    const c = new KubeClient({ server: url });
    const ac = new AbortController();
    const got: string[] = [];
    await c.watch('/api/v1/pods', {}, (ev) => {
      got.push(ev.type);
      ac.abort();
    }, { signal: ac.signal });
    await c.close();
    expect(got).toEqual(['ADDED']);
  });

  test('an error thrown by the handler comes out of watch as is', async () => {
    handler = (_req, _b, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old' } }) + '\n');
    };
    const c = new KubeClient({ server: url });
    const err = await c
      .watch('/api/v1/pods', {}, (ev) => {
        const e = watchEventError(ev);
        if (e) throw e;
      })
      .catch((e) => e);
    await c.close();
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 410, reason: 'Expired' });
  });

  test('410 on watch rejects with Expired; ERROR events convert to ApiError', async () => {
    handler = (_req, _b, res) => json(res, 410, { kind: 'Status', status: 'Failure', reason: 'Expired', message: 'too old resource version: 1 (50)', code: 410 });
    const c = new KubeClient({ server: url });
    const err = await c.watch('/api/v1/pods', { resourceVersion: '1' }, () => undefined).catch((e) => e);
    await c.close();
    expect(err).toMatchObject({ code: 410, reason: 'Expired' });
    expect(watchEventError({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: 'x' } })).toMatchObject({ code: 410, reason: 'Expired' });
    expect(watchEventError({ type: 'ADDED', object: {} })).toBeUndefined();
  });
});

describe('discovery', () => {
  test('legacy discovery builds a mapper', async () => {
    const fake = new FakeApiServer();
    await fake.start();
    const c = new KubeClient({ server: fake.url });
    const mapper = await discover(c);
    await c.close();
    await fake.stop();
    expect(mapper.resourceFor('deploy').group).toBe('apps');
    expect(mapper.expand('all').map((m) => m.resource)).toEqual(['pods', 'services', 'deployments', 'replicasets']);
    expect(fake.requests.map((r) => r.path).sort()).toEqual(['/api', '/api/v1', '/apis', '/apis/apps/v1', '/apis/events.k8s.io/v1']);
  });
});

describe('kubeconfig', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8ts-kc-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('written kubeconfig reads back; fromKubeconfig uses its server and token', async () => {
    const file = path.join(dir, 'sub', 'kubeconfig');
    writeKubeconfig(file, { server: url, user: 'admin', token: 't0k' });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const r = resolveKubeconfig(loadKubeconfig(file));
    expect(r).toMatchObject({ server: url, token: 't0k', contextName: 'k8ts', clusterName: 'k8ts', userName: 'admin' });
    handler = (_req, _b, res) => json(res, 200, { gitVersion: 'v1.32.0' });
    const c = KubeClient.fromKubeconfig(file);
    await c.get('/version');
    await c.close();
    expect(seen[0].headers.authorization).toBe('Bearer t0k');
  });

  test('merged files: first definition wins; relative CA paths resolve next to the file; -data is base64', () => {
    fs.writeFileSync(path.join(dir, 'ca.crt'), 'CA-PEM');
    const a = path.join(dir, 'a');
    const b = path.join(dir, 'b');
    fs.writeFileSync(a, `apiVersion: v1\nkind: Config\ncurrent-context: one\nclusters:\n- name: c1\n  cluster:\n    server: https://one:6443\n    certificate-authority: ca.crt\ncontexts:\n- name: one\n  context:\n    cluster: c1\n    user: u1\n    namespace: dev\nusers:\n- name: u1\n  user:\n    client-certificate-data: ${Buffer.from('CERT').toString('base64')}\n    client-key-data: ${Buffer.from('KEY').toString('base64')}\n`);
    fs.writeFileSync(b, `apiVersion: v1\nkind: Config\ncurrent-context: two\nclusters:\n- name: c1\n  cluster:\n    server: https://ignored\n- name: c2\n  cluster:\n    server: https://two\n    insecure-skip-tls-verify: true\ncontexts:\n- name: two\n  context:\n    cluster: c2\nusers: []\n`);
    const cfg = loadKubeconfig([a, b, path.join(dir, 'missing')]);
    const one = resolveKubeconfig(cfg);
    expect(one.server).toBe('https://one:6443');
    expect(one.namespace).toBe('dev');
    expect(one.ca!.toString()).toBe('CA-PEM');
    expect(one.clientCert!.toString()).toBe('CERT');
    expect(one.clientKey!.toString()).toBe('KEY');
    expect(resolveKubeconfig(cfg, 'two')).toMatchObject({ server: 'https://two', insecure: true });
    expect(() => resolveKubeconfig(cfg, 'nope')).toThrow('context was not found for specified context: nope');
  });

  test('default path: $KUBECONFIG, else .k8ts/kubeconfig in cwd, else ~/.kube/config', () => {
    expect(defaultKubeconfigPaths({ KUBECONFIG: `/x${path.delimiter}/y` }, '/tmp')).toEqual(['/x', '/y']);
    expect(defaultKubeconfigPaths({ HOME: '/home/me' }, dir)).toEqual(['/home/me/.kube/config']);
    fs.mkdirSync(path.join(dir, '.k8ts'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.k8ts', 'kubeconfig'), kubeconfigYaml({ server: 'http://127.0.0.1:6443' }));
    expect(defaultKubeconfigPaths({ HOME: '/home/me' }, dir)).toEqual([path.join(dir, '.k8ts', 'kubeconfig')]);
  });
});
