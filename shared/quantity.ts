/**
 * Resource quantities (`100m`, `1.5Gi`, `2e3`): the one grammar and the one set of
 * conversions every component uses (API server validation and printers, scheduler,
 * kubelet, kubectl describe).
 *
 * Grammar, as resource.ParseQuantity: a signed decimal number (`1`, `1.`, `.5`), then
 * nothing, a binary suffix (Ki…Ei), a decimal SI suffix (n u m k M G T P E) or a decimal
 * exponent (`e3`, `E-6`). Surrounding whitespace is trimmed by the callers that accept it.
 *
 * Representations, by what the caller needs:
 *  - `Quantity`: exact, bigint nano-units (`1Gi`, `8Ei` and `0.1` stay exact); precision
 *    finer than 1n rounds up (away from zero), as Kubernetes does. Sums keep the format
 *    of their first term and print in canonical form (`1Gi`, `1500m`, `2k`), as
 *    Quantity.String() does.
 *  - integers for accounting (`milliValueRoundedUp`, `valueRoundedUp`), rounded up so
 *    sums kept incrementally never drift;
 *  - a JS number (`quantityNumber`) for validation's sign and ordering checks, exact for
 *    every quantity a pod spec realistically holds.
 * Pure functions, no I/O.
 */

export type QuantityFormat = 'BinarySI' | 'DecimalSI';

export interface Quantity {
  /** Value × 10^9. */
  nano: bigint;
  format: QuantityFormat;
}

const NANO = 1_000_000_000n;
const DECIMAL_SUFFIX: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIX: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const QUANTITY_RE = /^(([+-]?)(\d*)(?:\.(\d*))?)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]))?$/;

/** resource.ErrFormatWrong, verbatim: what Kubernetes says about a malformed quantity. */
export const QUANTITY_FORMAT_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

export const ZERO: Quantity = { nano: 0n, format: 'DecimalSI' };

function pow10(e: number): bigint {
  return 10n ** BigInt(e);
}

/** A quantity taken apart: value = ±digits(int.frac) × 10^exp10 × 2^exp2. */
interface Parts {
  /** The signed decimal number as written (`-1.5`). */
  number: string;
  negative: boolean;
  intPart: string;
  fracPart: string;
  exp10: number;
  exp2: number;
  /** Which suffix family was written: it decides the canonical form. */
  family: QuantityFormat | 'DecimalExponent';
}

const MAX_DIGITS = 64;
const MAX_EXPONENT = 64;

function scan(s: string): Parts | undefined {
  const m = QUANTITY_RE.exec(s);
  if (!m || (m[3] === '' && (m[4] ?? '') === '')) return undefined;
  const [, number, sign, intPart, fracPart = '', exp, suffix = ''] = m;
  const parts: Parts = { number, negative: sign === '-', intPart, fracPart, exp10: 0, exp2: 0, family: 'DecimalSI' };
  // Exact BigInt arithmetic makes `1e999999999` cost minutes: refuse magnitudes no real
  // resource has, so a stored object can never stall the scheduler or a printer.
  if (intPart.length + fracPart.length > MAX_DIGITS) return undefined;
  if (exp && Math.abs(Number(exp.slice(1))) > MAX_EXPONENT) return undefined;
  if (exp) {
    parts.exp10 = Number(exp.slice(1));
    parts.family = 'DecimalExponent';
  } else if (suffix in BINARY_SUFFIX) {
    parts.exp2 = BINARY_SUFFIX[suffix];
    parts.family = 'BinarySI';
  } else parts.exp10 = DECIMAL_SUFFIX[suffix];
  return parts;
}

/** The exact value × 10^9, precision finer than that rounded away from zero. */
function nanoOf(p: Parts): bigint {
  // digits × 10^(exp10 - fracLen) × 2^exp2, scaled to nano.
  const digits = BigInt(`${p.intPart || '0'}${p.fracPart}`);
  const scale = p.exp10 - p.fracPart.length + 9;
  const scaled = digits * (1n << BigInt(p.exp2));
  let nano: bigint;
  if (scale >= 0) nano = scaled * pow10(scale);
  else nano = ceilDiv(scaled, pow10(-scale));
  return p.negative ? -nano : nano;
}

/** a / b for a ≥ 0, b > 0, rounded up. */
function ceilDiv(a: bigint, b: bigint): bigint {
  return a / b + (a % b === 0n ? 0n : 1n);
}

/** Whether `s` (untrimmed) is a quantity. Cheap: no arithmetic. */
export function isQuantity(s: string): boolean {
  return scan(s) !== undefined;
}

/** Parses a quantity; undefined when it is not one. Sub-nano fractions round up. */
export function parseQuantity(input: string | number | undefined | null): Quantity | undefined {
  if (input === undefined || input === null) return undefined;
  const p = scan(String(input).trim());
  if (!p) return undefined;
  return { nano: nanoOf(p), format: p.family === 'BinarySI' ? 'BinarySI' : 'DecimalSI' };
}

export function addQuantities(a: Quantity, b: Quantity): Quantity {
  // Go's Add keeps the receiver's format unless the receiver is the zero value.
  const format = a.nano === 0n && a === ZERO ? b.format : a.format;
  return { nano: a.nano + b.nano, format };
}

/** Milli-units, truncated toward zero (what describe's percentages use). */
export function milliValue(q: Quantity): number {
  return Number(q.nano / 1_000_000n);
}

/** Whole units, rounded toward +∞. */
export function value(q: Quantity): number {
  const v = q.nano / NANO;
  return Number(q.nano % NANO === 0n ? v : v + (q.nano > 0n ? 1n : 0n));
}

/**
 * `q × 10^scale` as an integer, the magnitude rounded up (scale 3 → milli-units, 0 →
 * units), like Quantity.MilliValue / Value. Numbers are taken as plain values and go
 * through Math.ceil; anything unparsable counts as 0.
 */
function scaledRoundedUp(q: unknown, scale: number): number {
  if (typeof q === 'number') return Number.isFinite(q) ? Math.ceil(q * 10 ** scale) : 0;
  if (typeof q !== 'string') return 0;
  const p = scan(q.trim());
  if (!p) return 0;
  // Rounding up to nano first and then to the scale equals rounding up once.
  const nano = nanoOf(p);
  const v = ceilDiv(nano < 0n ? -nano : nano, pow10(9 - scale));
  return Number(nano < 0n ? -v : v);
}

/** Quantity → milli-units rounded up (`500m` → 500, `2` → 2000, `0.1m` → 1); unparsable → 0. */
export function milliValueRoundedUp(q: unknown): number {
  return scaledRoundedUp(q, 3);
}

/** Quantity → whole units rounded up (`4Gi` → 4294967296, `110` → 110, `1500m` → 2); unparsable → 0. */
export function valueRoundedUp(q: unknown): number {
  return scaledRoundedUp(q, 0);
}

/**
 * The numeric value of a quantity as a JS number (cores, bytes), or undefined when it is
 * not one. Finite numbers pass through; strings are trimmed. Floating point, so
 * extreme exponents give Infinity or 0 instead of costing bigint arithmetic.
 */
export function quantityNumber(q: unknown): number | undefined {
  if (typeof q === 'number') return Number.isFinite(q) ? q : undefined;
  if (typeof q !== 'string') return undefined;
  const p = scan(q.trim());
  if (!p) return undefined;
  // `1.5e3` is read whole (correctly rounded); suffixes multiply, as 2^10 and 1e-3 are exact-enough constants.
  if (p.family === 'DecimalExponent') return Number(`${p.number}e${p.exp10}`);
  return Number(p.number) * (p.family === 'BinarySI' ? 2 ** p.exp2 : 10 ** p.exp10);
}

/** How a quantity prints in a message: as given (strings) or Go's %v (numbers). */
export function quantityText(q: unknown): string {
  return typeof q === 'number' ? String(q) : String(q ?? '');
}

/** Canonical string, as Quantity.String(). */
export function formatQuantity(q: Quantity): string {
  if (q.nano === 0n) return '0';
  const neg = q.nano < 0n;
  const abs = neg ? -q.nano : q.nano;
  const sign = neg ? '-' : '';
  if (q.format === 'BinarySI' && abs % NANO === 0n) {
    const whole = abs / NANO;
    // Go prints small binary values (|v| < 1024) in decimal form.
    if (whole >= 1024n) {
      let best = '';
      let bestVal = whole;
      for (const [suffix, e] of Object.entries(BINARY_SUFFIX)) {
        const unit = 1n << BigInt(e);
        if (whole % unit === 0n) {
          best = suffix;
          bestVal = whole / unit;
        }
      }
      return `${sign}${bestVal}${best}`;
    }
  }
  // DecimalSI: the largest exponent (multiple of 3) that divides exactly.
  let bestSuffix = 'n';
  let bestVal = abs;
  for (const [suffix, e] of Object.entries(DECIMAL_SUFFIX).sort((x, y) => x[1] - y[1])) {
    const unit = pow10(e + 9);
    if (abs % unit === 0n) {
      bestSuffix = suffix;
      bestVal = abs / unit;
    }
  }
  return `${sign}${bestVal}${bestSuffix}`;
}

/**
 * The canonical string of a quantity as written, for printers (PV/PVC capacity, HPA
 * targets, ResourceQuota usage): unlike `formatQuantity(parseQuantity(x))` it keeps the
 * decimal-exponent family (`2e3` stays `2e3`, `1500e-3` → `1500e-3`… stepped to a
 * multiple of 3). Absent or empty → "0"; anything unparseable is returned as given.
 */
export function canonicalQuantity(q: unknown): string {
  if (q === undefined || q === null || q === '') return '0';
  const text = typeof q === 'number' ? String(q) : typeof q === 'string' ? q.trim() : String(q);
  const p = scan(text);
  if (!p) return text;
  const nano = nanoOf(p);
  if (p.family !== 'DecimalExponent') return formatQuantity({ nano, format: p.family });
  if (nano === 0n) return '0';
  // Strip factors of ten, then step the exponent down to a multiple of 3.
  let mantissa = nano < 0n ? -nano : nano;
  let exponent = -9;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent++;
  }
  while (((exponent % 3) + 3) % 3 !== 0) {
    mantissa *= 10n;
    exponent--;
  }
  return `${nano < 0n ? '-' : ''}${mantissa}${exponent === 0 ? '' : `e${exponent}`}`;
}

/** Sums a resource list map-wise: {cpu: [...], memory: [...]} → totals. */
export function sumResourceLists(lists: (Record<string, string | number> | undefined)[]): Record<string, Quantity> {
  const out: Record<string, Quantity> = {};
  for (const l of lists) {
    if (!l) continue;
    for (const [k, v] of Object.entries(l)) {
      const q = parseQuantity(v);
      if (!q) continue;
      out[k] = out[k] ? addQuantities(out[k], q) : q;
    }
  }
  return out;
}

/** Per resource, the larger of two maps (for init containers in pod requests). */
export function maxResourceLists(a: Record<string, Quantity>, b: Record<string, Quantity>): Record<string, Quantity> {
  const out: Record<string, Quantity> = { ...a };
  for (const [k, v] of Object.entries(b)) if (!out[k] || v.nano > out[k].nano) out[k] = v;
  return out;
}
