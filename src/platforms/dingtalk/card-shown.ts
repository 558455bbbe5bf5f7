import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { Keys } from '../../store/redis';
import type { CardParamMap } from './card';

/*
 * What each template card shows, so that a card is never updated with `PUT /v1.0/card/instances` to data it shows
 * already. Above all, a card is not PUT for the click it is answering: the callback's answer updates it
 * ("不论是 HTTP 模式还是 Stream 模式，都可以通过响应事件回调来更新卡片数据" … "请勿在回调过程中，调用更新接口",
 * https://open.dingtalk.com/document/development/event-callback-card; the official example's onCardCallback answers
 * with `cardData` "更新公有数据": open-dingtalk/dingtalk-card-examples examples/审批模板/nodejs/index.ts), and each
 * PUT spends the org's monthly API quota.
 *   P:dingtalk:shown:<outTrackId>       string sha1(cardParamMap)  the public data the card was last given: at
 *                                                                  creation, by a PUT, or by a callback's answer (90 days)
 *   P:dingtalk:answering:<outTrackId>   counter (PX 3 s)           callbacks of the card being answered now: a refresh
 *                                                                  waits for their answers before it decides
 */
const SHOWN_TTL_SECONDS = 90 * 24 * 3600;
/** Past DingTalk's 2 s for an answer (the receiver answers within 1.5 s), the counter lapses on its own. */
const ANSWERING_TTL_MS = 3000;
const POLL_MS = 50;

const digest = (data: CardParamMap): string =>
  createHash('sha1')
    .update(JSON.stringify(Object.entries(data).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))))
    .digest('hex');

export class CardShown {
  private readonly keys: Keys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = new Keys(prefix);
  }

  private k(part: 'shown' | 'answering', outTrackId: string): string {
    return this.keys.k('dingtalk', part, outTrackId);
  }

  /** The card now shows `data` (it was created or PUT with it, or a callback's answer carried it). */
  async record(outTrackId: string, data: CardParamMap): Promise<void> {
    await this.redis.set(this.k('shown', outTrackId), digest(data), 'EX', SHOWN_TTL_SECONDS);
  }

  /** A callback of the card is being answered. */
  async beginAnswer(outTrackId: string): Promise<void> {
    const key = this.k('answering', outTrackId);
    await this.redis.multi().incr(key).pexpire(key, ANSWERING_TTL_MS).exec();
  }

  /** The callback was answered: with the card's new data, or (late, failed) without any. */
  async endAnswer(outTrackId: string, data?: CardParamMap): Promise<void> {
    if (data) await this.record(outTrackId, data);
    const key = this.k('answering', outTrackId);
    await this.redis.multi().decr(key).pexpire(key, ANSWERING_TTL_MS).exec();
  }

  /**
   * Whether the card shows `data` already, once the callbacks being answered for it have been (a refresh queued by
   * a click runs while, or just after, its answer is sent: that answer is what updates the clicked card).
   */
  async shows(outTrackId: string, data: CardParamMap): Promise<boolean> {
    const until = Date.now() + ANSWERING_TTL_MS;
    while (Number((await this.redis.get(this.k('answering', outTrackId))) ?? 0) > 0 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    return (await this.redis.get(this.k('shown', outTrackId))) === digest(data);
  }
}
