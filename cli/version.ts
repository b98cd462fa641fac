/**
 * `k8ts version` (client and `/version` of the server) and `k8ts cluster-info`.
 */
import type { Command } from 'commander';
import type { Runner } from './command';
import type { CliContext } from './context';
import { CliError, formatError, ExitError } from './errors';
import { toJson, toYaml } from './printers/output';

/** The Kubernetes API version this CLI speaks, with k8ts' own version as pre-release tag. */
export const CLIENT_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-k8ts.0.1.0',
  gitCommit: '',
  gitTreeState: 'clean',
  buildDate: '',
  goVersion: `node${process.versions.node}`,
  compiler: 'tsc',
  platform: `${process.platform}/${process.arch}`,
};

interface VersionInfo {
  gitVersion?: string;
  [k: string]: unknown;
}

export function registerVersion(program: Command, run: Runner): void {
  program
    .command('version')
    .description('Print the client and server version information')
    .option('--client', 'client version only (no server needed)')
    .option('-o, --output <format>', 'json|yaml')
    .action(run(async (ctx, opts) => runVersion(ctx, opts as { client?: boolean; output?: string })));

  program
    .command('cluster-info')
    .description('Display addresses of the control plane and services with label kubernetes.io/cluster-service=true')
    .action(run(async (ctx) => runClusterInfo(ctx)));
}

async function runVersion(ctx: CliContext, opts: { client?: boolean; output?: string }): Promise<void> {
  const output = opts.output ?? '';
  if (!['', 'json', 'yaml'].includes(output)) throw new CliError(`--output must be 'yaml' or 'json'`);
  let server: VersionInfo | undefined;
  let serverErr: unknown;
  if (!opts.client) {
    try {
      server = await ctx.client().get<VersionInfo>('/version', { signal: ctx.signal });
    } catch (err) {
      serverErr = err;
    }
  }
  if (output) {
    const doc: Record<string, unknown> = { clientVersion: CLIENT_VERSION };
    if (server) doc.serverVersion = server;
    ctx.out(output === 'json' ? toJson(doc) : toYaml(doc));
  } else {
    ctx.out(`Client Version: ${CLIENT_VERSION.gitVersion}\n`);
    if (server) ctx.out(`Server Version: ${server.gitVersion ?? ''}\n`);
  }
  if (serverErr) {
    ctx.err(formatError(serverErr) + '\n');
    throw new ExitError(1);
  }
}

const GREEN = '\x1b[0;32m';
const YELLOW = '\x1b[0;33m';
const RESET = '\x1b[0m';

async function runClusterInfo(ctx: CliContext): Promise<void> {
  const client = ctx.client();
  // Proves the server answers (kubectl lists kube-system services here).
  const services = await client.list<{ items?: { metadata: { name: string; labels?: Record<string, string> }; spec?: { ports?: { name?: string; port?: number }[] }; status?: unknown }[] }>(
    '/api/v1/namespaces/kube-system/services',
    { query: { labelSelector: 'kubernetes.io/cluster-service=true' }, signal: ctx.signal },
  );
  const tty = !!ctx.io.stdout.isTTY;
  const line = (name: string, url: string) =>
    tty ? `${GREEN}${name}${RESET} is running at ${YELLOW}${url}${RESET}\n` : `${name} is running at ${url}\n`;
  ctx.out(line('Kubernetes control plane', client.server));
  for (const svc of services.items ?? []) {
    const name = svc.metadata.labels?.['kubernetes.io/name'] ?? svc.metadata.name;
    const port = svc.spec?.ports?.[0];
    const portPart = port ? `:${port.name || port.port}` : '';
    ctx.out(line(name, `${client.server}/api/v1/namespaces/kube-system/services/${svc.metadata.name}${portPart}/proxy`));
  }
  ctx.out(`\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n`);
}
