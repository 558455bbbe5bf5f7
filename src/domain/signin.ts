/**
 * Sign-in (签到) at a meeting or study session, as pure rules (issue 14): when it is open, who is late, how a code
 * is checked, and the attendance summary the chat gets at the end. No I/O; the store keeps the records
 * (src/store/signin-repo.ts), src/app/signin-service.ts applies these rules.
 */
import { formatDateTime } from '../time/format';
import { endOf } from './categories';
import { attendanceLine, type Attendance, type AttendanceEntry } from './attendance';
import type { Answer, Duty } from './types';

/** The window opens this long before the start… */
export const SIGNIN_OPENS_BEFORE_MS = 30 * 60_000;
/** …and a sign-in more than this long after the start is 迟到. */
export const LATE_AFTER_MS = 10 * 60_000;
/** Wrong codes one member may give before code sign-in is closed to them for that meeting (a secretary can 补签). */
export const MAX_WRONG_CODES = 5;

/** How a member came to be marked present or absent. */
export type SigninHow = 'text' | 'button' | 'code' | 'corrected';

/**
 * One member's attendance as recorded: present (signed in, or 补签 by a secretary) or absent (缺席 marked by a
 * secretary, with the reason). A member with no record is absent unless on leave.
 */
export interface SigninRecord {
  readonly status: 'present' | 'absent';
  readonly at: number;
  /** Present more than LATE_AFTER_MS after the start. */
  readonly late?: boolean;
  /** Who recorded it: the member themself, or the secretary who corrected it. */
  readonly by: string;
  readonly how: SigninHow;
  /** 缺席 #7 @某人 <原因>. */
  readonly reason?: string;
}

export interface SigninWindow {
  readonly opens: number;
  readonly closes: number;
}

/** From 30 minutes before the start until the end (start + 时长). */
export function signinWindow(duty: Pick<Duty, 'kind' | 'at' | 'durationMinutes'>): SigninWindow {
  return { opens: duty.at - SIGNIN_OPENS_BEFORE_MS, closes: endOf(duty) };
}

/** Whether the card shows its 签到 button at `now`. */
export function signinOpen(duty: Pick<Duty, 'kind' | 'at' | 'durationMinutes' | 'state'>, now: number): boolean {
  if (duty.kind === 'report' || duty.state === 'cancelled') return false;
  const w = signinWindow(duty);
  return now >= w.opens && now < w.closes;
}

export const isLate = (duty: Pick<Duty, 'at'>, at: number): boolean => at > duty.at + LATE_AFTER_MS;

export type SigninRefusal = 'report' | 'cancelled' | 'not-open' | 'closed' | 'not-member';

/** Whether `memberId` may sign in to `duty` at `now` (by themself; a secretary's 补签 skips the window). */
export function checkSignin(duty: Duty, memberId: string, now: number): SigninRefusal | undefined {
  if (duty.kind === 'report') return 'report';
  if (duty.state === 'cancelled') return 'cancelled';
  if (!duty.audienceOpen && !duty.audience.includes(memberId)) return 'not-member';
  const w = signinWindow(duty);
  if (now < w.opens) return 'not-open';
  if (now >= w.closes) return 'closed';
  return undefined;
}

/** The refusal in the words users see. */
export function signinRefusalText(reason: SigninRefusal, duty: Duty, timeZone: string, now: number): string {
  const n = `#${duty.number}`;
  const w = signinWindow(duty);
  switch (reason) {
    case 'report':
      return `${n} 是报告类事项，不需要签到。提交请回复「已提交 ${n}」。`;
    case 'cancelled':
      return `${n} 已取消，不能签到。`;
    case 'not-member':
      return `你不在 ${n} 的参会名单中，不能签到。如有疑问请联系党务管理员补签。`;
    case 'not-open':
      return `${n} 还没到签到时间：${formatDateTime(w.opens, timeZone, now)} 开始签到（开始前30分钟）。`;
    case 'closed':
      return `${n} 已结束（${formatDateTime(w.closes, timeZone, now)}），签到已关闭。如需补签请联系党务管理员。`;
  }
}

export type CodeVerdict = 'ok' | 'missing' | 'malformed' | 'wrong' | 'locked';

/** Four digits, as the organizer got them. */
export const CODE_PATTERN = /^\d{4}$/;

/**
 * A code given against the duty's. `wrongSoFar`: this member's wrong codes already counted; at MAX_WRONG_CODES
 * they are locked out of code sign-in for this meeting, whatever they give.
 */
export function checkCode(given: string | undefined, expected: string, wrongSoFar: number): CodeVerdict {
  if (wrongSoFar >= MAX_WRONG_CODES) return 'locked';
  if (given === undefined || given === '') return 'missing';
  if (!CODE_PATTERN.test(given)) return 'malformed';
  return given === expected ? 'ok' : 'wrong';
}

/** The answer to a code that was not accepted; `wrongNow` counts the wrong code just given. */
export function codeRefusalText(verdict: Exclude<CodeVerdict, 'ok'>, duty: Pick<Duty, 'number'>, wrongNow = 0): string {
  const n = `#${duty.number}`;
  switch (verdict) {
    case 'missing':
      return `${n} 需要签到码：请回复「签到 ${n} 四位签到码」，签到码请向发起人索取。`;
    case 'malformed':
      return `签到码是4位数字，例如：签到 ${n} 4821`;
    case 'wrong': {
      const left = MAX_WRONG_CODES - wrongNow;
      return left > 0 ? `签到码不对，还可以再试 ${left} 次。` : `签到码错误已达 ${MAX_WRONG_CODES} 次，本次会议不能再用签到码签到，请联系党务管理员补签。`;
    }
    case 'locked':
      return `签到码错误已达 ${MAX_WRONG_CODES} 次，本次会议不能再用签到码签到，请联系党务管理员补签。`;
  }
}

/**
 * Whether a meeting used sign-in: at least one member signed in, or a secretary recorded someone (补签, 缺席). Its
 * attendance is then read from the sign-ins everywhere (the summary at the end, the record page, the ledger,
 * statistics); else from the RSVP answers. The 签到 button is on every meeting's card, so its presence says nothing.
 */
export const usedSignin = (records: ReadonlyMap<string, SigninRecord>): boolean => records.size > 0;

/**
 * Who came: present when signed in (a member on leave who comes is present); on leave when they asked leave (请假)
 * and did not come; absent otherwise (marked 缺席 with a reason, or neither signed in nor asked leave).
 */
export function computeAttendance(
  duty: Pick<Duty, 'audience'>,
  records: ReadonlyMap<string, SigninRecord>,
  answers: ReadonlyMap<string, Answer>,
  names: ReadonlyMap<string, string>,
): Attendance {
  const ids = [...duty.audience];
  for (const [id, r] of records) if (r.status === 'present' && !ids.includes(id)) ids.push(id);
  const expected: AttendanceEntry[] = [];
  const present: AttendanceEntry[] = [];
  const leave: AttendanceEntry[] = [];
  const absent: AttendanceEntry[] = [];
  for (const memberId of ids) {
    const name = names.get(memberId) ?? memberId;
    const record = records.get(memberId);
    const answer = answers.get(memberId);
    expected.push({ memberId, name });
    if (record?.status === 'present') present.push({ memberId, name, ...(record.late ? { late: true } : {}) });
    else if (record?.status === 'absent') absent.push({ memberId, name, ...(record.reason ? { reason: record.reason } : {}) });
    else if (answer?.status === 'leave') leave.push({ memberId, name, ...(answer.reason ? { reason: answer.reason } : {}) });
    else absent.push({ memberId, name });
  }
  return { source: 'signin', expected, present, leave, absent, late: present.filter((e) => e.late) };
}

const listed = (entries: readonly AttendanceEntry[], note: (e: AttendanceEntry) => string | undefined): string =>
  entries.length === 0 ? '无' : entries.map((e) => (note(e) ? `${e.name}（${note(e) ?? ''}）` : e.name)).join('、');

/** The attendance summary posted at the end, with names and reasons. */
export function attendanceSummary(duty: Pick<Duty, 'number' | 'title'>, a: Attendance): string {
  return [
    `📋 #${duty.number}「${duty.title}」签到结果：${attendanceLine(a)}`,
    `实到：${listed(a.present, (e) => (e.late ? '迟到' : undefined))}`,
    `请假：${listed(a.leave, (e) => e.reason)}`,
    `缺席：${listed(a.absent, (e) => e.reason)}`,
  ].join('\n');
}

/**
 * The answers statistics count for a meeting that used sign-in (统计, report pages, exports): present (signed in,
 * or 补签) counts as 参加, a leave asked and not come as 请假, anyone else as absent (no answer). The RSVP answers
 * stay as they were, reported apart as 报名 (src/app/stats-service.ts).
 */
export function answersFromSignins(
  duty: Pick<Duty, 'audience'>,
  records: ReadonlyMap<string, SigninRecord>,
  answers: ReadonlyMap<string, Answer>,
): Map<string, Answer> {
  const out = new Map<string, Answer>();
  for (const memberId of duty.audience) {
    const record = records.get(memberId);
    const answer = answers.get(memberId);
    if (record?.status === 'present') out.set(memberId, { memberId, status: 'attending', at: record.at });
    else if (record?.status !== 'absent' && answer?.status === 'leave') out.set(memberId, answer);
  }
  return out;
}
