/**
 * The time-of-day half of a time phrase: an optional period word (上午, 下午, 晚上 …) and a clock reading
 * (`14:30`, `9点`, `9点30分`, `9点半`, `9点一刻`). Input is already normalised (ASCII digits, no stray spaces).
 */
import { quote } from '../domain/quote';

export type Period = 'dawn' | 'morning' | 'noon' | 'afternoon' | 'evening';

export interface PeriodWord {
  readonly period: Period;
  readonly word: string;
}

/** Longest words first where one is a prefix of another. */
const PERIOD_WORDS: readonly PeriodWord[] = [
  { word: '凌晨', period: 'dawn' },
  { word: '清晨', period: 'morning' },
  { word: '早上', period: 'morning' },
  { word: '早晨', period: 'morning' },
  { word: '上午', period: 'morning' },
  { word: '中午', period: 'noon' },
  { word: '下午', period: 'afternoon' },
  { word: '傍晚', period: 'evening' },
  { word: '晚上', period: 'evening' },
  { word: '夜里', period: 'evening' },
  { word: '夜间', period: 'evening' },
];

export type TimeOfDayResult =
  | { readonly kind: 'none' }
  | { readonly kind: 'ok'; readonly hour: number; readonly minute: number; readonly rest: string }
  /** `missing`: a period word with no clock time after it (`明天下午`). */
  | { readonly kind: 'error'; readonly error: string; readonly missing?: PeriodWord };

// 14:30 | 9点 | 9点30 | 9点30分 | 9点半 | 9点1刻 | 9点3刻 | 9点钟 | 9点整 (时 works like 点)
const CLOCK = /^(\d{1,2})(?::(\d{2})|[点时](?:(半)|([13])刻|(\d{1,2})分?|钟|整)?)/;

export function takePeriod(text: string): { readonly period?: PeriodWord; readonly rest: string } {
  const found = PERIOD_WORDS.find((p) => text.startsWith(p.word));
  return found ? { period: found, rest: text.slice(found.word.length) } : { rest: text };
}

/**
 * Reads `text` from its start. `implied` is a period that came with the date word (今晚 → 晚上).
 * Hour may come back as 24 (晚上12点 = midnight ending that day); the caller rolls it over.
 */
export function parseTimeOfDay(text: string, implied?: PeriodWord): TimeOfDayResult {
  const taken = takePeriod(text);
  const period = taken.period ?? implied;
  const m = CLOCK.exec(taken.rest);
  if (!m) {
    if (period) return { kind: 'error', error: `「${period.word}」后面要写几点，例如：明天${period.word}${periodExample(period.period)}`, missing: period };
    return { kind: 'none' };
  }
  const [reading, hourText = '', colonMinute, half, quarters, pointMinute] = m;
  const written = Number(hourText);
  const minute = colonMinute !== undefined ? Number(colonMinute) : half ? 30 : quarters ? Number(quarters) * 15 : Number(pointMinute ?? 0);
  if (written > 23) return { kind: 'error', error: `时间${quote(reading)}不对：小时要在0到23之间` };
  if (minute > 59) return { kind: 'error', error: `时间${quote(reading)}不对：分钟要在0到59之间` };
  const hour = resolveHour(written, period, hourText.length === 2 && hourText.startsWith('0'));
  if (hour === undefined) return { kind: 'error', error: `时间${quote(`${period?.word ?? ''}${reading}`)}不对，例如：上午9点、下午3点、晚上8点` };
  return { kind: 'ok', hour, minute, rest: taken.rest.slice(reading.length) };
}

/** A clock time that fits the period, for examples (`下午` → `3点`). */
export function periodExample(period: Period): string {
  switch (period) {
    case 'dawn':
      return '5点';
    case 'morning':
      return '9点';
    case 'noon':
      return '12点';
    case 'afternoon':
      return '3点';
    case 'evening':
      return '8点';
  }
}

/** 24-hour value of a written hour, or undefined when the period contradicts it (上午15点). */
function resolveHour(hour: number, period: PeriodWord | undefined, leadingZero: boolean): number | undefined {
  if (!period) {
    // Bare hours: 1–6 are afternoon (a 3 o'clock meeting is at 15:00); `05:30` with a leading zero is a 24-hour reading.
    return hour >= 1 && hour <= 6 && !leadingZero ? hour + 12 : hour;
  }
  switch (period.period) {
    case 'dawn':
      if (hour === 12) return 0;
      return hour <= 6 ? hour : undefined;
    case 'morning':
      return hour <= 12 ? hour : undefined;
    case 'noon':
      if (hour >= 1 && hour <= 6) return hour + 12;
      return hour >= 10 ? hour : undefined;
    case 'afternoon':
    case 'evening':
      if (hour >= 1 && hour <= 11) return hour + 12;
      if (hour === 12) return period.period === 'evening' ? 24 : 12;
      return hour >= 13 ? hour : undefined;
  }
}
