import type { Redis } from 'ioredis';
import type { Logger } from '../../logger';
import { Keys } from '../../store/redis';

/*
 * The org's monthly API quota (standard edition: 5 000 calls a month, token and contacts APIs exempt;
 * https://open.dingtalk.com/document/development/dingtalk-application-development-platform-billing-model).
 * Key layout (P = key prefix, M = `YYYY-MM` in the bot's time zone):
 *   P:dingtalk:quota:M          string  calls made this month by every process (INCR); expires after 40 days
 *   P:dingtalk:quota-warned:M   string  set once (SET NX) when the month passed WARN_AT of the quota
 */
export const WARN_AT = 0.8;
const KEEP_SECONDS = 40 * 24 * 3600;

export interface QuotaOptions {
  readonly limit: number;
  readonly timeZone: string;
  readonly clock: () => number;
  /** Called once a month, in the process whose call crossed the line. */
  readonly onThreshold: (used: number, limit: number, month: string) => Promise<void>;
  readonly log: Logger;
}

export function monthOf(ms: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(ms);
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '00';
  return `${get('year')}-${get('month')}`;
}

export class ApiQuota {
  private readonly keys: Keys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly options: QuotaOptions,
  ) {
    this.keys = new Keys(prefix);
  }

  /** Count one call. Never throws: counting must not fail a send. */
  async count(): Promise<void> {
    const month = monthOf(this.options.clock(), this.options.timeZone);
    try {
      const key = this.keys.k('dingtalk', 'quota', month);
      const used = await this.redis.incr(key);
      if (used === 1) await this.redis.expire(key, KEEP_SECONDS);
      const { limit } = this.options;
      if (used < Math.ceil(limit * WARN_AT)) return;
      const first = await this.redis.set(this.keys.k('dingtalk', 'quota-warned', month), String(used), 'EX', KEEP_SECONDS, 'NX');
      if (first !== 'OK') return;
      this.options.log.warn({ used, limit, month }, 'dingtalk monthly API quota at 80%: warning the secretaries');
      await this.options.onThreshold(used, limit, month);
    } catch (err) {
      this.options.log.warn({ err }, 'dingtalk quota count failed');
    }
  }

  async used(now = this.options.clock()): Promise<number> {
    return Number((await this.redis.get(this.keys.k('dingtalk', 'quota', monthOf(now, this.options.timeZone)))) ?? 0);
  }
}
