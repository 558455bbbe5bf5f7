/**
 * Date phrases that need the working calendar, read from the start of normalised text:
 * 月底 / 本月底 / 下个月底 / 12月底 / 2027年2月底 (the month's last WORKING day), 年底 / 明年年底 /
 * 2027年底 (the year's), 本月第3个工作日, 下个月最后1个工作日, 12月倒数第2个工作日,
 * 2027年2月第1个工作日, 下个工作日.
 * Bare 月底 and 年底 mean the current month or year unless its last working day is already over.
 */
import type { WorkingCalendar } from './calendar';
import type { CalendarDate, DatePart, DatePartResult } from './date-part';
import { addMonthsClamped, compareDates, longPast } from './iso-date';
import { FIRST_STATUTORY_YEAR, LAST_STATUTORY_YEAR } from './statutory-days';

type Today = CalendarDate & { readonly weekday: number };
type Built = { readonly date: CalendarDate } | { readonly error: string };

interface Matcher {
  readonly pattern: RegExp;
  readonly build: (m: RegExpExecArray, today: Today, calendar: WorkingCalendar) => Built;
}

const MONTH_OFFSET: Readonly<Record<string, number>> = { 本: 0, 这: 0, 这个: 0, 下: 1, 下个: 1, 下下: 2, 下下个: 2, 上: -1, 上个: -1, 上上: -2, 上上个: -2 };
const MONTH_WORDS = '(本|这个|这|下下个|下下|下个|下|上上个|上上|上个|上)';
// 第3个 | 最后1个 (最后一个) | 倒数第2个, then 工作日
const NTH = '(?:的)?(?:第(\\d+)个|最后1?个|倒数第(\\d+)个)工作日';

/** n from `第N个` (positive) or `最后一个`/`倒数第N个` (negative). */
function nthOf(first: string | undefined, fromEnd: string | undefined): number {
  if (first !== undefined) return Number(first);
  return -Number(fromEnd ?? 1);
}

function inMonth(calendar: WorkingCalendar, month: CalendarDate, n: number): Built {
  if (n === 0) return { error: '「第0个工作日」不对，从第1个数起' };
  const date = calendar.nthWorkdayOfMonth(month.year, month.month, n);
  if (date) return { date };
  return { error: `${month.year}年${month.month}月没有${n > 0 ? `第${n}` : `倒数第${-n}`}个工作日` };
}

/** Month `M` of this year, or of next year when that gives a date more than 3 months past (as M月D日). */
function rollingMonth(month: number, today: Today, pick: (month: CalendarDate) => Built): Built {
  if (month < 1 || month > 12) return { error: `没有${month}月` };
  const thisYear = pick({ year: today.year, month, day: 1 });
  if ('date' in thisYear && longPast(thisYear.date, today)) return pick({ year: today.year + 1, month, day: 1 });
  return thisYear;
}

/** An explicit year and month, within the years the calendar can answer for. */
function inYearMonth(year: number, month: number, pick: (month: CalendarDate) => Built): Built {
  if (month < 1 || month > 12) return { error: `没有${month}月` };
  if (year < FIRST_STATUTORY_YEAR || year > LAST_STATUTORY_YEAR) return { error: `${year}年超出了能推算工作日的范围（${FIRST_STATUTORY_YEAR}–${LAST_STATUTORY_YEAR}年）` };
  return pick({ year, month, day: 1 });
}

const lastOfMonth = (calendar: WorkingCalendar) => (month: CalendarDate) => inMonth(calendar, month, -1);

const MATCHERS: readonly Matcher[] = [
  {
    pattern: new RegExp(`^${MONTH_WORDS}?月月?(?:底|末)`),
    build: (m, today, calendar) => {
      if (m[1] !== undefined) return lastOfMonth(calendar)(addMonthsClamped({ ...today, day: 1 }, MONTH_OFFSET[m[1]] ?? 0));
      const thisMonth = lastOfMonth(calendar)(today);
      if ('date' in thisMonth && compareDates(thisMonth.date, today) < 0) return lastOfMonth(calendar)(addMonthsClamped({ ...today, day: 1 }, 1));
      return thisMonth;
    },
  },
  { pattern: /^(\d{4})年(\d{1,2})月(?:底|末)/, build: (m, _today, calendar) => inYearMonth(Number(m[1]), Number(m[2]), (month) => inMonth(calendar, month, -1)) },
  {
    pattern: new RegExp(`^(\\d{4})年(\\d{1,2})月${NTH}`),
    build: (m, _today, calendar) => inYearMonth(Number(m[1]), Number(m[2]), (month) => inMonth(calendar, month, nthOf(m[3], m[4]))),
  },
  { pattern: /^(\d{4})年年?(?:底|末)/, build: (m, _today, calendar) => inYearMonth(Number(m[1]), 12, () => ({ date: calendar.lastWorkdayOfYear(Number(m[1])) })) },
  { pattern: /^(\d{1,2})月(?:底|末)/, build: (m, today, calendar) => rollingMonth(Number(m[1]), today, lastOfMonth(calendar)) },
  {
    pattern: new RegExp(`^${MONTH_WORDS}月${NTH}`),
    build: (m, today, calendar) => inMonth(calendar, addMonthsClamped({ ...today, day: 1 }, MONTH_OFFSET[m[1] ?? ''] ?? 0), nthOf(m[2], m[3])),
  },
  {
    pattern: new RegExp(`^(\\d{1,2})月${NTH}`),
    build: (m, today, calendar) => rollingMonth(Number(m[1]), today, (month) => inMonth(calendar, month, nthOf(m[2], m[3]))),
  },
  {
    pattern: /^(?:(今|明)年年?|年)(?:底|末)/,
    build: (m, today, calendar) => {
      if (m[1] !== undefined) return { date: calendar.lastWorkdayOfYear(today.year + (m[1] === '明' ? 1 : 0)) };
      const thisYear = calendar.lastWorkdayOfYear(today.year);
      return { date: compareDates(thisYear, today) < 0 ? calendar.lastWorkdayOfYear(today.year + 1) : thisYear };
    },
  },
  { pattern: /^下1?个?工作日/, build: (_m, today, calendar) => ({ date: calendar.nextWorkday(today) }) },
];

/** The calendar throws RangeError for a year it cannot answer for (2101 from 明年年底 in 2100). */
function buildWithin(build: () => Built): Built {
  try {
    return build();
  } catch (error) {
    if (error instanceof RangeError) return { error: `超出了能推算工作日的范围（${FIRST_STATUTORY_YEAR}–${LAST_STATUTORY_YEAR}年）` };
    throw error;
  }
}

/** `getCalendar` is only called when a phrase here matches, so plain dates never load it. */
export function parseWorkdayPart(text: string, today: Today, getCalendar: () => WorkingCalendar): DatePartResult {
  for (const { pattern, build } of MATCHERS) {
    const m = pattern.exec(text);
    if (!m) continue;
    const calendar = getCalendar();
    const built = buildWithin(() => build(m, today, calendar));
    if ('error' in built) return { kind: 'error', error: built.error };
    const guessed = calendar.isGuessed(built.date.year) ? { guessedYears: [built.date.year] } : {};
    const part: DatePart = { kind: 'fixed', date: built.date, ...guessed, rest: text.slice(m[0].length).replace(/^ /, '') };
    return { kind: 'ok', part };
  }
  return { kind: 'none' };
}
