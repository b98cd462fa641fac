/**
 * Baseline A: a bare fastify server, started as a child process by the API benchmark and
 * driven by the same load generator as the API server. It shows what Node + fastify +
 * the client cost on this machine with no Kubernetes logic and no storage at all:
 *
 *   GET  /hello      → {"hello":"world"}
 *   POST /echo       → the JSON body, parsed and re-serialised (same pod manifest the
 *                      API benchmark creates)
 *   POST /list-seed  → {item, count}: keeps `count` copies of `item` (names made unique)
 *   GET  /list       → those copies as a v1 PodList, serialised per request — the floor
 *                      for listing the same number of equally large pods
 *
 * Listens on 127.0.0.1 with an ephemeral port and prints {"msg":"listening","port":N}.
 * Exits when its stdin closes (the bench process went away) or on SIGTERM.
 */
import Fastify from 'fastify';
import { exitWithParent } from './common';

async function main(): Promise<void> {
  const app = Fastify({ logger: false, bodyLimit: 3 * 1024 * 1024 });
  let items: Array<Record<string, unknown>> = [];

  app.get('/hello', async () => ({ hello: 'world' }));
  app.post('/echo', async (req) => req.body);
  app.post('/list-seed', async (req) => {
    const { item, count } = req.body as { item: { metadata: Record<string, unknown> }; count: number };
    items = Array.from({ length: Math.min(count, 100_000) }, (_, i) => ({ ...item, metadata: { ...item.metadata, name: `pod-${i}` } }));
    return { count: items.length };
  });
  app.get('/list', async () => ({ kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items }));

  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  process.stdout.write(JSON.stringify({ msg: 'listening', port }) + '\n');
  exitWithParent();
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

main().catch((err) => {
  process.stderr.write(`fastify-hello: ${err?.stack ?? err}\n`);
  process.exit(1);
});
