import { normaliseNumerals, squeezeSpaces } from '../time/chinese-numerals';
import { parseTime } from '../time/parse-time';
import { daysInMonth, fromZoned, zonedParts } from '../time/zoned';
import { formatDay, formatWall } from './stats-format';

/**
 * The period of a statistics request: 本月, 本季度, 本年 (and 上月, 上季度, 去年), or `<起>至<止>` with each end
 * read by the time grammar. Both ends are inclusive instants; a date alone runs from 00:00 to 23:59:59.
 */
export interface StatsPeriod {
  readonly from: number;
  readonly to: number;
  /** `2026年第四季度`, `2026年12月`, `2026年`, `2026年10月1日至2026年12月31日`. */
  readonly title: string;
}

export type PeriodParse = { readonly ok: true; readonly period: StatsPeriod } | { readonly ok: false; readonly error: string };

export const PERIOD_EXAMPLES = '例如：统计 本月、统计 本季度、统计 本年、统计 2026-10-01至2026-12-31、统计 10月1日至12月31日';
/** Longest period a request may span. */
export const MAX_PERIOD_DAYS = 3 * 366;

const QUARTERS = ['一', '二', '三', '四'];

const NAMED: Readonly<Record<string, { unit: 'month' | 'quarter' | 'year'; back: number }>> = {
  本月: { unit: 'month', back: 0 },
  这个月: { unit: 'month', back: 0 },
  当月: { unit: 'month', back: 0 },
  上月: { unit: 'month', back: 1 },
  上个月: { unit: 'month', back: 1 },
  本季度: { unit: 'quarter', back: 0 },
  本季: { unit: 'quarter', back: 0 },
  这个季度: { unit: 'quarter', back: 0 },
  上季度: { unit: 'quarter', back: 1 },
  上个季度: { unit: 'quarter', back: 1 },
  本年: { unit: 'year', back: 0 },
  本年度: { unit: 'year', back: 0 },
  今年: { unit: 'year', back: 0 },
  去年: { unit: 'year', back: 1 },
  上年: { unit: 'year', back: 1 },
};

const startOf = (year: number, month: number, timeZone: string): number => fromZoned({ year, month, day: 1, hour: 0, minute: 0 }, timeZone);
const endOfDay = (d: { year: number; month: number; day: number }, timeZone: string): number =>
  fromZoned({ ...d, hour: 23, minute: 59, second: 59 }, timeZone);

/** The calendar month, quarter or year containing `now` (or `back` of them before it), in the zone. */
export function namedPeriod(unit: 'month' | 'quarter' | 'year', back: number, now: number, timeZone: string): StatsPeriod {
  const p = zonedParts(now, timeZone);
  const size = unit === 'month' ? 1 : unit === 'quarter' ? 3 : 12;
  const index = p.year * 12 + Math.floor((p.month - 1) / size) * size - back * size;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const lastMonth = month + size - 1;
  const to = endOfDay({ year, month: lastMonth, day: daysInMonth(year, lastMonth) }, timeZone);
  const title = unit === 'month' ? `${year}年${month}月` : unit === 'quarter' ? `${year}年第${QUARTERS[(month - 1) / 3]}季度` : `${year}年`;
  return { from: startOf(year, month, timeZone), to, title };
}

interface End {
  readonly at: number;
  readonly dateOnly: boolean;
  /** Written without a year (10月1日): the grammar's guess of the year may be moved. */
  readonly yearless: boolean;
}

const YEARLESS = /^\d{1,2}\s*(?:月|\/)/;

/** One end of a range. A date alone is told from a date with a time by reading it twice (09:00 vs 18:00 default). */
function readEnd(text: string, now: number, timeZone: string): End | string {
  const plain = parseTime(text, { now, timeZone });
  if (!plain.ok) return plain.error;
  const deadline = parseTime(text, { now, timeZone, deadline: true });
  const dateOnly = deadline.ok && deadline.at !== plain.at;
  const yearless = YEARLESS.test(squeezeSpaces(normaliseNumerals(text.trim())));
  let at = plain.at;
  // For statistics a month-day without a year is this year's, not next year's once past (as for new duties).
  const thisYear = zonedParts(now, timeZone).year;
  if (yearless && zonedParts(at, timeZone).year !== thisYear) at = withYear(at, thisYear, timeZone);
  return { at, dateOnly, yearless };
}

function withYear(at: number, year: number, timeZone: string): number {
  const p = zonedParts(at, timeZone);
  return fromZoned({ ...p, year }, timeZone);
}

function dayStart(at: number, timeZone: string): number {
  const p = zonedParts(at, timeZone);
  return fromZoned({ year: p.year, month: p.month, day: p.day, hour: 0, minute: 0 }, timeZone);
}

function dayEnd(at: number, timeZone: string): number {
  return endOfDay(zonedParts(at, timeZone), timeZone);
}

/** Split `<起>至<止>` (also 到, ~, ～). */
function splitRange(text: string): [string, string] | undefined {
  const m = /^(.+?)\s*(?:至|到|~|～)\s*(.+)$/.exec(text);
  return m?.[1] && m[2] ? [m[1], m[2]] : undefined;
}

export function parseStatsPeriod(input: string, now: number, timeZone: string): PeriodParse {
  const text = input.trim().replace(/\s+/g, ' ');
  const fail = (why: string): PeriodParse => ({ ok: false, error: `${why}。${PERIOD_EXAMPLES}` });
  if (text === '') return fail('请写上统计的时间范围');
  const named = NAMED[text.replace(/\s/g, '')];
  if (named) return { ok: true, period: namedPeriod(named.unit, named.back, now, timeZone) };

  const parts = splitRange(text);
  if (!parts) return fail(`没看懂时间范围「${text}」，要写成「开始至结束」`);
  const start = readEnd(parts[0], now, timeZone);
  if (typeof start === 'string') return fail(`开始时间不对：${start.replace(/[，。].*$/, '')}`);
  const end = readEnd(parts[1], now, timeZone);
  if (typeof end === 'string') return fail(`结束时间不对：${end.replace(/[，。].*$/, '')}`);

  let from = start.dateOnly ? dayStart(start.at, timeZone) : start.at;
  const to = end.dateOnly ? dayEnd(end.at, timeZone) : end.at;
  // 12月1日至1月31日 written in January: the start is last year's.
  if (from > to && start.yearless) from = withYear(from, zonedParts(from, timeZone).year - 1, timeZone);
  if (from > to) return fail(`开始时间（${formatWall(from, timeZone)}）晚于结束时间（${formatWall(to, timeZone)}）`);
  if (to - from > MAX_PERIOD_DAYS * 86_400_000) return fail('时间范围太长了（最多 3 年）');

  return { ok: true, period: { from, to, title: describePeriod(from, to, timeZone) } };
}

/**
 * The title of a period given by its ends: a whole calendar month, quarter or year gets its name
 * (`2026年第四季度`), other ranges their dates, with times where they do not start and end with a day.
 */
export function describePeriod(from: number, to: number, timeZone: string): string {
  for (const unit of ['month', 'quarter', 'year'] as const) {
    const named = namedPeriod(unit, 0, from, timeZone);
    if (named.from === from && named.to === to) return named.title;
  }
  const start = zonedParts(from, timeZone);
  const end = zonedParts(to, timeZone);
  const wholeDays = start.hour === 0 && start.minute === 0 && start.second === 0 && end.hour === 23 && end.minute === 59 && end.second === 59;
  const label = (at: number): string => (wholeDays ? formatDay(at, timeZone) : `${formatDay(at, timeZone)} ${formatWall(at, timeZone).slice(11)}`);
  return `${label(from)}至${label(to)}`;
}
