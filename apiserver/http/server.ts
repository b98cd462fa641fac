/**
 * The API server's HTTP face: Kubernetes REST paths over fastify. It only translates —
 * requests into Registry calls, results and ApiErrors into Kubernetes responses — so
 * the semantics live in one place (registry/generic.ts).
 *
 * Every error leaves as a `kind: Status` with the right code; an unexpected exception
 * is logged and answered 500 InternalError without a stack trace.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { WebSocketServer, type WebSocket } from 'ws';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { KObject } from '../../shared/api/types';
import { apiVersionOf } from '../../shared/api/types';
import { ApiError, badRequest, methodNotAllowed, notFound, tooLarge, internalError, invalid, conflict } from '../../shared/api/errors';
import type { Logger } from '../../shared/logger';
import { Registry, target, type DeleteOptions } from '../registry/generic';
import type { ResourceInfo } from '../registry/resources';
import { findResource } from '../registry/resources';
import { parsePath, type Target } from './paths';
import { discovery, groupDocument, resourceList, wantsAggregated, AGGREGATED_CONTENT_TYPE, VERSION_INFO } from './discovery';
import { decodeObject, decodePatch, asObject, negotiate, fieldValidationOf, type FieldValidation } from './codec';
import { serveWatch, type WatchParams, type WatchSink } from './watch';
import { toTable, parseIncludeObject } from '../printers';
import { patchObject, isDirectiveKey } from '../patch';
import { openapiIndex, openapiDocument } from '../openapi';
import { unknownFields, typeErrors, strictDecodingError, strictWarnings, decodeErrorMessage, pruneUnknownFields } from '../openapi';
import { fromLabelSelector, formatRequirements } from '../../shared/selectors';

export const MAX_REQUEST_BYTES = 3 * 1024 * 1024;

export interface ServerOptions {
  registry: Registry;
  logger: Logger;
  /** Bookmark period for watches that allow them (shrunk in tests). */
  bookmarkIntervalMs?: number;
  /** Readiness: false until the store is open and the default namespaces exist. */
  ready?: () => boolean;
}

type Query = Record<string, string | undefined>;

export function buildServer(opts: ServerOptions): FastifyInstance {
  const { registry, logger } = opts;
  // Request logs stay off (info level) unless K8TS_LOG_LEVEL=debug asks for everything.
  const httpLogger = logger.child({ component: 'apiserver-http' }, { level: logger.level === 'debug' || logger.level === 'trace' ? logger.level : 'warn' });
  const app = Fastify({ bodyLimit: MAX_REQUEST_BYTES, loggerInstance: httpLogger, routerOptions: { maxParamLength: 1000 }, return503OnClosing: false, forceCloseConnections: true });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_REQUEST_BYTES }, (_req, body, done) => done(null, body));

  app.setErrorHandler((err: any, req, reply) => {
    let apiErr: ApiError;
    if (err instanceof ApiError) apiErr = err;
    else if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.statusCode === 413) apiErr = tooLarge(`Request entity too large: limit is ${MAX_REQUEST_BYTES}`);
    else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) apiErr = new ApiError(err.statusCode, 'BadRequest', err.message);
    else {
      req.log.error({ err, url: req.url, method: req.method }, 'internal error');
      apiErr = internalError('an unexpected error occurred; see the API server log');
    }
    void reply.code(apiErr.code).header('content-type', 'application/json').send(JSON.stringify(apiErr.toStatus()));
  });

  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).header('content-type', 'application/json').send(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404 }));
  });

  // Buffers, so fastify sends the media type exactly as written (kubectl matches it).
  const aggregatedCoreBytes = Buffer.from(JSON.stringify(discovery.aggregatedCore));
  const aggregatedGroupsBytes = Buffer.from(JSON.stringify(discovery.aggregatedGroups));

  // ---------------------------------------------------------------- non-resource endpoints
  app.get('/version', async () => VERSION_INFO);
  for (const p of ['/healthz', '/livez', '/readyz']) {
    app.get(p, async (_req, reply) => {
      const ok = p !== '/readyz' || !opts.ready || opts.ready();
      return reply.code(ok ? 200 : 500).header('content-type', 'text/plain').send(ok ? 'ok' : '[-]storage not ready\nreadyz check failed');
    });
  }
  app.get('/api', async (req, reply) => {
    if (wantsAggregated(req.headers.accept)) return reply.header('content-type', AGGREGATED_CONTENT_TYPE).send(aggregatedCoreBytes);
    return discovery.apiVersions(req.headers.host ?? '127.0.0.1');
  });
  app.get('/apis', async (req, reply) => {
    if (wantsAggregated(req.headers.accept)) return reply.header('content-type', AGGREGATED_CONTENT_TYPE).send(aggregatedGroupsBytes);
    return discovery.groupList;
  });
  app.get('/openapi/v3', async () => openapiIndex());
  app.get('/openapi/v3/*', async (req) => {
    const doc = openapiDocument((req.params as { '*': string })['*']);
    if (!doc) throw notFound({ resource: 'openapi', name: (req.params as { '*': string })['*'] });
    return doc;
  });
  app.get('/', async () => ({ paths: ['/api', '/api/v1', '/apis', '/healthz', '/livez', '/readyz', '/openapi/v3', '/version'] }));

  // ---------------------------------------------------------------- resources
  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    const url = req.url.split('?')[0];
    const t = parsePath(url);
    if (!t) throw notFoundPath();
    return dispatch(t, req, reply);
  };
  app.route({ method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], url: '/api/*', handler });
  app.route({ method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], url: '/apis/*', handler });

  async function dispatch(t: Target, req: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const q = req.query as Query;
    switch (t.type) {
      case 'groupList':
        if (wantsAggregated(req.headers.accept)) return reply.header('content-type', AGGREGATED_CONTENT_TYPE).send(aggregatedGroupsBytes);
        return discovery.groupList;
      case 'group': {
        const doc = groupDocument(t.group);
        if (!doc) throw notFoundPath();
        return doc;
      }
      case 'resourceList': {
        const doc = resourceList(t.group, t.version);
        if (!doc) throw notFoundPath();
        return doc;
      }
      case 'unknown':
        throw notFoundPath();
      case 'resource':
        return resourceRequest(t.resource, t.namespace, t.name, t.subresource, q, req, reply);
    }
  }

  async function resourceRequest(r: ResourceInfo, ns: string | undefined, name: string | undefined, sub: string | undefined, q: Query, req: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const method = req.method;
    const body = req.body as Buffer | undefined;
    const writeOpts = { dryRun: q.dryRun === 'All', fieldManager: q.fieldManager };
    if (q.dryRun !== undefined && q.dryRun !== 'All' && q.dryRun !== '') throw badRequest(`dryRun: Unsupported value: "${q.dryRun}": supported values: "All"`);

    if (name === undefined) {
      // Collection.
      if (method === 'GET') return q.watch === 'true' || q.watch === '1' ? watchHttp(r, ns, q, req, reply) : listResponse(r, ns, q, req, reply);
      if (method === 'POST') {
        if (r.resource === 'bindings') return reply.code(201).send(await bind(ns!, decodedObject(r, body, req, q, reply)));
        const obj = decodedObject(r, body, req, q, reply);
        const created = await registry.create(r, ns, obj, writeOpts);
        return reply.code(201).send(created);
      }
      if (method === 'DELETE') {
        if (!r.verbs.includes('deletecollection')) throw methodNotAllowed(`the server does not allow this method on the requested resource`);
        const items = await registry.deleteCollection(r, { namespace: ns, labelSelector: q.labelSelector, fieldSelector: q.fieldSelector }, deleteOptions(body, q));
        return { kind: `${r.kind}List`, apiVersion: apiVersionOf(r.group, r.version), metadata: { resourceVersion: String(registry.storage.currentRevision()) }, items };
      }
      throw methodNotAllowed('the server does not allow this method on the requested resource');
    }

    if (sub === undefined || sub === 'status') {
      if (sub === 'status' && !r.hasStatus) throw notFoundPath();
      switch (method) {
        case 'GET': {
          const obj = await registry.get(r, ns, name);
          return represent(r, [obj], req, q, obj.metadata.resourceVersion, undefined, true);
        }
        case 'PUT': {
          const obj = decodedObject(r, body, req, q, reply);
          return registry.update(r, ns, name, obj, sub, writeOpts);
        }
        case 'PATCH': {
          const { type, patch } = decodedPatch(r, body, req, q, reply);
          const { object, created } = await registry.patch(r, ns, name, type, patch, sub, { ...writeOpts, force: q.force === 'true' });
          return reply.code(created ? 201 : 200).send(object);
        }
        case 'DELETE': {
          if (sub) throw methodNotAllowed('the server does not allow this method on the requested resource');
          const { object, deleted } = await registry.delete(r, ns, name, deleteOptions(body, q));
          if (!deleted) return reply.code(200).send(object);
          return reply.code(200).send(object);
        }
      }
      throw methodNotAllowed('the server does not allow this method on the requested resource');
    }

    const info = r.subresources.find((s) => s.name === sub);
    if (!info) throw notFoundPath();
    switch (sub) {
      case 'scale':
        return scale(r, ns, name, method, body, req, q, reply);
      case 'binding':
        if (method !== 'POST') throw methodNotAllowed('only POST is allowed on pods/binding');
        return reply.code(201).send(await bind(ns!, { ...decodedObject(findResource('', 'v1', 'bindings')!, body, req, q, reply), metadata: { name, namespace: ns } } as KObject));
      case 'eviction':
        if (method !== 'POST') throw methodNotAllowed('only POST is allowed on pods/eviction');
        return reply.code(201).send(await evict(r, ns!, name, body));
      case 'finalize':
        if (method !== 'PUT') throw methodNotAllowed('only PUT is allowed on namespaces/finalize');
        return finalizeNamespace(r, name, decodedObject(r, body, req, q, reply));
      default: {
        // logs, exec, attach, port-forward and proxies are served by kubelets (a later piece).
        const pod = await registry.get(r, ns, name);
        const nodeName = (pod.spec as any)?.nodeName;
        if (!nodeName) throw badRequest(`pod ${name} does not have a host assigned`);
        throw new ApiError(503, 'ServiceUnavailable', `${sub} is not available: the kubelet of node "${nodeName}" does not serve it yet`);
      }
    }
  }

  /** Decodes a create/update body, applying fieldValidation and pruning unknown fields. */
  function decodedObject(r: ResourceInfo, body: Buffer | undefined, req: FastifyRequest, q: Query, reply: FastifyReply): KObject {
    const fv = fieldValidationOf(q);
    const decoded = decodeObject(body, req.headers['content-type']);
    const obj = asObject(decoded.body);
    checkFields(r, obj, decoded.duplicates, fv, reply);
    return obj;
  }

  function decodedPatch(r: ResourceInfo, body: Buffer | undefined, req: FastifyRequest, q: Query, reply: FastifyReply) {
    const fv = fieldValidationOf(q);
    const d = decodePatch(body, req.headers['content-type']);
    if (d.type !== 'json' && typeof d.patch === 'object' && d.patch !== null && !Array.isArray(d.patch)) {
      checkFields(r, d.patch as KObject, d.duplicates, fv, reply, d.type === 'strategic');
    }
    return d;
  }

  /**
   * What kube-apiserver's decoder does with a body: wrong JSON types are a 400 always;
   * unknown and duplicate fields are a 400 under Strict, a Warning header under Warn,
   * and silently dropped under Ignore (they never reach storage).
   */
  function checkFields(r: ResourceInfo, obj: KObject, duplicates: string[], fv: FieldValidation, reply: FastifyReply, strategic = false): void {
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    // A strategic merge patch's directives ($patch, $setElementOrder/…) are not fields:
    // judge the patch without them, and keep them when dropping unknown fields.
    const judged = strategic ? withoutDirectives(obj) : obj;
    const typeErrs = typeErrors(gvk, judged);
    if (typeErrs.length) throw badRequest(decodeErrorMessage(gvk, typeErrs[0].message));
    const unknown = unknownFields(gvk, judged);
    if (unknown.length === 0 && duplicates.length === 0) return;
    if (fv === 'Strict') throw badRequest(decodeErrorMessage(gvk, strictDecodingError(unknown, duplicates)));
    if (fv === 'Warn') void reply.header('warning', strictWarnings(unknown, duplicates).map((w) => `299 - ${JSON.stringify(w)}`).join(', '));
    if (strategic) deletePaths(obj, unknown);
    else pruneUnknownFields(gvk, obj);
  }

  async function listResponse(r: ResourceInfo, ns: string | undefined, q: Query, req: FastifyRequest, reply: FastifyReply) {
    const limit = q.limit !== undefined ? Number(q.limit) : undefined;
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) throw badRequest(`limit: Invalid value: "${q.limit}": must be a non-negative integer`);
    const list = await registry.list(r, { namespace: ns, labelSelector: q.labelSelector, fieldSelector: q.fieldSelector, limit, continue: q.continue });
    return represent(r, list.items, req, q, list.resourceVersion, list, false);
  }

  function represent(r: ResourceInfo, items: KObject[], req: FastifyRequest, q: Query, rv: string | undefined, list: { continue?: string; remainingItemCount?: number } | undefined, single: boolean) {
    if (negotiate(req.headers.accept) === 'table') {
      return toTable(r.group, r.resource, items, { includeObject: parseIncludeObject(q.includeObject), resourceVersion: rv, continue: list?.continue });
    }
    if (single) return items[0];
    const metadata: Record<string, unknown> = { resourceVersion: rv };
    if (list?.continue) metadata.continue = list.continue;
    if (list?.remainingItemCount !== undefined) metadata.remainingItemCount = list.remainingItemCount;
    return { kind: `${r.kind}List`, apiVersion: apiVersionOf(r.group, r.version), metadata, items };
  }

  function watchParams(q: Query, accept: string | undefined): WatchParams {
    const timeout = q.timeoutSeconds !== undefined ? Number(q.timeoutSeconds) : undefined;
    if (timeout !== undefined && !Number.isFinite(timeout)) throw badRequest(`timeoutSeconds: Invalid value: "${q.timeoutSeconds}"`);
    return {
      resourceVersion: q.resourceVersion,
      allowWatchBookmarks: q.allowWatchBookmarks === 'true',
      timeoutSeconds: timeout,
      table: negotiate(accept) === 'table',
      includeObject: parseIncludeObject(q.includeObject),
      bookmarkIntervalMs: opts.bookmarkIntervalMs,
    };
  }

  async function watchHttp(r: ResourceInfo, ns: string | undefined, q: Query, req: FastifyRequest, reply: FastifyReply) {
    const sel = registry.selection(r, { namespace: ns, labelSelector: q.labelSelector, fieldSelector: q.fieldSelector });
    const params = watchParams(q, req.headers.accept);
    const res = reply.raw;
    reply.hijack();
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked', 'cache-control': 'no-cache, private' });
    res.flushHeaders();
    const sink: WatchSink = {
      send: (text) => void res.write(text + '\n'),
      pending: () => res.writableLength,
      end: () => res.end(),
    };
    let stop: (() => void) | undefined;
    let closed = false;
    // The response's close (not the request's) tells that the client went away.
    res.on('close', () => {
      closed = true;
      stop?.();
    });
    try {
      stop = await serveWatch(registry, r, sel, params, sink);
      if (closed) stop();
    } catch (err) {
      const apiErr = err instanceof ApiError ? err : internalError(String(err));
      sink.send(JSON.stringify({ type: 'ERROR', object: apiErr.toStatus() }));
      res.end();
    }
  }

  // ---------------------------------------------------------------- subresources

  async function bind(ns: string, binding: KObject): Promise<object> {
    const podName = binding.metadata?.name;
    const nodeName = (binding as any).target?.name;
    const pods = findResource('', 'v1', 'pods')!;
    if (!podName) throw invalid('Binding', '', [{ reason: 'FieldValueRequired', field: 'metadata.name', message: 'Required value' }]);
    if (!nodeName) throw invalid('Binding', podName, [{ reason: 'FieldValueRequired', field: 'target.name', message: 'Required value' }]);
    await registry.write(pods, ns, podName, 'binding', {}, (pod) => {
      const spec = (pod.spec ?? {}) as any;
      if (pod.metadata.deletionTimestamp) throw conflict({ resource: 'pods/binding', name: podName }, `pod ${podName} is being deleted, cannot be assigned to a host`);
      if (spec.nodeName) throw conflict({ resource: 'pods/binding', name: podName }, `pod ${podName} is already assigned to node "${spec.nodeName}"`);
      spec.nodeName = nodeName;
      pod.spec = spec;
      return pod;
    }, binding.metadata.uid ? { uid: binding.metadata.uid } : undefined);
    // PodScheduled=True lands through the status subresource, as the binding registry does.
    await registry.write(pods, ns, podName, 'status', {}, (pod) => {
      const status = (pod.status ?? {}) as any;
      const conds = (status.conditions ?? []).filter((c: any) => c.type !== 'PodScheduled');
      conds.unshift({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') });
      status.conditions = conds;
      pod.status = status;
      return pod;
    });
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
  }

  async function evict(pods: ResourceInfo, ns: string, name: string, body: Buffer | undefined): Promise<object> {
    let options: DeleteOptions = {};
    if (body && body.length) {
      const ev = asObject(decodeObject(body, 'application/json').body) as any;
      options = ev.deleteOptions ?? {};
    }
    await registry.delete(pods, ns, name, options);
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
  }

  async function finalizeNamespace(r: ResourceInfo, name: string, obj: KObject) {
    const finalizers = ((obj.spec as any)?.finalizers ?? []) as string[];
    return registry.write(r, undefined, name, 'finalize', {}, (ns) => {
      ns.spec = { ...((ns.spec as object) ?? {}), finalizers };
      return ns;
    });
  }

  async function scale(r: ResourceInfo, ns: string | undefined, name: string, method: string, body: Buffer | undefined, req: FastifyRequest, q: Query, reply: FastifyReply) {
    const toScale = (obj: KObject) => {
      const spec = (obj.spec ?? {}) as any;
      const status = (obj.status ?? {}) as any;
      let selector = '';
      try {
        selector = formatRequirements(fromLabelSelector(spec.selector) ?? []);
      } catch {
        selector = '';
      }
      return {
        kind: 'Scale',
        apiVersion: 'autoscaling/v1',
        metadata: { name: obj.metadata.name, namespace: obj.metadata.namespace, uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion, creationTimestamp: obj.metadata.creationTimestamp },
        spec: { replicas: spec.replicas ?? 0 },
        status: { replicas: status.replicas ?? 0, selector },
      };
    };
    if (method === 'GET') return toScale(await registry.get(r, ns, name));
    let desired: (cur: KObject) => number;
    if (method === 'PUT') {
      const s = asObject(decodeObject(body, req.headers['content-type']).body) as any;
      desired = () => s.spec?.replicas;
      const rv = s.metadata?.resourceVersion;
      const out = await registry.write(r, ns, name, undefined, { fieldManager: q.fieldManager }, (cur) => setReplicas(cur, desired(cur)), rv ? { resourceVersion: rv } : undefined);
      return toScale(out);
    }
    if (method === 'PATCH') {
      const { type, patch } = decodePatch(body, req.headers['content-type']);
      const out = await registry.write(r, ns, name, undefined, { fieldManager: q.fieldManager }, (cur) => {
        const s = patchObject(type === 'apply' ? 'merge' : type, toScale(cur) as KObject, patch, { kind: { group: 'autoscaling', kind: 'Scale' } }).object as any;
        return setReplicas(cur, s?.spec?.replicas);
      });
      void reply;
      return toScale(out);
    }
    throw methodNotAllowed('the server does not allow this method on the requested resource');
  }

  function setReplicas(obj: KObject, replicas: unknown): KObject {
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
      throw invalid('Scale', obj.metadata.name ?? '', [{ reason: 'FieldValueInvalid', field: 'spec.replicas', message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0` }], 'autoscaling');
    }
    obj.spec = { ...((obj.spec as object) ?? {}), replicas };
    return obj;
  }

  // ---------------------------------------------------------------- WebSocket watch

  const wss = new WebSocketServer({ noServer: true });
  app.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    void handleUpgrade(req, socket, head).catch((err) => {
      const apiErr = err instanceof ApiError ? err : internalError(String(err));
      const text = JSON.stringify(apiErr.toStatus());
      socket.end(`HTTP/1.1 ${apiErr.code} ${apiErr.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
    });
  });

  async function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const t = parsePath(url.pathname);
    const q: Query = Object.fromEntries(url.searchParams);
    if (!t || t.type !== 'resource' || t.name !== undefined || (q.watch !== 'true' && q.watch !== '1')) throw notFoundPath();
    const r = t.resource;
    const sel = registry.selection(r, { namespace: t.namespace, labelSelector: q.labelSelector, fieldSelector: q.fieldSelector });
    const params = watchParams(q, req.headers.accept as string | undefined);
    const ws: WebSocket = await new Promise((resolve) => wss.handleUpgrade(req, socket, head, resolve));
    const sink: WatchSink = { send: (text) => ws.send(text), pending: () => ws.bufferedAmount, end: () => ws.close(1000) };
    let stop: (() => void) | undefined;
    let closed = false;
    ws.on('close', () => {
      closed = true;
      stop?.();
    });
    ws.on('error', () => stop?.());
    try {
      stop = await serveWatch(registry, r, sel, params, sink);
      if (closed) stop();
    } catch (err) {
      const apiErr = err instanceof ApiError ? err : internalError(String(err));
      ws.send(JSON.stringify({ type: 'ERROR', object: apiErr.toStatus() }));
      ws.close(1000);
    }
  }

  return app as unknown as FastifyInstance;
}

/** A deep copy without strategic-merge directive keys (list positions are kept). */
function withoutDirectives(v: any): any {
  if (Array.isArray(v)) return v.map(withoutDirectives);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (!isDirectiveKey(k)) out[k] = withoutDirectives(x);
  return out;
}

/** Deletes the fields at paths like `.spec.containers[0].foo`. */
function deletePaths(obj: unknown, paths: string[]): void {
  for (const p of paths) {
    const steps: (string | number)[] = [];
    for (const m of p.matchAll(/\.([^.[\]]+)|\[(\d+)\]/g)) steps.push(m[1] !== undefined ? m[1] : Number(m[2]));
    let cur: any = obj;
    for (let i = 0; i < steps.length - 1 && cur !== null && typeof cur === 'object'; i++) cur = cur[steps[i]];
    const last = steps[steps.length - 1];
    if (cur !== null && typeof cur === 'object' && last !== undefined) delete cur[last];
  }
}

function notFoundPath(): ApiError {
  return new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
}

function deleteOptions(body: Buffer | undefined, q: Query): DeleteOptions {
  let opts: DeleteOptions = {};
  if (body && body.length) opts = asObject(decodeObject(body, 'application/json').body) as DeleteOptions;
  if (q.gracePeriodSeconds !== undefined) opts.gracePeriodSeconds = Number(q.gracePeriodSeconds);
  if (q.propagationPolicy !== undefined) opts.propagationPolicy = q.propagationPolicy as DeleteOptions['propagationPolicy'];
  if (q.dryRun === 'All') opts.dryRun = ['All'];
  const policy = opts.propagationPolicy;
  if (policy !== undefined && !['Background', 'Foreground', 'Orphan'].includes(policy)) {
    throw badRequest(`propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`);
  }
  return opts;
}

export { target };
