/**
 * The dates a recurrence rule names, before any 顺延/提前, ascending from a start date.
 * Generators stop after LAST_RULE_YEAR so a rule that matches nothing (每月第23个工作日) cannot spin forever.
 */
import type { WorkingCalendar } from './calendar';
import type { CalendarDate } from './date-part';
import { dayNumber, fromDayNumber, parseIsoDate } from './iso-date';
import type { RecurrenceRule } from './recurrence-rule';
import { daysInMonth, weekdayOf } from './zoned';

/** Occurrences are computed up to the end of this year (the lunar tables behind the calendar end in 2100). */
export const LAST_RULE_YEAR = 2099;

type Rule<K extends RecurrenceRule['kind']> = Extract<RecurrenceRule, { kind: K }>;

function* days(from: CalendarDate): Generator<CalendarDate> {
  for (let d = dayNumber(from); ; d++) {
    const date = fromDayNumber(d);
    if (date.year > LAST_RULE_YEAR) return;
    yield date;
  }
}

/** Month by month (a quarter steps 3 months, a year 12) from the period holding `from`. */
function* periods(from: CalendarDate, months: 1 | 3 | 12): Generator<{ readonly year: number; readonly month: number }> {
  let index = from.year * 12 + Math.floor((from.month - 1) / months) * months;
  for (;;) {
    const year = Math.floor(index / 12);
    if (year > LAST_RULE_YEAR) return;
    yield { year, month: index - year * 12 + 1 };
    index += months;
  }
}

function* weekly(rule: Rule<'weekly'>, from: CalendarDate): Generator<CalendarDate> {
  const start = dayNumber(from);
  const anchor = rule.anchor === undefined ? undefined : parseIsoDate(rule.anchor);
  const anchorMonday = anchor ? dayNumber(anchor) : 0;
  for (let monday = start - (weekdayOf(from) - 1); ; monday += 7) {
    if (fromDayNumber(monday).year > LAST_RULE_YEAR) return;
    const weeks = Math.round((monday - anchorMonday) / 7);
    if (((weeks % rule.interval) + rule.interval) % rule.interval !== 0) continue;
    for (const weekday of rule.weekdays) {
      const d = monday + weekday - 1;
      if (d >= start) yield fromDayNumber(d);
    }
  }
}

/** Day of the month of the nth (or, for -1, the last) given weekday; undefined when there is no such one. */
function nthWeekdayOfMonth(year: number, month: number, weekday: number, nth: number): number | undefined {
  const length = daysInMonth(year, month);
  if (nth === -1) {
    const lastWeekday = weekdayOf({ year, month, day: length });
    return length - ((lastWeekday - weekday + 7) % 7);
  }
  const first = 1 + ((weekday - weekdayOf({ year, month, day: 1 }) + 7) % 7);
  const day = first + 7 * (nth - 1);
  return day <= length ? day : undefined;
}

function* monthly(from: CalendarDate, months: 1 | 3 | 12, pick: (period: { year: number; month: number }) => CalendarDate | undefined): Generator<CalendarDate> {
  const start = dayNumber(from);
  for (const period of periods(from, months)) {
    const date = pick(period);
    if (date && dayNumber(date) >= start) yield date;
  }
}

const PERIOD_MONTHS = { month: 1, quarter: 3, year: 12 } as const;

export function ruleDates(rule: RecurrenceRule, from: CalendarDate, calendar: WorkingCalendar): Generator<CalendarDate> {
  switch (rule.kind) {
    case 'daily':
      return days(from);
    case 'workday':
      return (function* () {
        for (const date of days(from)) if (calendar.isWorkday(date)) yield date;
      })();
    case 'weekly':
      return weekly(rule, from);
    case 'monthly-day':
      return monthly(from, 1, ({ year, month }) => ({ year, month, day: Math.min(rule.day, daysInMonth(year, month)) }));
    case 'monthly-weekday':
      return monthly(from, 1, ({ year, month }) => {
        const day = nthWeekdayOfMonth(year, month, rule.weekday, rule.nth);
        return day === undefined ? undefined : { year, month, day };
      });
    case 'nth-workday':
      return monthly(from, PERIOD_MONTHS[rule.period], ({ year, month }) => {
        if (rule.period === 'month') return calendar.nthWorkdayOfMonth(year, month, rule.nth);
        if (rule.period === 'quarter') return calendar.nthWorkdayOfQuarter(year, (month + 2) / 3, rule.nth);
        return calendar.nthWorkdayOfYear(year, rule.nth);
      });
    case 'yearly-date':
      return monthly(from, 12, ({ year }) => ({ year, month: rule.month, day: rule.day }));
  }
}
