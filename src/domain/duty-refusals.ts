import { passedMessage } from '../time/format';
import type { ClosedReason, NewTimeReason, RescheduleReason } from './duty-rules';
import type { Duty } from './types';

/**
 * The Chinese answers to the refusals of src/domain/duty-rules.ts, all in one place. Pure.
 *   #7 已经取消过了。   #7 已结束，不能改期。   #7 已取消，无需催办。
 */

/** What was asked of the duty, and why it was refused (the reasons each request can have). */
export type DutyRefusal =
  | { readonly request: 'cancel'; readonly reason: ClosedReason }
  | { readonly request: 'reschedule'; readonly reason: RescheduleReason }
  | { readonly request: 'set-reminders'; readonly reason: ClosedReason }
  | { readonly request: 'nudge'; readonly reason: ClosedReason };

const CLOSED: Readonly<Record<ClosedReason, string>> = { cancelled: '已取消', over: '已结束' };

/** Why the request cannot be done to duty #n, in the words users see. */
export function dutyRefusal(refusal: DutyRefusal, duty: Pick<Duty, 'number'>): string {
  const n = `#${duty.number}`;
  switch (refusal.request) {
    case 'cancel':
      return refusal.reason === 'cancelled' ? `${n} 已经取消过了。` : `${n} 已结束，不能取消。`;
    case 'reschedule':
      return refusal.reason === 'same-time' ? `${n} 已经是这个时间了。` : `${n} ${CLOSED[refusal.reason]}，不能改期。`;
    case 'set-reminders':
      return `${n} ${CLOSED[refusal.reason]}，不能设置提醒。`;
    case 'nudge':
      return `${n} ${CLOSED[refusal.reason]}，无需催办。`;
  }
}

/** Why a time cannot be given to a duty: too far ahead, or already past (said with the time that was read). */
export function newTimeRefusal(reason: NewTimeReason, at: number, timeZone: string, now: number): string {
  return reason === 'too-far' ? '时间太远了：最多安排三年以内的事项。' : passedMessage(at, timeZone, now);
}
