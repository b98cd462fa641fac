/** Container env and argv by Kubernetes' rules (kubelet/env.ts, pure). */
import type { Pod } from '../../shared/api/types';
import { buildArgv, buildEnv, ConfigError, expand, parseQuantity } from '../../kubelet/env';

const pod = {
  metadata: { name: 'web', namespace: 'dev', uid: 'u-1', labels: { app: 'web', tier: 'fe' }, annotations: { note: 'x' } },
  spec: { nodeName: 'node-1', serviceAccountName: 'sa', containers: [] },
} as unknown as Pod;

const none = { configMap: () => undefined, secret: () => undefined, podIP: '127.244.1.7', hostIP: '127.0.0.1' };

describe('expand', () => {
  const vars = (n: string) => ({ A: 'a', B: 'b' } as Record<string, string>)[n];
  test.each([
    ['$(A)', 'a'],
    ['x$(A)y$(B)', 'xayb'],
    ['$$(A)', '$(A)'],
    ['$(MISSING)', '$(MISSING)'],
    ['$(A', '$(A'],
    ['$A', '$A'],
    ['cost $', 'cost $'],
    ['$$$(A)', '$a'],
  ])('%s → %s', (input, out) => expect(expand(input, vars)).toBe(out));
});

describe('argv', () => {
  const image = { entrypoint: ['/entry'], cmd: ['--default'] };
  test.each([
    ['neither: entrypoint + cmd', {}, ['/entry', '--default']],
    ['command replaces entrypoint and drops cmd', { command: ['sh', '-c'] }, ['sh', '-c']],
    ['args replace cmd', { args: ['--x'] }, ['/entry', '--x']],
    ['both', { command: ['sh'], args: ['-c', 'echo hi'] }, ['sh', '-c', 'echo hi']],
  ])('%s', (_n, c, argv) => expect(buildArgv({ name: 'c', ...c }, image, {})).toEqual(argv));

  test('$(VAR) in command and args expands from the env', () => {
    expect(buildArgv({ name: 'c', command: ['echo', '$(GREETING)'], args: ['$(NAME)', '$$(NAME)', '$(NOPE)'] }, image, { GREETING: 'hi', NAME: 'bob' })).toEqual(['echo', 'hi', 'bob', '$(NAME)', '$(NOPE)']);
  });
});

describe('env', () => {
  test('image env, then envFrom, then env; downward API; POD_IP and HOSTNAME', () => {
    const cm = { data: { A: 'from-cm', B: 'b' } };
    const secret = { data: { PASS: Buffer.from('s3cret').toString('base64') } };
    const env = buildEnv(
      pod,
      {
        name: 'c',
        envFrom: [{ configMapRef: { name: 'cfg' } }, { secretRef: { name: 'sec' }, prefix: 'S_' }],
        env: [
          { name: 'A', value: 'explicit-$(B)' },
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
          { name: 'UID', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } },
          { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
          { name: 'LABELS', valueFrom: { fieldRef: { fieldPath: 'metadata.labels' } } },
          { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
          { name: 'SA', valueFrom: { fieldRef: { fieldPath: 'spec.serviceAccountName' } } },
          { name: 'MY_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
          { name: 'HOST', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
          { name: 'KEY', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'B' } } },
          { name: 'PW', valueFrom: { secretKeyRef: { name: 'sec', key: 'PASS' } } },
          { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory' } } },
        ],
        resources: { limits: { memory: '64Mi' } },
      },
      ['PATH=/bin', 'A=from-image'],
      { ...none, configMap: (n) => (n === 'cfg' ? (cm as never) : undefined), secret: (n) => (n === 'sec' ? (secret as never) : undefined) },
    );
    expect(env).toEqual({
      PATH: '/bin',
      A: 'explicit-b',
      B: 'b',
      S_PASS: 's3cret',
      POD_NAME: 'web',
      NS: 'dev',
      UID: 'u-1',
      APP: 'web',
      LABELS: 'app="web"\ntier="fe"',
      NODE: 'node-1',
      SA: 'sa',
      MY_IP: '127.244.1.7',
      HOST: '127.0.0.1',
      KEY: 'b',
      PW: 's3cret',
      MEM: String(64 * 2 ** 20),
      HOSTNAME: 'web',
      POD_IP: '127.244.1.7',
    });
  });

  test.each([
    [{ envFrom: [{ configMapRef: { name: 'app-cfg' } }] }, 'configmap "app-cfg" not found'],
    [{ envFrom: [{ secretRef: { name: 'db' } }] }, 'secret "db" not found'],
    [{ env: [{ name: 'P', valueFrom: { configMapKeyRef: { name: 'have', key: 'PORT' } } }] }, "couldn't find key PORT in ConfigMap dev/have"],
    [{ env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 'db', key: 'PORT' } } }] }, 'secret "db" not found'],
  ])('missing sources fail with upstream wording: %j', (c, msg) => {
    const src = { ...none, configMap: (n: string) => (n === 'have' ? ({ data: {} } as never) : undefined) };
    let err: unknown;
    try {
      buildEnv(pod, { name: 'c', ...c }, [], src);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toBe(msg);
  });

  test('optional sources may be missing', () => {
    const env = buildEnv(
      pod,
      { name: 'c', envFrom: [{ configMapRef: { name: 'x', optional: true } }], env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 's', key: 'k', optional: true } } }] },
      [],
      none,
    );
    expect(env.P).toBeUndefined();
  });
});

test('parseQuantity', () => {
  expect(parseQuantity('500m')).toBeCloseTo(0.5);
  expect(parseQuantity('128Mi')).toBe(128 * 2 ** 20);
  expect(parseQuantity('1G')).toBe(1e9);
  expect(parseQuantity('2')).toBe(2);
  expect(() => parseQuantity('abc')).toThrow();
});
