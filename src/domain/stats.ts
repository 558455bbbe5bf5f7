import type { Answer, Duty, DutyKind } from './types';

/**
 * Statistics of a chat over a period, for the assessment (考核). Pure: duties, their answers and the names in,
 * numbers out.
 *
 * - A meeting or study session is *expected* of a member when its time has passed, it was not cancelled and the
 *   member is in its audience. Attended = answered 参加; leave (请假) is counted apart from absence (缺席, no answer);
 *   the attendance rate is attended ÷ expected.
 * - A report is *due* once its deadline has passed (not cancelled): each member of its audience submitted on time,
 *   submitted late (after the deadline, marked late), or is missing.
 * - Answers from outside a duty's audience never count.
 */

export interface DutyWithAnswers {
  readonly duty: Duty;
  readonly answers: ReadonlyMap<string, Answer>;
  /**
   * Set when the meeting used sign-in (签到): `answers` are then the attendance read from the sign-ins
   * (src/domain/signin.ts `answersFromSignins`) and these are the RSVP answers, reported as 报名.
   */
  readonly signups?: ReadonlyMap<string, Answer>;
}

/** cancelled: not counted; upcoming: its time (or deadline) is still ahead; past: counted. */
export type DutyPhase = 'cancelled' | 'upcoming' | 'past';

export interface DutyStats {
  readonly duty: Duty;
  readonly phase: DutyPhase;
  readonly audience: number;
  /** Meetings and study sessions: 参加, 请假. */
  readonly attending: number;
  readonly leave: number;
  /** No answer: 未回复 (after the time of a meeting: absent; after a deadline: missing). */
  readonly pending: number;
  /** Reports: submitted before the deadline, and after it. */
  readonly onTime: number;
  readonly late: number;
  /** A meeting that used sign-in: the members who had answered 参加 (报名); its other figures come from sign-ins. */
  readonly signups?: number;
}

export interface MemberStats {
  readonly memberId: string;
  readonly name: string;
  readonly expected: number;
  readonly attended: number;
  readonly leave: number;
  readonly absent: number;
  readonly reportsDue: number;
  readonly onTime: number;
  readonly late: number;
  readonly missing: number;
}

export type Counts = Omit<MemberStats, 'memberId' | 'name'>;

export interface StatsTotals extends Counts {
  readonly duties: number;
  readonly byKind: Readonly<Record<DutyKind, number>>;
  readonly cancelled: number;
  readonly upcoming: number;
}

export interface PeriodStats {
  /** In time order. */
  readonly duties: readonly DutyStats[];
  /** Everyone in the audience of a duty not cancelled, by name (pinyin order). */
  readonly members: readonly MemberStats[];
  readonly totals: StatsTotals;
}

export const isReport = (duty: Duty): boolean => duty.kind === 'report';

export function dutyPhase(duty: Duty, now: number): DutyPhase {
  if (duty.state === 'cancelled') return 'cancelled';
  return duty.at <= now ? 'past' : 'upcoming';
}

/** The answer of a member of the audience, or undefined (no answer, or not in the audience). */
export function answerOf(item: DutyWithAnswers, memberId: string): Answer | undefined {
  return item.duty.audience.includes(memberId) ? item.answers.get(memberId) : undefined;
}

export function dutyStats(item: DutyWithAnswers, now: number): DutyStats {
  const { duty } = item;
  let attending = 0;
  let leave = 0;
  let onTime = 0;
  let late = 0;
  for (const memberId of new Set(duty.audience)) {
    const answer = item.answers.get(memberId);
    if (!answer) continue;
    if (isReport(duty) && answer.status === 'submitted') {
      if (answer.late === true) late += 1;
      else onTime += 1;
    } else if (!isReport(duty) && answer.status === 'attending') attending += 1;
    else if (!isReport(duty) && answer.status === 'leave') leave += 1;
  }
  const audience = new Set(duty.audience).size;
  const answered = isReport(duty) ? onTime + late : attending + leave;
  const signups = item.signups ? duty.audience.filter((id) => item.signups?.get(id)?.status === 'attending').length : undefined;
  return { duty, phase: dutyPhase(duty, now), audience, attending, leave, pending: audience - answered, onTime, late, ...(signups === undefined ? {} : { signups }) };
}

const ZERO: Counts = { expected: 0, attended: 0, leave: 0, absent: 0, reportsDue: 0, onTime: 0, late: 0, missing: 0 };

/** What one duty adds to one member's counts (zero unless it is past and the member is in its audience). */
export function memberDelta(item: DutyWithAnswers, memberId: string, now: number): Counts {
  if (dutyPhase(item.duty, now) !== 'past' || !item.duty.audience.includes(memberId)) return ZERO;
  const answer = answerOf(item, memberId);
  if (isReport(item.duty)) {
    const submitted = answer?.status === 'submitted';
    return { ...ZERO, reportsDue: 1, onTime: submitted && !answer.late ? 1 : 0, late: submitted && answer.late === true ? 1 : 0, missing: submitted ? 0 : 1 };
  }
  const status = answer?.status;
  return { ...ZERO, expected: 1, attended: status === 'attending' ? 1 : 0, leave: status === 'leave' ? 1 : 0, absent: status === 'attending' || status === 'leave' ? 0 : 1 };
}

const add = (a: Counts, b: Counts): Counts => ({
  expected: a.expected + b.expected,
  attended: a.attended + b.attended,
  leave: a.leave + b.leave,
  absent: a.absent + b.absent,
  reportsDue: a.reportsDue + b.reportsDue,
  onTime: a.onTime + b.onTime,
  late: a.late + b.late,
  missing: a.missing + b.missing,
});

const collator = new Intl.Collator('zh-Hans-CN');

/** Pinyin order of names (陈, 李, 刘, 王, 张, 赵), then ids: the same order whatever the store returns. */
export const byName = (a: { name: string; memberId: string }, b: { name: string; memberId: string }): number =>
  collator.compare(a.name, b.name) || (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0);

export function computeStats(items: readonly DutyWithAnswers[], names: ReadonlyMap<string, string>, now: number): PeriodStats {
  const sorted = [...items].sort((a, b) => a.duty.at - b.duty.at || a.duty.number - b.duty.number);
  const memberIds = new Set<string>();
  for (const item of sorted) if (item.duty.state !== 'cancelled') for (const id of item.duty.audience) memberIds.add(id);

  const members: MemberStats[] = [...memberIds].map((memberId) => {
    const counts = sorted.reduce((acc, item) => add(acc, memberDelta(item, memberId, now)), ZERO);
    return { memberId, name: nameOf(memberId, names, sorted), ...counts };
  });
  members.sort(byName);

  const duties = sorted.map((item) => dutyStats(item, now));
  const byKind: Record<DutyKind, number> = { meeting: 0, study: 0, report: 0 };
  for (const d of duties) byKind[d.duty.kind] += 1;
  return {
    duties,
    members,
    totals: {
      ...members.reduce<Counts>((acc, m) => add(acc, m), ZERO),
      duties: duties.length,
      byKind,
      cancelled: duties.filter((d) => d.phase === 'cancelled').length,
      upcoming: duties.filter((d) => d.phase === 'upcoming').length,
    },
  };
}

/** The roster's name; else the organizer's name when the member organised a duty; else the id. */
export function nameOf(memberId: string, names: ReadonlyMap<string, string>, items: readonly DutyWithAnswers[]): string {
  return names.get(memberId) ?? items.find((i) => i.duty.organizer.id === memberId)?.duty.organizer.name ?? memberId;
}

/** `66.7%`, `100%`, `0%`; `—` when nothing was expected. One decimal, rounded half up. */
export function formatRate(part: number, whole: number): string {
  if (whole <= 0) return '—';
  const tenths = Math.round((part * 1000) / whole);
  return `${tenths % 10 === 0 ? tenths / 10 : (tenths / 10).toFixed(1)}%`;
}
