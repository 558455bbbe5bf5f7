import { addDays, zonedParts } from '../time/zoned';
import type { PeriodUnit } from './compliance';
import type { QuietContext } from './quiet-hours';
import { namedPeriod, type StatsPeriod } from './stats-period';

type Day = { year: number; month: number; day: number };

/** Working days from today to the period's last day, both counted (the last working day of the period is 1). */
export function workdaysLeft(now: number, period: StatsPeriod, isWorkday: (d: Day) => boolean, timeZone: string): number {
  const today = zonedParts(now, timeZone);
  const last = zonedParts(period.to, timeZone);
  const key = (d: Day): number => d.year * 10000 + d.month * 100 + d.day;
  let n = 0;
  for (let d: Day = { year: today.year, month: today.month, day: today.day }, i = 0; key(d) <= key(last) && i < 400; d = addDays(d, 1), i++) {
    if (isWorkday(d)) n += 1;
  }
  return n;
}

/** Parsed COMPLIANCE_WARN_DAYS (`5,2`): working days before a period's end, largest first. */
export function parseWarnDays(text: string): number[] | undefined {
  const days = text.split(/[,，\s]+/).filter(Boolean).map(Number);
  if (days.length === 0 || days.some((d) => !Number.isInteger(d) || d < 1 || d > 60)) return undefined;
  return [...new Set(days)].sort((a, b) => b - a);
}

/** Whether `t` is in the chat's quiet hours or on a day off (a warning is no duty: no exception applies). */
export function quietNow(t: number, ctx: QuietContext): boolean {
  const p = zonedParts(t, ctx.timeZone);
  if (!ctx.isWorkday(p)) return true;
  if (!ctx.quiet.enabled) return false;
  const m = p.hour * 60 + p.minute;
  const q = ctx.quiet;
  return q.start > q.end ? m >= q.start || m < q.end : m >= q.start && m < q.end;
}

/**
 * The periods whose early warning is due now: for each period unit, the current period when the working days left
 * are one of `warnDays` (and today is a working day). Pure.
 */
export function duePeriods(now: number, warnDays: readonly number[], isWorkday: (d: Day) => boolean, timeZone: string): { unit: PeriodUnit; period: StatsPeriod; left: number }[] {
  if (!isWorkday(zonedParts(now, timeZone))) return [];
  return (['month', 'quarter', 'year'] as const).flatMap((unit) => {
    const period = namedPeriod(unit, 0, now, timeZone);
    const left = workdaysLeft(now, period, isWorkday, timeZone);
    return warnDays.includes(left) ? [{ unit, period, left }] : [];
  });
}
