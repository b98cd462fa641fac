/**
 * kubeconfig files: reading (for the CLI and every component's client) and writing (the
 * launcher writes `.k8ts/kubeconfig` so that both `k8ts` and the real `kubectl` find the
 * cluster).
 *
 * Reading follows kubectl's rules where they matter here: `$KUBECONFIG` may list several
 * files (`:`-separated) which are merged, the first file to define a name or
 * `current-context` wins; relative certificate paths are relative to the file that names
 * them; `-data` fields are base64. Exec/auth-provider plugins are not supported.
 *
 * Pure apart from the file reads/writes; nothing is cached.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import YAML from 'yaml';

export interface KubeconfigCluster {
  server: string;
  'certificate-authority'?: string;
  'certificate-authority-data'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'tls-server-name'?: string;
}

export interface KubeconfigUser {
  token?: string;
  tokenFile?: string;
  username?: string;
  password?: string;
  'client-certificate'?: string;
  'client-certificate-data'?: string;
  'client-key'?: string;
  'client-key-data'?: string;
}

export interface KubeconfigContext {
  cluster: string;
  user?: string;
  namespace?: string;
}

/** A kubeconfig after merging, with each entry remembering the file it came from. */
export interface Kubeconfig {
  clusters: Map<string, { cluster: KubeconfigCluster; file: string }>;
  users: Map<string, { user: KubeconfigUser; file: string }>;
  contexts: Map<string, KubeconfigContext>;
  currentContext?: string;
  /** The files that were read, in order. */
  files: string[];
}

/** What a client needs to talk to one cluster as one user. */
export interface ResolvedKubeconfig {
  contextName?: string;
  clusterName?: string;
  userName?: string;
  server: string;
  namespace?: string;
  ca?: Buffer;
  insecure?: boolean;
  tlsServerName?: string;
  token?: string;
  username?: string;
  password?: string;
  clientCert?: Buffer;
  clientKey?: Buffer;
}

export class KubeconfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeconfigError';
  }
}

/** Where the launcher writes the kubeconfig of a local cluster (relative to the checkout). */
export const LOCAL_KUBECONFIG = path.join('.k8ts', 'kubeconfig');

/**
 * The kubeconfig path(s) to use when none is given: `$KUBECONFIG` (may be a list), else
 * `.k8ts/kubeconfig` under `cwd` if it exists (a cluster started by `k8ts up`), else
 * `~/.kube/config`.
 */
export function defaultKubeconfigPaths(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string[] {
  const fromEnv = env.KUBECONFIG;
  if (fromEnv && fromEnv.trim() !== '') {
    return fromEnv.split(path.delimiter).filter((p) => p !== '').map((p) => path.resolve(cwd, p));
  }
  const local = path.resolve(cwd, LOCAL_KUBECONFIG);
  if (fs.existsSync(local)) return [local];
  const home = env.HOME || env.USERPROFILE || os.homedir();
  return [path.join(home, '.kube', 'config')];
}

function asArray(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? (v.filter((x) => x && typeof x === 'object') as Record<string, unknown>[]) : [];
}

/** Parses and merges kubeconfig files; missing files in a list are skipped (as kubectl does). */
export function loadKubeconfig(files: string | string[]): Kubeconfig {
  const list = Array.isArray(files) ? files : [files];
  const cfg: Kubeconfig = { clusters: new Map(), users: new Map(), contexts: new Map(), files: [] };
  for (const file of list) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      // An explicitly named single file must exist; in a merged list missing ones are fine.
      if (list.length === 1) throw new KubeconfigError(`stat ${file}: no such file or directory`);
      continue;
    }
    let doc: unknown;
    try {
      doc = YAML.parse(text, { version: '1.1' }) ?? {};
    } catch (err) {
      throw new KubeconfigError(`error loading config file "${file}": ${(err as Error).message.split('\n')[0]}`);
    }
    if (typeof doc !== 'object' || doc === null) throw new KubeconfigError(`error loading config file "${file}": not a mapping`);
    const d = doc as Record<string, unknown>;
    cfg.files.push(file);
    for (const c of asArray(d.clusters)) {
      const name = String(c.name ?? '');
      if (name && !cfg.clusters.has(name) && c.cluster) cfg.clusters.set(name, { cluster: c.cluster as KubeconfigCluster, file });
    }
    for (const u of asArray(d.users)) {
      const name = String(u.name ?? '');
      if (name && !cfg.users.has(name)) cfg.users.set(name, { user: (u.user ?? {}) as KubeconfigUser, file });
    }
    for (const c of asArray(d.contexts)) {
      const name = String(c.name ?? '');
      if (name && !cfg.contexts.has(name) && c.context) cfg.contexts.set(name, c.context as KubeconfigContext);
    }
    const current = d['current-context'];
    if (cfg.currentContext === undefined && typeof current === 'string' && current !== '') cfg.currentContext = current;
  }
  return cfg;
}

function readRelative(file: string, ref: string): Buffer {
  const p = path.isAbsolute(ref) ? ref : path.resolve(path.dirname(file), ref);
  try {
    return fs.readFileSync(p);
  } catch {
    throw new KubeconfigError(`unable to read ${p}`);
  }
}

/**
 * Picks the context (the given one, else `current-context`) and resolves its cluster and
 * user into connection settings.
 */
export function resolveKubeconfig(cfg: Kubeconfig, contextName?: string): ResolvedKubeconfig {
  const name = contextName ?? cfg.currentContext;
  if (!name) throw new KubeconfigError('no context is set in the kubeconfig (current-context is empty); pass --context or --server');
  const ctx = cfg.contexts.get(name);
  if (!ctx) throw new KubeconfigError(`context was not found for specified context: ${name}`);
  const clusterEntry = cfg.clusters.get(ctx.cluster);
  if (!clusterEntry) throw new KubeconfigError(`cluster "${ctx.cluster}" of context "${name}" was not found`);
  const { cluster, file: clusterFile } = clusterEntry;
  if (!cluster.server) throw new KubeconfigError(`cluster "${ctx.cluster}" has no server`);
  const out: ResolvedKubeconfig = { contextName: name, clusterName: ctx.cluster, server: cluster.server };
  if (ctx.namespace) out.namespace = ctx.namespace;
  if (cluster['certificate-authority-data']) out.ca = Buffer.from(cluster['certificate-authority-data'], 'base64');
  else if (cluster['certificate-authority']) out.ca = readRelative(clusterFile, cluster['certificate-authority']);
  if (cluster['insecure-skip-tls-verify']) out.insecure = true;
  if (cluster['tls-server-name']) out.tlsServerName = cluster['tls-server-name'];
  if (ctx.user) {
    const userEntry = cfg.users.get(ctx.user);
    if (userEntry) {
      const { user, file } = userEntry;
      out.userName = ctx.user;
      if (user.token) out.token = user.token;
      else if (user.tokenFile) out.token = readRelative(file, user.tokenFile).toString('utf8').trim();
      if (user.username) out.username = user.username;
      if (user.password) out.password = user.password;
      if (user['client-certificate-data']) out.clientCert = Buffer.from(user['client-certificate-data'], 'base64');
      else if (user['client-certificate']) out.clientCert = readRelative(file, user['client-certificate']);
      if (user['client-key-data']) out.clientKey = Buffer.from(user['client-key-data'], 'base64');
      else if (user['client-key']) out.clientKey = readRelative(file, user['client-key']);
    }
  }
  return out;
}

export interface WriteKubeconfigOptions {
  server: string;
  clusterName?: string;
  /** User entry name; `admin` when not given. */
  user?: string;
  token?: string;
  /** Context name; defaults to the cluster name. */
  contextName?: string;
  namespace?: string;
  /** PEM of the CA that signed the API server's certificate. */
  caPem?: string | Buffer;
  insecureSkipTlsVerify?: boolean;
  clientCertPem?: string | Buffer;
  clientKeyPem?: string | Buffer;
}

function b64(v: string | Buffer): string {
  return (typeof v === 'string' ? Buffer.from(v, 'utf8') : v).toString('base64');
}

/** The kubeconfig document as kubectl writes it (`kind: Config`, one cluster/user/context). */
export function kubeconfigYaml(opts: WriteKubeconfigOptions): string {
  const clusterName = opts.clusterName ?? 'k8ts';
  const contextName = opts.contextName ?? clusterName;
  const cluster: Record<string, unknown> = { server: opts.server };
  if (opts.caPem) cluster['certificate-authority-data'] = b64(opts.caPem);
  if (opts.insecureSkipTlsVerify) cluster['insecure-skip-tls-verify'] = true;
  const user: Record<string, unknown> = {};
  if (opts.token) user.token = opts.token;
  if (opts.clientCertPem) user['client-certificate-data'] = b64(opts.clientCertPem);
  if (opts.clientKeyPem) user['client-key-data'] = b64(opts.clientKeyPem);
  const userName = opts.user ?? 'admin';
  const context: Record<string, unknown> = { cluster: clusterName, user: userName };
  if (opts.namespace) context.namespace = opts.namespace;
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ cluster, name: clusterName }],
    contexts: [{ context, name: contextName }],
    'current-context': contextName,
    preferences: {},
    users: [{ name: userName, user }],
  };
  return YAML.stringify(doc, { indentSeq: false, lineWidth: 0 });
}

/**
 * Writes a kubeconfig (creating its folder) readable only by the owner, since it may hold
 * a bearer token. The write goes through a temp file + rename so a reader never sees half.
 */
export function writeKubeconfig(file: string, opts: WriteKubeconfigOptions): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, kubeconfigYaml(opts), { mode: 0o600 });
  fs.renameSync(tmp, file);
}
