/**
 * The head of a recurrence phrase: 每天, 每个工作日, 每周一三五 (每个礼拜一, 每星期五), 每两周周三, 每月15号, 每月第2个周五,
 * 每月最后一个周五, 每月第一个工作日, 每月底, 每季度第3个工作日, 每季度末, 每年7月1日, 每年年底.
 *
 * Read before Chinese numerals are turned into digits, so `每周一10点` stays 周一 + 10点 rather than
 * becoming `每周110点`. Numbers inside the head may be Chinese or Arabic.
 */
import { chineseNumeralToArabic } from './chinese-numerals';
import { daysInMonth } from './zoned';
import { MAX_NTH_WORKDAY, type RecurrenceRule } from './recurrence-rule';

/** A rule without its time of day, 顺延/提前 choice and version, which the caller adds. */
export type RuleHead =
  | { readonly kind: 'daily' }
  | { readonly kind: 'workday' }
  | { readonly kind: 'weekly'; readonly weekdays: readonly number[]; readonly interval: number }
  | { readonly kind: 'monthly-day'; readonly day: number }
  | { readonly kind: 'monthly-weekday'; readonly nth: number; readonly weekday: number }
  | { readonly kind: 'nth-workday'; readonly period: Extract<RecurrenceRule, { kind: 'nth-workday' }>['period']; readonly nth: number }
  | { readonly kind: 'yearly-date'; readonly month: number; readonly day: number };

export type HeadResult = { readonly ok: true; readonly head: RuleHead; readonly rest: string } | { readonly ok: false; readonly error: string };

const NUM = '(\\d{1,3}|[零〇一二两三四五六七八九十]+)';
const WEEK = '(?:周|星期|礼拜)';
// A weekday, unless it is really the hour: 每周五三点 = Friday 3 o'clock, 每周110点 = Monday 10 o'clock.
// An Arabic weekday right before a one-digit hour (每周19点) cannot be told apart: write 每周1 9点.
const W = '(?:[一二三四五六日天](?![点时:])|[1-7](?!\\d?[点时:]))';
const WEEKDAY_OF: Readonly<Record<string, number>> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7 };
const PERIOD_OF: Readonly<Record<string, 'month' | 'quarter' | 'year'>> = { 月: 'month', 季度: 'quarter', 季: 'quarter', 年: 'year' };
const PERIOD_NAME = { month: '月', quarter: '季度', year: '年' } as const;

const toNumber = (text: string | undefined): number => (text === undefined ? NaN : /^\d+$/.test(text) ? Number(text) : Number(chineseNumeralToArabic(text) ?? NaN));
const toWeekday = (c: string): number => WEEKDAY_OF[c] ?? Number(c);

type Built = RuleHead | string;

interface Matcher {
  readonly pattern: RegExp;
  readonly build: (m: RegExpExecArray) => Built;
}

function weekly(m: RegExpExecArray): Built {
  const [, skip, every, alternate, from, to, list] = m;
  let interval = 1;
  if (alternate !== undefined) interval = 2;
  else if (skip !== undefined) {
    if (toNumber(skip) !== 1) return `「每隔${skip}周」说法有歧义，请写「每2周」「每3周」这样的说法`;
    interval = 2;
  } else if (every !== undefined) interval = toNumber(every);
  if (!Number.isInteger(interval) || interval < 1 || interval > 4) return '每隔几周要在1到4周之间，例如：每两周周三';
  let weekdays: number[];
  if (from !== undefined && to !== undefined) {
    const [a, b] = [toWeekday(from), toWeekday(to)];
    if (a >= b) return `「周${from}到周${to}」不对，例如：每周一至周五`;
    weekdays = Array.from({ length: b - a + 1 }, (_, i) => a + i);
  } else {
    weekdays = [...new Set([...(list ?? '')].filter((c) => /[1-7一二三四五六日天]/.test(c)).map(toWeekday))].sort((x, y) => x - y);
  }
  return { kind: 'weekly', weekdays, interval };
}

function nthWorkday(periodWord: string | undefined, first: string | undefined, fromEnd: string | undefined): Built {
  const period = PERIOD_OF[periodWord ?? ''] ?? 'month';
  const nth = first !== undefined ? toNumber(first) : fromEnd !== undefined ? -toNumber(fromEnd) : -1;
  if (!Number.isInteger(nth) || nth === 0) return '第几个工作日要从1数起，例如：每月第1个工作日';
  if (Math.abs(nth) > MAX_NTH_WORKDAY[period]) return `每${PERIOD_NAME[period]}最多${MAX_NTH_WORKDAY[period]}个工作日`;
  return { kind: 'nth-workday', period, nth };
}

const MATCHERS: readonly Matcher[] = [
  { pattern: /^(?:每(?:一|1)?[天日]|天天)/, build: () => ({ kind: 'daily' }) },
  { pattern: /^(?:每(?:个|一个|1个)?工作日|工作日每天|每逢工作日)/, build: () => ({ kind: 'workday' }) },
  {
    pattern: new RegExp(`^(?:每(?:隔${NUM}个?|${NUM}个?|个)?|(隔))${WEEK}(?:的)?(?:${WEEK}?(${W})(?:至|到|-|~)${WEEK}?(${W})|(${WEEK}?${W}(?:[、,，和及与]?${WEEK}?${W})*))?`),
    build: weekly,
  },
  {
    pattern: new RegExp(`^每个?月(?:的)?第${NUM}个${WEEK}(${W})`),
    build: (m) => {
      const nth = toNumber(m[1]);
      if (!Number.isInteger(nth) || nth < 1 || nth > 5) return '每月第几个周几要在第1到第5个之间';
      return { kind: 'monthly-weekday', nth, weekday: toWeekday(m[2] ?? '') };
    },
  },
  { pattern: new RegExp(`^每个?月(?:的)?最后(?:一|1)?个${WEEK}(${W})`), build: (m) => ({ kind: 'monthly-weekday', nth: -1, weekday: toWeekday(m[1] ?? '') }) },
  {
    pattern: new RegExp(`^每个?(月|季度|季|年)(?:的)?(?:第${NUM}个工作日|最后(?:一|1)?个工作日|倒数第${NUM}个工作日|(?:月|季度|季|年)?(?:底|末))`),
    build: (m) => nthWorkday(m[1], m[2], m[3]),
  },
  {
    pattern: new RegExp(`^每个?月(?:的)?${NUM}[日号]`),
    build: (m) => {
      const day = toNumber(m[1]);
      return Number.isInteger(day) && day >= 1 && day <= 31 ? { kind: 'monthly-day', day } : `没有${m[1]}号，每月几号要在1到31之间`;
    },
  },
  {
    pattern: new RegExp(`^每年(?:的)?${NUM}月${NUM}[日号]`),
    build: (m) => {
      const [month, day] = [toNumber(m[1]), toNumber(m[2])];
      if (month === 2 && day === 29) return '2月29日不是每年都有，请换一天，例如：每年2月28日';
      if (!Number.isInteger(month) || month < 1 || month > 12 || !Number.isInteger(day) || day < 1 || day > daysInMonth(2025, month)) {
        return `没有这一天：${m[1]}月${m[2]}日`;
      }
      return { kind: 'yearly-date', month, day };
    },
  },
];

/** Whether the phrase asks for a recurrence at all (otherwise it is a one-off time). */
export function looksRecurring(text: string): boolean {
  return /^(?:每|隔周|天天|工作日每天)/.test(text);
}

export function parseRuleHead(text: string): HeadResult {
  for (const { pattern, build } of MATCHERS) {
    const m = pattern.exec(text);
    if (!m) continue;
    const head = build(m);
    if (typeof head === 'string') return { ok: false, error: head };
    if (head.kind === 'weekly' && head.weekdays.length === 0) return { ok: false, error: '每周几？例如：每周一上午9点、每周一三五、每两周周三' };
    return { ok: true, head, rest: text.slice(m[0].length) };
  }
  return { ok: false, error: `没看懂周期「${text}」，例如：每周一上午9点、每月最后一个工作日15:00、每季度第3个工作日` };
}
