import { computeTally } from './tally';
import type { Answer, Duty } from './types';

/**
 * Who came to a duty (issue 14): the one attendance type the record page (记录 #7), the ledger (台账), the sign-in
 * summary and the statistics share. Read from the sign-ins (签到, src/domain/signin.ts `computeAttendance`) when
 * the meeting used them, else from the RSVP answers (`attendanceFromAnswers`, shown as 报名).
 */

/** One person in a list: their id, name, the reason given (请假, 缺席) and, when present, whether they came late. */
export interface AttendanceEntry {
  readonly memberId: string;
  readonly name: string;
  /** A leave's or an absence's reason. */
  readonly reason?: string;
  /** Signed in more than 10 minutes after the start (迟到). */
  readonly late?: boolean;
}

/** 应到 / 实到 / 请假 / 缺席 / 迟到 of one duty, with names, and where they were read from. */
export interface Attendance {
  /** The sign-ins when the meeting used them, else the RSVP answers (参加 / 请假). */
  readonly source: 'rsvp' | 'signin';
  /** 应到: the audience (and, from sign-ins with an open audience, whoever signed in). */
  readonly expected: readonly AttendanceEntry[];
  readonly present: readonly AttendanceEntry[];
  readonly leave: readonly AttendanceEntry[];
  readonly absent: readonly AttendanceEntry[];
  readonly late: readonly AttendanceEntry[];
}

/**
 * Attendance read from the RSVP answers (what exists before sign-in): 实到 = said 参加, 请假 = asked leave, 缺席 =
 * neither; nobody is 迟到. For a report, 实到 = submitted, 迟到 = submitted after the deadline, 缺席 = not submitted.
 * A cancelled duty expects nobody.
 */
export function attendanceFromAnswers(duty: Duty, answers: ReadonlyMap<string, Answer>, names: ReadonlyMap<string, string>): Attendance {
  const none: readonly AttendanceEntry[] = [];
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
export function attendanceLine(a: Pick<Attendance, 'expected' | 'present' | 'leave' | 'absent' | 'late'>): string {
  return `应到 ${a.expected.length} · 实到 ${a.present.length} · 请假 ${a.leave.length} · 缺席 ${a.absent.length} · 迟到 ${a.late.length}`;
}
