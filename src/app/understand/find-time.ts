/**
 * The time phrase inside a free sentence: the longest stretch that the time grammar (src/time/parse-schedule.ts)
 * reads, wherever it stands: `支部委员会明天下午3点` → `明天下午3点`, `本月底前提交2026年度述职报告` → `本月底前`.
 *
 * Linear in practice: only stretches of characters a time phrase can contain are tried, each at most 32
 * characters, from the positions where a phrase can start and end.
 */
import type { ParseScheduleOptions, ParseScheduleResult } from '../../time/parse-schedule';
import { parseSchedule } from '../../time/parse-schedule';

/** Every character a phrase of the grammar can hold (CONVENTIONS.md), and a space between two of them. */
const TIME_CHAR = /[0-9:/.\- 零〇一二两三四五六七八九十年月日号点时分半刻钟整今明后大昨前天上下中午早晚傍夜凌晨本这周星期礼拜每个隔第最倒数工作季度底末截止至到以之遇逢节假休息非法定双或则就往向顺延提如若内小]/;
/** Where a phrase can start and end (a stretch is tried only between two of these). */
const STARTS = /[0-9零〇一二两三四五六七八九十今明后大昨前本这下上中早晚傍凌半周星礼每隔天工截月年]/;
const ENDS = /[0-9零〇一二两三四五六七八九十年月日号点分半刻钟整天底末前后延拜期周]/;
const MAX_STRETCH = 32;

export interface FoundTime {
  /** Where the phrase stands in the text. */
  readonly start: number;
  readonly end: number;
  readonly phrase: string;
  readonly result: Extract<ParseScheduleResult, { ok: true }>;
}

/**
 * The longest time phrase in `text` (the earliest of equally long ones), or undefined. A `，` right before
 * 遇节假日顺延 belongs to the phrase (`每月15号，遇节假日顺延`).
 */
export function findTime(text: string, options: ParseScheduleOptions): FoundTime | undefined {
  let best: FoundTime | undefined;
  const chars = [...text];
  let i = 0;
  while (i < chars.length) {
    if (!TIME_CHAR.test(chars[i] ?? '') && !dayOffComma(chars, i)) {
      i++;
      continue;
    }
    let j = i;
    while (j < chars.length && j - i < MAX_STRETCH && (TIME_CHAR.test(chars[j] ?? '') || dayOffComma(chars, j))) j++;
    const found = longestIn(chars, i, j, options, best ? best.end - best.start : 0);
    if (found && (!best || found.end - found.start > best.end - best.start)) best = found;
    i = j;
  }
  if (!best) return undefined;
  // Positions so far count code points; the caller slices strings by UTF-16 units.
  const start = chars.slice(0, best.start).join('').length;
  return { ...best, start, end: start + best.phrase.length };
}

function dayOffComma(chars: readonly string[], i: number): boolean {
  return /[,，、;；]/.test(chars[i] ?? '') && /[遇逢如若]/.test(chars[i + 1] ?? '');
}

/** A phrase never ends inside a number. */
function splitsNumber(chars: readonly string[], i: number): boolean {
  return /\d/.test(chars[i - 1] ?? '') && /\d/.test(chars[i] ?? '');
}

function longestIn(chars: readonly string[], from: number, to: number, options: ParseScheduleOptions, beat: number): FoundTime | undefined {
  let best: FoundTime | undefined;
  for (let s = from; s < to; s++) {
    // A phrase starts where its stretch starts or after a joining word (到, 于 …), never inside another
    // phrase: 13月5日 holds no 5日.
    if (!STARTS.test(chars[s] ?? '') || (s > from && STARTS.test(chars[s - 1] ?? ''))) continue;
    for (let e = to; e > s + (best ? best.end - best.start : beat); e--) {
      if (!ENDS.test(chars[e - 1] ?? '') || splitsNumber(chars, e)) continue;
      // 2026年度 is a title, not the year 2026.
      if (chars[e] === '度' && chars[e - 1] === '年') continue;
      const phrase = chars.slice(s, e).join('');
      const result = parseSchedule(phrase, options);
      if (result.ok) {
        best = { start: s, end: e, phrase, result };
        break;
      }
    }
  }
  return best;
}
