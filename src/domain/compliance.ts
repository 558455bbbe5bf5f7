import { REQUIREMENT_ROWS, type RequirementRow } from '../../schedules/compliance';
import type { Category } from './categories';
import { namedPeriod, type StatsPeriod } from './stats-period';
import type { UnitLevel } from './units';

/**
 * Compliance (督查, issue 15): what a unit owes in a period, by the requirement rows (schedules/compliance.ts), and
 * what it held, planned and misses. A meeting counts as held when it ended, has at least one sign-in (签到, or a
 * secretary's 补签) and its minutes (纪要) are filed; one scheduled and not yet ended counts as planned. Pure.
 */
export type PeriodUnit = RequirementRow['period'];

/** What is known of one duty of the unit in the period. */
export interface ActivityFacts {
  readonly category: Category;
  readonly at: number;
  readonly end: number;
  readonly cancelled: boolean;
  readonly signedIn: number;
  readonly minutes: boolean;
}

export type ActivityStatus = 'held' | 'planned' | 'incomplete' | 'cancelled';

export function activityStatus(a: ActivityFacts, now: number): ActivityStatus {
  if (a.cancelled) return 'cancelled';
  if (a.end > now) return 'planned';
  return a.signedIn > 0 && a.minutes ? 'held' : 'incomplete';
}

export interface ComplianceRow {
  readonly requirement: RequirementRow;
  /** min × the requirement's periods within the asked one. */
  readonly owes: number;
  readonly held: number;
  readonly planned: number;
  /** Ended but without sign-in or minutes: not counted as held. */
  readonly incomplete: number;
  /** Per sub-period, what is neither held nor planned, summed. */
  readonly missing: number;
}

const SIZE: Readonly<Record<PeriodUnit, number>> = { month: 1, quarter: 3, year: 12 };
const WORD: Readonly<Record<PeriodUnit, string>> = { month: '每月', quarter: '每季度', year: '每年' };
export const periodWord = (u: PeriodUnit): string => WORD[u];

/**
 * The sub-periods already worked out, by unit, period and zone: a 通报 asks the same ones for each of its hundreds of
 * units (bench/README.md, bench:circular). Pure, so a few dozen kept is only a matter of memory.
 */
const SUBS = new Map<string, readonly StatsPeriod[]>();

/** The requirement's periods (months, quarters) that make up `period`. */
export function subPeriods(unit: PeriodUnit, period: StatsPeriod, timeZone: string): readonly StatsPeriod[] {
  const key = `${unit}|${period.from}|${period.to}|${timeZone}`;
  const known = SUBS.get(key);
  if (known) return known;
  if (SUBS.size >= 64) SUBS.clear();
  const out: StatsPeriod[] = [];
  for (let t = period.from; t <= period.to && out.length < 24; ) {
    const sub = namedPeriod(unit, 0, t, timeZone);
    out.push(sub);
    t = sub.to + 1000;
  }
  SUBS.set(key, out);
  return out;
}

/** The rows that apply to a level over a period of `unit` size (a yearly requirement is not asked of a quarter). */
export function requirementsFor(level: UnitLevel, asked: PeriodUnit, rows: readonly RequirementRow[] = REQUIREMENT_ROWS): RequirementRow[] {
  return rows.filter((r) => r.levels.includes(level) && SIZE[r.period] <= SIZE[asked]);
}

export function complianceRows(
  level: UnitLevel,
  asked: PeriodUnit,
  period: StatsPeriod,
  activities: readonly ActivityFacts[],
  now: number,
  timeZone: string,
  rows: readonly RequirementRow[] = REQUIREMENT_ROWS,
): ComplianceRow[] {
  return requirementsFor(level, asked, rows).map((requirement) => {
    const subs = subPeriods(requirement.period, period, timeZone);
    const mine = activities.filter((a) => a.category === requirement.category);
    let held = 0;
    let planned = 0;
    let incomplete = 0;
    let missing = 0;
    for (const sub of subs) {
      const inSub = mine.filter((a) => a.at >= sub.from && a.at <= sub.to).map((a) => activityStatus(a, now));
      const h = inSub.filter((s) => s === 'held').length;
      const p = inSub.filter((s) => s === 'planned').length;
      held += h;
      planned += p;
      incomplete += inSub.filter((s) => s === 'incomplete').length;
      missing += Math.max(0, requirement.min - h - p);
    }
    return { requirement, owes: requirement.min * subs.length, held, planned, incomplete, missing };
  });
}

const NAMED: Readonly<Record<string, { unit: PeriodUnit; back: number }>> = {
  本月: { unit: 'month', back: 0 },
  上月: { unit: 'month', back: 1 },
  本季度: { unit: 'quarter', back: 0 },
  本季: { unit: 'quarter', back: 0 },
  上季度: { unit: 'quarter', back: 1 },
  本年: { unit: 'year', back: 0 },
  本年度: { unit: 'year', back: 0 },
  今年: { unit: 'year', back: 0 },
  去年: { unit: 'year', back: 1 },
};

/** `督查 本季度` read: 本月, 上月, 本季度 (the default), 上季度, 本年, 去年. */
export function readCompliancePeriod(text: string, now: number, timeZone: string): { unit: PeriodUnit; period: StatsPeriod } | undefined {
  const named = NAMED[text.replace(/\s+/g, '') || '本季度'];
  return named ? { unit: named.unit, period: namedPeriod(named.unit, named.back, now, timeZone) } : undefined;
}
