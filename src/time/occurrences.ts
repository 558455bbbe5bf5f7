/**
 * The next instants a recurrence rule fires: strictly after `after`, strictly increasing, never repeated.
 *
 * Dates come from rule-dates.ts and are then moved by 顺延 (next working day) or 提前 (previous one).
 * Both moves keep the order of dates, but can make two dates meet (周六 and 周日 both 顺延 to Monday;
 * a month's 31st pushed onto the next month's first working day), and 顺延 can bring a date from before
 * `after` to after it. So for 顺延 rules generation starts a month early, and any date not after the last
 * one kept is dropped: the result is strictly increasing, and resuming after any occurrence continues it.
 */
import { packagedCalendar, type WorkingCalendar } from './calendar';
import type { CalendarDate } from './date-part';
import { dayNumber, formatIsoDate, fromDayNumber, parseIsoDate } from './iso-date';
import { type RecurrenceRule, ruleUsesCalendar } from './recurrence-rule';
import { ruleDates } from './rule-dates';
import { fromZoned, zonedParts } from './zoned';

export interface Occurrence {
  readonly at: number;
  /** Only for rules kept on days off (no 顺延/提前): this occurrence falls on a holiday or weekend. */
  readonly dayOff?: true;
  /** The date, or its dayOff flag, rests on a year whose holiday arrangement is not published. */
  readonly guessed?: true;
  /** The rule's own date (YYYY-MM-DD) when 顺延/提前 moved the occurrence off it. */
  readonly movedFrom?: string;
}

export interface OccurrenceOptions {
  /** Epoch ms; every occurrence is strictly later. */
  readonly after: number;
  /** How many to return, 0–1000; fewer when the rule runs out before the end of 2099. */
  readonly count: number;
  readonly timeZone: string;
  /** Default: packagedCalendar(), which has no data/holidays overrides; the bot and the CLI pass theirs. */
  readonly calendar?: WorkingCalendar;
}

export const MAX_OCCURRENCES = 1000;
/** Longer than any run of days off, so a date 顺延'd past `after` is not missed. */
const LOOKBACK_DAYS = 31;

export function nextOccurrences(rule: RecurrenceRule, options: OccurrenceOptions): Occurrence[] {
  const { after, count, timeZone } = options;
  if (!Number.isInteger(count) || count < 0 || count > MAX_OCCURRENCES) throw new RangeError(`count must be an integer from 0 to ${MAX_OCCURRENCES}`);
  if (!Number.isFinite(after)) throw new RangeError('after must be a finite epoch time');
  const calendar = options.calendar ?? packagedCalendar();
  const afterDay = dayNumber(zonedParts(after, timeZone));
  const lookback = 'onDayOff' in rule && rule.onDayOff === 'next' ? LOOKBACK_DAYS : 0;
  const found: Occurrence[] = [];
  if (count === 0) return found;
  let [last, lastDay] = [after, -Infinity];
  for (const base of ruleDates(rule, fromDayNumber(afterDay - lookback), calendar)) {
    const date = move(rule, base, calendar);
    const day = dayNumber(date);
    // Same time of day: an earlier day, or the day already used, cannot give a later instant.
    if (day < afterDay || day <= lastDay) continue;
    const at = fromZoned({ ...date, hour: rule.hour, minute: rule.minute }, timeZone);
    if (at <= last) continue;
    const movedFrom = day === dayNumber(base) ? {} : { movedFrom: formatIsoDate(base) };
    found.push({ at, ...flags(rule, base, date, calendar), ...movedFrom });
    [last, lastDay] = [at, day];
    if (found.length === count) break;
  }
  return found;
}

/**
 * The unpublished years the dates of these occurrences rest on, for the warning text: each one's own
 * year and the year it was moved from (2027-01-01 提前 to 2026-12-31 rests on 2027). Empty for rules
 * whose dates do not depend on the calendar.
 */
export function guessedYearsOf(rule: RecurrenceRule, occurrences: readonly Occurrence[], timeZone: string, calendar: WorkingCalendar = packagedCalendar()): number[] {
  if (!ruleUsesCalendar(rule)) return [];
  const years = new Set<number>();
  for (const occurrence of occurrences.filter((o) => o.guessed)) {
    const from = occurrence.movedFrom === undefined ? undefined : parseIsoDate(occurrence.movedFrom);
    for (const year of [zonedParts(occurrence.at, timeZone).year, from?.year]) if (year !== undefined && calendar.isGuessed(year)) years.add(year);
  }
  return [...years].sort((a, b) => a - b);
}

function move(rule: RecurrenceRule, date: CalendarDate, calendar: WorkingCalendar): CalendarDate {
  if (!('onDayOff' in rule) || rule.onDayOff === 'keep') return date;
  return rule.onDayOff === 'next' ? calendar.nextWorkday(date, { includeSelf: true }) : calendar.previousWorkday(date, { includeSelf: true });
}

function flags(rule: RecurrenceRule, base: CalendarDate, date: CalendarDate, calendar: WorkingCalendar): Pick<Occurrence, 'dayOff' | 'guessed'> {
  const day = calendar.day(date);
  const guessed = day.guessed || calendar.isGuessed(base.year);
  if (ruleUsesCalendar(rule)) return guessed ? { guessed: true } : {};
  return { ...(day.workday ? {} : { dayOff: true as const }), ...(guessed ? { guessed: true as const } : {}) };
}
