/**
 * A tiny in-memory Kubernetes API server for driving the CLI in tests (not a test file
 * itself). Speaks just enough of the REST API: /version, legacy discovery, list/get
 * (JSON and Table), create, merge patch, delete, watch (NDJSON, Table events), simple
 * equality label/field selectors and Status errors. Records every request.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

interface Res {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
}

export const FAKE_RESOURCES: Res[] = [
  { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true, shortNames: ['po'], categories: ['all'] },
  { group: '', version: 'v1', resource: 'services', kind: 'Service', namespaced: true, shortNames: ['svc'], categories: ['all'] },
  { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false, shortNames: ['ns'] },
  { group: '', version: 'v1', resource: 'nodes', kind: 'Node', namespaced: false, shortNames: ['no'] },
  { group: '', version: 'v1', resource: 'events', kind: 'Event', namespaced: true, shortNames: ['ev'] },
  { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true, shortNames: ['cm'] },
  { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true, shortNames: ['deploy'], categories: ['all'] },
  { group: 'apps', version: 'v1', resource: 'replicasets', kind: 'ReplicaSet', namespaced: true, shortNames: ['rs'], categories: ['all'] },
  { group: 'events.k8s.io', version: 'v1', resource: 'events', kind: 'Event', namespaced: true, shortNames: ['ev'] },
];

export interface RecordedRequest {
  method: string;
  url: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
}

type Obj = { apiVersion?: string; kind?: string; metadata: Record<string, any>; [k: string]: any };

function mergePatch(target: any, patch: any): any {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out = target && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export class FakeApiServer {
  readonly requests: RecordedRequest[] = [];
  readonly store = new Map<string, Obj>();
  private rv = 100;
  private server = http.createServer((req, res) => this.handle(req, res));
  private watchers: { res: Res; ns?: string; table: boolean; write: (type: string, obj: Obj) => void }[] = [];
  private sockets = new Set<import('node:net').Socket>();
  url = '';

  async start(): Promise<string> {
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private key(r: Res, ns: string | undefined, name: string): string {
    return `${r.group}/${r.resource}/${r.namespaced ? ns ?? '' : ''}/${name}`;
  }

  /** Seeds an object (server-side fields filled in). */
  put(obj: Obj): Obj {
    const r = this.resFor(obj.apiVersion ?? 'v1', obj.kind ?? '');
    const stored: Obj = structuredClone(obj);
    stored.metadata = { uid: `uid-${obj.metadata.name}`, creationTimestamp: new Date(Date.now() - 300_000).toISOString(), ...stored.metadata, resourceVersion: String(++this.rv) };
    if (r.namespaced) stored.metadata.namespace ??= 'default';
    this.store.set(this.key(r, stored.metadata.namespace, stored.metadata.name), stored);
    this.notify(r, 'ADDED', stored);
    return stored;
  }

  remove(obj: Obj): void {
    const r = this.resFor(obj.apiVersion ?? 'v1', obj.kind ?? '');
    const k = this.key(r, obj.metadata.namespace ?? 'default', obj.metadata.name);
    const o = this.store.get(k);
    if (o) {
      this.store.delete(k);
      this.notify(r, 'DELETED', o);
    }
  }

  private resFor(apiVersion: string, kind: string): Res {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    const r = FAKE_RESOURCES.find((x) => x.group === group && x.version === version && x.kind === kind);
    if (!r) throw new Error(`fake server: unknown kind ${apiVersion} ${kind}`);
    return r;
  }

  private notify(r: Res, type: string, obj: Obj): void {
    for (const w of this.watchers) {
      if (w.res !== r) continue;
      if (w.ns && obj.metadata.namespace !== w.ns) continue;
      w.write(type, obj);
    }
  }

  private status(res: http.ServerResponse, code: number, reason: string, message: string, details?: unknown): void {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code, details }));
  }

  private json(res: http.ServerResponse, code: number, body: unknown): void {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private table(r: Res, objs: Obj[], rv: string, withColumns = true): unknown {
    const columns = [
      { name: 'Name', type: 'string', format: 'name', description: '', priority: 0 },
      { name: 'Status', type: 'string', format: '', description: '', priority: 0 },
      { name: 'Age', type: 'string', format: '', description: '', priority: 0 },
      { name: 'IP', type: 'string', format: '', description: '', priority: 1 },
    ];
    return {
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: rv },
      columnDefinitions: withColumns ? columns : null,
      rows: objs.map((o) => ({
        cells: [o.metadata.name, o.status?.phase ?? '', '5m', o.status?.podIP ?? '<none>'],
        object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
      })),
    };
  }

  private matches(o: Obj, q: URLSearchParams): boolean {
    const ls = q.get('labelSelector');
    if (ls) {
      for (const req of ls.split(',')) {
        const [k, v] = req.split('=');
        if (v === undefined ? !(o.metadata.labels && k in o.metadata.labels) : o.metadata.labels?.[k] !== v) return false;
      }
    }
    const fs = q.get('fieldSelector');
    if (fs) {
      for (const req of fs.split(',')) {
        const neg = req.includes('!=');
        const [k, v] = req.split(neg ? '!=' : '=');
        let cur: any = o;
        for (const p of k.split('.')) cur = cur?.[p];
        const val = cur === undefined || cur === null ? '' : String(cur);
        if (neg ? val === v : val !== v) return false;
      }
    }
    return true;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const u = new URL(req.url ?? '/', 'http://x');
    this.requests.push({ method: req.method ?? '', url: req.url ?? '', path: u.pathname, query: u.searchParams, headers: req.headers, body });
    const p = u.pathname;
    if (p === '/version') return this.json(res, 200, { major: '1', minor: '32', gitVersion: 'v1.32.0' });
    if (p === '/api') return this.json(res, 200, { kind: 'APIVersions', versions: ['v1'] });
    if (p === '/apis') {
      const groups = [...new Set(FAKE_RESOURCES.filter((r) => r.group).map((r) => r.group))].map((g) => ({
        name: g,
        versions: [{ groupVersion: `${g}/v1`, version: 'v1' }],
        preferredVersion: { groupVersion: `${g}/v1`, version: 'v1' },
      }));
      return this.json(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups });
    }
    const gv = /^\/(?:api\/(v1)|apis\/([^/]+)\/(v1))$/.exec(p);
    if (gv) {
      const group = gv[2] ?? '';
      const resources = FAKE_RESOURCES.filter((r) => r.group === group).map((r) => ({
        name: r.resource,
        singularName: r.kind.toLowerCase(),
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
        shortNames: r.shortNames,
        categories: r.categories,
      }));
      if (group === '') resources.push({ name: 'pods/status', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'], shortNames: undefined, categories: undefined });
      return this.json(res, 200, { kind: 'APIResourceList', groupVersion: group ? `${group}/v1` : 'v1', resources });
    }
    const m = /^\/(?:api\/v1|apis\/([^/]+)\/v1)(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?$/.exec(p);
    if (!m) return this.status(res, 404, 'NotFound', 'the server could not find the requested resource');
    const group = m[1] ?? '';
    const ns = m[2] ? decodeURIComponent(m[2]) : undefined;
    const resource = m[3];
    const name = m[4] ? decodeURIComponent(m[4]) : undefined;
    const r = FAKE_RESOURCES.find((x) => x.group === group && x.resource === resource);
    if (!r) return this.status(res, 404, 'NotFound', 'the server could not find the requested resource');
    const accept = String(req.headers.accept ?? '');
    const wantsTable = accept.includes('as=Table');
    const qr = group ? `${resource}.${group}` : resource;
    const dry = u.searchParams.get('dryRun') === 'All';

    if (req.method === 'GET' && name === undefined) {
      const items = [...this.store.values()].filter((o) => this.resFor(o.apiVersion ?? 'v1', o.kind ?? '') === r && (!ns || o.metadata.namespace === ns) && this.matches(o, u.searchParams));
      if (u.searchParams.get('watch') === 'true') {
        res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
        res.flushHeaders();
        let first = true;
        const w = {
          res: r,
          ns,
          table: wantsTable,
          write: (type: string, obj: Obj) => {
            if (!this.matches(obj, u.searchParams)) return;
            const payload = wantsTable ? this.table(r, [obj], obj.metadata.resourceVersion, first) : obj;
            first = false;
            res.write(JSON.stringify({ type, object: payload }) + '\n');
          },
        };
        this.watchers.push(w);
        res.on('close', () => {
          this.watchers = this.watchers.filter((x) => x !== w);
        });
        return;
      }
      const rv = String(this.rv);
      if (wantsTable) return this.json(res, 200, this.table(r, items, rv));
      return this.json(res, 200, { kind: `${r.kind}List`, apiVersion: r.group ? `${r.group}/v1` : 'v1', metadata: { resourceVersion: rv }, items: items.map((i) => ({ ...i, apiVersion: undefined, kind: undefined })) });
    }
    const k = name !== undefined ? this.key(r, ns, name) : '';
    if (req.method === 'GET') {
      const o = this.store.get(k);
      if (!o) return this.status(res, 404, 'NotFound', `${qr} "${name}" not found`, { name, kind: resource });
      return this.json(res, 200, wantsTable ? this.table(r, [o], o.metadata.resourceVersion) : o);
    }
    if (req.method === 'POST' && name === undefined) {
      const obj = JSON.parse(body) as Obj;
      if (!obj.metadata?.name) return this.status(res, 422, 'Invalid', `${r.kind} "" is invalid: metadata.name: Required value`, { kind: r.kind, name: '', causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'metadata.name' }] });
      const key = this.key(r, ns, obj.metadata.name);
      if (this.store.has(key)) return this.status(res, 409, 'AlreadyExists', `${qr} "${obj.metadata.name}" already exists`, { name: obj.metadata.name, kind: resource });
      const stored = { ...obj, metadata: { ...obj.metadata, namespace: r.namespaced ? ns : undefined, uid: `uid-${obj.metadata.name}`, creationTimestamp: new Date().toISOString(), resourceVersion: String(this.rv + 1) } };
      if (!dry) {
        this.rv++;
        this.store.set(key, stored);
        this.notify(r, 'ADDED', stored);
      }
      return this.json(res, 201, stored);
    }
    if (req.method === 'PATCH') {
      const o = this.store.get(k);
      if (!o) return this.status(res, 404, 'NotFound', `${qr} "${name}" not found`, { name, kind: resource });
      if (req.headers['content-type'] !== 'application/merge-patch+json') return this.status(res, 415, 'UnsupportedMediaType', 'unsupported');
      const patched = mergePatch(o, JSON.parse(body)) as Obj;
      patched.metadata.resourceVersion = String(this.rv + 1);
      if (!dry) {
        this.rv++;
        this.store.set(k, patched);
        this.notify(r, 'MODIFIED', patched);
      }
      return this.json(res, 200, patched);
    }
    if (req.method === 'DELETE') {
      const o = this.store.get(k);
      if (!o) return this.status(res, 404, 'NotFound', `${qr} "${name}" not found`, { name, kind: resource });
      if (!dry) {
        this.store.delete(k);
        this.notify(r, 'DELETED', o);
      }
      return this.json(res, 200, o);
    }
    return this.status(res, 405, 'MethodNotAllowed', 'method not allowed');
  }
}

/** Captures a CLI run's output. */
export class Sink {
  text = '';
  isTTY = false;
  write(s: string): boolean {
    this.text += s;
    return true;
  }
}
