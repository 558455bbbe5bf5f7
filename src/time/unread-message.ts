/**
 * The answer to a time phrase that could not be read as a whole: which words were read (a date, a clock time),
 * what was left over, and one example built from what was typed (`读到了日期 12月7日，缺少钟点，例如：12月7日下午3点`).
 * Only called on failure, so it may read the phrase again from every position.
 */
import { normaliseNumerals } from './chinese-numerals';
import type { DatePartResult } from './date-part';
import { parseTimeOfDay, periodExample, type PeriodWord } from './time-of-day';
import { quote } from '../domain/quote';

export const EXAMPLES = '例如：明天下午3点、12月5日14:30、下周二上午9点';

/** The date reader parseTime uses, bound to its `now` and calendar. */
export type DateReader = (text: string) => DatePartResult;

interface Reading {
  /** The date words read (`12月7日`), if any. */
  readonly date?: string;
  /** The clock words read (`下午3点`), if any. */
  readonly clock?: string;
  /** What follows them. */
  readonly rest: string;
}

/** 周5 → 周五: words shown as a person writes them (the grammar reads normalised digits). */
function shown(words: string): string {
  return words.replace(/(周|星期|礼拜)([1-7])/g, (_m, week: string, day: string) => `${week}${'一二三四五六日'[Number(day) - 1] ?? day}`);
}

/** A date and/or a clock time read from the start of `text`; undefined when neither is there. */
function readFrom(text: string, readDate: DateReader): Reading | undefined {
  const dated = readDate(text);
  if (dated.kind === 'error') return undefined;
  const afterDate = dated.kind === 'ok' ? dated.part.rest : text;
  const clock = parseTimeOfDay(afterDate, dated.kind === 'ok' ? dated.part.period : undefined);
  const date = dated.kind === 'ok' ? text.slice(0, text.length - afterDate.length).trim() : undefined;
  if (clock.kind !== 'ok') return date === undefined ? undefined : { date: shown(date), rest: afterDate.trim() };
  const clockWords = afterDate.slice(0, afterDate.length - clock.rest.length).trim();
  return { ...(date === undefined ? {} : { date: shown(date) }), clock: clockWords, rest: clock.rest.trim() };
}

/** The first position after the start where a reading begins. */
function readLater(text: string, readDate: DateReader): { readonly before: string; readonly reading: Reading } | undefined {
  const chars = [...text];
  for (let i = 1; i < chars.length; i++) {
    const reading = readFrom(chars.slice(i).join(''), readDate);
    if (reading) return { before: chars.slice(0, i).join('').trim(), reading };
  }
  return undefined;
}

/** An example from the words read, kept only when it reads in full itself. */
function example(words: string, readDate: DateReader): string {
  const reading = readFrom(normaliseNumerals(words), readDate);
  return reading !== undefined && reading.rest === '' ? `例如：${words}` : EXAMPLES;
}

/** A clock time to put after date words; 今晚/明早 bring their own period. */
function clockFor(date: string): string {
  if (date.endsWith('晚')) return '8点';
  if (date.endsWith('早')) return '9点';
  return '下午3点';
}

/**
 * `original` as typed (for the quote), `phrase` normalised as parseTime reads it (ASCII digits, deadline words
 * taken off).
 */
export function unreadMessage(original: string, phrase: string, readDate: DateReader): string {
  const head = `没看懂时间${quote(original)}`;
  const first = readFrom(phrase, readDate);
  if (first?.date !== undefined && first.clock !== undefined) {
    const words = `${first.date}${first.clock}`;
    return `${head}：读到了 ${words}，${quote(first.rest)}没看懂，${example(words, readDate)}`;
  }
  if (first?.date !== undefined) {
    const later = readLater(first.rest, readDate);
    if (later?.reading.clock !== undefined && later.reading.date === undefined) {
      const words = `${first.date}${later.reading.clock}`;
      return `${head}：读到了日期 ${first.date} 和钟点 ${later.reading.clock}，${quote(later.before)}没看懂，${example(words, readDate)}`;
    }
    return `${head}：读到了日期 ${first.date}，缺少钟点（${quote(first.rest)}没看懂），${example(`${first.date}${clockFor(first.date)}`, readDate)}`;
  }
  if (first?.clock !== undefined) {
    const date = readFrom(first.rest, readDate);
    if (date?.date !== undefined && date.clock === undefined && date.rest === '') {
      return `${head}：读到了钟点 ${first.clock}，日期 ${date.date} 要写在钟点前面，${example(`${date.date}${first.clock}`, readDate)}`;
    }
    return `${head}：读到了钟点 ${first.clock}，缺少日期（${quote(first.rest)}没看懂），${example(`明天${first.clock}`, readDate)}`;
  }
  const later = readLater(phrase, readDate);
  if (later) {
    const { date, clock } = later.reading;
    const words = `${date ?? ''}${clock ?? ''}`;
    const full = date === undefined ? `明天${words}` : clock === undefined ? `${date}${clockFor(date)}` : words;
    return `${head}：读到了 ${words}，前面的${quote(later.before)}没看懂，${example(full, readDate)}`;
  }
  return `${head}，${EXAMPLES}`;
}

/** A date read and a period word with no clock time after it: `读到了日期 12月7日，缺少钟点：「下午」后面要写几点，例如：12月7日下午3点`. */
export function missingClockMessage(dateWords: string, period: PeriodWord): string {
  const date = shown(dateWords.trim());
  const word = date.endsWith(period.word) || /[晚早]$/.test(date) ? '' : period.word;
  return `读到了日期 ${date}，缺少钟点：「${period.word}」后面要写几点，例如：${date}${word}${periodExample(period.period)}`;
}
