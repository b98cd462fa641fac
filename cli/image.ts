/**
 * `k8ts image push DIR --tag NAME:TAG [--registry URL]` and `k8ts image ls [--registry URL]`:
 * add an image folder (image.json + rootfs/) to the k8ts registry, and list what the
 * registry holds. The registry URL defaults to $K8TS_REGISTRY, else http://127.0.0.1:5000.
 * Talks to the registry, not the API server.
 */
import * as path from 'node:path';
import type { Command } from 'commander';
import { RegistryClient, RegistryRequestError } from '../images/client';
import { ManifestError } from '../images/manifest';
import { pushImageDir } from '../images/push';
import { familiarName, InvalidImageNameError } from '../images/reference';
import { DEFAULT_REGISTRY_PORT } from '../images/registry';
import type { Runner } from './command';
import type { CliContext } from './context';
import { CliError } from './errors';

export const DEFAULT_REGISTRY_URL = `http://127.0.0.1:${DEFAULT_REGISTRY_PORT}`;

function registryUrl(ctx: CliContext, opt: unknown): string {
  return (typeof opt === 'string' && opt) || ctx.env.K8TS_REGISTRY || DEFAULT_REGISTRY_URL;
}

/** Registry and image-folder failures become one-line CLI errors. */
function cliError(err: unknown, url: string): never {
  if (err instanceof RegistryRequestError) {
    throw new CliError(err.status === undefined ? `cannot reach the registry at ${url}: ${err.message}` : `registry: ${err.code ? `${err.code}: ` : ''}${err.message}`);
  }
  if (err instanceof ManifestError) throw new CliError(err.message);
  if (err instanceof InvalidImageNameError) throw new CliError(`invalid image name: ${err.image}`);
  throw err;
}

function humanSize(n: number): string {
  if (n < 1000) return `${n}B`;
  const units = ['kB', 'MB', 'GB'];
  let v = n;
  let u = -1;
  do {
    v /= 1000;
    u++;
  } while (v >= 1000 && u < units.length - 1);
  return `${v < 10 ? v.toFixed(1) : Math.round(v)}${units[u]}`;
}

export function registerImage(program: Command, run: Runner): void {
  const image = program.command('image').description('Manage images in the k8ts registry');
  image
    .command('push <dir>')
    .description('Push an image folder (image.json + rootfs/) to the registry')
    .option('-t, --tag <name:tag>', "the image's name and tag (default: image.json's name, tag latest)")
    .option('--registry <url>', `registry URL (default: $K8TS_REGISTRY, else ${DEFAULT_REGISTRY_URL})`)
    .action(run(async (ctx, opts, cmd) => {
      const url = registryUrl(ctx, opts.registry);
      const dir = path.resolve(ctx.cwd, String(cmd.args[0]));
      try {
        const r = await pushImageDir(dir, url, opts.tag as string | undefined);
        ctx.out(`${familiarName(r.ref)}: pushed ${r.uploaded} blob(s), ${r.skipped} already present\n`);
        ctx.out(`digest: ${r.digest}\n`);
      } catch (err) {
        cliError(err, url);
      }
    }));
  image
    .command('ls')
    .alias('list')
    .description('List the images in the registry (built-in catalog and pushed)')
    .option('--registry <url>', `registry URL (default: $K8TS_REGISTRY, else ${DEFAULT_REGISTRY_URL})`)
    .option('--no-trunc', "don't truncate digests")
    .action(run(async (ctx, opts) => {
      const url = registryUrl(ctx, opts.registry);
      let rows;
      try {
        rows = await new RegistryClient(url).listImages();
      } catch (err) {
        cliError(err, url);
      }
      const table = [['IMAGE', 'TAG', 'DIGEST', 'SIZE', 'SOURCE']];
      const named = rows.map((r) => ({ ...r, short: familiarName(`${r.name}:latest`).replace(/:latest$/, '') }));
      // Sorted as users name them (`nginx`), not by the full `docker.io/library/…` form.
      named.sort((a, b) => (a.short === b.short ? (a.tag < b.tag ? -1 : 1) : a.short < b.short ? -1 : 1));
      for (const r of named) {
        table.push([r.short, r.tag, opts.trunc === false ? r.digest : r.digest.slice(0, 'sha256:'.length + 12), humanSize(r.size), r.source]);
      }
      const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
      ctx.out(table.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]))).join('   ')).join('\n') + '\n');
    }));
}
