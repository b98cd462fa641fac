/** Node IPAM's cidrset: block order, wrap-around reuse, occupancy, exhaustion. */
import { CIDRSet, parseCIDR } from '../../controller-manager/nodeipam';

test('splits 10.244.0.0/16 into /24 blocks handed out in order from .0', () => {
  const s = new CIDRSet('10.244.0.0/16', 24);
  expect(s.size).toBe(256);
  expect([s.allocateNext(), s.allocateNext(), s.allocateNext()]).toEqual(['10.244.0.0/24', '10.244.1.0/24', '10.244.2.0/24']);
  expect(s.cidrOf(255)).toBe('10.244.255.0/24');
});

test('occupied blocks (existing nodes at start-up) are skipped', () => {
  const s = new CIDRSet('10.244.0.0/16', 24);
  expect(s.occupy('10.244.0.0/24')).toBe(true);
  expect(s.occupy('10.244.2.0/24')).toBe(true);
  expect(s.occupy('10.9.0.0/24')).toBe(false); // not ours
  expect(s.occupy('10.244.3.0/25')).toBe(false); // wrong size
  expect([s.allocateNext(), s.allocateNext()]).toEqual(['10.244.1.0/24', '10.244.3.0/24']);
});

test('a released block is reused only when the scan wraps (Kubernetes AllocateNext)', () => {
  const s = new CIDRSet('10.244.0.0/22', 24); // 4 blocks
  expect([s.allocateNext(), s.allocateNext()]).toEqual(['10.244.0.0/24', '10.244.1.0/24']);
  s.release('10.244.0.0/24');
  expect(s.allocateNext()).toBe('10.244.2.0/24');
  expect(s.allocateNext()).toBe('10.244.3.0/24');
  expect(s.allocateNext()).toBe('10.244.0.0/24'); // wrapped
  expect(s.allocateNext()).toBeUndefined(); // exhausted
  expect(s.isUsed('10.244.1.0/24')).toBe(true);
});

test('other mask sizes and invalid settings', () => {
  const s = new CIDRSet('10.0.0.0/8', 16);
  expect([s.allocateNext(), s.allocateNext()]).toEqual(['10.0.0.0/16', '10.1.0.0/16']);
  const small = new CIDRSet('192.168.0.0/24', 26);
  expect([small.allocateNext(), small.allocateNext()]).toEqual(['192.168.0.0/26', '192.168.0.64/26']);
  expect(() => new CIDRSet('10.244.0.0/16', 8)).toThrow(/shorter/);
  expect(() => new CIDRSet('10.0.0.0/8', 25)).toThrow(/16 bits/);
  expect(() => parseCIDR('10.244.0.0')).toThrow();
  expect(parseCIDR('10.244.7.9/16')).toEqual({ base: parseCIDR('10.244.0.0/16').base, bits: 16 });
});
