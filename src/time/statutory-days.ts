/**
 * The days off the law itself fixes (全国年节及纪念日放假办法, 2025 revision), for a year whose
 * 调休 arrangement has not been published yet:
 * 元旦 1 Jan; 春节 除夕 to 初三 (4 days); 清明节 (the solar-term day); 劳动节 1–2 May;
 * 端午节 (lunar 5-5); 中秋节 (lunar 8-15); 国庆节 1–3 Oct.
 *
 * Lunar dates and the 清明 term come from `chinese-days`. Its functions read dates with local-time
 * getters, so each call below uses the one input form that comes out the same under every process TZ
 * (checked under UTC, America/New_York, Pacific/Kiritimati, Pacific/Pago_Pago and others):
 * - `getSolarDateFromLunar('Y/M/D')`: a slash date is read as local midnight, and its answer is built
 *   from a local-midnight base, so the two local readings cancel out.
 * - `getSolarTermDate` builds its answer from UTC midnight and formats it in local time, so west of UTC
 *   it comes out one day early. `getDayDetail('Y-MM-DD')` goes through the same parse-and-format path;
 *   if it does not give back the date it was given, the term date is moved on by that one day.
 */
import { getDayDetail, getSolarDateFromLunar, getSolarTermDate } from 'chinese-days';
import type { CalendarDate } from './date-part';
import { dayNumber, formatIsoDate, fromDayNumber, parseIsoDate } from './iso-date';

export interface StatutoryDay {
  readonly date: string; // YYYY-MM-DD
  readonly name: string;
}

/** Lunar-calendar data in `chinese-days` covers 1900–2100; 1900 is left out, its tables starting on 1900-01-31. */
export const FIRST_STATUTORY_YEAR = 1901;
export const LAST_STATUTORY_YEAR = 2100;

function checked(text: string, what: string): CalendarDate {
  const date = parseIsoDate(text);
  if (!date) throw new Error(`chinese-days gave "${text}" for ${what}`);
  return date;
}

function solarOfLunar(year: number, month: number, day: number): CalendarDate {
  return checked(getSolarDateFromLunar(`${year}/${month}/${day}`).date, `lunar ${year}-${month}-${day}`);
}

/** 清明: the solar-term day of pure brightness (4–6 April). */
function qingming(year: number): CalendarDate {
  const raw = checked(getSolarTermDate(year, 4, 'pure_brightness'), `清明 ${year}`);
  const probe = `${year}-04-05`;
  const shift = getDayDetail(probe).date === probe ? 0 : 1;
  return fromDayNumber(dayNumber(raw) + shift);
}

function run(start: CalendarDate, days: number, name: string): StatutoryDay[] {
  return Array.from({ length: days }, (_, i) => ({ date: formatIsoDate(fromDayNumber(dayNumber(start) + i)), name }));
}

/** The statutory days off in a solar year, in date order. Throws RangeError outside 1901–2100. */
export function statutoryDaysOff(year: number): StatutoryDay[] {
  if (!Number.isInteger(year) || year < FIRST_STATUTORY_YEAR || year > LAST_STATUTORY_YEAR) {
    throw new RangeError(`statutory holidays are computed for ${FIRST_STATUTORY_YEAR}–${LAST_STATUTORY_YEAR} only, not ${year}`);
  }
  const newYear = solarOfLunar(year, 1, 1);
  const eve = fromDayNumber(dayNumber(newYear) - 1); // 除夕: the last day of the twelfth lunar month
  const days = [
    ...run({ year, month: 1, day: 1 }, 1, '元旦'),
    ...run(eve, 4, '春节'),
    ...run(qingming(year), 1, '清明节'),
    ...run({ year, month: 5, day: 1 }, 2, '劳动节'),
    ...run(solarOfLunar(year, 5, 5), 1, '端午节'),
    ...run({ year, month: 10, day: 1 }, 3, '国庆节'),
    ...run(solarOfLunar(year, 8, 15), 1, '中秋节'),
  ];
  // 中秋 can fall within 国庆 (it did on 2020-10-01): one entry per date, named 国庆节、中秋节 as the notices do.
  const byDate = new Map<string, string>();
  for (const { date, name } of days) byDate.set(date, byDate.has(date) ? `${byDate.get(date)}、${name}` : name);
  return [...byDate].map(([date, name]) => ({ date, name })).sort((a, b) => a.date.localeCompare(b.date));
}
