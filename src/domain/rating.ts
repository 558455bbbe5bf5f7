import type { CardModel } from './card-model';
import type { ChatRef, Duty, Member } from './types';
import type { WorkingCalendar } from '../time/calendar';
import { formatDateTime } from '../time/format';
import { fromZoned, zonedParts } from '../time/zoned';
import type { CalendarDate } from '../time/date-part';

/**
 * 述职评议 (issue 15): after a 述职's deadline its organizer opens a rating; every member of the duty's audience
 * rates it once (好 / 较好 / 一般 / 差), may change until the rating's deadline, and the organizer and the chat's
 * secretaries get the counts then. Anonymous by construction: the store keeps the counts per choice and who has
 * rated, never who chose what (src/store/rating-repo.ts); the old choice of a change comes back sealed in the
 * clicker's own card (src/app/rating-seal.ts).
 */
export const RATING_CHOICES = ['good', 'fair', 'average', 'poor'] as const;
export type RatingChoice = (typeof RATING_CHOICES)[number];
export const RATING_LABELS: Record<RatingChoice, string> = { good: '好', fair: '较好', average: '一般', poor: '差' };

/** Without 截止: at RATING_CLOSE_HOUR on the RATING_DEFAULT_WORKDAYS-th working day after the day it is opened. */
export const RATING_DEFAULT_WORKDAYS = 3;
export const RATING_CLOSE_HOUR = 18;

/** A rating as the store keeps it: what it rates, who opened it, until when, and who may rate. No choices. */
export interface Rating {
  readonly dutyId: string;
  /** The chat of the duty, where the shared card is posted. */
  readonly chat: ChatRef;
  readonly number: number;
  readonly title: string;
  readonly organizer: Pick<Member, 'id' | 'name'>;
  readonly openedAt: number;
  readonly closesAt: number;
  /** The duty's audience when the rating was opened: who may rate. */
  readonly audience: readonly string[];
}

export type RatingCounts = Readonly<Record<RatingChoice, number>>;

/**
 * What one click did (src/store/rating-repo.ts): 'rated' (first), 'changed', 'unchanged', 'already' (rated before,
 * no seal), 'stale' (a seal of an earlier version), 'closed', 'missing'. Only 'rated' and 'changed' write.
 */
export type RateOutcome = 'rated' | 'changed' | 'unchanged' | 'already' | 'stale' | 'closed' | 'missing';

export interface RatingResults {
  readonly rating: Rating;
  readonly counts: RatingCounts;
  /** How many have rated, of how many may. */
  readonly rated: number;
  readonly of: number;
  /** (好 + 较好) / rated, 0 … 1; 0 when nobody rated. */
  readonly positiveShare: number;
  readonly closed: boolean;
}

export const emptyCounts = (): Record<RatingChoice, number> => ({ good: 0, fair: 0, average: 0, poor: 0 });

export type OpenRefusal = 'not-report' | 'cancelled' | 'not-organizer' | 'before-deadline' | 'deadline-past';

/** Whether `by` may open the rating of `duty` now, closing at `closesAt`; a reason code when not. */
export function checkOpen(duty: Pick<Duty, 'kind' | 'state' | 'organizer' | 'at'>, by: string, now: number, closesAt: number): OpenRefusal | undefined {
  if (duty.kind !== 'report') return 'not-report';
  if (duty.state === 'cancelled') return 'cancelled';
  if (duty.organizer.id !== by) return 'not-organizer';
  if (now < duty.at) return 'before-deadline';
  if (closesAt <= now) return 'deadline-past';
  return undefined;
}

export function openRefusalText(refusal: OpenRefusal, duty: Pick<Duty, 'number' | 'organizer' | 'at'>, timeZone: string, now: number): string {
  switch (refusal) {
    case 'not-report':
      return `#${duty.number} 不是述职（报告类）事项，不能评议。`;
    case 'cancelled':
      return `#${duty.number} 已取消，不能评议。`;
    case 'not-organizer':
      return `只有 #${duty.number} 的发起人（${duty.organizer.name}）可以发起评议。`;
    case 'before-deadline':
      return `#${duty.number} 的截止时间（${formatDateTime(duty.at, timeZone, now)}）还没到，述职结束后才能发起评议。`;
    case 'deadline-past':
      return '评议的截止时间必须在现在之后，例如：评议 #7 截止 下周五18点';
  }
}

/** The default deadline: 18:00 (the bot's zone) on the third working day after `now`'s day. */
export function defaultClose(now: number, calendar: Pick<WorkingCalendar, 'nextWorkday'>, timeZone: string): number {
  const p = zonedParts(now, timeZone);
  let day: CalendarDate = { year: p.year, month: p.month, day: p.day };
  for (let i = 0; i < RATING_DEFAULT_WORKDAYS; i += 1) day = calendar.nextWorkday(day);
  return fromZoned({ ...day, hour: RATING_CLOSE_HOUR, minute: 0 }, timeZone);
}

export function results(rating: Rating, counts: RatingCounts, rated: number, now: number): RatingResults {
  const positive = counts.good + counts.fair;
  return { rating, counts, rated, of: rating.audience.length, positiveShare: rated > 0 ? positive / rated : 0, closed: now >= rating.closesAt };
}

const percent = (share: number): string => `${Math.round(share * 1000) / 10}%`;

/** The results as the organizer and the secretaries get them. */
export function resultsText(r: RatingResults): string {
  const counts = RATING_CHOICES.map((c) => `${RATING_LABELS[c]} ${r.counts[c]}`).join(' · ');
  return [
    `📊 #${r.rating.number}「${r.rating.title}」述职评议结果${r.closed ? '' : '（进行中）'}`,
    `已评议 ${r.rated} / 应评议 ${r.of} 人`,
    counts,
    `好 + 较好：${r.rated > 0 ? percent(r.positiveShare) : '—（无人评议）'}`,
    '（匿名评议：只统计人数，不记录谁选了什么）',
  ].join('\n');
}

/** What the clicker's own card says of their choice (never on the shared card). */
export interface PersonalState {
  readonly choice: RatingChoice;
  /** Sealed old choice for the next click (src/app/rating-seal.ts). */
  readonly seal: string;
}

/**
 * The rating card: shared in the chat (only how many have rated, never a choice), or the clicker's own copy
 * (`personal`): their choice shown, and the buttons carrying it sealed so a change can take it off its count.
 */
export function ratingCard(rating: Rating, rated: number, now: number, timeZone: string, personal?: PersonalState): CardModel {
  const closed = now >= rating.closesAt;
  return {
    header: { title: `述职评议：${rating.title}`, subtitle: `#${rating.number} · 评议${closed ? '已结束' : '中'}`, color: closed ? 'grey' : 'purple' },
    ...(closed ? { banner: '评议已结束' } : {}),
    fields: [
      { label: '截止', value: formatDateTime(rating.closesAt, timeZone, now) },
      ...(personal ? [{ label: '你的评议', value: `${RATING_LABELS[personal.choice]}（截止前可在本卡片上修改）` }] : []),
    ],
    tally: `已评议 ${rated} / 应评议 ${rating.audience.length}`,
    groups: [],
    buttons: closed
      ? []
      : RATING_CHOICES.map((choice) => ({
          label: RATING_LABELS[choice],
          value: { v: 1 as const, duty: rating.dutyId, act: 'rate' as const, choice, ...(personal ? { seal: personal.seal } : {}) },
          style: personal?.choice === choice ? ('primary' as const) : ('default' as const),
        })),
    footer: '匿名评议：只记录是否已评议和各选项人数，不记录谁选了什么。',
  };
}
