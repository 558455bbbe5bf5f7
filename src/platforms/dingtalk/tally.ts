import { createHash } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { TallyJob } from '../../queue/queues';
import { Keys } from '../../store/redis';

/*
 * Without a card template a posted card cannot change, so a change posts a tally message instead, at most once per
 * card (duty) per interval, and the last change of an interval is posted when it ends (a delayed job), so the
 * final tally is never lost.
 * Key layout (P = key prefix, K = `<cid>:<card key>`):
 *   P:dingtalk:tally:K:latest   string JSON {title, text}  the newest tally (7 days)
 *   P:dingtalk:tally:K:posted   string sha1                what was posted last (7 days)
 *   P:dingtalk:tally:K:window   string ms                  start of the current interval; expires with it (SET NX PX)
 * Queue `dingtalk-tally` (src/queue/queues.ts, started with the other workers in src/queue/workers.ts, so a failed
 * post is retried with the platform backoff): one delayed job per card and interval, id
 * `tally-<hash(K)>-<interval start>`, whose processor is `flush`.
 */

export interface TallyContent {
  readonly title: string;
  readonly text: string;
}
export interface TallyOptions {
  readonly redis: Redis;
  /** The tally queue of the bot's QueueSet. */
  readonly queue: Queue<TallyJob>;
  readonly prefix: string;
  readonly intervalMs: number;
  readonly post: (chatId: string, content: TallyContent) => Promise<void>;
}

export class TallyPoster {
  private readonly keys: Keys;

  constructor(private readonly options: TallyOptions) {
    this.keys = new Keys(options.prefix);
  }

  private k(chatId: string, key: string, part: string): string {
    return this.keys.k('dingtalk', 'tally', chatId, key, part);
  }

  /** A card changed: keep its newest tally and post it now, or when the current interval ends. */
  async update(chatId: string, key: string, content: TallyContent): Promise<string> {
    await this.options.redis.set(this.k(chatId, key, 'latest'), JSON.stringify(content), 'EX', 7 * 24 * 3600);
    return this.flush(chatId, key);
  }

  /** Post the newest tally if the interval allows and it differs from the last one posted; else schedule. */
  async flush(chatId: string, key: string): Promise<string> {
    const { redis, intervalMs } = this.options;
    const windowKey = this.k(chatId, key, 'window');
    const start = Date.now();
    if ((await redis.set(windowKey, String(start), 'PX', intervalMs, 'NX')) !== 'OK') {
      const [ttl, since] = await Promise.all([redis.pttl(windowKey), redis.get(windowKey)]);
      const id = createHash('sha1').update(`${chatId}:${key}`).digest('hex').slice(0, 20);
      await this.options.queue.add('flush', { chatId, key }, { jobId: `tally-${id}-${since ?? start}`, delay: Math.max(0, ttl) + 50 });
      return 'deferred';
    }
    const [raw, posted] = await Promise.all([redis.get(this.k(chatId, key, 'latest')), redis.get(this.k(chatId, key, 'posted'))]);
    if (!raw) return 'nothing';
    const hash = createHash('sha1').update(raw).digest('hex');
    if (hash === posted) return 'unchanged';
    try {
      await this.options.post(chatId, JSON.parse(raw) as TallyContent);
    } catch (err) {
      // Free the interval so the retry (of this job or the card refresh) can post.
      await redis.del(windowKey);
      throw err;
    }
    await redis.set(this.k(chatId, key, 'posted'), hash, 'EX', 7 * 24 * 3600);
    return 'posted';
  }
}
