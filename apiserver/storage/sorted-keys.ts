/**
 * The store's keys in sorted order, so that a list is a binary search to the start of
 * its prefix plus a walk, never a sort of the whole key space.
 *
 * A sorted array rather than a tree: inserts and removes cost a memmove (cheap up to
 * hundreds of thousands of keys), while lists, which dominate (informers, the API
 * server's LIST), get contiguous reads. Order is JavaScript string order (UTF-16 code
 * units), which for Kubernetes keys (ASCII) equals LevelDB's byte order.
 */
export class SortedKeys {
  private readonly keys: string[] = [];

  get size(): number {
    return this.keys.length;
  }

  at(index: number): string {
    return this.keys[index];
  }

  /** Index of the first key ≥ `key`. */
  lowerBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the first key > `key`. */
  upperBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid] <= key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Index just past the last key starting with `prefix`. Keys with a prefix are
   * contiguous in sorted order, and "key < prefix or key starts with prefix" holds for
   * exactly an initial run of the array, so a binary search on it finds the end without
   * inventing a "largest character" sentinel.
   */
  prefixEnd(prefix: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const k = this.keys[mid];
      if (k < prefix || k.startsWith(prefix)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(key: string): void {
    const i = this.lowerBound(key);
    if (this.keys[i] !== key) this.keys.splice(i, 0, key);
  }

  remove(key: string): void {
    const i = this.lowerBound(key);
    if (this.keys[i] === key) this.keys.splice(i, 1);
  }

  /** Replaces the content with `keys` (any order); used once when a backend loads. */
  reset(keys: string[]): void {
    this.keys.length = 0;
    for (const k of keys) this.keys.push(k);
    this.keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
}
