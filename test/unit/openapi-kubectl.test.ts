/**
 * The real kubectl (v1.32 dispatcher on PATH) against a tiny loopback stub that serves
 * /version, legacy discovery built from RESOURCES, and our /openapi/v3 documents:
 * - `create -f --dry-run=server` must find our PATCH operation + fieldValidation
 *   parameter, skip client-side validation and send `fieldValidation=Strict`;
 * - a body with an unknown field is answered like kube-apiserver (400 strict decoding
 *   error via `unknownFields`) and kubectl prints that;
 * - `kubectl explain` must read our schemas.
 * Skipped when kubectl is not installed. Every kubectl run gets a fresh HOME (discovery
 * cache) and the server listens on 127.0.0.1:0 only.
 */
import { execFile, execFileSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { groupVersions, RESOURCES } from '../../apiserver/registry/resources';
import { decodeErrorMessage, duplicateFields, openapiDocumentJson, openapiIndexJson, strictDecodingError, unknownFields } from '../../apiserver/openapi';
import { parseApiVersion } from '../../shared/api/types';

function hasKubectl(): boolean {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore', timeout: 20000 });
    return true;
  } catch {
    return false;
  }
}

const maybe = hasKubectl() ? describe : describe.skip;

interface Recorded {
  method: string;
  url: string;
  body: string;
}

function apiResourceList(group: string, version: string): object {
  const resources: object[] = [];
  for (const r of RESOURCES.filter((x) => x.group === group && x.version === version)) {
    resources.push({ name: r.resource, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs, shortNames: r.shortNames.length ? r.shortNames : undefined, categories: r.categories.length ? r.categories : undefined });
    for (const s of r.subresources) {
      const sub: Record<string, unknown> = { name: `${r.resource}/${s.name}`, singularName: '', namespaced: r.namespaced, kind: s.kind, verbs: s.verbs };
      if (s.group !== group || s.version !== version) Object.assign(sub, { group: s.group, version: s.version });
      resources.push(sub);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}

function startStub(): Promise<{ server: http.Server; port: number; log: Recorded[] }> {
  const log: Recorded[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://x');
      log.push({ method: req.method ?? '', url: req.url ?? '', body });
      const send = (code: number, payload: unknown, raw?: string) => {
        res.writeHead(code, { 'Content-Type': 'application/json' });
        res.end(raw ?? JSON.stringify(payload));
      };
      const p = url.pathname;
      if (p === '/version') return send(200, { major: '1', minor: '32', gitVersion: 'v1.32.0', gitCommit: 'k8ts', gitTreeState: 'clean', buildDate: '2025-01-01T00:00:00Z', goVersion: 'go1.23', compiler: 'gc', platform: 'linux/amd64' });
      if (p === '/openapi/v3') return send(200, undefined, openapiIndexJson());
      if (p.startsWith('/openapi/v3/')) {
        const d = openapiDocumentJson(p.slice('/openapi/v3/'.length));
        return d ? send(200, undefined, d.json) : send(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' });
      }
      if (p === '/api') return send(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: req.headers.host }] });
      if (p === '/apis') {
        const groups = groupVersions().filter((g) => g.group !== '').map((g) => ({ name: g.group, versions: g.versions.map((v) => ({ groupVersion: `${g.group}/${v}`, version: v })), preferredVersion: { groupVersion: `${g.group}/${g.versions[0]}`, version: g.versions[0] } }));
        return send(200, { kind: 'APIGroupList', apiVersion: 'v1', groups });
      }
      if (p === '/api/v1') return send(200, apiResourceList('', 'v1'));
      const gv = /^\/apis\/([^/]+)\/([^/]+)$/.exec(p);
      if (gv) return send(200, apiResourceList(gv[1], gv[2]));
      if (req.method === 'POST') {
        // Like kube-apiserver with fieldValidation=Strict: unknown/duplicate fields are a 400.
        const obj = JSON.parse(body) as { apiVersion: string; kind: string; metadata?: { name?: string } };
        const gvk = { ...parseApiVersion(obj.apiVersion), kind: obj.kind };
        const unknown = url.searchParams.get('fieldValidation') === 'Strict' ? unknownFields(gvk, obj) : [];
        const dups = url.searchParams.get('fieldValidation') === 'Strict' ? duplicateFields(body) : [];
        if (unknown.length || dups.length) {
          return send(400, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'BadRequest', code: 400, message: decodeErrorMessage(gvk, strictDecodingError(unknown, dups)) });
        }
        return send(201, undefined, body);
      }
      return send(404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'NotFound', code: 404, message: `${p} not found` });
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port, log })));
}

function kubectl(port: number, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'k8ts-kubectl-'));
  return new Promise((resolve) => {
    execFile('kubectl', ['--server', `http://127.0.0.1:${port}`, ...args], { env: { PATH: process.env.PATH, HOME: home }, timeout: 60000 }, (err, stdout, stderr) => {
      fs.rmSync(home, { recursive: true, force: true });
      if (process.env.K8TS_DUMP) process.stdout.write(`\n$ kubectl ${args.join(' ')}\n${stdout}${stderr}`);
      resolve({ code: err ? ((err as NodeJS.ErrnoException & { code?: number }).code as unknown as number) ?? 1 : 0, stdout, stderr });
    });
  });
}

maybe('real kubectl against /openapi/v3', () => {
  let stub: Awaited<ReturnType<typeof startStub>>;
  let dir: string;

  beforeAll(async () => {
    stub = await startStub();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8ts-manifests-'));
  });
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await new Promise((r) => stub.server.close(r));
  });

  it('create -f --dry-run=server sends fieldValidation=Strict (no client-side validation)', async () => {
    const file = path.join(dir, 'pod.yaml');
    fs.writeFileSync(file, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx\n    ports:\n    - containerPort: 80\n');
    stub.log.length = 0;
    const r = await kubectl(stub.port, ['create', '-f', file, '--dry-run=server', '-n', 'default']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('pod/web created (server dry run)');
    expect(stub.log.some((x) => x.url.startsWith('/openapi/v3/api/v1?hash='))).toBe(true);
    expect(stub.log.some((x) => x.url.startsWith('/openapi/v2'))).toBe(false);
    const post = stub.log.find((x) => x.method === 'POST');
    expect(post?.url).toMatch(/^\/api\/v1\/namespaces\/default\/pods\?/);
    expect(post?.url).toContain('fieldValidation=Strict');
    expect(post?.url).toContain('dryRun=All');
  });

  it('works for a non-core group too (apps/v1 Deployment)', async () => {
    const file = path.join(dir, 'deploy.yaml');
    fs.writeFileSync(file, 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n');
    stub.log.length = 0;
    const r = await kubectl(stub.port, ['create', '-f', file, '--dry-run=server', '-n', 'default']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('deployment.apps/web created (server dry run)');
    const post = stub.log.find((x) => x.method === 'POST');
    expect(post?.url).toMatch(/^\/apis\/apps\/v1\/namespaces\/default\/deployments\?.*fieldValidation=Strict/);
  });

  it('an unknown field comes back as kube-apiserver words it', async () => {
    const file = path.join(dir, 'bad.yaml');
    fs.writeFileSync(file, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: bad\nspec:\n  containers:\n  - name: web\n    image: nginx\n    imagePullPolicyy: Always\n');
    const r = await kubectl(stub.port, ['create', '-f', file, '--dry-run=server', '-n', 'default']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('Error from server (BadRequest): error when creating');
    expect(r.stderr).toContain('Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].imagePullPolicyy"');
  });

  it('explain pods.spec.containers.image prints the field', async () => {
    const r = await kubectl(stub.port, ['explain', 'pods.spec.containers.image']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/KIND:\s+Pod/);
    expect(r.stdout).toMatch(/VERSION:\s+v1/);
    expect(r.stdout).toMatch(/FIELD:\s+image <string>/);
    expect(r.stdout).toContain('Container image name.');
  });

  it('explain pods.spec.containers lists the Container fields', async () => {
    const r = await kubectl(stub.port, ['explain', 'pods.spec.containers']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/FIELD:\s+containers <\[\]Container>/);
    expect(r.stdout).toMatch(/imagePullPolicy\s+<string>/);
    expect(r.stdout).toMatch(/ports\s+<\[\]ContainerPort>/);
    expect(r.stdout).toMatch(/name\s+<string> -required-/);
  });

  it('explain deployment.spec.strategy (apps/v1) and an enum field', async () => {
    const r = await kubectl(stub.port, ['explain', 'deployment.spec.strategy']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/GROUP:\s+apps/);
    expect(r.stdout).toMatch(/rollingUpdate\s+<RollingUpdateDeployment>/);
    const e = await kubectl(stub.port, ['explain', 'pods.spec.restartPolicy']);
    expect(e.stdout).toMatch(/ENUM:\s+Always\s+Never\s+OnFailure/);
  });
  it('explain shows IntOrString, Quantity maps and Time as for kube-apiserver', async () => {
    const port = await kubectl(stub.port, ['explain', 'svc.spec.ports.targetPort']);
    expect(port.stdout).toMatch(/FIELD:\s+targetPort <IntOrString>/);
    const limits = await kubectl(stub.port, ['explain', 'pods.spec.containers.resources.limits']);
    expect(limits.stdout).toMatch(/FIELD:\s+limits <map\[string\]Quantity>/);
    const ts = await kubectl(stub.port, ['explain', 'pods.metadata.creationTimestamp']);
    expect(ts.stdout).toMatch(/FIELD:\s+creationTimestamp <string>/);
  });
  it('explain --recursive walks the whole Deployment schema', async () => {
    const r = await kubectl(stub.port, ['explain', 'deployments', '--recursive']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/containers\s+<\[\]Container> -required-/);
    expect(r.stdout).toMatch(/maxSurge\s+<IntOrString>/);
  });
});
