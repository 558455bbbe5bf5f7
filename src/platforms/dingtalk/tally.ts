import { createHash } from 'node:crypto';
import type { PlatformContext } from '../module';

/*
 * Without a card template a posted card cannot change, so a change posts a tally message instead, at most once per
 * card (duty) per interval, and the last change of an interval is posted when it ends (a delayed job), so the
 * final tally is never lost.
 * Queue `dingtalk-tally` (src/queue/queues.ts, started with the other workers in src/queue/workers.ts, so a failed
 * post is retried with the platform backoff): one delayed job per card and interval, id
 * `tally-<hash(chat:card key)>-<interval start>`, whose processor is `flush`.
 */

export interface TallyContent {
  readonly title: string;
  readonly text: string;
}

/** Per card (a chat and a card key), kept for every process: the newest tally, what was posted, the interval. */
export interface TallyBuffer {
  keep(chatId: string, key: string, content: TallyContent): Promise<void>;
  /**
   * Open the card's interval at `now` for `intervalMs`: undefined when this call opened it; else when the open one
   * started (as it was recorded) and how long it still runs.
   */
  openInterval(chatId: string, key: string, intervalMs: number, now: number): Promise<{ readonly since?: string; readonly remainingMs: number } | undefined>;
  /** Free the interval (a post failed: its retry may post). */
  closeInterval(chatId: string, key: string): Promise<void>;
  /** The newest tally, its digest, and whether that digest is the one posted last; undefined when none. */
  latest(chatId: string, key: string): Promise<{ readonly content: TallyContent; readonly digest: string; readonly posted: boolean } | undefined>;
  markPosted(chatId: string, key: string, digest: string): Promise<void>;
}

export interface TallyOptions {
  readonly buffer: TallyBuffer;
  /** The deferred queue (`dingtalk-tally`): the job comes back to `flush` when due. */
  readonly defer: PlatformContext['defer'];
  readonly intervalMs: number;
  readonly post: (chatId: string, content: TallyContent) => Promise<void>;
}

export class TallyPoster {
  constructor(private readonly options: TallyOptions) {}

  /** A card changed: keep its newest tally and post it now, or when the current interval ends. */
  async update(chatId: string, key: string, content: TallyContent): Promise<string> {
    await this.options.buffer.keep(chatId, key, content);
    return this.flush(chatId, key);
  }

  /** Post the newest tally if the interval allows and it differs from the last one posted; else schedule. */
  async flush(chatId: string, key: string): Promise<string> {
    const { buffer, intervalMs } = this.options;
    const start = Date.now();
    const running = await buffer.openInterval(chatId, key, intervalMs, start);
    if (running) {
      const id = createHash('sha1').update(`${chatId}:${key}`).digest('hex').slice(0, 20);
      await this.options.defer({ chatId, key }, { id: `tally-${id}-${running.since ?? start}`, delayMs: Math.max(0, running.remainingMs) + 50 });
      return 'deferred';
    }
    const latest = await buffer.latest(chatId, key);
    if (!latest) return 'nothing';
    if (latest.posted) return 'unchanged';
    try {
      await this.options.post(chatId, latest.content);
    } catch (err) {
      // Free the interval so the retry (of this job or the card refresh) can post.
      await buffer.closeInterval(chatId, key);
      throw err;
    }
    await buffer.markPosted(chatId, key, latest.digest);
    return 'posted';
  }
}
