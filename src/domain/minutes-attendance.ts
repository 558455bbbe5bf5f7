import { computeTally, type TallyEntry } from './tally';
import type { Answer, Duty } from './types';

/** One person on a record page or the ledger: their id, name, and the reason given (请假, 缺席). */
export type AttendancePerson = TallyEntry;

/**
 * 应到 / 实到 / 请假 / 缺席 / 迟到 of one duty, with names. `source` says where it was read from: the sign-ins
 * (签到) when the meeting used them, else the RSVP answers (参加 / 请假), shown as 报名.
 */
export interface Attendance {
  readonly source: 'rsvp' | 'signin';
  readonly expected: readonly AttendancePerson[];
  readonly present: readonly AttendancePerson[];
  readonly leave: readonly AttendancePerson[];
  readonly absent: readonly AttendancePerson[];
  readonly late: readonly AttendancePerson[];
}

/**
 * Attendance read from the RSVP answers (what exists before sign-in): 实到 = said 参加, 请假 = asked leave, 缺席 =
 * neither; nobody is 迟到. For a report, 实到 = submitted, 迟到 = submitted after the deadline, 缺席 = not submitted.
 * A cancelled duty expects nobody.
 */
export function attendanceFromAnswers(duty: Duty, answers: ReadonlyMap<string, Answer>, names: ReadonlyMap<string, string>): Attendance {
  const none: readonly AttendancePerson[] = [];
  if (duty.state === 'cancelled') return { source: 'rsvp', expected: none, present: none, leave: none, absent: none, late: none };
  const tally = computeTally(duty, answers, names);
  const expected = duty.audience.map((memberId) => ({ memberId, name: names.get(memberId) ?? memberId }));
  if (duty.kind === 'report') {
    const late = tally.submitted.filter((e) => answers.get(e.memberId)?.late === true);
    return { source: 'rsvp', expected, present: tally.submitted, leave: none, absent: tally.pending, late };
  }
  return { source: 'rsvp', expected, present: tally.attending, leave: tally.leave, absent: tally.pending, late: none };
}

/** `应到 N · 实到 N · 请假 N · 缺席 N · 迟到 N`. */
export function attendanceLine(a: Attendance): string {
  return `应到 ${a.expected.length} · 实到 ${a.present.length} · 请假 ${a.leave.length} · 缺席 ${a.absent.length} · 迟到 ${a.late.length}`;
}
