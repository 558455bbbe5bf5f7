import { CATEGORIES } from './categories';
import type { ActivityFacts } from './compliance';
import type { DutySummary } from './duty-summary';
import type { PointsRuleKey, PointsRules } from './points-rules';
import { zonedParts } from '../time/zoned';

/**
 * A unit's figures in the committee's circular (通报, issue 15) from its duties' summaries (src/domain/duty-summary.ts),
 * the same figures CircularService computed from the unit's ledger and 积分 ranking: 督查's activities, the
 * attendance sums of the meetings held (LedgerService's member rows), the reports due, and the 积分 average per
 * member (PointsService.chatAverage: each member's months capped at `monthlyCap`, the roster and everyone with an
 * entry counted). Pure.
 */

/** A report whose deadline has passed (not cancelled), with its counts. */
export interface ReportFigures {
  readonly id: string;
  readonly number: number;
  readonly title: string;
  readonly expected: number;
  readonly present: number;
  readonly late: number;
  readonly absent: number;
}

export interface ChatFigures {
  readonly activities: readonly ActivityFacts[];
  readonly attended: number;
  readonly expected: number;
  readonly reports: readonly ReportFigures[];
  readonly pointsAverage: number;
}

export interface FigureContext {
  readonly now: number;
  readonly rules: PointsRules;
  readonly timeZone: string;
  /** The chat's roster (RosterService.audience): every member counts in the average, with or without points. */
  readonly roster: readonly string[];
  /** The first minutes reminder of a meeting ending at `end` (src/domain/minutes.ts minutesPoints). */
  dueBy(end: number): number | undefined;
  /** `2026年3月`: the month an entry at `at` counts in (as summarize() groups them). */
  monthOf(at: number): string;
}

/** `monthOf` for a context: the calendar month in `timeZone` (src/domain/points.ts summarize). */
export const monthTitle = (at: number, timeZone: string): string => {
  const p = zonedParts(at, timeZone);
  return `${p.year}年${p.month}月`;
};

const ORDER = new Map(CATEGORIES.map((c, i) => [c, i]));

/** `summaries` in the period's time order (DutyRepo.listByPeriod), one per duty. */
export function chatFigures(summaries: readonly DutySummary[], ctx: FigureContext): ChatFigures {
  // The ledger's order: by category in the table's order, then by time (LedgerService.ledger groups).
  const ordered = summaries
    .map((s, i) => ({ s, i }))
    .sort((a, b) => (ORDER.get(a.s.category) ?? 0) - (ORDER.get(b.s.category) ?? 0) || a.i - b.i)
    .map(({ s }) => s);
  let attended = 0;
  let expected = 0;
  const reports: ReportFigures[] = [];
  for (const s of ordered) {
    if (s.cancelled || s.at > ctx.now) continue;
    if (s.kind === 'report') reports.push({ id: s.id, number: s.number, title: s.title, expected: s.expected, present: s.present, late: s.late, absent: s.absent });
    else {
      attended += s.present;
      expected += s.expected;
    }
  }
  return {
    activities: ordered.map((s) => ({ category: s.category, at: s.at, end: s.end, cancelled: s.cancelled, signedIn: s.signedIn, minutes: s.minutes })),
    attended,
    expected,
    reports,
    pointsAverage: pointsAverage(summaries, ctx),
  };
}

function pointsAverage(summaries: readonly DutySummary[], ctx: FigureContext): number {
  const months = new Map<string, Map<string, number>>();
  for (const id of ctx.roster) months.set(id, months.get(id) ?? new Map());
  const add = (memberId: string, month: string, points: number): void => {
    let mine = months.get(memberId);
    if (!mine) months.set(memberId, (mine = new Map()));
    mine.set(month, (mine.get(month) ?? 0) + points);
  };
  for (const s of summaries) {
    const month = ctx.monthOf(s.at);
    for (const [rule, members] of Object.entries(s.earned) as [PointsRuleKey, readonly string[]][]) {
      for (const m of members) add(m, month, ctx.rules[rule]);
    }
    if (s.recorder) {
      const due = ctx.dueBy(s.end);
      if (due !== undefined && s.recorder.at <= due) add(s.recorder.id, month, ctx.rules.minutesOnTime);
    }
  }
  let total = 0;
  for (const mine of months.values()) for (const raw of mine.values()) total += Math.min(raw, ctx.rules.monthlyCap);
  return months.size === 0 ? 0 : Math.round((total / months.size) * 10) / 10;
}
