import type { QuotaCounter } from '../../platforms/dingtalk/quota';
import { RedisStore } from '../repo-base';

/*
 * The DingTalk org's monthly API calls (platforms/dingtalk/quota.ts), P = key prefix, M = `YYYY-MM`:
 *   P:dingtalk:quota:M          string  calls made this month by every process (INCR); expires after 40 days
 *   P:dingtalk:quota-warned:M   string  set once (SET NX) when the month passed the warning line
 */
const KEEP_SECONDS = 40 * 24 * 3600;

export class DingTalkQuota extends RedisStore implements QuotaCounter {
  async count(month: string): Promise<number> {
    const key = this.keys.k('dingtalk', 'quota', month);
    const used = await this.redis.incr(key);
    if (used === 1) await this.redis.expire(key, KEEP_SECONDS);
    return used;
  }

  async firstWarning(month: string, used: number): Promise<boolean> {
    return (await this.redis.set(this.keys.k('dingtalk', 'quota-warned', month), String(used), 'EX', KEEP_SECONDS, 'NX')) === 'OK';
  }

  async used(month: string): Promise<number> {
    return Number((await this.redis.get(this.keys.k('dingtalk', 'quota', month))) ?? 0);
  }
}
