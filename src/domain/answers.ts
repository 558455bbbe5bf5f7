import { KINDS, STATUS_NAMES } from './duty-kinds';
import type { Answer, AnswerStatus, Duty } from './types';

/** Why an answer is refused; each maps to a short notice for the member. `replayed` is the store's: a click taken before. */
export type AnswerRefusal = 'cancelled' | 'done' | 'passed' | 'not-in-audience' | 'wrong-kind' | 'reason-required' | 'reason-too-long' | 'unchanged' | 'replayed' | 'stale';

export type AnswerDecision =
  | { readonly ok: true; readonly answer: Answer; readonly previous: AnswerStatus; readonly joins?: boolean }
  | { readonly ok: false; readonly refusal: AnswerRefusal; readonly message: string };

export const MAX_REASON_LENGTH = 200;

/** The refusal of a click delivered again (the store finds its claim taken). */
export const REPLAYED: AnswerDecision = { ok: false, refusal: 'replayed', message: '这次点击已处理过。' };

/** The refusal of an action older than the member's current answer (a late redelivery or a replay). */
export const STALE_MESSAGE = '这次操作早于你最近的回复，未生效。';

/**
 * Decide whether a member may give an answer now. Pure: the store applies the result atomically.
 * A member may change the answer until the time passes. A report may still be submitted after its deadline:
 * the answer is kept and marked late (it counts as late, not on time, in statistics).
 * `actedAt` is when the member acted, as the platform says: an action older than the one that gave the current
 * answer is refused, however it arrives (a captured click replayed under a new id, or after its id was forgotten).
 * An action with the very same time is most likely the one that gave the current answer: it goes on to the usual
 * checks, where it changes nothing (`unchanged`). Times are compared only when both come from the platform (one clock).
 */
export function decideAnswer(
  duty: Duty,
  memberId: string,
  status: Exclude<AnswerStatus, 'pending'>,
  current: Answer | undefined,
  now: number,
  reason?: string,
  actedAt?: number,
): AnswerDecision {
  const refuse = (refusal: AnswerRefusal, message: string): AnswerDecision => ({ ok: false, refusal, message });
  if (actedAt !== undefined && current?.actedAt !== undefined && actedAt < current.actedAt) return refuse('stale', STALE_MESSAGE);
  if (duty.state === 'cancelled') return refuse('cancelled', `#${duty.number} 已取消，无需再回复。`);
  const lateReport = now >= duty.at && duty.kind === 'report' && status === 'submitted';
  if (duty.state === 'done' && !lateReport) return refuse('done', `#${duty.number} 已结束。`);
  if (now >= duty.at && !lateReport) return refuse('passed', `#${duty.number} 已过时间，不能再更改回复。`);
  const joins = !duty.audience.includes(memberId);
  if (joins && !duty.audienceOpen) return refuse('not-in-audience', `你不在 #${duty.number} 的参与名单中，无需回复。`);
  if (!KINDS[duty.kind].answers.includes(status)) {
    const allowed = KINDS[duty.kind].answers.map((s) => STATUS_NAMES[s]).join('、');
    return refuse('wrong-kind', `#${duty.number} 是${KINDS[duty.kind].name}，请回复：${allowed}。`);
  }
  const trimmed = reason?.trim();
  // Never cut silently (issue 17 "Replies"): a reason over the limit is refused with the limit, nothing stored.
  const length = [...(trimmed ?? '')].length;
  if (status === 'leave' && length > MAX_REASON_LENGTH) {
    return refuse('reason-too-long', `请假原因最多 ${MAX_REASON_LENGTH} 字（这次写了 ${length} 字），请精简后再发，回复没有更改。`);
  }
  if (status === 'leave' && !trimmed) return refuse('reason-required', `请假请说明原因，例如：请假 #${duty.number} 外出开会`);
  const previous: AnswerStatus = current?.status ?? 'pending';
  if (current && current.implied !== true && current.status === status && (current.reason ?? '') === (status === 'leave' ? trimmed : '')) {
    return refuse('unchanged', `你已回复「${STATUS_NAMES[status]}」。`);
  }
  if (lateReport && current?.status === 'submitted') return refuse('unchanged', `你已提交 #${duty.number}。`);
  const base = actedAt === undefined ? { memberId, status, at: now } : { memberId, status, at: now, actedAt };
  const answer: Answer = status === 'leave' ? { ...base, reason: trimmed } : lateReport ? { ...base, late: true } : base;
  return joins ? { ok: true, answer, previous, joins } : { ok: true, answer, previous };
}

/**
 * The answer a new duty starts with (issue 17): its organizer attends their own meeting or study session unless they
 * answer otherwise — not 未回复 on the card, nudged, or 缺席 in the statistics. Only when they are in its audience.
 */
export function impliedAnswer(duty: Pick<Duty, 'kind' | 'organizer' | 'audience'>, now: number): Answer | undefined {
  if (!KINDS[duty.kind].answers.includes('attending') || !duty.audience.includes(duty.organizer.id)) return undefined;
  return { memberId: duty.organizer.id, status: 'attending', at: now, implied: true };
}

export function answerToast(duty: Duty, answer: Answer): string {
  switch (answer.status) {
    case 'attending':
      return `已确认参加 #${duty.number}`;
    case 'leave':
      return `已请假 #${duty.number}（${answer.reason ?? ''}）`;
    case 'submitted':
      return answer.late ? `已登记提交 #${duty.number}（已过截止时间，记为逾期）` : `已登记提交 #${duty.number}`;
  }
}
