/**
 * Crash safety of the whole API server: clients create objects as fast as they can
 * while the server process is SIGKILLed at random moments. After every restart on the
 * same data dir, every object whose create was acknowledged (201) is there, and the
 * revision never goes backwards.
 */
import * as fs from 'node:fs';
import { startApiServerProcess, tempDir, type ApiServerProcess } from '../helpers/processes';

const ROUNDS = 5;
const CLIENTS = 16;

let dataDir: string;
let api: ApiServerProcess | undefined;

beforeAll(() => {
  dataDir = tempDir('crash');
});

afterAll(async () => {
  await api?.kill();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test(`no acknowledged write is lost across ${ROUNDS} SIGKILLs`, async () => {
  const acked = new Set<string>();
  let maxRevision = 0;
  let seq = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    api = await startApiServerProcess({ dataDir });
    const url = api.url;

    // Everything acknowledged before is still there, and the revision did not go back.
    const list: any = await (await fetch(`${url}/api/v1/namespaces/default/configmaps`)).json();
    const present = new Set<string>(list.items.map((i: any) => i.metadata.name));
    const missing = [...acked].filter((n) => !present.has(n));
    expect(missing).toEqual([]);
    const revision = Number(list.metadata.resourceVersion);
    expect(revision).toBeGreaterThanOrEqual(maxRevision);
    maxRevision = revision;

    let running = true;
    const writer = async () => {
      while (running) {
        const name = `cm-${round}-${seq++}`;
        try {
          const res = await fetch(`${url}/api/v1/namespaces/default/configmaps`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { round: String(round) } }),
          });
          if (res.status === 201) {
            const body: any = await res.json();
            acked.add(name);
            maxRevision = Math.max(maxRevision, Number(body.metadata.resourceVersion));
          } else await res.arrayBuffer();
        } catch {
          // the server died mid-request: not acknowledged
          return;
        }
      }
    };
    const writers = Array.from({ length: CLIENTS }, writer);
    await new Promise((r) => setTimeout(r, 300 + Math.random() * 700));
    await api.kill();
    running = false;
    await Promise.all(writers);
    api = undefined;
  }
  expect(acked.size).toBeGreaterThan(ROUNDS * 10);
  // A last restart proves the final round too.
  api = await startApiServerProcess({ dataDir });
  const list: any = await (await fetch(`${api.url}/api/v1/namespaces/default/configmaps`)).json();
  const present = new Set<string>(list.items.map((i: any) => i.metadata.name));
  expect([...acked].filter((n) => !present.has(n))).toEqual([]);
  expect(Number(list.metadata.resourceVersion)).toBeGreaterThanOrEqual(maxRevision);
}, 120_000);
