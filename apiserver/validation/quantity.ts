/**
 * Resource quantities (`500m`, `1Gi`, `2e3`) as far as validation needs them: syntax and
 * ordering (requests ≤ limits, > 0). Values become JS numbers, exact for every quantity
 * a pod spec realistically holds; canonical re-printing is not attempted.
 */
import { isValidQuantity } from '../openapi/strict';

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** The numeric value of a quantity, or undefined when it is not one. Numbers pass through. */
export function parseQuantity(q: unknown): number | undefined {
  if (typeof q === 'number') return Number.isFinite(q) ? q : undefined;
  if (typeof q !== 'string') return undefined;
  const s = q.trim();
  if (!isValidQuantity(s)) return undefined;
  const m = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(.*)$/.exec(s);
  if (!m) return undefined;
  const n = Number(m[1]);
  const suffix = m[2];
  if (suffix in BINARY) return n * BINARY[suffix];
  if (suffix in DECIMAL) return n * DECIMAL[suffix];
  if (/^[eE][+-]?[0-9]+$/.test(suffix)) return n * 10 ** Number(suffix.slice(1));
  return undefined;
}

/** How a quantity prints in a message: as given (strings) or Go's %v (numbers). */
export function quantityText(q: unknown): string {
  return typeof q === 'number' ? String(q) : String(q ?? '');
}
