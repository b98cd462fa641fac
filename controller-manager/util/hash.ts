/**
 * pod-template-hash (CONTROLLERS.md 0.7): FNV-1a 32-bit over a deterministic dump of the
 * (normalised) pod template, plus collisionCount, printed in decimal with every digit
 * mapped through Kubernetes' "safe encode" alphabet. The bytes differ from Go's (which
 * hashes its own struct dump) but the properties clients rely on hold: deterministic per
 * (template, collisionCount), changes with the template, only the characters 4-9 b c d f.
 */
import type { PodTemplateSpec } from '../../shared/api/types';
import { canonicalJson, normalizeTemplate } from './template';

/** Kubernetes' rand.SafeEncodeString alphabet: no vowels, no confusable characters. */
export const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function fnv32a(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function safeEncode(s: string): string {
  let out = '';
  for (const ch of s) out += SAFE_ALPHABET[ch.codePointAt(0)! % SAFE_ALPHABET.length];
  return out;
}

export function computeHash(template: PodTemplateSpec | undefined, collisionCount?: number): string {
  let h = fnv32a(Buffer.from(canonicalJson(normalizeTemplate(template)), 'utf8'));
  if (collisionCount !== undefined && collisionCount !== null) {
    // uint32 little-endian, padded to 8 bytes, fed after the template.
    const buf = Buffer.alloc(8);
    buf.writeUInt32LE(collisionCount >>> 0, 0);
    h = fnv32a(buf, h);
  }
  return safeEncode(String(h));
}
