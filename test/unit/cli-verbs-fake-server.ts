/**
 * The CLI fake API server (cli-fake-server.ts) extended for the workload verbs, without
 * changing it: more kinds (jobs, secrets, service accounts, daemon sets), strategic and
 * JSON patches (applied with the real API server's patch code), the `scale`, `status`,
 * `eviction` and `log` subresources, and MODIFIED watch events for updates made by the
 * test (`modify`). Not a test file itself.
 */
import type * as http from 'node:http';
import { Readable } from 'node:stream';
import { patchObject } from '../../apiserver/patch';
import { FAKE_RESOURCES, FakeApiServer } from './cli-fake-server';

const EXTRA = [
  { group: '', version: 'v1', resource: 'secrets', kind: 'Secret', namespaced: true },
  { group: '', version: 'v1', resource: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true, shortNames: ['sa'] },
  { group: 'batch', version: 'v1', resource: 'jobs', kind: 'Job', namespaced: true, categories: ['all'] },
  { group: 'apps', version: 'v1', resource: 'daemonsets', kind: 'DaemonSet', namespaced: true, shortNames: ['ds'], categories: ['all'] },
];
for (const r of EXTRA) if (!FAKE_RESOURCES.some((x) => x.group === r.group && x.resource === r.resource)) FAKE_RESOURCES.push(r);

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

export class VerbsFakeServer extends FakeApiServer {
  /** Status codes the next evictions answer with (then 201 and the pod is deleted). */
  evictionAnswers: number[] = [];
  /** What `GET pods/X/log` answers; undefined → 503 (logs not served yet). */
  logs: Record<string, string> = {};

  constructor() {
    super();
    const self = this as any;
    const base = self.handle.bind(this);
    self.handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks).toString('utf8');
      if (await this.extended(req, res, body)) return;
      // Hand the base handler a request whose body can be read again.
      const replay = Object.assign(Readable.from([Buffer.from(body)]), { method: req.method, url: req.url, headers: req.headers });
      return base(replay, res);
    };
  }

  /** Replaces a stored object (version bumped, watchers told MODIFIED). */
  modify(obj: Obj): Obj {
    const self = this as any;
    const r = self.resFor(obj.apiVersion ?? 'v1', obj.kind ?? '');
    const key = self.key(r, obj.metadata.namespace ?? 'default', obj.metadata.name);
    const stored = structuredClone(obj);
    stored.metadata.resourceVersion = String(++self.rv);
    this.store.set(key, stored);
    self.notify(r, 'MODIFIED', stored);
    return stored;
  }

  find(apiVersion: string, kind: string, ns: string | undefined, name: string): Obj | undefined {
    const self = this as any;
    const r = self.resFor(apiVersion, kind);
    return this.store.get(self.key(r, ns ?? 'default', name));
  }

  private send(res: http.ServerResponse, code: number, body: unknown): true {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
    return true;
  }

  private async extended(req: http.IncomingMessage, res: http.ServerResponse, body: string): Promise<boolean> {
    const u = new URL(req.url ?? '/', 'http://x');
    // Namespaced first: `/api/v1/namespaces/default/pods` must not read as namespace
    // "default"'s subresource "pods".
    let m = /^\/(?:api\/v1|apis\/([^/]+)\/v1)\/namespaces\/([^/]+)\/([^/]+)\/([^/]+)(?:\/([^/]+))?$/.exec(u.pathname);
    if (!m) {
      const c = /^\/(?:api\/v1|apis\/([^/]+)\/v1)\/([^/]+)\/([^/]+)(?:\/([^/]+))?$/.exec(u.pathname);
      if (!c || (c[2] === 'namespaces' && c[4])) return false;
      m = [c[0], c[1], undefined, c[2], c[3], c[4]] as unknown as RegExpExecArray;
    }
    const ct = String(req.headers['content-type'] ?? '');
    const sub = m[5];
    if (!sub && !(req.method === 'PATCH' && (ct.includes('strategic') || ct.includes('json-patch')))) return false;
    const self = this as any;
    this.requests.push({ method: req.method ?? '', url: req.url ?? '', path: u.pathname, query: u.searchParams, headers: req.headers, body });
    const group = m[1] ?? '';
    const r = FAKE_RESOURCES.find((x) => x.group === group && x.resource === m[3]);
    if (!r) return this.send(res, 404, { kind: 'Status', status: 'Failure', code: 404, reason: 'NotFound', message: 'not found' });
    const ns = m[2];
    const name = decodeURIComponent(m[4]);
    const key = self.key(r, ns, name);
    const obj = this.store.get(key);
    const notFound = () => this.send(res, 404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 404, reason: 'NotFound', message: `${group ? `${r.resource}.${group}` : r.resource} "${name}" not found`, details: { name, kind: r.resource } });
    if (sub === 'log') {
      if (name in this.logs) {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(this.logs[name]);
        return true;
      }
      return this.send(res, 503, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 503, reason: 'ServiceUnavailable', message: 'logs are not available yet' });
    }
    if (!obj) return notFound();
    const dry = u.searchParams.get('dryRun') === 'All';
    const write = (next: Obj) => (dry ? next : this.modify(next));
    if (!sub) {
      const type = ct.includes('strategic') ? 'strategic' : 'json';
      const out = patchObject(type, obj as never, JSON.parse(body), { kind: { group, kind: r.kind } } as never);
      return this.send(res, 200, write(out.object as unknown as Obj));
    }
    if (sub === 'status' && req.method === 'PATCH') return this.send(res, 200, write(mergePatch(obj, JSON.parse(body))));
    if (sub === 'scale') {
      const scale = () => ({ apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name, namespace: ns, resourceVersion: obj.metadata.resourceVersion }, spec: { replicas: obj.spec?.replicas ?? 0 }, status: { replicas: obj.status?.replicas ?? 0 } });
      if (req.method === 'GET') return this.send(res, 200, scale());
      const wanted = req.method === 'PATCH' ? mergePatch(scale(), JSON.parse(body)) : JSON.parse(body);
      const next = write({ ...obj, spec: { ...obj.spec, replicas: wanted.spec.replicas } });
      return this.send(res, 200, { ...scale(), spec: { replicas: next.spec.replicas } });
    }
    if (sub === 'eviction' && req.method === 'POST') {
      const code = this.evictionAnswers.shift();
      if (code && code !== 201) {
        return this.send(res, code, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason: code === 429 ? 'TooManyRequests' : 'InternalError', message: "Cannot evict pod as it would violate the pod's disruption budget." });
      }
      if (!dry) this.remove(obj);
      return this.send(res, 201, { kind: 'Status', apiVersion: 'v1', status: 'Success', code: 201 });
    }
    return this.send(res, 405, { kind: 'Status', status: 'Failure', code: 405, reason: 'MethodNotAllowed', message: 'not allowed' });
  }
}
