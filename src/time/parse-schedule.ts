/**
 * A schedule phrase → one instant (`明天下午3点`, via parseTime) or a recurrence rule
 * (`每月最后一个工作日 15:00`, `每月15号 遇节假日顺延`). Conventions: CONVENTIONS.md.
 */
import { packagedCalendar } from './calendar';
import { normaliseNumerals, squeezeSpaces, toHalfWidth } from './chinese-numerals';
import type { CalendarDate } from './date-part';
import { describeRule } from './describe-rule';
import { guessWarning } from './guess-warning';
import { dayNumber, formatIsoDate, fromDayNumber } from './iso-date';
import { guessedYearsOf, nextOccurrences } from './occurrences';
import { DEADLINE_HOUR, DEFAULT_HOUR, parseTime, type ParseTimeOptions } from './parse-time';
import { looksRecurring, parseRuleHead, type RuleHead } from './recurrence-grammar';
import { type OnDayOff, type RecurrenceRule, recurrenceRuleSchema, ruleUsesCalendar } from './recurrence-rule';
import { parseTimeOfDay } from './time-of-day';
import { fromZoned, weekdayOf, zonedParts } from './zoned';
import { quote } from '../domain/quote';

export type ParseScheduleOptions = ParseTimeOptions;

export type ParseScheduleResult =
  | { readonly ok: true; readonly kind: 'once'; readonly at: number; readonly warning?: string }
  | { readonly ok: true; readonly kind: 'recurring'; readonly rule: RecurrenceRule; readonly description: string; readonly warning?: string }
  | { readonly ok: false; readonly error: string };

// 遇节假日顺延, 逢节假日提前, 节假日顺延至下一个工作日, 如遇周末或节假日则顺延
const ON_DAY_OFF =
  /[,，、;；]?(?:如|若)?(?:遇|逢|碰到|赶上)?(?:到)?(?:法定)?(?:节假日或周末|周末或节假日|节假日和周末|节假日|假日|假期|休息日|非工作日|周末|双休日)(?:则|就)?(?:往后|向后|往前|向前)?(顺延|延后|提前)(?:到|至)?(?:下(?:一|1)?个工作日|前(?:一|1)?个工作日|上(?:一|1)?个工作日|工作日)?[,，;；。]?/;
const EDGE_PUNCTUATION = /^[,，、;；。\s]+|[,，、;；。\s]+$/g;
/** How many occurrences parseSchedule looks at to decide on a warning. */
const PREVIEW = 3;

/**
 * Never throws: a phrase whose time no calendar can hold (`99999999999天后`) is answered like any other mistake.
 */
export function parseSchedule(text: string, options: ParseScheduleOptions): ParseScheduleResult {
  try {
    const result = parseScheduleUnchecked(text, options);
    if (result.ok && 'at' in result && !(Number.isFinite(result.at) && Math.abs(result.at) <= MAX_INSTANT)) return outOfRange(text);
    return result;
  } catch (err) {
    if (err instanceof RangeError) return outOfRange(text);
    throw err;
  }
}

function parseScheduleUnchecked(text: string, options: ParseScheduleOptions): ParseScheduleResult {
  let phrase = squeezeSpaces(toHalfWidth(text));
  const dayOffWords = ON_DAY_OFF.exec(phrase);
  if (dayOffWords) phrase = (phrase.slice(0, dayOffWords.index) + phrase.slice(dayOffWords.index + dayOffWords[0].length)).replace(EDGE_PUNCTUATION, '');
  const stripped = phrase.replace(/^(?:截止到|截至到|截止|截至)/, '').replace(/(?:之前|以前|前)$/, '');
  if (!looksRecurring(stripped)) {
    if (dayOffWords) return { ok: false, error: `${quote(dayOffWords[0].replace(EDGE_PUNCTUATION, ''))}只用于循环提醒，例如：每月15号上午9点，遇节假日顺延` };
    const once = parseTime(text, options);
    if (!once.ok) return once;
    return { ok: true, kind: 'once', at: once.at, ...(once.warning === undefined ? {} : { warning: once.warning }) };
  }
  const onDayOff: OnDayOff = dayOffWords ? (dayOffWords[1] === '提前' ? 'previous' : 'next') : 'keep';
  const deadline = stripped !== phrase || options.deadline === true;
  const head = parseRuleHead(stripped);
  if (!head.ok) return head;

  const rest = squeezeSpaces(normaliseNumerals(head.rest.replace(EDGE_PUNCTUATION, '')));
  const clock = parseTimeOfDay(rest);
  if (clock.kind === 'error') return { ok: false, error: clock.error.replace('例如：明天', '例如：每天') };
  if ((clock.kind === 'none' && rest !== '') || (clock.kind === 'ok' && clock.rest !== '')) {
    return { ok: false, error: `没看懂${quote(text)}里的时间，例如：每周一上午9点、每月最后一个工作日15:00` };
  }
  const time = clock.kind === 'ok' ? { hour: clock.hour, minute: clock.minute } : { hour: deadline ? DEADLINE_HOUR : DEFAULT_HOUR, minute: 0 };
  if (time.hour > 23) return { ok: false, error: '循环提醒的时间要在当天之内，例如：晚上11点半（23:30）' };

  const rule = recurrenceRuleSchema.parse(buildRule(head.head, time, onDayOff, options));
  const calendar = options.calendar ?? packagedCalendar();
  const preview = ruleUsesCalendar(rule) ? nextOccurrences(rule, { after: options.now, count: PREVIEW, timeZone: options.timeZone, calendar }) : [];
  const warning = guessWarning(guessedYearsOf(rule, preview, options.timeZone, calendar));
  return { ok: true, kind: 'recurring', rule, description: describeRule(rule), ...(warning === undefined ? {} : { warning }) };
}

type Time = { readonly hour: number; readonly minute: number };

function buildRule(head: RuleHead, time: Time, onDayOff: OnDayOff, options: ParseScheduleOptions): RecurrenceRule {
  const base = { version: 1 as const, ...time };
  switch (head.kind) {
    case 'daily':
      // 每天 + 顺延/提前 moves every day off onto a working day it shares with a working day's own occurrence.
      return onDayOff === 'keep' ? { kind: 'daily', ...base, onDayOff } : { kind: 'workday', ...base };
    case 'workday':
      return { kind: 'workday', ...base };
    case 'nth-workday':
      return { kind: 'nth-workday', ...base, period: head.period, nth: head.nth };
    case 'weekly': {
      const weekdays = [...head.weekdays];
      if (head.interval === 1) return { kind: 'weekly', ...base, onDayOff, weekdays, interval: 1 };
      return { kind: 'weekly', ...base, onDayOff, weekdays, interval: head.interval, anchor: anchorMonday(weekdays, time, options) };
    }
    case 'monthly-day':
      return { kind: 'monthly-day', ...base, onDayOff, day: head.day };
    case 'monthly-weekday':
      return { kind: 'monthly-weekday', ...base, onDayOff, nth: head.nth, weekday: head.weekday };
    case 'yearly-date':
      return { kind: 'yearly-date', ...base, onDayOff, month: head.month, day: head.day };
  }
}

/** 每两周: the weeks counted from the one holding the first occurrence still ahead of now. */
function anchorMonday(weekdays: readonly number[], time: Time, options: ParseScheduleOptions): string {
  const today = dayNumber(zonedParts(options.now, options.timeZone));
  for (let d = today; ; d++) {
    const date: CalendarDate = fromDayNumber(d);
    if (weekdays.includes(weekdayOf(date)) && fromZoned({ ...date, ...time }, options.timeZone) > options.now) {
      return formatIsoDate(fromDayNumber(d - weekdayOf(date) + 1));
    }
  }
}

/** Latest instant the working calendar covers (the end of 2099). */
const MAX_INSTANT = Date.UTC(2099, 11, 31, 15, 59, 59);

function outOfRange(text: string): { readonly ok: false; readonly error: string } {
  return { ok: false, error: `${quote(text)}超出了可以安排的范围，请写一个近一些的时间。` };
}
