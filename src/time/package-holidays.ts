/**
 * The published holiday and 调休 arrangements that ship with `chinese-days` (2004 onwards, up to the
 * last year the State Council has announced and the package has picked up).
 *
 * We read the package's own data file rather than calling `isWorkday`/`getDayDetail`: those parse
 * `YYYY-MM-DD` as UTC midnight and then read it with local-time getters, so west of UTC
 * (e.g. TZ=America/New_York) `getDayDetail('2026-02-14')` answers for 2026-02-13. The data file is
 * the same tables the functions use (the calendar tests check the two agree day by day).
 */
import data from 'chinese-days/dist/chinese-days.json';

export interface PublishedDay {
  readonly workday: boolean;
  /** 春节, 国庆节 … for a holiday; the holiday it makes up for on a 调休 working day. */
  readonly festival: string;
}

const holidays: Readonly<Record<string, string>> = data.holidays;
const workdays: Readonly<Record<string, string>> = data.workdays;

/** The package says 清明, 端午, 中秋; the law and the users say 清明节, 端午节, 中秋节. */
const FESTIVAL_NAMES: Readonly<Record<string, string>> = { 清明: '清明节', 端午: '端午节', 中秋: '中秋节' };

const coveredYears: ReadonlySet<number> = new Set(Object.keys(holidays).map((date) => Number(date.slice(0, 4))));

/** Values look like `Spring Festival,春节,4`: English name, Chinese name, length in days. */
function festivalName(value: string): string {
  const chinese = value.split(',')[1] ?? value;
  return FESTIVAL_NAMES[chinese] ?? chinese;
}

/** Whether the package has that year's arrangement: it lists at least one holiday in it. */
export function packageCoversYear(year: number): boolean {
  return coveredYears.has(year);
}

/** A holiday or make-up working day of a covered year, or undefined for an ordinary day. */
export function publishedDay(isoDate: string): PublishedDay | undefined {
  const makeUp = workdays[isoDate];
  if (makeUp !== undefined) return { workday: true, festival: festivalName(makeUp) };
  const holiday = holidays[isoDate];
  if (holiday !== undefined) return { workday: false, festival: festivalName(holiday) };
  return undefined;
}
