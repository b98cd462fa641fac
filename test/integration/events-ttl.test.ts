/** Events expire after the API server's --event-ttl, counted from their last occurrence. */
import { startApiServer, type RunningApiServer } from '../../apiserver/app';
import { createLogger } from '../../shared/logger';

let api: RunningApiServer;

beforeAll(async () => {
  api = await startApiServer({ logger: createLogger('apiserver', { level: 'silent', pretty: false }), eventTtlSeconds: 2 });
});
afterAll(async () => {
  await api?.close();
});

const event = (name: string, lastTimestamp: string) => ({
  apiVersion: 'v1', kind: 'Event', metadata: { name },
  involvedObject: { kind: 'Pod', namespace: 'default', name: 'web' },
  reason: 'Pulled', message: 'x', type: 'Normal', count: 1, firstTimestamp: lastTimestamp, lastTimestamp,
});

test('an event older than the TTL is removed; a fresh one stays', async () => {
  const post = (body: object) => fetch(`${api.url}/api/v1/namespaces/default/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect((await post(event('old', new Date(Date.now() - 60_000).toISOString()))).status).toBe(201);
  expect((await post(event('fresh', new Date(Date.now() + 60_000).toISOString()))).status).toBe(201);
  const deadline = Date.now() + 10_000;
  let names: string[] = [];
  while (Date.now() < deadline) {
    const list: any = await (await fetch(`${api.url}/api/v1/namespaces/default/events`)).json();
    names = list.items.map((e: any) => e.metadata.name);
    if (!names.includes('old')) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(names).toEqual(['fresh']);
});
