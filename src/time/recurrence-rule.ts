/**
 * A recurrence as plain JSON data (it is stored in Redis), checked by `recurrenceRuleSchema`.
 * Dates are wall dates and times wall-clock times in the group's time zone, which is not part of the rule.
 */
import { z } from 'zod';
import { parseIsoDate } from './iso-date';
import { weekdayOf } from './zoned';

/**
 * What happens when an occurrence falls on a day off (rules that name dates, not working days):
 * keep = it stays (and is flagged dayOff), next = 遇节假日顺延, previous = 遇节假日提前.
 */
export const ON_DAY_OFF = ['keep', 'next', 'previous'] as const;
export type OnDayOff = (typeof ON_DAY_OFF)[number];

const hour = z.number().int().min(0).max(23);
const minute = z.number().int().min(0).max(59);
const weekday = z.number().int().min(1).max(7); // ISO: 1 = Monday … 7 = Sunday
const onDayOff = z.enum(ON_DAY_OFF);

const base = { version: z.literal(1), hour, minute };
const dated = { ...base, onDayOff };

const daily = z.strictObject({ kind: z.literal('daily'), ...dated });

/** Every working day of the calendar (调休 Saturdays included, holidays left out). */
const workday = z.strictObject({ kind: z.literal('workday'), ...base });

const weekly = z
  .strictObject({
    kind: z.literal('weekly'),
    ...dated,
    /** Ascending, no repeats. */
    weekdays: z.array(weekday).min(1).max(7),
    /** 1 = every week, 2 = 每两周 … */
    interval: z.number().int().min(1).max(4),
    /** Monday (YYYY-MM-DD) of a week the rule runs in; required when interval > 1. */
    anchor: z.string().optional(),
  })
  .superRefine((rule, ctx) => {
    if (rule.weekdays.some((d, i) => i > 0 && d <= (rule.weekdays[i - 1] ?? 0))) {
      ctx.addIssue({ code: 'custom', path: ['weekdays'], message: 'must be ascending without repeats' });
    }
    if (rule.interval > 1 && rule.anchor === undefined) ctx.addIssue({ code: 'custom', path: ['anchor'], message: 'required when interval > 1' });
    if (rule.anchor !== undefined) {
      const date = parseIsoDate(rule.anchor);
      if (!date || weekdayOf(date) !== 1) ctx.addIssue({ code: 'custom', path: ['anchor'], message: 'must be a Monday written YYYY-MM-DD' });
    }
  });

/** 每月N号; in a month without that day (31 in April) the month's last day. */
const monthlyDay = z.strictObject({ kind: z.literal('monthly-day'), ...dated, day: z.number().int().min(1).max(31) });

/** 每月第N个周X (nth 1–5; a month without a fifth one is skipped) or 每月最后一个周X (nth -1). */
const monthlyWeekday = z.strictObject({
  kind: z.literal('monthly-weekday'),
  ...dated,
  nth: z.union([z.number().int().min(1).max(5), z.literal(-1)]),
  weekday,
});

/** Most working days a period can have: a 31-day month starting on Monday has 23 weekdays. */
export const MAX_NTH_WORKDAY = { month: 23, quarter: 66, year: 262 } as const;

/** The nth working day of each month, quarter or year; negative counts from the end (-1 = last). Periods with fewer are skipped. */
const nthWorkday = z
  .strictObject({ kind: z.literal('nth-workday'), ...base, period: z.enum(['month', 'quarter', 'year']), nth: z.number().int() })
  .refine((rule) => rule.nth !== 0 && Math.abs(rule.nth) <= MAX_NTH_WORKDAY[rule.period], {
    message: 'must be non-zero and within the working days of the period',
    path: ['nth'],
  });

/** 每年M月D日 (2月29日 is refused: it is not there every year). */
const yearlyDate = z
  .strictObject({ kind: z.literal('yearly-date'), ...dated, month: z.number().int().min(1).max(12), day: z.number().int().min(1).max(31) })
  .refine((rule) => parseIsoDate(`2025-${String(rule.month).padStart(2, '0')}-${String(rule.day).padStart(2, '0')}`) !== undefined, {
    message: 'no such day in every year',
    path: ['day'],
  });

export const recurrenceRuleSchema = z.discriminatedUnion('kind', [daily, workday, weekly, monthlyDay, monthlyWeekday, nthWorkday, yearlyDate]);

export type RecurrenceRule = z.infer<typeof recurrenceRuleSchema>;
export type RecurrenceKind = RecurrenceRule['kind'];

/** Whether the dates of the rule depend on the holiday calendar (not just its dayOff flags). */
export function ruleUsesCalendar(rule: RecurrenceRule): boolean {
  return rule.kind === 'workday' || rule.kind === 'nth-workday' || rule.onDayOff !== 'keep';
}
