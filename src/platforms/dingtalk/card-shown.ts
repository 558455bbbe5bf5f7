import { createHash } from 'node:crypto';
import type { CardParamMap } from './card';

/*
 * What each template card shows, so that a card is never updated with `PUT /v1.0/card/instances` to data it shows
 * already. Above all, a card is not PUT for the click it is answering: the callback's answer updates it
 * ("不论是 HTTP 模式还是 Stream 模式，都可以通过响应事件回调来更新卡片数据" … "请勿在回调过程中，调用更新接口",
 * https://open.dingtalk.com/document/development/event-callback-card; the official example's onCardCallback answers
 * with `cardData` "更新公有数据": open-dingtalk/dingtalk-card-examples examples/审批模板/nodejs/index.ts), and each
 * PUT spends the org's monthly API quota.
 */

/** Kept for every process: the digest of the public data each card was last given, and the answers under way. */
export interface CardShownState {
  setShown(outTrackId: string, digest: string): Promise<void>;
  shown(outTrackId: string): Promise<string | undefined>;
  /** Count one callback of the card being answered; the count lapses `ttlMs` after its last change. */
  beginAnswer(outTrackId: string, ttlMs: number): Promise<void>;
  endAnswer(outTrackId: string, ttlMs: number): Promise<void>;
  /** How many callbacks of the card are being answered now. */
  answering(outTrackId: string): Promise<number>;
}

/** Past DingTalk's 2 s for an answer (the receiver answers within 1.5 s), the count lapses on its own. */
const ANSWERING_TTL_MS = 3000;
const POLL_MS = 50;

const digest = (data: CardParamMap): string =>
  createHash('sha1')
    .update(JSON.stringify(Object.entries(data).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))))
    .digest('hex');

export class CardShown {
  constructor(private readonly state: CardShownState) {}

  /** The card now shows `data` (it was created or PUT with it, or a callback's answer carried it). */
  async record(outTrackId: string, data: CardParamMap): Promise<void> {
    await this.state.setShown(outTrackId, digest(data));
  }

  /** A callback of the card is being answered. */
  async beginAnswer(outTrackId: string): Promise<void> {
    await this.state.beginAnswer(outTrackId, ANSWERING_TTL_MS);
  }

  /** The callback was answered: with the card's new data, or (late, failed) without any. */
  async endAnswer(outTrackId: string, data?: CardParamMap): Promise<void> {
    if (data) await this.record(outTrackId, data);
    await this.state.endAnswer(outTrackId, ANSWERING_TTL_MS);
  }

  /**
   * Whether the card shows `data` already, once the callbacks being answered for it have been (a refresh queued by
   * a click runs while, or just after, its answer is sent: that answer is what updates the clicked card).
   */
  async shows(outTrackId: string, data: CardParamMap): Promise<boolean> {
    const until = Date.now() + ANSWERING_TTL_MS;
    while ((await this.state.answering(outTrackId)) > 0 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    return (await this.state.shown(outTrackId)) === digest(data);
  }
}
