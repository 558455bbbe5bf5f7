/**
 * 积分 (issue 15) as pure rules: the entries one duty's records earn each member, and a member's total with the
 * monthly cap. Points are derived from the records every time (never a counter that can drift): sign-ins and
 * leave (src/domain/signin.ts), RSVP where sign-in was not used, report answers, and the minutes.
 */
import { zonedParts } from '../time/zoned';
import { categoryOf, endOf, type Category } from './categories';
import type { Minutes } from './minutes';
import { recorderOf } from './minutes';
import { RULE_WORDS, type PointsRuleKey, type PointsRules } from './points-rules';
import type { SigninRecord } from './signin';
import type { Answer, Duty } from './types';

/** What the store holds of one duty for the members asked about (src/store/points-reads.ts). */
export interface DutyFacts {
  readonly duty: Duty;
  /** Answers of the members asked about (all of them for a ranking). */
  readonly answers: ReadonlyMap<string, Answer>;
  readonly signins: ReadonlyMap<string, SigninRecord>;
  /** Sign-in was used at this meeting: a code was asked for, or anyone has a record. */
  readonly signinUsed: boolean;
  readonly minutes?: Minutes;
  /** Minutes filed by then are on time: the first minutes reminder (src/domain/minutes.ts minutesPoints). */
  readonly minutesDueBy?: number;
}

/** One line of a member's points: the duty it came from, the rule and the points. */
export interface PointsEntry {
  readonly memberId: string;
  readonly dutyId: string;
  readonly number: number;
  readonly title: string;
  readonly category: Category;
  readonly at: number;
  readonly rule: PointsRuleKey;
  /** `签到`, `报名参加（未签到）`, `纪要按时`, … */
  readonly label: string;
  readonly points: number;
}

const entry = (duty: Duty, memberId: string, rule: PointsRuleKey, rules: PointsRules, label: string = RULE_WORDS[rule]): PointsEntry => ({
  memberId,
  dutyId: duty.id,
  number: duty.number,
  title: duty.title,
  category: categoryOf(duty),
  at: duty.at,
  rule,
  label,
  points: rules[rule],
});

/**
 * The entries one duty earns `members` at `now`. A cancelled duty earns nothing. A meeting or study session counts
 * once it has ended (start + 时长), for its audience (with an open audience, for whoever answered or signed in):
 * from the sign-ins where it used them (present → 签到 or 迟到; marked absent → 缺席; else 请假 when asked, else
 * 缺席), else from the RSVP (参加 → 签到 as 报名参加, 请假, no answer → 缺席). Its recorder earns 纪要按时 when they
 * filed the minutes themselves by `minutesDueBy`. A report earns 报告按时 / 报告逾期 once submitted, 报告未交 once its
 * deadline has passed without it.
 */
export function dutyEntries(facts: DutyFacts, members: readonly string[], rules: PointsRules, now: number): PointsEntry[] {
  const { duty } = facts;
  if (duty.state === 'cancelled') return [];
  const out: PointsEntry[] = [];
  for (const memberId of members) {
    const answer = facts.answers.get(memberId);
    const record = facts.signins.get(memberId);
    const counted = duty.audience.includes(memberId) || (duty.audienceOpen === true && (answer !== undefined || record !== undefined));
    if (duty.kind === 'report') {
      if (!counted) continue;
      if (answer?.status === 'submitted') out.push(entry(duty, memberId, answer.late === true ? 'reportLate' : 'reportOnTime', rules));
      else if (now >= duty.at) out.push(entry(duty, memberId, 'reportMissing', rules));
      continue;
    }
    if (endOf(duty) > now) continue;
    const attends = counted || record?.status === 'present';
    if (attends) out.push(attendanceEntry(facts, memberId, answer, record, rules));
    const minutes = facts.minutes;
    if (recorderOf(duty).id === memberId && minutes?.by.id === memberId && facts.minutesDueBy !== undefined && minutes.at <= facts.minutesDueBy) {
      out.push(entry(duty, memberId, 'minutesOnTime', rules));
    }
  }
  return out;
}

function attendanceEntry(facts: DutyFacts, memberId: string, answer: Answer | undefined, record: SigninRecord | undefined, rules: PointsRules): PointsEntry {
  const { duty } = facts;
  if (facts.signinUsed) {
    if (record?.status === 'present') return entry(duty, memberId, record.late === true ? 'late' : 'signin', rules);
    if (record?.status !== 'absent' && answer?.status === 'leave') return entry(duty, memberId, 'leave', rules);
    return entry(duty, memberId, 'absent', rules, record?.status === 'absent' ? '缺席（书记登记）' : '缺席（未签到）');
  }
  if (answer?.status === 'attending') return entry(duty, memberId, 'signin', rules, '报名参加（未使用签到）');
  if (answer?.status === 'leave') return entry(duty, memberId, 'leave', rules);
  return entry(duty, memberId, 'absent', rules, '缺席（未报名）');
}

/** One calendar month of a member's points: what the entries add up to, and what counts after the cap. */
export interface MonthPoints {
  /** `2026年11月`. */
  readonly title: string;
  readonly raw: number;
  readonly counted: number;
}

export interface PointsSummary {
  readonly total: number;
  /** Sum of the entries before the cap. */
  readonly raw: number;
  readonly months: readonly MonthPoints[];
  readonly entries: readonly PointsEntry[];
}

/**
 * A member's total: each calendar month (in `timeZone`, by the duty's time) counts for at most `monthlyCap`; a month
 * below zero counts as it is. Entries oldest first.
 */
export function summarize(entries: readonly PointsEntry[], rules: Pick<PointsRules, 'monthlyCap'>, timeZone: string): PointsSummary {
  const sorted = [...entries].sort((a, b) => a.at - b.at || a.number - b.number);
  const months = new Map<string, number>();
  for (const e of sorted) {
    const p = zonedParts(e.at, timeZone);
    const title = `${p.year}年${p.month}月`;
    months.set(title, (months.get(title) ?? 0) + e.points);
  }
  const list = [...months].map(([title, raw]) => ({ title, raw, counted: Math.min(raw, rules.monthlyCap) }));
  return {
    total: list.reduce((s, m) => s + m.counted, 0),
    raw: list.reduce((s, m) => s + m.raw, 0),
    months: list,
    entries: sorted,
  };
}

/** `+2`, `0`, `-2`. */
export const signed = (n: number): string => (n > 0 ? `+${n}` : String(n));
