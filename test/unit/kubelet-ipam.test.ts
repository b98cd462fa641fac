/** Node pod-IP allocation: sequential, persisted, loopback mapping. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultPodCidr, Ipam, toLoopbackCidr } from '../../kubelet/ipam';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8ts-ipam-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('loopback mapping of the node range', () => {
  expect(defaultPodCidr(2)).toBe('10.244.2.0/24');
  expect(toLoopbackCidr('10.244.2.0/24')).toBe('127.244.2.0/24');
});

test('sequential, idempotent per uid, not reusing a freed IP at once, persisted', () => {
  const file = path.join(dir, 'a.json');
  const ipam = new Ipam(file, '127.244.1.0/24');
  expect(ipam.allocate('a')).toBe('127.244.1.2');
  expect(ipam.allocate('b')).toBe('127.244.1.3');
  expect(ipam.allocate('a')).toBe('127.244.1.2');
  ipam.release('a');
  expect(ipam.allocate('c')).toBe('127.244.1.4');
  const again = new Ipam(file, '127.244.1.0/24');
  expect(again.get('b')).toBe('127.244.1.3');
  expect(again.allocate('d')).toBe('127.244.1.5');
});

test('wraps around and reports exhaustion', () => {
  const ipam = new Ipam(path.join(dir, 'b.json'), '127.244.9.0/29'); // .2 … .6 usable
  const got = ['a', 'b', 'c', 'd', 'e'].map((u) => ipam.allocate(u));
  expect(got).toEqual(['127.244.9.2', '127.244.9.3', '127.244.9.4', '127.244.9.5', '127.244.9.6']);
  expect(() => ipam.allocate('f')).toThrow('no IP addresses available in range 127.244.9.0/29');
  ipam.release('b');
  expect(ipam.allocate('f')).toBe('127.244.9.3');
});

test('reserve records an adopted address', () => {
  const ipam = new Ipam(path.join(dir, 'c.json'), '127.244.1.0/24');
  ipam.reserve('x', '127.244.1.2');
  expect(ipam.allocate('y')).toBe('127.244.1.3');
});
