import type { Duty } from './types';

/**
 * What may still be done to a duty: cancel it, move it, change its reminders, nudge those who have not answered,
 * give it a new time. Pure: each rule returns a verdict, `ok` or the reason it is refused; the services apply
 * the verdict (inside the store's transaction where the duty is read) and src/domain/duty-refusals.ts words it.
 * Beside decideAnswer (src/domain/answers.ts), which rules on an answer.
 */

/** Planned at most three years ahead (the working calendar ends in 2099; nobody plans that far). */
export const MAX_AHEAD_MS = 3 * 366 * 24 * 3600 * 1000;

export type Verdict<R extends string> = { readonly ok: true } | { readonly ok: false; readonly reason: R };

/** A duty no longer open to changes: cancelled, or over (its time has come, or it is done). */
export type ClosedReason = 'cancelled' | 'over';
export type RescheduleReason = ClosedReason | 'same-time';
export type NewTimeReason = 'too-far' | 'passed';

const OK: Verdict<never> = { ok: true };
const refuse = <R extends string>(reason: R): Verdict<R> => ({ ok: false, reason });

/** Scheduled and still ahead: what cancelling, moving and changing reminders all require. */
function open(duty: Pick<Duty, 'state' | 'at'>, now: number): Verdict<ClosedReason> {
  if (duty.state === 'scheduled' && duty.at > now) return OK;
  return refuse(duty.state === 'cancelled' ? 'cancelled' : 'over');
}

/** 取消: only a scheduled duty whose time is still ahead. */
export function canCancel(duty: Pick<Duty, 'state' | 'at'>, now: number): Verdict<ClosedReason> {
  return open(duty, now);
}

/** 改期: only a scheduled duty still ahead, and only to another time. */
export function canReschedule(duty: Pick<Duty, 'state' | 'at'>, to: number, now: number): Verdict<RescheduleReason> {
  const verdict = open(duty, now);
  if (!verdict.ok) return verdict;
  return duty.at === to ? refuse('same-time') : OK;
}

/** 提醒 <编号> …: only a scheduled duty still ahead. */
export function canSetReminders(duty: Pick<Duty, 'state' | 'at'>, now: number): Verdict<ClosedReason> {
  return open(duty, now);
}

/**
 * 催办: not a cancelled duty; a meeting or a study only until its time, a report also after its deadline (late
 * submissions are still taken, src/domain/answers.ts).
 */
export function canNudge(duty: Pick<Duty, 'state' | 'at' | 'kind'>, now: number): Verdict<ClosedReason> {
  if (duty.state === 'cancelled') return refuse('cancelled');
  if (duty.at <= now && duty.kind !== 'report') return refuse('over');
  return OK;
}

/** A new duty's time, or a duty's new time: a real time, ahead, and within MAX_AHEAD_MS. */
export function checkNewTime(at: number, now: number): Verdict<NewTimeReason> {
  if (!Number.isFinite(at) || at > now + MAX_AHEAD_MS) return refuse('too-far');
  if (at <= now) return refuse('passed');
  return OK;
}
