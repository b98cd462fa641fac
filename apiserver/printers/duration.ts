/**
 * Ages and durations as kubectl shows them (PRINTERS.md §0.4, upstream's
 * apimachinery `duration.HumanDuration` and the printers' `translateTimestampSince`).
 *
 * Everything truncates, nothing rounds: kubectl users compare these strings with what a
 * real cluster prints, so "2h59m59s" must read `179m`, not `3h`. Timestamps are the
 * RFC 3339 strings of the wire; Go's zero time (or an absent one) prints `<unknown>`.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Go's zero time.Time, 0001-01-01T00:00:00Z, as Kubernetes serialises an unset metav1.Time. */
const GO_ZERO_TIME_MS = Date.parse('0001-01-01T00:00:00Z');

/**
 * Epoch milliseconds of a wire timestamp, or undefined when it is absent, Go's zero time,
 * or unparseable (Go would have refused to decode the latter; treating it as unset keeps
 * a bad object listable instead of failing the whole table).
 */
export function timestampMs(t: unknown): number | undefined {
  if (typeof t !== 'string' || t === '') return undefined;
  const ms = Date.parse(t);
  if (!Number.isFinite(ms) || ms <= GO_ZERO_TIME_MS) return undefined;
  return ms;
}

/**
 * HumanDuration: the coarse, truncating format of every AGE cell.
 * `ms` may be negative (clock skew); up to 2 s of skew still reads `0s`.
 */
export function humanDuration(ms: number): string {
  // Go: seconds := int(d.Seconds()), i.e. truncation toward zero.
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;

  const minutes = Math.trunc(ms / MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 3 * 60) return `${minutes}m`;

  const hours = Math.trunc(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;

  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;

  // Years are always 365 days.
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    const d = days % 365;
    return d === 0 ? `${years}y` : `${years}y${d}d`;
  }
  return `${years}y`;
}

/** translateTimestampSince: the age of `t` at `now`, or `<unknown>` for an unset timestamp. */
export function ageSince(t: unknown, now: number): string {
  const ms = timestampMs(t);
  return ms === undefined ? '<unknown>' : humanDuration(now - ms);
}
