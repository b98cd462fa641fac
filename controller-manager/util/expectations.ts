/**
 * Controller expectations (CONTROLLERS.md 0.2): how many creates/deletes a controller has
 * issued but not yet seen come back through its informer. While any are outstanding the
 * controller does not create or delete again, so a pod creation in flight is never
 * counted twice. Records expire after 5 minutes so a lost event cannot wedge an owner.
 *
 * This is only an optimisation against double work within one process: on restart the
 * record is empty and the count comes from the freshly listed cache (the API), which is
 * what makes a controller-manager crash converge to exactly N.
 */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60 * 1000;

interface Record_ {
  add: number;
  del: number;
  /** Pod keys we asked to delete: a deletion is counted once, by timestamp or by delete event. */
  deleting: Set<string>;
  at: number;
}

export class Expectations {
  private readonly records = new Map<string, Record_>();

  constructor(private readonly now: () => number = Date.now) {}

  satisfied(key: string): boolean {
    const r = this.records.get(key);
    if (!r) return true;
    if (r.add <= 0 && r.del <= 0) return true;
    return this.now() - r.at > EXPECTATIONS_TIMEOUT_MS;
  }

  expectCreations(key: string, n: number): void {
    this.records.set(key, { add: n, del: 0, deleting: new Set(), at: this.now() });
  }

  expectDeletions(key: string, podKeys: string[]): void {
    this.records.set(key, { add: 0, del: podKeys.length, deleting: new Set(podKeys), at: this.now() });
  }

  creationObserved(key: string, n = 1): void {
    const r = this.records.get(key);
    if (r) r.add -= n;
  }

  deletionObserved(key: string, podKey: string): void {
    const r = this.records.get(key);
    if (r && r.deleting.delete(podKey)) r.del--;
  }

  delete(key: string): void {
    this.records.delete(key);
  }
}
