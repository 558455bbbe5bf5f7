import type { Logger } from '../logger';
import type { Metrics } from '../metrics';

/** What a queue offers for counting (BullMQ's Queue.getJobCounts). */
export interface CountableQueue {
  getJobCounts(...types: string[]): Promise<Record<string, number>>;
}

export const COUNTED_STATES = ['delayed', 'waiting', 'active', 'failed'] as const;

/**
 * The queue-depth gauges of /metrics, counted at most once per `maxAgeMs` however often /metrics is asked (each
 * count is a round of Redis commands per queue and state: a flood of scrapes must not turn into a flood of
 * scans). Concurrent scrapes share the count in flight. Time is the process's own, not the bot's domain clock.
 */
export class QueueGauges {
  private countedAt?: number;
  private inFlight?: Promise<void>;

  constructor(
    private readonly options: {
      readonly queues: readonly (readonly [string, CountableQueue])[];
      readonly metrics: Metrics;
      readonly maxAgeMs: number;
      readonly log: Logger;
      readonly now?: () => number;
    },
  ) {}

  refresh(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    const now = (this.options.now ?? Date.now)();
    if (this.countedAt !== undefined && now - this.countedAt >= 0 && now - this.countedAt < this.options.maxAgeMs) return Promise.resolve();
    this.countedAt = now;
    this.inFlight = this.count()
      .catch((err: unknown) => {
        // The last counts stay; the next scrape after maxAgeMs tries again.
        this.options.log.warn({ err }, 'metrics: could not count the queues');
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  private async count(): Promise<void> {
    for (const [name, queue] of this.options.queues) {
      const counts = await queue.getJobCounts(...COUNTED_STATES);
      for (const [state, n] of Object.entries(counts)) this.options.metrics.queueDepth.set({ queue: name, state }, n);
    }
  }
}
