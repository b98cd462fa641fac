/**
 * Per-invocation state of the CLI: where output goes, the global flags, and lazily the
 * kubeconfig, the REST client and the discovery RESTMapper (fetched once per run).
 * Nothing here is global, so `runCli` can run many times in one process (tests).
 */
import * as path from 'node:path';
import { KubeClient, type KubeClientOptions } from '../shared/client/client';
import { discover } from '../shared/client/discovery';
import type { RESTMapper, ResourceMapping } from '../shared/client/restmapper';
import { defaultKubeconfigPaths, loadKubeconfig, resolveKubeconfig, KubeconfigError, type ResolvedKubeconfig } from '../shared/kubeconfig';
import { CliError } from './errors';
import * as fs from 'node:fs';

export interface OutStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface CliIO {
  stdout: OutStream;
  stderr: OutStream;
  /** Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Defaults to process.cwd(). */
  cwd?: string;
  /** For `-f -`; defaults to process.stdin. */
  stdin?: NodeJS.ReadableStream | string;
  /** Aborts long-running commands (`get -w`, waits). */
  signal?: AbortSignal;
  /** Clock for ages; defaults to the wall clock. */
  now?: () => Date;
}

export interface GlobalOptions {
  kubeconfig?: string;
  server?: string;
  context?: string;
  namespace?: string;
  allNamespaces?: boolean;
  token?: string;
  insecureSkipTlsVerify?: boolean;
  certificateAuthority?: string;
  requestTimeout?: string;
}

/** `30s`, `1m`, `500ms`, `5` (seconds) → ms; 0 = none. */
export function parseDuration(s: string | undefined): number | undefined {
  if (s === undefined || s === '') return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(s.trim());
  if (!m) throw new CliError(`invalid duration ${JSON.stringify(s)}: use e.g. 30s, 1m`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  return n * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as Record<string, number>)[unit];
}

export class CliContext {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  private _config?: ResolvedKubeconfig | null;
  private _client?: KubeClient;
  private _mapper?: Promise<RESTMapper>;

  constructor(readonly io: CliIO, readonly globals: GlobalOptions) {
    this.env = io.env ?? process.env;
    this.cwd = io.cwd ?? process.cwd();
  }

  out(s: string): void {
    if (s) this.io.stdout.write(s);
  }

  err(s: string): void {
    if (s) this.io.stderr.write(s);
  }

  now(): Date {
    return this.io.now ? this.io.now() : new Date();
  }

  get signal(): AbortSignal | undefined {
    return this.io.signal;
  }

  /** The kubeconfig context in effect, or null when there is none (and --server is given). */
  config(): ResolvedKubeconfig | null {
    if (this._config !== undefined) return this._config;
    const explicit = this.globals.kubeconfig;
    const files = explicit ? [path.resolve(this.cwd, explicit)] : defaultKubeconfigPaths(this.env, this.cwd);
    const existing = files.filter((f) => fs.existsSync(f));
    if (existing.length === 0) {
      if (explicit) throw new CliError(`stat ${explicit}: no such file or directory`);
      if (this.globals.server) return (this._config = null);
      throw new CliError(`no cluster configured: no kubeconfig at ${files.join(':')}. Start one with \`k8ts up\`, or pass --server or --kubeconfig`);
    }
    try {
      const cfg = loadKubeconfig(existing);
      if (this.globals.server && !this.globals.context && !cfg.currentContext) return (this._config = null);
      this._config = resolveKubeconfig(cfg, this.globals.context);
    } catch (err) {
      if (err instanceof KubeconfigError) {
        if (this.globals.server) return (this._config = null);
        throw new CliError(err.message);
      }
      throw err;
    }
    return this._config;
  }

  /** Namespace from -n, else the context's, else `default`. */
  namespace(): string {
    if (this.globals.namespace) return this.globals.namespace;
    try {
      return this.config()?.namespace || 'default';
    } catch {
      return 'default';
    }
  }

  /** Was -n given (so a manifest's own namespace must agree with it)? */
  get namespaceExplicit(): boolean {
    return !!this.globals.namespace;
  }

  get allNamespaces(): boolean {
    return !!this.globals.allNamespaces;
  }

  client(): KubeClient {
    if (this._client) return this._client;
    const cfg = this.config();
    const opts: KubeClientOptions = {
      server: this.globals.server ?? cfg?.server ?? '',
      token: this.globals.token ?? cfg?.token,
      username: cfg?.username,
      password: cfg?.password,
      ca: this.globals.certificateAuthority ? fs.readFileSync(path.resolve(this.cwd, this.globals.certificateAuthority)) : cfg?.ca,
      insecure: this.globals.insecureSkipTlsVerify ?? cfg?.insecure,
      tlsServerName: cfg?.tlsServerName,
      clientCert: cfg?.clientCert,
      clientKey: cfg?.clientKey,
      timeoutMs: parseDuration(this.globals.requestTimeout) || undefined,
      onWarning: (msg) => this.err(`Warning: ${msg}\n`),
    };
    if (!opts.server) throw new CliError('no server found for the current context; pass --server');
    if (!/^https?:\/\//.test(opts.server)) opts.server = `https://${opts.server}`;
    try {
      this._client = new KubeClient(opts);
    } catch (err) {
      throw new CliError((err as Error).message);
    }
    return this._client;
  }

  /** Discovery, once per run. */
  mapper(): Promise<RESTMapper> {
    if (!this._mapper) this._mapper = discover(this.client(), { signal: this.signal });
    return this._mapper;
  }

  /** The namespace to use in a request path for `m` (undefined for cluster scope or -A lists). */
  requestNamespace(m: ResourceMapping, forList = false): string | undefined {
    if (!m.namespaced) return undefined;
    if (forList && this.allNamespaces) return undefined;
    return this.namespace();
  }

  async close(): Promise<void> {
    if (this._client) await this._client.close().catch(() => undefined);
  }
}
