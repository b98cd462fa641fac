/**
 * Canonical form of a Kubernetes resource quantity, for the cells that print one (PV/PVC
 * capacity, HPA targets, ResourceQuota usage). PRINTERS.md §0.8: "Quantities are printed
 * in canonical Kubernetes form: 1Gi, 500Mi, 10G".
 *
 * A real API server canonicalises quantities whenever it serialises them, so `1.5Gi`
 * round-trips as `1536Mi` and `1000` as `1k`. We do not assume the stored object was
 * canonicalised, so the printer does it. The rules (facts of resource.Quantity):
 *  - the suffix family is kept: binary (Ki…Ei), decimal SI (n u m "" k M G T P E), or
 *    decimal exponent (e3, e-6);
 *  - precision finer than 1n is rounded up (away from zero) to 1n;
 *  - a binary quantity that is under 1024 in magnitude, or not a whole number, is
 *    printed in decimal SI instead;
 *  - otherwise the largest suffix that keeps an integer mantissa is chosen, decimal
 *    exponents moving in steps of 3.
 * Exact arithmetic with BigInt: quantities like 8Ei overflow a double's integer range.
 */

const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const DECIMAL_EXPONENTS: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const DECIMAL_SUFFIX_BY_EXPONENT = new Map(Object.entries(DECIMAL_EXPONENTS).map(([suffix, exp]) => [exp, suffix]));

const QUANTITY_RE = /^([+-]?)(\d*)(?:\.(\d*))?(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+|n|u|m|k|M|G|T|P|E)?$/;

type Family = 'binary' | 'decimalSI' | 'exponent';

/** The canonical string of a quantity; anything unparseable is returned as given. Absent → "0". */
export function canonicalQuantity(q: unknown): string {
  if (q === undefined || q === null || q === '') return '0';
  const text = typeof q === 'number' ? String(q) : typeof q === 'string' ? q.trim() : String(q);
  const m = QUANTITY_RE.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return text;
  const [, sign, whole, frac = '', suffix = ''] = m;

  // value = numerator / 10^scale, exactly.
  let numerator = BigInt((whole || '0') + frac);
  let scale = frac.length;
  let family: Family = 'decimalSI';
  const binaryIndex = BINARY_SUFFIXES.indexOf(suffix);
  if (suffix !== '' && binaryIndex > 0) {
    family = 'binary';
    numerator *= 1n << BigInt(10 * binaryIndex);
  } else if (/^[eE][+-]?\d/.test(suffix)) {
    family = 'exponent';
    const exp = Number(suffix.slice(1));
    if (exp >= 0) numerator *= 10n ** BigInt(exp);
    else scale += -exp;
  } else {
    const exp = DECIMAL_EXPONENTS[suffix] ?? 0;
    if (exp >= 0) numerator *= 10n ** BigInt(exp);
    else scale += -exp;
  }

  // Round up to nano units: nanos = ceil(numerator * 10^9 / 10^scale).
  let nanos: bigint;
  if (scale <= 9) {
    nanos = numerator * 10n ** BigInt(9 - scale);
  } else {
    const div = 10n ** BigInt(scale - 9);
    nanos = numerator / div + (numerator % div === 0n ? 0n : 1n);
  }
  if (nanos === 0n) return '0';
  const neg = sign === '-' ? '-' : '';

  if (family === 'binary') {
    const isWhole = nanos % 1_000_000_000n === 0n;
    const units = nanos / 1_000_000_000n;
    if (isWhole && units >= 1024n) {
      let mantissa = units;
      let i = 0;
      while (i < BINARY_SUFFIXES.length - 1 && mantissa % 1024n === 0n) {
        mantissa /= 1024n;
        i++;
      }
      return `${neg}${mantissa}${BINARY_SUFFIXES[i]}`;
    }
    family = 'decimalSI';
  }

  // Strip factors of ten, then step the exponent down to a multiple of 3.
  let mantissa = nanos;
  let exponent = -9;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent++;
  }
  while (((exponent % 3) + 3) % 3 !== 0) {
    mantissa *= 10n;
    exponent--;
  }
  if (family === 'exponent') return `${neg}${mantissa}${exponent === 0 ? '' : `e${exponent}`}`;
  while (exponent > 18) {
    // Past exa there is no SI suffix; keep the largest one and let the mantissa grow.
    mantissa *= 1000n;
    exponent -= 3;
  }
  return `${neg}${mantissa}${DECIMAL_SUFFIX_BY_EXPONENT.get(exponent) ?? ''}`;
}
