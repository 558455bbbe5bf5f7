/**
 * Holiday arrangements typed in by hand, one file per year (`data/holidays/2027.json`), for the weeks
 * between the State Council's notice and a `chinese-days` release that has it. Format: data/holidays/README.md.
 * This module validates them; the files are read by src/store/holiday-files.ts.
 */
import { z } from 'zod';
import { parseIsoDate } from './iso-date';

const isoDate = z.string().refine((s) => parseIsoDate(s) !== undefined, { message: 'expected a real date written YYYY-MM-DD' });

const dayOff = z.union([isoDate, z.strictObject({ date: isoDate, name: z.string().trim().min(1).max(40) })]);

export const holidayOverrideSchema = z
  .strictObject({
    year: z.number().int().min(1901).max(2100),
    /** Holidays, including the weekdays 调休 turns into days off. Weekends need not be listed. */
    daysOff: z.array(dayOff),
    /** 调休 working days (weekends made working days). */
    workdays: z.array(isoDate),
    /** Where the arrangement comes from, e.g. 国办发明电〔2026〕7号. */
    source: z.string().trim().min(1),
  })
  .superRefine((value, ctx) => {
    const seen = new Set<string>();
    value.daysOff.forEach((entry, i) => {
      const date = typeof entry === 'string' ? entry : entry.date;
      if (!date.startsWith(`${value.year}-`)) ctx.addIssue({ code: 'custom', path: ['daysOff', i], message: `date ${date} is not in ${value.year}` });
      seen.add(date);
    });
    value.workdays.forEach((date, i) => {
      if (!date.startsWith(`${value.year}-`)) ctx.addIssue({ code: 'custom', path: ['workdays', i], message: `date ${date} is not in ${value.year}` });
      if (seen.has(date)) ctx.addIssue({ code: 'custom', path: ['workdays', i], message: `date ${date} is listed in daysOff too` });
    });
  });

export type HolidayOverride = z.infer<typeof holidayOverrideSchema>;

export class HolidayOverrideError extends Error {
  override readonly name = 'HolidayOverrideError';
}

function describePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text === '' ? String(key) : `${text}.${String(key)}`), '');
}

/** Validates one override; `label` names it in errors (the file path). */
export function parseHolidayOverride(raw: unknown, label: string): HolidayOverride {
  const result = holidayOverrideSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `field "${describePath(issue.path) || '(root)'}": ${issue.message}`);
    throw new HolidayOverrideError(`invalid holiday override ${label}: ${problems.join('; ')}`);
  }
  return result.data;
}

/**
 * Where a calendar's overrides come from: the files of data/holidays (src/store/holiday-files.ts). The calendar
 * reads through it at construction and on reload(), so nothing in src/time does I/O.
 */
export interface HolidayOverrideSource {
  /** Every override as it is now, validated; throws HolidayOverrideError naming the file and the field. */
  read(): readonly HolidayOverride[];
  /** Changes when read() may answer differently (an operator added or edited a year); '' when there is nothing. */
  fingerprint(): string;
}
