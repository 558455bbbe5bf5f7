import type { Config } from '../config';
import type { CardModel } from '../domain/card-model';
import {
  checkOpen,
  defaultClose,
  openRefusalText,
  RATING_CHOICES,
  RATING_LABELS,
  ratingCard,
  results,
  type Rating,
  type RatingChoice,
  type RatingResults,
} from '../domain/rating';
import { chatKey, type ChatRef, type Member } from '../domain/types';
import type { Logger } from '../logger';
import { AppError, ErrorCode, PlatformError } from '../errors';
import type { ActionResult } from '../platforms/port';
import type { Outbox } from '../queue/outbox';
import { sendOnce } from '../queue/send-once';
import type { ChatRepo } from '../store/chat-repo';
import type { DutyRepo } from '../store/duty-repo';
import type { RatingRepo } from '../store/rating-repo';
import { alreadyOpenText, closedToast, rateRefusal } from '../domain/rating-texts';
import type { SentLog } from '../store/sent-log';
import type { WorkingCalendar } from '../time/calendar';
import type { PlatformRegistry } from './platform-registry';
import { linkRatingCard, RatingLinkService, ratesByLinks, type RatingLinker } from './rating-links';
import { ratingCardKey, sendRatingResults } from './rating-results-send';
import { RatingSeal } from './rating-seal';
import { replanRatingClosings } from './replan-ratings';
import type { RosterService } from './roster';

/** One click on a rating card: who, in which chat, which button, and the seal their own card carried. */
export interface RatingClick {
  readonly chat: ChatRef;
  readonly actor: Pick<Member, 'id' | 'name'>;
  readonly choice: RatingChoice;
  readonly seal?: string;
}

/**
 * What other parts read of 述职评议 (the 通报 page, 积分): the results of a duty's rating, and who has rated (never
 * what they chose). RatingService implements it.
 */
export interface RatingSource {
  results(dutyId: string, now: number): Promise<RatingResults | undefined>;
  whoRated(dutyId: string): Promise<Set<string>>;
}

/**
 * 述职评议 use cases (src/domain/rating.ts): open a rating of a 述职 after its deadline, take one click, close it
 * at its deadline and send the results, and read the results (for the 通报 page).
 */
export class RatingService implements RatingSource {
  private sealer?: Promise<RatingSeal>;
  /** Rating by one-to-one links where cards cannot hold the four choices (DingTalk): src/app/rating-links.ts. */
  readonly links?: RatingLinkService;

  constructor(
    private readonly deps: {
      readonly config: Pick<Config, 'BOT_TIMEZONE' | 'RATING_SEAL_KEY'>;
      readonly duties: DutyRepo;
      readonly ratings: RatingRepo;
      readonly chats: ChatRepo;
      readonly roster: RosterService;
      readonly outbox: Outbox;
      readonly platforms: PlatformRegistry;
      readonly sent: SentLog;
      readonly calendar: WorkingCalendar;
      readonly clock: () => number;
      /** Signs the rating links (src/http/reports/links.ts); without it, a platform whose cards are too small refuses 评议. */
      readonly linker?: RatingLinker;
      readonly log?: Logger;
    },
  ) {
    if (deps.linker && deps.log) {
      const { config, ratings, platforms, sent, linker, log } = deps;
      this.links = new RatingLinkService({ config, ratings, platforms, sent, linker, log, seal: () => this.seal() });
    }
  }

  /** Whether members of `chat` rate by one-to-one links rather than on the card. */
  byLinks(chat: ChatRef): boolean {
    return this.links !== undefined && ratesByLinks(this.deps.platforms.get(chat.platform));
  }

  private seal(): Promise<RatingSeal> {
    if (!this.sealer) {
      this.sealer = this.deps.ratings.sealSecret(this.deps.config.RATING_SEAL_KEY).then((secret) => new RatingSeal(secret));
      // A failed read (Redis away) is tried again on the next click.
      this.sealer.catch(() => (this.sealer = undefined));
    }
    return this.sealer;
  }

  /** The default deadline of a rating opened at `now`. */
  defaultClose(now: number): number {
    return defaultClose(now, this.deps.calendar, this.deps.config.BOT_TIMEZONE);
  }

  /**
   * 评议 #n [截止 …]: open the rating of report #n of `chat`. Refused (nothing stored) on an unknown or non-report
   * duty, before the report's deadline, by anyone but its organizer, with a deadline already past, and when the
   * duty's rating was opened before. The shared card is posted and the closing planned through the card queue.
   */
  async open(chat: ChatRef, number: number, by: Member, now: number, closesAt: number, replyTo?: string): Promise<Rating> {
    const tz = this.deps.config.BOT_TIMEZONE;
    const duty = await this.deps.duties.getByNumber(chat, number);
    if (!duty) throw new AppError(ErrorCode.NotFound, `本群没有 #${number} 这个事项。发送「列表」查看编号。`);
    const refusal = checkOpen(duty, by.id, now, closesAt);
    if (refusal) {
      const code = refusal === 'not-organizer' ? ErrorCode.Forbidden : refusal === 'deadline-past' ? ErrorCode.BadTime : refusal === 'not-report' ? ErrorCode.BadInput : ErrorCode.DutyClosed;
      throw new AppError(code, openRefusalText(refusal, duty, tz, now));
    }
    if ((this.deps.platforms.get(chat.platform).cardButtons ?? RATING_CHOICES.length) < RATING_CHOICES.length && !this.byLinks(chat)) {
      throw new AppError(ErrorCode.BadInput, '这个平台的卡片放不下评议的四个选项（好 / 较好 / 一般 / 差），暂不能在这里发起评议。');
    }
    const existing = await this.deps.ratings.get(duty.id);
    if (existing) throw new AppError(ErrorCode.Conflict, alreadyOpenText(existing, tz, now));
    const rating: Rating = {
      dutyId: duty.id,
      chat: duty.chat,
      number: duty.number,
      title: duty.title,
      organizer: { id: duty.organizer.id, name: duty.organizer.name },
      openedAt: now,
      closesAt,
      audience: [...duty.audience],
    };
    if (!(await this.deps.ratings.open(rating))) {
      const raced = await this.deps.ratings.get(duty.id);
      throw new AppError(ErrorCode.Conflict, raced ? alreadyOpenText(raced, tz, now) : `#${duty.number} 已发起过评议。`);
    }
    await this.deps.outbox.rating(duty.id, 'post', now, now, replyTo);
    await this.deps.outbox.rating(duty.id, 'close', closesAt, now);
    return rating;
  }

  /** The shared card (how many have rated, never a choice), as it is at `now`. */
  async sharedCard(rating: Rating, now: number): Promise<CardModel> {
    return ratingCard(rating, await this.deps.ratings.ratedCount(rating.dutyId), now, this.deps.config.BOT_TIMEZONE);
  }

  /** Card queue: post the shared card in the duty's chat, once. */
  async postCard(dutyId: string, replyTo?: string): Promise<string> {
    const rating = await this.deps.ratings.get(dutyId);
    if (!rating) return 'missing';
    const port = this.deps.platforms.get(rating.chat.platform);
    const now = this.deps.clock();
    const byLinks = this.byLinks(rating.chat);
    const shared = await this.sharedCard(rating, now);
    const card = byLinks ? linkRatingCard(shared) : shared;
    const { ref, fresh } = await sendOnce(this.deps.sent, ratingCardKey(dutyId), (key) => port.sendCard(rating.chat.chatId, card, { idempotencyKey: key, ...(replyTo ? { replyTo } : {}) }));
    if (fresh) await this.deps.ratings.addCard(dutyId, ref);
    // Then each member's links (each sent once, so a retried job sends only the ones missing).
    if (byLinks && this.links) return `${fresh ? 'sent' : 'already-sent'}, links ${await this.links.sendAll(rating, now)}`;
    return fresh ? 'sent' : 'already-sent';
  }

  /**
   * One click. The answer: a toast, the shared card brought up to date (how many have rated), and the clicker's own
   * card carrying their choice sealed, so that their next click can change it. Refused with a toast, nothing
   * stored: after the deadline, by a member outside the duty's audience, with a seal that is not theirs or is
   * out of date. Idempotent: a replayed click finds the member's change counter moved on (or them rated) and
   * changes nothing.
   */
  async rate(dutyId: string, click: RatingClick, now: number): Promise<ActionResult> {
    const tz = this.deps.config.BOT_TIMEZONE;
    const rating = await this.deps.ratings.get(dutyId);
    if (!rating || rating.chat.platform !== click.chat.platform) return { toast: { kind: 'error', text: '这个评议不存在。' } };
    if (now >= rating.closesAt) return { toast: closedToast(rating, tz, now) };
    if (!rating.audience.includes(click.actor.id)) return { toast: { kind: 'warning', text: `你不在 #${rating.number} 的评议名单中，不能评议。` } };
    const sealer = await this.seal();
    const old = click.seal === undefined ? undefined : sealer.open(dutyId, click.actor.id, click.seal);
    if (click.seal !== undefined && !old) return { toast: { kind: 'error', text: '这张卡片不是你的，或已失效：请在群里的评议卡片上评议。' } };
    const { outcome, version } = await this.deps.ratings.rate(dutyId, click.actor.id, click.choice, old, now);
    const rated = await this.deps.ratings.ratedCount(dutyId);
    const card = ratingCard(rating, rated, now, tz);
    const label = RATING_LABELS[click.choice];
    if (outcome !== 'rated' && outcome !== 'changed' && outcome !== 'unchanged') return { toast: rateRefusal(outcome, rating, tz, now) };
    const own = ratingCard(rating, rated, now, tz, { choice: click.choice, seal: sealer.seal(dutyId, click.actor.id, { choice: click.choice, version }) });
    const toast: ActionResult['toast'] =
      outcome === 'rated'
        ? { kind: 'success', text: `已评议：${label}（匿名，截止前可在你的卡片上修改）` }
        : outcome === 'changed'
          ? { kind: 'success', text: `已改为：${label}` }
          : { kind: 'info', text: `你的评议已经是「${label}」。` };
    // A click on the clicker's own one-to-one card: the answer updates that copy, which only they see.
    if (click.chat.chatId !== rating.chat.chatId) return { toast, card: own };
    const port = this.deps.platforms.get(rating.chat.platform);
    const sendDirectCard = port.sendDirectCard?.bind(port);
    if (!sendDirectCard) return { toast, ...(outcome === 'unchanged' ? {} : { card }), personal: own };
    // The group's card is shared (Feishu): their own card goes to them one-to-one, sent now rather than queued so
    // that no job in Redis holds it; keyed by member and change counter, so a retried click sends it once.
    try {
      await sendOnce(this.deps.sent, `rating-own-${dutyId}-${click.actor.id}-${version}`, (key) => sendDirectCard(click.actor.id, own, { idempotencyKey: key }));
      return { toast: { ...toast, text: `${toast.text.replace(/（.*）$/, '')}（匿名；你的评议卡片已私信发给你，截止前可在那里修改）` }, card };
    } catch {
      return { toast: { ...toast, text: `${toast.text.replace(/（.*）$/, '')}（匿名；私信发送失败，暂时不能修改）` }, card };
    }
  }

  /** The results so far (closed after the deadline), for the 通报 page and the organizer; undefined without a rating. */
  async results(dutyId: string, now: number): Promise<RatingResults | undefined> {
    const rating = await this.deps.ratings.get(dutyId);
    if (!rating) return undefined;
    const [counts, rated] = await Promise.all([this.deps.ratings.counts(dutyId), this.deps.ratings.ratedCount(dutyId)]);
    return results(rating, counts, rated, now);
  }

  /** The members who have rated (for 积分: taking part), never what they chose. */
  async whoRated(dutyId: string): Promise<Set<string>> {
    return this.deps.ratings.raters(dutyId);
  }

  /**
   * Card queue, at the deadline: close the shared cards and send the results to the organizer and the chat's
   * secretaries, one-to-one where the platform has one-to-one messages, else in the chat mentioning them. Each send
   * is keyed by the duty and the deadline (sent log), so a retried job never sends twice; a job of a deadline that
   * is no longer the rating's is dropped.
   */
  async close(dutyId: string, dueAt: number): Promise<string> {
    const now = Math.max(this.deps.clock(), dueAt);
    const found = await this.results(dutyId, now);
    if (!found) return 'missing';
    const { rating } = found;
    if (rating.closesAt !== dueAt) return 'moved';
    // The results first: a card that can no longer be edited (Feishu: 14 days) must not hold them back.
    const sent = await sendRatingResults(this.deps, found, dueAt);
    const closedCard = ratingCard(rating, found.rated, now, this.deps.config.BOT_TIMEZONE);
    const port = this.deps.platforms.get(rating.chat.platform);
    const updates = await Promise.allSettled((await this.deps.ratings.cards(dutyId)).map((ref) => port.updateCard(ref, closedCard)));
    // A copy gone for good (deleted, too old) stays as it is; a transient failure retries the job (the sends are kept).
    const transient = updates.find((u): u is PromiseRejectedResult => u.status === 'rejected' && !(u.reason instanceof PlatformError && u.reason.permanent));
    if (transient) throw transient.reason;
    await this.deps.ratings.closed({ chat: chatKey(rating.chat), dutyId });
    return sent;
  }

  /** At start: plan again the closing of every rating not closed yet (src/app/replan-ratings.ts). */
  async replanClosings(now: number, log: Logger): Promise<number> {
    return replanRatingClosings({ ratings: this.deps.ratings, sent: this.deps.sent, outbox: this.deps.outbox, log }, now);
  }
}
