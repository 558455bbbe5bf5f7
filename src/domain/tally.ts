import { KINDS } from './duty-kinds';
import type { Answer, AnswerStatus, Duty, Member } from './types';

export interface TallyEntry {
  readonly memberId: string;
  readonly name: string;
  readonly reason?: string;
}

export interface Tally {
  readonly attending: readonly TallyEntry[];
  readonly leave: readonly TallyEntry[];
  readonly submitted: readonly TallyEntry[];
  readonly pending: readonly TallyEntry[];
}

/**
 * Who is in which state. Names come from the roster; a member who left the chat keeps the id as a name.
 * Answers from outside the audience never count.
 */
export function computeTally(duty: Duty, answers: ReadonlyMap<string, Answer>, names: ReadonlyMap<string, string>): Tally {
  const buckets: Record<AnswerStatus, TallyEntry[]> = { attending: [], leave: [], submitted: [], pending: [] };
  for (const memberId of duty.audience) {
    const answer = answers.get(memberId);
    const name = names.get(memberId) ?? memberId;
    const status: AnswerStatus = answer?.status ?? 'pending';
    buckets[status].push(answer?.reason ? { memberId, name, reason: answer.reason } : { memberId, name });
  }
  return buckets;
}

/** Exactly `参加 N · 请假 N · 未回复 N` (meetings, study) or `已提交 N · 未提交 N` (reports). */
export function tallyLine(duty: Duty, tally: Tally): string {
  if (KINDS[duty.kind].answers.includes('submitted')) {
    return `已提交 ${tally.submitted.length} · 未提交 ${tally.pending.length}`;
  }
  return `参加 ${tally.attending.length} · 请假 ${tally.leave.length} · 未回复 ${tally.pending.length}`;
}

export const namesOf = (members: readonly Member[]): Map<string, string> => new Map(members.map((m) => [m.id, m.name]));
