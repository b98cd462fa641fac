/**
 * Every curl example in the README runs, against a real API server, exactly as written
 * (only the address is swapped for the test server's). An example followed by a
 * `# {json}` comment must print that JSON.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startApiServerProcess, run, ROOT, type ApiServerProcess } from '../helpers/processes';

let api: ApiServerProcess;

beforeAll(async () => {
  api = await startApiServerProcess();
});
afterAll(async () => {
  await api?.stop();
});

const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
// Blocks that drive kubectl against pods need a whole cluster: test/e2e/cluster.test.ts
// runs those same steps. Here: every block of plain API calls.
const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]).filter((b) => b.includes('curl ') && !b.includes('kubectl'));

test('the README has curl examples', () => {
  expect(blocks.length).toBeGreaterThanOrEqual(2);
});

test.each(blocks.map((b, i) => [i + 1, b]))('curl example block %i runs', async (_i, block) => {
  const script = (block as string).replaceAll('http://127.0.0.1:6443', api.url);
  const r = await run('bash', ['-euo', 'pipefail', '-c', script], { timeoutMs: 20_000 });
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  const expected = /^# (\{.*\})$/m.exec(script);
  if (expected) expect(JSON.parse(r.stdout)).toEqual(JSON.parse(expected[1]));
});
