import type { FaultOptions } from './types';

/** mulberry32 (https://gist.github.com/tommyettinger/46a874533244883189143505d203312c): a tiny seeded PRNG, so fault sequences (and test/circular/circular-summaries.test.ts's year) repeat for a given seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const DEFAULT_SLOW_MS = 1000;
export const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Decides, per API call, whether a fault replaces the normal answer: first the failNext queue, in order, then random
 * faults at the injected rate. `R` are the kinds random faults pick from, `N` the kinds failNext accepts; each
 * platform's plan (test/fakes/{feishu,dingtalk}/faults.ts) adds how its faults look on the wire.
 */
export class FaultPlan<R extends string, N extends string> {
  private random: (() => number) | null = null;
  private opts: FaultOptions<R> | null = null;
  private readonly queue: { kind: N; count: number }[] = [];
  /** Picks between a platform's 5xx answers (JSON or a gateway page). */
  protected readonly variety = seededRandom(7);
  private slow = DEFAULT_SLOW_MS;
  private hold = DEFAULT_TIMEOUT_MS;

  inject(opts: FaultOptions<R> | null): void {
    if (opts && (opts.rate < 0 || opts.rate > 1 || opts.kinds.length === 0)) {
      throw new Error('injectFaults: rate must be within [0, 1] and kinds non-empty');
    }
    this.opts = opts;
    if (opts?.slowMs !== undefined) this.slow = opts.slowMs;
    if (opts?.timeoutMs !== undefined) this.hold = opts.timeoutMs;
    this.random = opts ? seededRandom(opts.seed ?? 1) : null;
  }

  failNext(kind: N, count = 1): void {
    if (count > 0) this.queue.push({ kind, count });
  }

  /** slowMs/timeoutMs stick until set again, so `failNext('timeout')` can use a short hold after injectFaults(null). */
  get slowMs(): number {
    return this.slow;
  }

  get timeoutMs(): number {
    return this.hold;
  }

  /**
   * The fault for the next call, or null: the first failNext entry that `fits` this call (by default the first
   * entry), else maybe a random one.
   */
  next(fits: (kind: N) => boolean = () => true): R | N | null {
    const i = this.queue.findIndex((q) => fits(q.kind));
    const entry = this.queue[i];
    if (entry) {
      entry.count -= 1;
      if (entry.count <= 0) this.queue.splice(i, 1);
      return entry.kind;
    }
    if (!this.opts || !this.random) return null;
    if (this.random() >= this.opts.rate) return null;
    const kinds = this.opts.kinds;
    return kinds[Math.floor(this.random() * kinds.length)] ?? null;
  }
}
