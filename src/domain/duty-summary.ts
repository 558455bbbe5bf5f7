import { z } from 'zod';
import { attendanceFromAnswers, type Attendance } from './attendance';
import { categoryOf, endOf } from './categories';
import type { Minutes } from './minutes';
import { recorderOf } from './minutes';
import { dutyEntries } from './points';
import type { PointsRuleKey, PointsRules } from './points-rules';
import { categorySchema, dutyKindSchema } from './record-schemas';
import type { SigninRecord } from './signin';
import { computeAttendance, usedSignin } from './signin';
import type { Answer, Duty } from './types';

/**
 * What the committee's circular (通报, issue 15) needs of one duty, without its answers and sign-ins: the facts
 * 督查 counts (src/domain/compliance.ts ActivityFacts), the attendance counts of the ledger (src/app/ledger-service.ts:
 * SigninAttendance's reading — sign-ins where the meeting used them, else the RSVP answers), the report counts, and
 * the 积分 rule each member earned (src/domain/points.ts dutyEntries), as rule keys so that the points follow the
 * rules file as it is when read. The 纪要按时 entry is kept apart (`recorder`): it depends on the working calendar,
 * which can change, so it is judged when read.
 *
 * A summary of a duty whose figures no longer depend on `now` (cancelled, or ended: a meeting's end, a report's
 * deadline) is stored next to the duty, tagged with the duty's revision (P:duty:D:rev, bumped in the same script or
 * MULTI by every write of the duty, its answers, sign-ins and minutes): src/store/duty-summary-repo.ts.
 */
export interface DutySummary {
  /** The duty's revision the summary was computed at. */
  readonly rev: number;
  readonly id: string;
  readonly number: number;
  readonly title: string;
  readonly kind: Duty['kind'];
  readonly category: ReturnType<typeof categoryOf>;
  readonly at: number;
  readonly end: number;
  readonly cancelled: boolean;
  /** Present from sign-ins when the attendance came from them, else 0 (ComplianceService.fromLedger). */
  readonly signedIn: number;
  readonly minutes: boolean;
  /** 应到 / 实到 / 缺席 / 迟到 of the attendance (for a report: due / submitted / missing / late). */
  readonly expected: number;
  readonly present: number;
  readonly absent: number;
  readonly late: number;
  /** Members by the rule they earned (without 纪要按时); a member may appear under no rule (not yet counted). */
  readonly earned: Partial<Readonly<Record<PointsRuleKey, readonly string[]>>>;
  /** The recorder filed the minutes themselves, at `at`: 纪要按时 when that is by the first minutes reminder. */
  readonly recorder?: { readonly id: string; readonly at: number };
}

const count = z.number().int().min(0);
const ruleKeySchema = z.enum(['signin', 'late', 'leave', 'absent', 'reportOnTime', 'reportLate', 'reportMissing', 'minutesOnTime'] satisfies PointsRuleKey[]);
/** Rules whose values do not matter: only the entries' rule keys are kept. */
const KEYS_ONLY: PointsRules = { signin: 0, late: 0, leave: 0, absent: 0, reportOnTime: 0, reportLate: 0, reportMissing: 0, minutesOnTime: 0, monthlyCap: 0 };

export const dutySummarySchema: z.ZodType<DutySummary> = z.object({
  rev: count,
  id: z.string(),
  number: count,
  title: z.string(),
  kind: dutyKindSchema,
  category: categorySchema,
  at: z.number(),
  end: z.number(),
  cancelled: z.boolean(),
  signedIn: count,
  minutes: z.boolean(),
  expected: count,
  present: count,
  absent: count,
  late: count,
  earned: z.partialRecord(ruleKeySchema, z.array(z.string())),
  recorder: z.object({ id: z.string(), at: z.number() }).optional(),
});

/** The records a summary is computed from (src/store/points-reads.ts DutyRecords). */
export interface SummaryRecords {
  readonly answers: ReadonlyMap<string, Answer>;
  readonly signins: ReadonlyMap<string, SigninRecord>;
  readonly signinCount: number;
  readonly minutes?: Minutes;
}

/** The duty's figures no longer change with time: cancelled, or over (a meeting ended, a report's deadline passed). */
export const settled = (s: Pick<DutySummary, 'cancelled' | 'end'>, now: number): boolean => s.cancelled || s.end <= now;

const NO_NAMES: ReadonlyMap<string, string> = new Map();

/** The attendance as the ledger reads it (src/app/signin-attendance.ts): names do not matter for the counts. */
function attendanceOf(duty: Duty, r: SummaryRecords): Attendance {
  if (duty.kind === 'report' || duty.state === 'cancelled' || !usedSignin(r.signins)) return attendanceFromAnswers(duty, r.answers, NO_NAMES);
  return computeAttendance(duty, r.signins, r.answers, NO_NAMES);
}

/** The summary of `duty` at `now` from its records, tagged with `rev` (the revision read before the records). */
export function summarizeDuty(duty: Duty, r: SummaryRecords, rev: number, now: number): DutySummary {
  const a = attendanceOf(duty, r);
  // PointsService.ranking's facts and members: the audience and whoever answered or signed in.
  const facts = { duty, answers: r.answers, signins: r.signins, signinUsed: duty.signinCode === true || r.signinCount > 0 };
  const who = [...new Set([...duty.audience, ...r.answers.keys(), ...r.signins.keys()])];
  const earned: Partial<Record<PointsRuleKey, string[]>> = {};
  for (const e of dutyEntries(facts, who, KEYS_ONLY, now)) (earned[e.rule] ??= []).push(e.memberId);
  const rec = recorderOf(duty);
  // dutyEntries gives 纪要按时 to the recorder, among `who`, of an ended meeting whose minutes they filed themselves.
  const recorderEarns = duty.kind !== 'report' && duty.state !== 'cancelled' && endOf(duty) <= now && who.includes(rec.id) && r.minutes?.by.id === rec.id;
  return {
    rev,
    id: duty.id,
    number: duty.number,
    title: duty.kind === 'report' ? duty.title : '',
    kind: duty.kind,
    category: categoryOf(duty),
    at: duty.at,
    end: endOf(duty),
    cancelled: duty.state === 'cancelled',
    signedIn: a.source === 'signin' ? a.present.length : 0,
    minutes: r.minutes !== undefined,
    expected: a.expected.length,
    present: a.present.length,
    absent: a.absent.length,
    late: a.late.length,
    earned,
    ...(recorderEarns && r.minutes ? { recorder: { id: rec.id, at: r.minutes.at } } : {}),
  };
}
