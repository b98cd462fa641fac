/**
 * The objects kubectl's generators build (`run`, `create deployment|job|namespace|
 * configmap|secret generic|serviceaccount`), field for field, so the server ends up with
 * the same object whichever client made it. Pure functions: flags in, object out.
 *
 * kubectl builds typed Go structs, so its `--dry-run=client -o yaml` also shows the Go
 * zero values that survive marshalling (`creationTimestamp: null`, `resources: {}`,
 * `status: {}`, `strategy: {}`, `spec: {}`). `goZeroValues` adds those for printing
 * only; what is sent to the server is the clean object (the server defaults the rest).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { KObject } from '../shared/api/types';
import { CliError } from './errors';

type Json = Record<string, unknown>;

export interface RunSpec {
  name: string;
  image: string;
  namespace?: string;
  port?: number;
  restart: string;
  env: string[];
  labels?: string;
  command: boolean;
  args: string[];
  stdin: boolean;
  tty: boolean;
  leaveStdinOpen?: boolean;
  imagePullPolicy?: string;
  serviceAccount?: string;
  annotations?: string[];
}

/** `a=b,c=d` → map; kubectl's error wording for a malformed pair. */
export function parseLabelList(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of s.split(',')) {
    const kv = pair.split('=');
    if (kv.length !== 2 || kv[0] === '') throw new CliError(`invalid label spec: ${pair}`);
    out[kv[0]] = kv[1];
  }
  return out;
}

export function parseEnv(specs: string[]): { name: string; value: string }[] {
  return specs.map((s) => {
    const i = s.indexOf('=');
    if (i <= 0) throw new CliError(`invalid env: ${s}`);
    return { name: s.slice(0, i), value: s.slice(i + 1) };
  });
}

/** kubectl run's Pod (generator run-pod/v1 as in kubectl v1.32). */
export function runPod(spec: RunSpec): KObject {
  const restart = spec.restart;
  if (!['Always', 'OnFailure', 'Never'].includes(restart)) throw new CliError(`invalid restart policy: ${restart}`);
  const container: Json = { name: spec.name, image: spec.image };
  if (spec.args.length > 0) container[spec.command ? 'command' : 'args'] = spec.args;
  if (spec.env.length > 0) container.env = parseEnv(spec.env);
  if (spec.imagePullPolicy) container.imagePullPolicy = spec.imagePullPolicy;
  if (spec.port !== undefined && spec.port >= 0) container.ports = [{ containerPort: spec.port }];
  if (spec.stdin) {
    container.stdin = true;
    if (!spec.leaveStdinOpen) container.stdinOnce = true;
  }
  if (spec.tty) container.tty = true;
  const metadata: Json = { name: spec.name };
  if (spec.namespace) metadata.namespace = spec.namespace;
  metadata.labels = spec.labels ? parseLabelList(spec.labels) : { run: spec.name };
  if (spec.annotations && spec.annotations.length > 0) {
    const ann: Record<string, string> = {};
    for (const a of spec.annotations) {
      const i = a.indexOf('=');
      if (i <= 0) throw new CliError(`invalid annotation: ${a}`);
      ann[a.slice(0, i)] = a.slice(i + 1);
    }
    metadata.annotations = ann;
  }
  const podSpec: Json = { containers: [container], restartPolicy: restart, dnsPolicy: 'ClusterFirst' };
  if (spec.serviceAccount) podSpec.serviceAccountName = spec.serviceAccount;
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: podSpec } as KObject;
}

/**
 * Container name from an image, as `kubectl create deployment` derives it: the last
 * path segment without tag or digest; `_` is not allowed in names, so kubectl replaces it
 * and adds a random suffix (names must stay unique); repeated names get one too.
 */
export function containerNameFromImage(image: string, taken: Set<string>, random: () => string = randomSuffix): string {
  let name = image.split('/').pop() ?? image;
  if (name.includes(':')) name = name.split(':')[0];
  if (name.includes('@')) name = name.split('@')[0];
  if (name.includes('_')) name = `${name.replace(/_/g, '-')}-${random()}`;
  while (taken.has(name)) name = `${name}-${random()}`;
  taken.add(name);
  return name;
}

/** utilrand.String(5): consonants and digits, so no words are formed. */
export function randomSuffix(n = 5): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(Math.random() * alphabet.length)];
  return s;
}

export function deploymentObject(o: { name: string; images: string[]; replicas: number; port?: number; namespace?: string; command?: string[] }): KObject {
  const labels = { app: o.name };
  const taken = new Set<string>();
  const containers = o.images.map((image) => {
    const c: Json = { name: containerNameFromImage(image, taken), image };
    if (o.command && o.command.length > 0) c.command = o.command;
    return c;
  });
  if (o.port !== undefined && o.port >= 0 && containers.length > 0) containers[0].ports = [{ containerPort: o.port }];
  const metadata: Json = { name: o.name, labels };
  if (o.namespace) metadata.namespace = o.namespace;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata,
    spec: { replicas: o.replicas, selector: { matchLabels: { ...labels } }, template: { metadata: { labels: { ...labels } }, spec: { containers } } },
  } as KObject;
}

export function jobObject(o: { name: string; image: string; command: string[]; namespace?: string }): KObject {
  const c: Json = { name: o.name, image: o.image };
  if (o.command.length > 0) c.command = o.command;
  const metadata: Json = { name: o.name };
  if (o.namespace) metadata.namespace = o.namespace;
  return { apiVersion: 'batch/v1', kind: 'Job', metadata, spec: { template: { spec: { containers: [c], restartPolicy: 'Never' } } } } as KObject;
}

export function namespaceObject(name: string): KObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } as KObject;
}

export function serviceAccountObject(name: string, namespace?: string): KObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: namespace ? { name, namespace } : { name } } as KObject;
}

/** `--from-literal`/`--from-file` → key/value bytes, with kubectl's checks. */
export function collectSources(literals: string[], files: string[], cwd: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const put = (key: string, value: Buffer, what: string) => {
    if (!/^[-._a-zA-Z0-9]+$/.test(key)) throw new CliError(`"${key}" is not a valid key name for a ConfigMap: a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`);
    if (out.has(key)) throw new CliError(`cannot add key ${key}, another key by that name already exists in ${what}`);
    out.set(key, value);
  };
  for (const lit of literals) {
    const i = lit.indexOf('=');
    if (i <= 0) throw new CliError(`invalid literal source ${lit}, expected key=value`);
    put(lit.slice(0, i), Buffer.from(lit.slice(i + 1), 'utf8'), 'data');
  }
  for (const f of files) {
    let key: string | undefined;
    let p = f;
    const i = f.indexOf('=');
    if (i >= 0) {
      key = f.slice(0, i);
      p = f.slice(i + 1);
      if (!key) throw new CliError(`key names or file paths cannot contain '='`);
    }
    const abs = path.resolve(cwd, p);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      throw new CliError(`error reading ${p}: no such file or directory`);
    }
    if (st.isDirectory()) {
      if (key) throw new CliError('cannot give a key name for a directory path');
      for (const entry of fs.readdirSync(abs).sort()) {
        const full = path.join(abs, entry);
        if (fs.statSync(full).isFile()) put(entry, fs.readFileSync(full), 'data');
      }
    } else {
      put(key ?? path.basename(abs), fs.readFileSync(abs), 'data');
    }
  }
  return out;
}

function isUtf8(b: Buffer): boolean {
  return Buffer.from(b.toString('utf8'), 'utf8').equals(b);
}

export function configMapObject(name: string, sources: Map<string, Buffer>, namespace?: string): KObject {
  const data: Record<string, string> = {};
  const binaryData: Record<string, string> = {};
  for (const [k, v] of sources) {
    if (isUtf8(v)) data[k] = v.toString('utf8');
    else binaryData[k] = v.toString('base64');
  }
  const obj: Json = { apiVersion: 'v1', kind: 'ConfigMap', metadata: namespace ? { name, namespace } : { name } };
  if (Object.keys(data).length) obj.data = data;
  if (Object.keys(binaryData).length) obj.binaryData = binaryData;
  return obj as KObject;
}

export function secretObject(name: string, sources: Map<string, Buffer>, type?: string, namespace?: string): KObject {
  const obj: Json = { apiVersion: 'v1', kind: 'Secret', metadata: namespace ? { name, namespace } : { name } };
  if (sources.size > 0) obj.data = Object.fromEntries([...sources].map(([k, v]) => [k, v.toString('base64')]));
  if (type) obj.type = type;
  return obj as KObject;
}

/** The Go zero values kubectl's typed objects print with (`--dry-run=client -o yaml`). */
export function goZeroValues(obj: KObject): KObject {
  const o = structuredClone(obj) as Json;
  (o.metadata as Json).creationTimestamp ??= null;
  const fixPodSpec = (spec: Json | undefined) => {
    for (const c of (spec?.containers as Json[] | undefined) ?? []) c.resources ??= {};
  };
  switch (obj.kind) {
    case 'Pod':
      fixPodSpec(o.spec as Json);
      o.status ??= {};
      break;
    case 'Deployment':
    case 'Job': {
      const spec = o.spec as Json;
      if (obj.kind === 'Deployment') spec.strategy ??= {};
      const tmpl = spec.template as Json;
      tmpl.metadata = { creationTimestamp: null, ...((tmpl.metadata as Json) ?? {}) };
      fixPodSpec(tmpl.spec as Json);
      o.status ??= {};
      break;
    }
    case 'Namespace':
      o.spec ??= {};
      o.status ??= {};
      break;
  }
  return o as KObject;
}
