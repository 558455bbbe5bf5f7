/**
 * Chinese time phrases → an instant, in the group's time zone whatever the server's TZ.
 * Our own small grammar: normalise, then read a date part and a time-of-day part and combine them.
 * Past instants are returned as they are; refusing them is the caller's business.
 */
import { packagedCalendar, type WorkingCalendar } from './calendar';
import { normaliseNumerals, squeezeSpaces } from './chinese-numerals';
import { type CalendarDate, type DatePart, type DatePartResult, parseDatePart } from './date-part';
import { guessWarning } from './guess-warning';
import { parseTimeOfDay } from './time-of-day';
import { EXAMPLES, missingClockMessage, unreadMessage } from './unread-message';
import { parseWorkdayPart } from './workday-part';
import { addDays, fromZoned, zonedParts } from './zoned';
import { quote } from '../domain/quote';

export interface ParseTimeOptions {
  readonly now: number;
  readonly timeZone: string;
  /** A date without a time means end of the working day (18:00) rather than 09:00. */
  readonly deadline?: boolean;
  /** For 月底, 年底, 第N个工作日, 下个工作日. Default: packagedCalendar(), which has no data/holidays overrides; the bot and the CLI pass theirs. */
  readonly calendar?: WorkingCalendar;
}

export type ParseTimeResult =
  | {
      readonly ok: true;
      readonly at: number;
      /** Set when the date rests on a year whose holiday arrangement is not published yet. */
      readonly warning?: string;
    }
  | { readonly ok: false; readonly error: string };

export const DEFAULT_HOUR = 9;
export const DEADLINE_HOUR = 18;

const MINUTE_MS = 60_000;

// N分钟后, 半小时后, 2个小时后, 1个半小时后
const RELATIVE = /^(?:(\d+)个?(半)?|(半)个?)(分钟|分|小时|钟头)(?:之后|以后|后)$/;

/**
 * Never throws: a phrase whose time no calendar can hold (`99999999999天后`) is answered like any other mistake.
 */
export function parseTime(text: string, options: ParseTimeOptions): ParseTimeResult {
  try {
    const result = parseTimeUnchecked(text, options);
    if (result.ok && 'at' in result && !(Number.isFinite(result.at) && Math.abs(result.at) <= MAX_INSTANT)) return outOfRange(text);
    return result;
  } catch (err) {
    if (err instanceof RangeError) return outOfRange(text);
    throw err;
  }
}

function parseTimeUnchecked(text: string, options: ParseTimeOptions): ParseTimeResult {
  const original = text.trim();
  if (original === '') return { ok: false, error: `没写时间，${EXAMPLES}` };

  const { phrase, deadline } = stripDeadlineWords(squeezeSpaces(normaliseNumerals(original)));
  const relative = parseRelative(phrase, options.now);
  if (relative !== undefined) return relative;

  const now = zonedParts(options.now, options.timeZone);
  // Which words were read, and an example from them (unread-message.ts).
  // Built only when read: the free reader (src/app/understand/find-time.ts) tries many stretches of a message that
  // fail, and never shows their messages.
  const notUnderstood = (): ParseTimeResult => {
    let message: string | undefined;
    return {
      ok: false,
      get error(): string {
        message ??= unreadMessage(original, phrase, (t) => readDate(t, now, options));
        return message;
      },
    };
  };
  const dated = readDate(phrase, now, options);
  if (dated.kind === 'error') return { ok: false, error: dated.error };
  const part: DatePart | undefined = dated.kind === 'ok' ? dated.part : undefined;
  const found = (at: number): ParseTimeResult => {
    const warning = guessWarning(part?.guessedYears ?? []);
    return warning === undefined ? { ok: true, at } : { ok: true, at, warning };
  };

  const clock = parseTimeOfDay(part ? part.rest : phrase, part?.period);
  if (clock.kind === 'error') {
    const dateWords = part ? phrase.slice(0, phrase.length - part.rest.length) : '';
    return { ok: false, error: part && clock.missing ? missingClockMessage(dateWords, clock.missing) : clock.error };
  }
  const leftover = clock.kind === 'ok' ? clock.rest : (part?.rest ?? phrase);
  if (leftover !== '' || (!part && clock.kind === 'none')) return notUnderstood();

  // To the minute: the date's own fields only, never the seconds of `now` (下午3点 is 15:00:00).
  const day = (d: CalendarDate): CalendarDate => ({ year: d.year, month: d.month, day: d.day });
  const at = (date: CalendarDate, hour: number, minute: number): number =>
    hour === 24 ? fromZoned({ ...addDays(day(date), 1), hour: 0, minute }, options.timeZone) : fromZoned({ ...day(date), hour, minute }, options.timeZone);

  if (!part) {
    // A time alone: today if still ahead, else tomorrow.
    if (clock.kind !== 'ok') return notUnderstood();
    const today = at(now, clock.hour, clock.minute);
    return { ok: true, at: today > options.now ? today : at(addDays(now, 1), clock.hour, clock.minute) };
  }
  if (clock.kind !== 'ok') {
    if (part.kind === 'relative-days') return found(at(part.date, now.hour, now.minute));
    return found(at(part.date, deadline || options.deadline ? DEADLINE_HOUR : DEFAULT_HOUR, 0));
  }
  const first = at(part.date, clock.hour, clock.minute);
  if (part.kind === 'next-weekday' && first <= options.now) return found(at(addDays(part.date, 7), clock.hour, clock.minute));
  return found(first);
}

/** Calendar phrases (月底, 下个工作日) first, then plain dates. */
function readDate(phrase: string, today: CalendarDate & { readonly weekday: number }, options: ParseTimeOptions): DatePartResult {
  const workday = parseWorkdayPart(phrase, today, () => options.calendar ?? packagedCalendar());
  return workday.kind === 'none' ? parseDatePart(phrase, today) : workday;
}

/** `截止12月5日` and `12月5日前` are deadlines: the words go, the flag stays. */
function stripDeadlineWords(phrase: string): { readonly phrase: string; readonly deadline: boolean } {
  const stripped = phrase.replace(/^(?:截止到|截至到|截止|截至)/, '').replace(/(?:之前|以前|前)$/, '');
  return { phrase: stripped, deadline: stripped !== phrase };
}

/** Minutes and hours from now, to the whole minute. Undefined when the phrase is not of that form. */
function parseRelative(phrase: string, now: number): ParseTimeResult | undefined {
  const m = RELATIVE.exec(phrase);
  if (!m) return undefined;
  const [, count, halfAfter, halfAlone, unit = ''] = m;
  const unitMinutes = unit === '小时' || unit === '钟头' ? 60 : 1;
  const minutes = Number(count ?? 0) * unitMinutes + (halfAfter || halfAlone ? unitMinutes / 2 : 0);
  if (!Number.isInteger(minutes) || minutes < 1) return { ok: false, error: `时间${quote(phrase)}不对，例如：10分钟后、半小时后、2小时后` };
  // Rounded up to the whole minute: never sooner than the minutes asked for.
  return { ok: true, at: Math.ceil((now + minutes * MINUTE_MS) / MINUTE_MS) * MINUTE_MS };
}

/** Latest instant the working calendar covers (the end of 2099). */
const MAX_INSTANT = Date.UTC(2099, 11, 31, 15, 59, 59);

function outOfRange(text: string): { readonly ok: false; readonly error: string } {
  return { ok: false, error: `${quote(text)}超出了可以安排的范围，请写一个近一些的时间。` };
}
