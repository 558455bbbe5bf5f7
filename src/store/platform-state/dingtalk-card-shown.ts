import type { CardShownState } from '../../platforms/dingtalk/card-shown';
import { RedisStore } from '../repo-base';

/*
 * What each DingTalk template card shows (platforms/dingtalk/card-shown.ts says why):
 *   P:dingtalk:shown:<outTrackId>       string sha1(cardParamMap)  the public data the card was last given: at
 *                                                                  creation, by a PUT, or by a callback's answer (90 days)
 *   P:dingtalk:answering:<outTrackId>   counter (PX a few s)       callbacks of the card being answered now: a refresh
 *                                                                  waits for their answers before it decides
 */
const SHOWN_TTL_SECONDS = 90 * 24 * 3600;

export class DingTalkCardShown extends RedisStore implements CardShownState {
  private k(part: 'shown' | 'answering', outTrackId: string): string {
    return this.keys.k('dingtalk', part, outTrackId);
  }

  async setShown(outTrackId: string, digest: string): Promise<void> {
    await this.redis.set(this.k('shown', outTrackId), digest, 'EX', SHOWN_TTL_SECONDS);
  }

  async shown(outTrackId: string): Promise<string | undefined> {
    return (await this.redis.get(this.k('shown', outTrackId))) ?? undefined;
  }

  async beginAnswer(outTrackId: string, ttlMs: number): Promise<void> {
    const key = this.k('answering', outTrackId);
    await this.redis.multi().incr(key).pexpire(key, ttlMs).exec();
  }

  async endAnswer(outTrackId: string, ttlMs: number): Promise<void> {
    const key = this.k('answering', outTrackId);
    await this.redis.multi().decr(key).pexpire(key, ttlMs).exec();
  }

  async answering(outTrackId: string): Promise<number> {
    return Number((await this.redis.get(this.k('answering', outTrackId))) ?? 0);
  }
}
