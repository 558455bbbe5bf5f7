/**
 * Outbound pacing, shared by every process that sends for the same app: an adapter names the buckets a request
 * counts against and waits for their slot. The composition root passes the Redis implementation (RatePacer, in
 * src/store/rate-pacer.ts), so N processes together stay under the platform's limits.
 */
export interface PaceBucket {
  readonly name: string;
  /** Milliseconds between two requests of this bucket. */
  readonly intervalMs: number;
}

export interface Pacer {
  /** Wait until every bucket has a free slot, and take it (narrowest bucket first). */
  acquire(buckets: readonly PaceBucket[]): Promise<void>;
  /** No slot of `bucket` before `untilMs` (epoch ms): after the platform said "too many requests". */
  hold(bucket: string, untilMs: number): Promise<void>;
}
