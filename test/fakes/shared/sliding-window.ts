/** Sliding one-second windows of the fake platforms' rate limits, keyed by app, chat, message or API path (real time). */
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
    if (kept.length >= limit) {
      this.hits.set(key, kept);
      return false;
    }
    kept.push(t);
    this.hits.set(key, kept);
    return true;
  }

  reset(): void {
    this.hits.clear();
  }
}
