import type { Rating, RateOutcome } from './rating';
import { formatDateTime } from '../time/format';

/** The Chinese answers of 述职评议 that are refusals (src/app/rating-service.ts). */

export interface RatingToast {
  readonly kind: 'success' | 'info' | 'warning' | 'error';
  readonly text: string;
}

/** A click that changed nothing: why, and what to do. */
export function rateRefusal(outcome: Exclude<RateOutcome, 'rated' | 'changed' | 'unchanged'>, rating: Pick<Rating, 'number' | 'closesAt'>, timeZone: string, now: number): RatingToast {
  switch (outcome) {
    case 'already':
      return { kind: 'info', text: '你已评议过。评议是匿名的，系统不记录你选了什么：要修改，请在你评议后收到的那张卡片上点。' };
    case 'stale':
      return { kind: 'warning', text: '这张卡片已过期（你的评议在别处改过），请在最新收到的卡片上修改。' };
    case 'closed':
      return closedToast(rating, timeZone, now);
    case 'missing':
      return { kind: 'error', text: '这个评议不存在。' };
  }
}

export const closedToast = (rating: Pick<Rating, 'number' | 'closesAt'>, timeZone: string, now: number): RatingToast => ({
  kind: 'warning',
  text: `#${rating.number} 的评议已于 ${formatDateTime(rating.closesAt, timeZone, now)} 截止，不能再评议或修改。`,
});

/** 评议 #n a second time. */
export function alreadyOpenText(rating: Pick<Rating, 'number' | 'closesAt'>, timeZone: string, now: number): string {
  return now < rating.closesAt
    ? `#${rating.number} 已发起过评议，${formatDateTime(rating.closesAt, timeZone, now)} 截止，不能重复发起。`
    : `#${rating.number} 的评议已于 ${formatDateTime(rating.closesAt, timeZone, now)} 结束，不能重复发起。`;
}
