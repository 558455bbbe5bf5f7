/**
 * A whole message as data, for `luoshi parse` and the message table: the strict forms first (as the dispatcher
 * tries them), then the free reading (understand.ts), with the same readers the bot runs. Pure.
 *   {"command":"create","kind":"meeting","title":"支部委员会","at":"…","place":"三楼会议室","reminders":[1440,60],"inferred":[…]}
 *   {"command":"cancel","numbers":[21,22]}   {"error":"…"}
 */
import { KIND_WORDS, KINDS } from '../../domain/duty-kinds';
import { AppError } from '../../errors';
import type { DutyDraft } from '../../store/draft-repo';
import type { WorkingCalendar } from '../../time/calendar';
import { parseSchedule } from '../../time/parse-schedule';
import { toZonedIso } from '../../time/zoned';
import { parseDutyNumber, readSeriesNumber, tokenize } from '../command-line';
import { readDutyCommand } from '../duty-command';
import { inferCategory } from '../../domain/categories';
import { toAsciiWidth } from './normalise';
import { understand } from './understand';

export interface ReadMessageOptions {
  readonly now: number;
  readonly timeZone: string;
  readonly calendar: WorkingCalendar;
}

export type MessageData = Readonly<Record<string, unknown>>;

const MANAGE: Readonly<Record<string, string>> = {
  取消: 'cancel',
  改期: 'reschedule',
  催办: 'nudge',
  统计: 'tally',
  历史: 'history',
  提醒: 'reminders',
  停止: 'stop-series',
  参加: 'attend',
  请假: 'leave',
  已提交: 'submit',
  提交: 'submit',
  列表: 'list',
  确认: 'confirm',
  系列: 'series',
  模板: 'templates',
  帮助: 'help',
  类别: 'category',
};

const strictWord = (text: string, words: readonly string[]): string | undefined =>
  [...words].sort((a, b) => b.length - a.length).find((w) => text === w || (text.startsWith(w) && /^[\s#＃\d]/.test(text.slice(w.length))));

export function readMessage(message: string, options: ReadMessageOptions): MessageData {
  const text = toAsciiWidth(message).trim();
  const kindWord = strictWord(text, Object.keys(KIND_WORDS));
  if (kindWord) {
    try {
      return createData(readDutyCommand(kindWord, text.slice(kindWord.length).trim(), options), [], options);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const again = understand(text, options);
      if (again.kind !== 'duty') return { error: err.userMessage };
      try {
        return createData(readDutyCommand(again.reading.label, again.line.slice(again.reading.label.length).trim(), options), again.reading.inferred, options);
      } catch (second) {
        if (second instanceof AppError) return { error: second.userMessage };
        throw second;
      }
    }
  }
  const manageWord = strictWord(text, Object.keys(MANAGE));
  const strict = manageWord ? manageData(manageWord, text.slice(manageWord.length).trim(), options) : undefined;
  if (strict && !('error' in strict)) return strict;
  const found = understand(text, options);
  if (found.kind === 'unclear' && strict) return strict;
  if (found.kind === 'unclear') return { error: found.error ?? (found.read.length > 0 ? `没看懂；读到了${found.read.join('、')}` : '没看懂') };
  if (found.kind === 'duty') {
    try {
      const draft = readDutyCommand(found.reading.label, found.line.slice(found.reading.label.length).trim(), options);
      return { ...createData(draft, found.reading.inferred, options), ...(found.reading.guesses.length > 0 ? { guesses: found.reading.guesses } : {}) };
    } catch (err) {
      if (err instanceof AppError) return { error: err.userMessage };
      throw err;
    }
  }
  const word = strictWord(found.line, Object.keys(MANAGE));
  return word ? manageData(word, found.line.slice(word.length).trim(), options) : { error: '没看懂' };
}

function createData(draft: DutyDraft, inferred: readonly string[], options: ReadMessageOptions): MessageData {
  const schedule = draft.schedule;
  const category = draft.category ?? inferCategory(draft.kind, draft.title, draft.label);
  return {
    command: 'create',
    kind: draft.kind,
    label: draft.label,
    title: draft.title,
    ...(schedule.kind === 'once' ? { at: toZonedIso(schedule.at, options.timeZone) } : { rule: schedule.description }),
    ...(draft.place ? { place: draft.place } : {}),
    category,
    reminders: draft.offsets ?? KINDS[draft.kind].defaultOffsets,
    ...(draft.link ? { link: draft.link } : {}),
    ...(draft.notes ? { notes: draft.notes } : {}),
    ...(draft.durationMinutes ? { durationMinutes: draft.durationMinutes } : {}),
    ...(draft.host ? { host: draft.host.name } : {}),
    ...(draft.recorder ? { recorder: draft.recorder.name } : {}),
    ...(draft.agenda ? { agenda: draft.agenda } : {}),
    ...(draft.signinCode ? { signinCode: true } : {}),
    ...(draft.needsFile ? { needsFile: true } : {}),
    inferred,
  };
}

function manageData(word: string, args: string, options: ReadMessageOptions): MessageData {
  const command = MANAGE[word] ?? word;
  const tokens = tokenize(args);
  const numbers = tokens.map((t) => parseDutyNumber(t));
  const [first, ...rest] = tokens;
  const number = parseDutyNumber(first);
  switch (command) {
    case 'list':
    case 'confirm':
    case 'series':
    case 'templates':
    case 'help':
      return args === '' ? { command } : { error: '多余的文字' };
    case 'cancel':
      if (tokens.length === 0) return { command: 'cancel', numbers: [] };
      return numbers.every((n) => n !== undefined) ? { command, numbers } : { error: '请写上要取消的编号' };
    case 'stop-series': {
      const ref = readSeriesNumber(args);
      return ref && ref.rest === '' ? { command, series: ref.number } : { error: '请写上系列编号' };
    }
    case 'reschedule': {
      const ref = readSeriesNumber(args);
      const phrase = ref ? ref.rest : rest.join(' ');
      if ((!ref && number === undefined) || !phrase) return { error: '请写上编号和新的时间' };
      const parsed = parseSchedule(phrase, options);
      if (!parsed.ok) return { error: parsed.error };
      const target = ref ? { series: ref.number } : { number };
      return { command, ...target, ...(parsed.kind === 'once' ? { at: toZonedIso(parsed.at, options.timeZone) } : { rule: parsed.description }) };
    }
    case 'category':
      return number === undefined ? { error: '请写上编号和类别' } : { command, number, ...(rest.length > 0 ? { category: rest.join(' ') } : {}) };
    case 'leave':
      return number === undefined ? { error: '请写上编号' } : { command, number, ...(rest.length > 0 ? { reason: rest.join(' ') } : {}) };
    case 'reminders':
      return number === undefined || rest.length === 0 ? { error: '请写上编号和提醒时间' } : { command, number, reminders: rest.join(' ') };
    case 'tally':
      if (number === undefined && first !== undefined && !/^[#＃]/.test(first)) return { command: 'stats', period: args };
      return number === undefined || rest.length > 0 ? { error: '请写上编号' } : { command, number };
    default:
      return number === undefined || rest.length > 0 ? { error: '请写上编号' } : { command, number };
  }
}
