/**
 * The Chinese working calendar: which days are working days after statutory holidays and 调休.
 *
 * Per year, the first source that has the year wins:
 * 1. an override (`data/holidays/<year>.json` read through a `source`, or `overrides` given to the constructor);
 * 2. the arrangement published in `chinese-days`;
 * 3. the fallback for a year not yet announced: Monday–Friday, minus the days off the law itself fixes
 *    (statutory-days.ts). Only 调休 is unknown then, so every day of such a year is `guessed: true`.
 *
 * Pure: the override files are read by the source it is given (src/store/holiday-files.ts builds the bot's).
 */
import type { CalendarDate } from './date-part';
import type { HolidayOverride, HolidayOverrideSource } from './holiday-overrides';
import { dayNumber, formatIsoDate, fromDayNumber, isValidDate, parseIsoDate } from './iso-date';
import { packageCoversYear, publishedDay } from './package-holidays';
import { statutoryDaysOff } from './statutory-days';
import { daysInMonth, weekdayOf } from './zoned';

export interface DayInfo {
  readonly date: string; // YYYY-MM-DD
  readonly workday: boolean;
  /** 国庆节, 春节 … on a holiday; 调休上班 on a make-up working day; 周末 on an ordinary weekend. */
  readonly name?: string;
  /** The year's arrangement is not published: the answer rests on the Monday–Friday fallback. */
  readonly guessed: boolean;
}

/** Where a year's answers come from. */
export type YearSource = 'override' | 'published' | 'fallback';

export interface WorkingCalendarOptions {
  /** Read at construction and on every reload(), e.g. the files of data/holidays. Default: none. */
  readonly source?: HolidayOverrideSource;
  /** Overrides given directly; for the same year they win over the source's. */
  readonly overrides?: readonly HolidayOverride[];
}

export type DateInput = CalendarDate | string;

interface YearTable {
  readonly firstDay: number; // day number of 1 January
  readonly days: readonly DayInfo[];
}

/** A working day is found within this many days of any date, or the data is broken. */
const SEARCH_LIMIT = 366;
export const MAKE_UP_WORKDAY = '调休上班';
const WEEKEND = '周末';
const DAY_OFF = '节假日';

export class WorkingCalendar {
  private readonly overrides = new Map<number, HolidayOverride>();
  private readonly tables = new Map<number, YearTable>();

  constructor(private readonly options: WorkingCalendarOptions = {}) {
    this.use(options.source?.read() ?? []);
  }

  private use(fromSource: readonly HolidayOverride[]): void {
    this.overrides.clear();
    this.tables.clear();
    for (const override of [...fromSource, ...(this.options.overrides ?? [])]) this.overrides.set(override.year, override);
  }

  /** Read the source again (an operator added a year); throws, changing nothing, if an override is invalid. */
  reload(): void {
    this.use(this.options.source?.read() ?? []);
  }

  /** The source's fingerprint ('' without a source): when it changes, reload(). */
  overrideFingerprint(): string {
    return this.options.source?.fingerprint() ?? '';
  }

  sourceOf(year: number): YearSource {
    if (this.overrides.has(year)) return 'override';
    return packageCoversYear(year) ? 'published' : 'fallback';
  }

  isGuessed(year: number): boolean {
    return this.sourceOf(year) === 'fallback';
  }

  /** Years from `from` to `to` (inclusive) whose answers rest on the fallback. */
  guessedYears(range: { readonly from: number; readonly to: number }): number[] {
    const years: number[] = [];
    for (let y = range.from; y <= range.to; y++) if (this.isGuessed(y)) years.push(y);
    return years;
  }

  day(date: DateInput): DayInfo {
    return this.dayAt(dayNumber(toDate(date)));
  }

  isWorkday(date: DateInput): boolean {
    return this.day(date).workday;
  }

  /** The first working day after `date` (or `date` itself when `includeSelf` and it is one). */
  nextWorkday(date: DateInput, options: { readonly includeSelf?: boolean } = {}): CalendarDate {
    return this.step(dayNumber(toDate(date)), 1, options.includeSelf ?? false);
  }

  /** The last working day before `date` (or `date` itself when `includeSelf` and it is one). */
  previousWorkday(date: DateInput, options: { readonly includeSelf?: boolean } = {}): CalendarDate {
    return this.step(dayNumber(toDate(date)), -1, options.includeSelf ?? false);
  }

  /** n ≥ 1 counts from the first of the month, n ≤ -1 from its end (-1 = last). Undefined when there are fewer. */
  nthWorkdayOfMonth(year: number, month: number, n: number): CalendarDate | undefined {
    return this.nthWorkdayIn({ year, month, day: 1 }, { year, month, day: daysInMonth(year, month) }, n);
  }

  /** quarter 1–4; n as for nthWorkdayOfMonth. */
  nthWorkdayOfQuarter(year: number, quarter: number, n: number): CalendarDate | undefined {
    const last = quarter * 3;
    return this.nthWorkdayIn({ year, month: last - 2, day: 1 }, { year, month: last, day: daysInMonth(year, last) }, n);
  }

  nthWorkdayOfYear(year: number, n: number): CalendarDate | undefined {
    return this.nthWorkdayIn({ year, month: 1, day: 1 }, { year, month: 12, day: 31 }, n);
  }

  lastWorkdayOfMonth(year: number, month: number): CalendarDate {
    return must(this.nthWorkdayOfMonth(year, month, -1), `${year}-${month}`);
  }

  lastWorkdayOfQuarter(year: number, quarter: number): CalendarDate {
    return must(this.nthWorkdayOfQuarter(year, quarter, -1), `${year} Q${quarter}`);
  }

  lastWorkdayOfYear(year: number): CalendarDate {
    return must(this.nthWorkdayOfYear(year, -1), String(year));
  }

  private nthWorkdayIn(first: CalendarDate, last: CalendarDate, n: number): CalendarDate | undefined {
    if (!Number.isInteger(n) || n === 0) throw new RangeError(`n must be a non-zero integer, not ${n}`);
    if (!isValidDate(first.year, first.month, first.day) || !isValidDate(last.year, last.month, last.day)) throw new RangeError('no such period');
    const [from, to] = [dayNumber(first), dayNumber(last)];
    let left = Math.abs(n);
    for (let d = n > 0 ? from : to; d >= from && d <= to; d += Math.sign(n)) {
      if (this.dayAt(d).workday && --left === 0) return fromDayNumber(d);
    }
    return undefined;
  }

  private step(start: number, direction: 1 | -1, includeSelf: boolean): CalendarDate {
    for (let i = includeSelf ? 0 : 1; i <= SEARCH_LIMIT; i++) {
      const d = start + direction * i;
      if (this.dayAt(d).workday) return fromDayNumber(d);
    }
    throw new RangeError(`no working day within ${SEARCH_LIMIT} days of ${formatIsoDate(fromDayNumber(start))}`);
  }

  private dayAt(n: number): DayInfo {
    const { year } = fromDayNumber(n);
    const table = this.tables.get(year) ?? this.buildYear(year);
    const info = table.days[n - table.firstDay];
    if (!info) throw new RangeError(`day ${n} outside its year table`);
    return info;
  }

  private buildYear(year: number): YearTable {
    const firstDay = dayNumber({ year, month: 1, day: 1 });
    const length = dayNumber({ year: year + 1, month: 1, day: 1 }) - firstDay;
    const special = this.specialDays(year);
    const guessed = this.isGuessed(year);
    const days = Array.from({ length }, (_, i): DayInfo => {
      const date = fromDayNumber(firstDay + i);
      const iso = formatIsoDate(date);
      const known = special(iso);
      const weekend = weekdayOf(date) >= 6;
      const workday = known ? known.workday : !weekend;
      const name = known?.name ?? (weekend ? WEEKEND : undefined);
      return Object.freeze({ date: iso, workday, ...(name === undefined ? {} : { name }), guessed });
    });
    const table = { firstDay, days };
    this.tables.set(year, table);
    return table;
  }

  /** The days of a year that differ from plain Monday–Friday, by source. */
  private specialDays(year: number): (iso: string) => { readonly workday: boolean; readonly name: string } | undefined {
    const override = this.overrides.get(year);
    if (override) {
      const map = new Map<string, { workday: boolean; name: string }>();
      for (const entry of override.daysOff) {
        if (typeof entry === 'string') map.set(entry, { workday: false, name: DAY_OFF });
        else map.set(entry.date, { workday: false, name: entry.name });
      }
      for (const date of override.workdays) map.set(date, { workday: true, name: MAKE_UP_WORKDAY });
      return (iso) => map.get(iso);
    }
    if (packageCoversYear(year)) {
      return (iso) => {
        const day = publishedDay(iso);
        if (!day) return undefined;
        return { workday: day.workday, name: day.workday ? MAKE_UP_WORKDAY : day.festival };
      };
    }
    const statutory = new Map(statutoryDaysOff(year).map((d) => [d.date, { workday: false, name: d.name }]));
    return (iso) => statutory.get(iso);
  }
}

function toDate(input: DateInput): CalendarDate {
  const date = typeof input === 'string' ? parseIsoDate(input) : isValidDate(input.year, input.month, input.day) ? input : undefined;
  if (!date) throw new RangeError(`not a date: ${typeof input === 'string' ? input : JSON.stringify(input)}`);
  return date;
}

function must(date: CalendarDate | undefined, period: string): CalendarDate {
  if (!date) throw new RangeError(`no working day in ${period}`);
  return date;
}

let packaged: WorkingCalendar | undefined;

/**
 * The calendar without overrides: the arrangement published in `chinese-days`, then the fallback. The default of
 * parseTime, parseSchedule and nextOccurrences; the bot and the CLI pass theirs, which reads data/holidays
 * (src/store/holiday-files.ts).
 */
export function packagedCalendar(): WorkingCalendar {
  packaged ??= new WorkingCalendar();
  return packaged;
}
