/** Sliding one-second windows keyed by API path (real time, independent of the injectable `now`). */
export class SlidingWindow {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly windowMs = 1000,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Records a hit and returns true when `key` is still within `limit` per window; refused hits are not recorded. */
  take(key: string, limit: number): boolean {
    const t = this.clock();
    const kept = (this.hits.get(key) ?? []).filter((at) => at > t - this.windowMs);
    const ok = kept.length < limit;
    if (ok) kept.push(t);
    this.hits.set(key, kept);
    return ok;
  }

  reset(): void {
    this.hits.clear();
  }
}
