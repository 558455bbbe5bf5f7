/**
 * Wall dates (no zone, no time) as `YYYY-MM-DD` strings and as day numbers, for calendar arithmetic.
 * Pure: UTC-based Date arithmetic only, never the server's local time.
 */
import type { CalendarDate } from './date-part';
import { daysInMonth } from './zoned';

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isValidDate(year: number, month: number, day: number): boolean {
  return Number.isInteger(year) && Number.isInteger(month) && Number.isInteger(day) && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** `2026-02-14`. */
export function formatIsoDate(date: CalendarDate): string {
  return `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

/** The date a strict `YYYY-MM-DD` names, or undefined when it is malformed or no such day exists. */
export function parseIsoDate(text: string): CalendarDate | undefined {
  const m = ISO_DATE.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return isValidDate(year, month, day) ? { year, month, day } : undefined;
}

/** Days since 1970-01-01; consecutive dates have consecutive numbers. */
export function dayNumber(date: CalendarDate): number {
  return Math.round(Date.UTC(date.year, date.month - 1, date.day) / DAY_MS);
}

export function fromDayNumber(n: number): CalendarDate {
  const d = new Date(n * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Negative, zero or positive as `a` is before, the same as or after `b`. */
export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return dayNumber(a) - dayNumber(b);
}

/** The same day-of-month `months` later, clamped to the target month's last day (Jan 31 + 1 month → Feb 28). */
export function addMonthsClamped(date: CalendarDate, months: number): CalendarDate {
  const index = date.year * 12 + (date.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return { year, month, day: Math.min(date.day, daysInMonth(year, month)) };
}

/** How far back a date written without its year may lie and still be this year's (a date passed lately). */
export const LATELY_MONTHS = 3;

/** `date` lies more than LATELY_MONTHS before `today`: written without a year, it means next year's. */
export function longPast(date: CalendarDate, today: CalendarDate): boolean {
  return compareDates(date, addMonthsClamped(today, -LATELY_MONTHS)) < 0;
}
