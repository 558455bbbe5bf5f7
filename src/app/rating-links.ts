import type { Config } from '../config';
import type { CardModel } from '../domain/card-model';
import { RATING_CHOICES, RATING_LABELS, ratingCard, type Rating, type RatingChoice } from '../domain/rating';
import { closedToast } from '../domain/rating-texts';
import { PlatformError } from '../errors';
import type { Logger } from '../logger';
import type { PlatformPort } from '../platforms/port';
import { sendOnce } from '../queue/send-once';
import type { RatingRepo } from '../store/rating-repo';
import type { SentLog } from '../store/sent-log';
import { formatDateTime } from '../time/format';
import type { PlatformRegistry } from './platform-registry';
import type { RatingSeal } from './rating-seal';

/**
 * What a member's rating link carries: the duty, the member, and the choice its button stood for, sealed (a seal of
 * version 0: src/app/rating-seal.ts), so that no URL shows a choice.
 */
export interface RatingLinkParams {
  readonly dutyId: string;
  readonly member: string;
  readonly hint: string;
  /** Expiry, epoch seconds. */
  readonly exp: number;
}

/** What the confirm or change button posts (in the body, never in a URL): the choice, and when changing the sealed current one. */
export interface RatingPost {
  readonly choice: RatingChoice;
  readonly seal?: string;
}

/** Hands out signed rating links (src/http/reports/links.ts, src/http/reports/rating-signing.ts). */
export interface RatingLinker {
  ratingLink(params: RatingLinkParams): Promise<string>;
}

/** What a member's rating page shows. */
export type RatingPage =
  | { readonly kind: 'confirm'; readonly rating: Rating; readonly choice: RatingChoice }
  | { readonly kind: 'done'; readonly rating: Rating; readonly choice: RatingChoice; readonly text: string; readonly seal: string }
  | { readonly kind: 'refused'; readonly rating?: Rating; readonly text: string };

/** Links outlive the deadline by this much, so that a late tap is told the rating closed rather than the link is bad. */
const LINK_SLACK_S = 30 * 86_400;

/** Whether `port` takes 述职评议 by links: its cards hold fewer than the four choices, and it has one-to-one link messages. */
export const ratesByLinks = (port: PlatformPort): boolean => (port.cardButtons ?? RATING_CHOICES.length) < RATING_CHOICES.length && port.sendDirectLinks !== undefined;

/** The group's card where members rate by links: the count and the deadline, no buttons. */
export function linkRatingCard(card: CardModel): CardModel {
  return card.buttons.length === 0 ? card : { ...card, buttons: [], footer: `评议链接已私信发给每位应评议成员。${card.footer}` };
}

/**
 * 述职评议 where cards cannot hold four buttons (DingTalk's template has two): each member of the audience gets,
 * one-to-one, a message with four link buttons 好 / 较好 / 一般 / 差 (PlatformPort.sendDirectLinks). Each link is
 * signed for that member, the choice sealed in it. Opening it shows a page asking to confirm; only the confirming
 * POST records (a GET that records would be set off by link previews and prefetching, which chat clients and
 * browsers do without the member's tap). The page then says 已评议 and offers four change buttons posting, in the
 * body, the new choice and the member's current one sealed (src/app/rating-seal.ts): the store, as on the other
 * platforms, never ties a member to a choice; no URL shows a choice (access logs); and a post replayed changes
 * nothing a second time (the change counter of the RATE script, src/store/rating-repo.ts).
 */
export class RatingLinkService {
  constructor(
    private readonly deps: {
      readonly config: Pick<Config, 'BOT_TIMEZONE'>;
      readonly ratings: RatingRepo;
      readonly platforms: PlatformRegistry;
      readonly sent: SentLog;
      readonly linker: RatingLinker;
      readonly seal: () => Promise<RatingSeal>;
      readonly log: Logger;
    },
  ) {}

  /** The member's four links, 好 … 差. */
  private async links(rating: Rating, member: string): Promise<{ label: string; url: string }[]> {
    const exp = Math.floor(rating.closesAt / 1000) + LINK_SLACK_S;
    const sealer = await this.deps.seal();
    return Promise.all(
      RATING_CHOICES.map(async (choice) => {
        const hint = sealer.seal(rating.dutyId, member, { choice, version: 0 });
        return { label: RATING_LABELS[choice], url: await this.deps.linker.ratingLink({ dutyId: rating.dutyId, member, hint, exp }) };
      }),
    );
  }

  /**
   * Card queue, with the group's card: each member their four links, one-to-one, each send once (sent log keyed by
   * duty and member). A member DingTalk does not know is skipped; a transient failure retries the job.
   */
  async sendAll(rating: Rating, now: number): Promise<number> {
    const port = this.deps.platforms.get(rating.chat.platform);
    const send = port.sendDirectLinks?.bind(port);
    if (!send) return 0;
    const tz = this.deps.config.BOT_TIMEZONE;
    const markdown =
      `### 述职评议：#${rating.number} ${rating.title}\n\n发起人：${rating.organizer.name}，截止：${formatDateTime(rating.closesAt, tz, now)}。\n\n` +
      '请点下面的一项，在打开的页面上确认。评议匿名：只统计人数，不记录谁选了什么；评议后页面上有修改链接，截止前可修改。';
    let sent = 0;
    for (const member of rating.audience) {
      const buttons = await this.links(rating, member);
      try {
        await sendOnce(this.deps.sent, `rating-links-${rating.dutyId}-${member}`, (key) => send(member, { title: `述职评议：${rating.title}`, markdown, buttons }, { idempotencyKey: key }));
        sent += 1;
      } catch (err) {
        if (!(err instanceof PlatformError && err.permanent)) throw err;
        this.deps.log.warn({ err, dutyId: rating.dutyId }, 'rating links not sent to a member');
      }
    }
    return sent;
  }

  /** The page a link opens (GET): nothing changes; it asks to confirm, or says why it cannot. */
  async page(p: RatingLinkParams, now: number): Promise<RatingPage> {
    const found = await this.check(p, undefined, now);
    if ('text' in found) return { kind: 'refused', ...(found.rating ? { rating: found.rating } : {}), text: found.text };
    return { kind: 'confirm', rating: found.rating, choice: found.hinted };
  }

  /** The confirm or change button's POST: record the choice (or the change), then the page with the change buttons. */
  async submit(p: RatingLinkParams, post: RatingPost, now: number): Promise<RatingPage> {
    const tz = this.deps.config.BOT_TIMEZONE;
    const found = await this.check(p, post.seal, now);
    if ('text' in found) return { kind: 'refused', ...(found.rating ? { rating: found.rating } : {}), text: found.text };
    const { rating, old } = found;
    const sealer = await this.deps.seal();
    const { outcome, version } = await this.deps.ratings.rate(rating.dutyId, p.member, post.choice, old, now);
    const label = RATING_LABELS[post.choice];
    switch (outcome) {
      case 'already':
        return { kind: 'refused', rating, text: '你已评议过。评议匿名，系统不记录你选了什么：要修改，请在评议后的页面上点修改按钮。' };
      case 'stale':
        return { kind: 'refused', rating, text: '这个页面已过期（你的评议后来改过）。要修改，请在最近一次评议后的页面上修改。' };
      case 'closed':
        return { kind: 'refused', rating, text: closedToast(rating, tz, now).text };
      case 'missing':
        return { kind: 'refused', text: '这个评议不存在。' };
      default:
    }
    if (outcome !== 'unchanged') await this.refreshCards(rating, now);
    const seal = sealer.seal(rating.dutyId, p.member, { choice: post.choice, version });
    const text = outcome === 'rated' ? `已评议：${label}` : outcome === 'changed' ? `已改为：${label}` : `你的评议已经是「${label}」`;
    return { kind: 'done', rating, choice: post.choice, text, seal };
  }

  /**
   * The rating, the choice the link's button stood for and the member's old choice, or why the link cannot rate. A
   * hint is a seal of version 0 and a change's seal one of version 1 or more: neither passes for the other.
   */
  private async check(
    p: RatingLinkParams,
    seal: string | undefined,
    now: number,
  ): Promise<{ rating: Rating; hinted: RatingChoice; old?: { choice: RatingChoice; version: number } } | { rating?: Rating; text: string }> {
    const rating = await this.deps.ratings.get(p.dutyId);
    if (!rating) return { text: '这个评议不存在。' };
    if (now >= rating.closesAt) return { rating, text: closedToast(rating, this.deps.config.BOT_TIMEZONE, now).text };
    if (!rating.audience.includes(p.member)) return { rating, text: `你不在 #${rating.number} 的评议名单中，不能评议。` };
    const sealer = await this.deps.seal();
    const hint = sealer.open(rating.dutyId, p.member, p.hint);
    if (!hint || hint.version !== 0) return { rating, text: '这个评议链接无效：请用你收到的评议消息上的按钮。' };
    if (seal === undefined) return { rating, hinted: hint.choice };
    const old = sealer.open(rating.dutyId, p.member, seal);
    return old && old.version > 0 ? { rating, hinted: hint.choice, old } : { rating, text: '这个修改不是你的，或已失效：请用你收到的评议链接。' };
  }

  /** The group's cards show the new count; a card that cannot be updated stays as it is (the count is also in the results). */
  private async refreshCards(rating: Rating, now: number): Promise<void> {
    const port = this.deps.platforms.get(rating.chat.platform);
    const card = linkRatingCard(ratingCard(rating, await this.deps.ratings.ratedCount(rating.dutyId), now, this.deps.config.BOT_TIMEZONE));
    const refs = await this.deps.ratings.cards(rating.dutyId);
    const done = await Promise.allSettled(refs.map((ref) => port.updateCard(ref, card)));
    for (const d of done) if (d.status === 'rejected') this.deps.log.warn({ err: d.reason as unknown, dutyId: rating.dutyId }, 'rating card not updated');
  }
}
