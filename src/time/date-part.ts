/**
 * The date half of a time phrase, read from the start of normalised text:
 * `2026-12-05`, `2026年12月5日`, `12月5日`, `12/05`, `5号`, `下个月5号`, `明天`, `下周二`, `周五`,
 * `3天后`, `2周后`, `1个月后`. Each form is one matcher. Phrases that need the working calendar
 * (月底, 第3个工作日, 下个工作日) are read by workday-part.ts.
 */
import { addMonthsClamped, longPast } from './iso-date';
import { addDays, daysInMonth } from './zoned';
import type { PeriodWord } from './time-of-day';

export interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/**
 * fixed: that date, whatever the time. next-weekday: `周五` alone; the caller moves it a week on
 * when the time given has already passed today. relative-days: `3天后`, `2周后`, `1个月后`; no time
 * keeps now's time of day.
 */
export type DateKind = 'fixed' | 'next-weekday' | 'relative-days';

export interface DatePart {
  readonly date: CalendarDate;
  readonly kind: DateKind;
  /** A period that came with the date word (今晚 → 晚上). */
  readonly period?: PeriodWord;
  /** Years whose unpublished holiday arrangement the date rests on (月底 in 2027). */
  readonly guessedYears?: readonly number[];
  readonly rest: string;
}

export type DatePartResult =
  | { readonly kind: 'none' }
  | { readonly kind: 'ok'; readonly part: DatePart }
  | { readonly kind: 'error'; readonly error: string };

/** What a matcher builds: a part without `rest`, or an error message. */
type Built = Omit<DatePart, 'rest'> | string;

interface Matcher {
  readonly pattern: RegExp;
  readonly build: (m: RegExpExecArray, today: CalendarDate & { readonly weekday: number }) => Built;
}

const DAY_WORDS: Readonly<Record<string, { readonly offset: number; readonly period?: PeriodWord }>> = {
  大前天: { offset: -3 },
  前天: { offset: -2 },
  昨天: { offset: -1 },
  昨日: { offset: -1 },
  昨晚: { offset: -1, period: { word: '晚上', period: 'evening' } },
  今天: { offset: 0 },
  今日: { offset: 0 },
  今早: { offset: 0, period: { word: '早上', period: 'morning' } },
  今晚: { offset: 0, period: { word: '晚上', period: 'evening' } },
  明天: { offset: 1 },
  明日: { offset: 1 },
  明早: { offset: 1, period: { word: '早上', period: 'morning' } },
  明晚: { offset: 1, period: { word: '晚上', period: 'evening' } },
  后天: { offset: 2 },
  大后天: { offset: 3 },
};

// 上… are read so that a past time is answered as past (the caller says so), not as not understood.
const MONTH_PREFIX_OFFSET: Readonly<Record<string, number>> = { 本: 0, 这: 0, 这个: 0, 下: 1, 下个: 1, 下下: 2, 下下个: 2, 上: -1, 上个: -1, 上上: -2, 上上个: -2 };

const WEEK_PREFIX_OFFSET: Readonly<Record<string, number>> = { 本: 0, 这: 0, 这个: 0, 下: 7, 下个: 7, 下下: 14, 下下个: 14, 上: -7, 上个: -7, 上上: -14, 上上个: -14 };
const YEAR_WORD_OFFSET: Readonly<Record<string, number>> = { 去: -1, 今: 0, 明: 1 };

const num = (s: string | undefined): number => Number(s ?? NaN);

function isValidDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function fixedDate(year: number, month: number, day: number): Built {
  return isValidDate(year, month, day) ? { kind: 'fixed', date: { year, month, day } } : `没有这一天：${year}年${month}月${day}日`;
}

/**
 * M月D日 without a year: this year's unless that date is more than 3 months past, then next year's. A date
 * passed lately stays this year's, so the caller can say it has passed (`12月1日` said on 5 December).
 */
function rollingYearDate(month: number, day: number, today: CalendarDate): Built {
  if (month < 1 || month > 12 || day < 1 || day > 31) return `没有这一天：${month}月${day}日`;
  return fixedDate(longPast({ year: today.year, month, day }, today) ? today.year + 1 : today.year, month, day);
}

/** D号 alone: the first month from this one in which that day exists and is not past. */
function rollingMonthDate(day: number, today: CalendarDate): Built {
  if (day < 1 || day > 31) return `没有这一天：${day}号`;
  for (let i = day < today.day ? 1 : 0; i <= 2; i++) {
    const first = addDays({ year: today.year, month: today.month + i, day: 1 }, 0);
    if (isValidDate(first.year, first.month, day)) return { kind: 'fixed', date: { ...first, day } };
  }
  return `没有这一天：${day}号`;
}

const MATCHERS: readonly Matcher[] = [
  { pattern: /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})[日号]?/, build: (m) => fixedDate(num(m[1]), num(m[2]), num(m[3])) },
  { pattern: /^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?/, build: (m) => fixedDate(num(m[1]), num(m[2]), num(m[3])) },
  { pattern: /^(去|今|明)年(\d{1,2})月(\d{1,2})[日号]?/, build: (m, today) => fixedDate(today.year + (YEAR_WORD_OFFSET[m[1] ?? ''] ?? 0), num(m[2]), num(m[3])) },
  { pattern: /^(\d{1,2})月(\d{1,2})[日号]?/, build: (m, today) => rollingYearDate(num(m[1]), num(m[2]), today) },
  { pattern: /^(\d{1,2})\/(\d{1,2})(?![\d/])/, build: (m, today) => rollingYearDate(num(m[1]), num(m[2]), today) },
  {
    pattern: /^(大后天|后天|明天|明日|明早|明晚|今天|今日|今早|今晚|大前天|前天|昨天|昨日|昨晚)/,
    build: (m, today) => {
      const word = DAY_WORDS[m[1] ?? ''] ?? { offset: 0 };
      return { kind: 'fixed', date: addDays(today, word.offset), ...(word.period ? { period: word.period } : {}) };
    },
  },
  {
    pattern: /^(下下个|下下|下个|下|这个|这|本|上上个|上上|上个|上)?(?:周|星期|礼拜)([1-7日天])/,
    build: (m, today) => {
      const weekday = m[2] === '日' || m[2] === '天' ? 7 : num(m[2]);
      if (m[1] === undefined) return { kind: 'next-weekday', date: addDays(today, (weekday - today.weekday + 7) % 7) };
      const monday = addDays(today, 1 - today.weekday);
      return { kind: 'fixed', date: addDays(monday, (WEEK_PREFIX_OFFSET[m[1]] ?? 0) + weekday - 1) };
    },
  },
  {
    pattern: /^(下下个|下下|下个|下|这个|这|本|上上个|上上|上个|上)月(\d{1,2})[日号]/,
    build: (m, today) => {
      const first = addMonthsClamped({ ...today, day: 1 }, MONTH_PREFIX_OFFSET[m[1] ?? ''] ?? 0);
      return fixedDate(first.year, first.month, num(m[2]));
    },
  },
  { pattern: /^(\d+)个?[天日](?:之后|以后|后)/, build: (m, today) => ({ kind: 'relative-days', date: addDays(today, num(m[1])) }) },
  { pattern: /^(\d+)个?(?:周|星期|礼拜)(?:之后|以后|后)/, build: (m, today) => ({ kind: 'relative-days', date: addDays(today, 7 * num(m[1])) }) },
  { pattern: /^(\d+)个月(?:之后|以后|后)/, build: (m, today) => ({ kind: 'relative-days', date: addMonthsClamped(today, num(m[1])) }) },
  { pattern: /^(\d{1,2})[日号]/, build: (m, today) => rollingMonthDate(num(m[1]), today) },
];

export function parseDatePart(text: string, today: CalendarDate & { readonly weekday: number }): DatePartResult {
  for (const { pattern, build } of MATCHERS) {
    const m = pattern.exec(text);
    if (!m) continue;
    const built = build(m, today);
    if (typeof built === 'string') return { kind: 'error', error: built };
    return { kind: 'ok', part: { ...built, rest: text.slice(m[0].length).replace(/^ /, '') } };
  }
  return { kind: 'none' };
}
