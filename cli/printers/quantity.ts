/**
 * Resource quantities (`100m`, `1.5Gi`, `2`) for what describe computes on the client:
 * node allocated resources, pod QoS class. Values are exact (bigint nano-units), sums
 * keep the format of their first term and print in Kubernetes' canonical form (`1Gi`,
 * `1500m`, `2k`), as Quantity.String() does.
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

export const ZERO: Quantity = { nano: 0n, format: 'DecimalSI' };

function pow10(e: number): bigint {
  return 10n ** BigInt(e);
}

/** Parses a quantity; undefined when it is not one. Sub-nano fractions round up. */
export function parseQuantity(input: string | number | undefined | null): Quantity | undefined {
  if (input === undefined || input === null) return undefined;
  const s = String(input).trim();
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]))?$/.exec(s);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const [, sign, intPart, fracPart = '', exp, suffix = ''] = m;
  let format: QuantityFormat = 'DecimalSI';
  let exp10 = 0;
  let exp2 = 0;
  if (exp) exp10 = Number(exp.slice(1));
  else if (suffix in BINARY_SUFFIX) {
    exp2 = BINARY_SUFFIX[suffix];
    format = 'BinarySI';
  } else exp10 = DECIMAL_SUFFIX[suffix];
  // digits × 10^(exp10 - fracLen) × 2^exp2, scaled to nano.
  const digits = BigInt(`${intPart || '0'}${fracPart}`);
  const scale = exp10 - fracPart.length + 9;
  const scaled = digits * (1n << BigInt(exp2));
  let nano: bigint;
  if (scale >= 0) nano = scaled * pow10(scale);
  else {
    const div = pow10(-scale);
    nano = scaled / div + (scaled % div === 0n ? 0n : 1n);
  }
  return { nano: sign === '-' ? -nano : nano, format };
}

export function addQuantities(a: Quantity, b: Quantity): Quantity {
  // Go's Add keeps the receiver's format unless the receiver is the zero value.
  const format = a.nano === 0n && a === ZERO ? b.format : a.format;
  return { nano: a.nano + b.nano, format };
}

export function milliValue(q: Quantity): number {
  return Number(q.nano / 1_000_000n);
}

export function value(q: Quantity): number {
  const v = q.nano / NANO;
  return Number(q.nano % NANO === 0n ? v : v + (q.nano > 0n ? 1n : 0n));
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
