/**
 * A duty written as a secretary writes it: with or without spaces, with Chinese punctuation, options glued to
 * their values (`地点：三楼会议室`, `地点三楼会议室`, `提醒：提前1天`), or as the first line of a notice
 * (`明天下午3点在三楼会议室召开支部委员会，请各位委员准时参加`). Pure.
 */
import type { DutyKind } from '../../domain/types';
import { parseSchedule, type ParseScheduleOptions } from '../../time/parse-schedule';
import { categoryNamed, inferCategory } from '../../domain/categories';
import { cleanTitle, expandTitle, isFillerPart, kindOf, LEADING_KIND } from './duty-words';
import { findTime, type FoundTime } from './find-time';
import { toAsciiWidth, trimPunctuation } from './normalise';
import { findPlace } from './read-place';
import { takeOptions, type WrittenOptions } from './read-options';

/** A field the reader found without its keyword, or guessed; a duty read with any of these is previewed. */
export type Inferred = 'kind' | 'title' | 'place' | 'link' | 'reminders';

export interface DutyReading {
  readonly kind: DutyKind;
  readonly label: string;
  readonly title: string;
  readonly timePhrase: string;
  readonly time: FoundTime['result'];
  readonly place?: string;
  /** As typed, for parseOffsets. */
  readonly reminders?: string;
  readonly link?: string;
  readonly notes?: string;
  readonly category?: string;
  /** 时长, 主持人, 记录人, 议题, 类别, 签到码, 需附件 as written (read-options.ts). */
  readonly options: WrittenOptions;
  readonly inferred: readonly Inferred[];
  /** What the reader guessed, in words: 标题按「支委会」理解为支部委员会. */
  readonly guesses: readonly string[];
}

export type ReadDutyResult =
  | { readonly ok: true; readonly reading: DutyReading }
  /** `read` lists what was understood, for the answer. */
  | { readonly ok: false; readonly error: string; readonly read: readonly string[]; readonly specific?: boolean };

const AMOUNT = '(?:\\d+|[一二两三四五六七八九十]+|半)个?半?(?:星期|周|天|日|小时|钟头|分钟|分)(?:(?:\\d+|[一二两三四五六七八九十]+|半)个?半?(?:小时|钟头|分钟|分))*';
const OFFSETS = `(?:提前)?${AMOUNT}(?:[,，、和及]\\s*(?:提前)?${AMOUNT})*`;
const REMINDER_WITH_KEY = new RegExp(`提醒[:：]?\\s*(${OFFSETS})`);
const REMINDER_AFTER = new RegExp(`(提前${AMOUNT}(?:[,，、和及]\\s*(?:提前)?${AMOUNT})*)(?:提醒|通知)`);
const PLACE_WITH_KEY = /(?:会议地点|活动地点|学习地点|地点|地址)[:：]?\s*([^\s,，。；;！!？?]+)/;
const LINK_KEYED = /(?:链接|网址|地址)[:：]?\s*https?:/;
const LINK = /(?:(?:会议|学习|直播|材料)?(?:链接|网址|地址)[:：]?\s*)?(https?:\/\/[^\s，。；;）)」”]+)/;
const NOTES = /备注[:：]?\s*(.+)$/;
const DEADLINE_KEY = /((?:截止|截至)(?:时间|日期)?(?:到|至)?[:：]?)\s*(?=[0-9零〇一二两三四五六七八九十今明后下本这月年周星礼每])/;
const AFTER_WORK = /(下班(?:之|以)?前)/;
const TIME_KEY = /((?:会议|活动|学习)?时间[:：]|(?:会议|活动|学习)时间)\s*/;
const DAY_OFF = /[,，、;；]?((?:如|若)?(?:遇|逢|碰到|赶上)(?:到)?(?:法定)?(?:节假日或周末|周末或节假日|节假日|假日|假期|休息日|非工作日|周末|双休日)(?:则|就)?(?:往后|向后|往前|向前)?(?:顺延|延后|提前)(?:到|至)?(?:下(?:一|1)?个工作日|前(?:一|1)?个工作日|上(?:一|1)?个工作日|工作日)?)/;
// A quoted title stands alone; quotes inside a title (召开"两学一做"学习教育推进会) are part of it.
const STRAY_DATE = /\d{1,4}\s*年(?![度第])|\d{1,2}\s*月(?![份度])|\d{1,2}\s*[日号]|(?:今|明|后)天|下周|本周|这周|(?:周|星期|礼拜)[一二三四五六日天]|\d{1,2}[:：]\d{2}/;
const QUOTED = /[“"「『]([^”"」』]+)[”"」』](?=$|[\s,，。；;！!？?：:]|[0-9今明后大下本这每周星礼上中早晚])/;
const BARE_KEYWORD = /(?:^|[\s,，。；;])(?:地点|提醒|链接|备注)(?:[:：])?(?=$|[\s,，。；;])/;
const LEADING = new RegExp(`^(${Object.keys(LEADING_KIND).join('|')})(?![会室组])[\\s:：,，]*`);

export interface ReadDutyOptions extends ParseScheduleOptions {
  /** Whether a message without a command word may be read (free sentences); off for `会议 …` only. */
  readonly free: boolean;
}

export function readDuty(message: string, options: ReadDutyOptions): ReadDutyResult {
  let text = toAsciiWidth(message).trim();
  const read: string[] = [];
  const inferred = new Set<Inferred>();
  const guesses: string[] = [];

  const lead = LEADING.exec(text);
  const explicit = lead?.[1] ? LEADING_KIND[lead[1]] : undefined;
  if (lead && explicit) text = text.slice(lead[0].length);
  else if (!options.free) return { ok: false, error: '请以「会议」「学习」「述职」开头', read };

  const take = (re: RegExp): string | undefined => {
    const m = re.exec(text);
    if (!m) return undefined;
    text = `${text.slice(0, m.index)} ${text.slice(m.index + m[0].length)}`;
    return m[1];
  };
  // 12月3日（周四）: the weekday in brackets only confirms the date.
  text = text.replace(/[（(](?:周|星期|礼拜)[一二三四五六日天][)）]/g, '');
  const quoted = take(QUOTED);
  const dayOff = take(DAY_OFF);
  const notes = take(NOTES)?.trim();
  const written = takeOptions(text);
  text = written.text;
  const linkKeyed = LINK_KEYED.test(text);
  const link = take(LINK);
  if (link && !linkKeyed) inferred.add('link');
  let reminders = take(REMINDER_WITH_KEY);
  if (reminders === undefined) {
    reminders = take(REMINDER_AFTER);
    if (reminders !== undefined) inferred.add('reminders');
  }
  let place = take(PLACE_WITH_KEY);
  // `时间：明天下午3点`, `截止：12月20日`: the keyword goes, a 截止 makes it a deadline.
  const deadlineWord = take(DEADLINE_KEY) !== undefined || take(AFTER_WORK) !== undefined;
  // 12.10 and 12-10 are dates too, in notices (not 2026-12-10, which the grammar reads itself).
  text = text.replace(/(?<![\d./-])(1[0-2]|0?[1-9])[.-](3[01]|[12]\d|0?[1-9])(?![\d./-])/g, '$1月$2日');
  take(TIME_KEY);
  // A keyword left without its value: the strict reader's answer stands.
  if (BARE_KEYWORD.test(text)) return { ok: false, error: '选项后面要写内容', read };

  // Rooms and links named 会议… say nothing of the kind.
  const guessedKind = explicit ?? kindOf(text.replace(/会议室|会议中心|会议链接|会议号/g, ''));
  const kind = guessedKind?.kind ?? 'meeting';
  if (!explicit) inferred.add('kind');
  const found = findTime(text, { ...options, deadline: kind === 'report' || deadlineWord || options.deadline === true });
  if (!found) return { ok: false, error: '没找到时间', read: describeRead(read, quoted, place) };
  read.push(`时间「${found.phrase}」`);
  const period = /^\s*(上午|下午|晚上|早上|中午|傍晚)/.exec(text.slice(found.end))?.[1];
  if (period) return { ok: false, error: `「${found.phrase}${period}」是几点？例如：${found.phrase}${period}3点`, read, specific: true };
  text = `${text.slice(0, found.start)} ${text.slice(found.end)}`;
  // A second date or day left over means two times, or one the grammar does not read: never drop it silently.
  const stray = STRAY_DATE.exec(text)?.[0];
  if (stray) return { ok: false, error: `没看懂时间「${stray}」，例如：12月10日下午3点、下周二上午9点`, read, specific: true };
  let timePhrase = found.phrase;
  let time = found.result;
  if (dayOff && time.kind === 'recurring') {
    const withDayOff = parseSchedule(`${found.phrase}，${dayOff}`, { ...options, deadline: kind === 'report' || deadlineWord || options.deadline === true });
    if (withDayOff.ok) {
      timePhrase = `${found.phrase}，${dayOff}`;
      time = withDayOff;
    }
  }

  if (place === undefined) {
    const free = findPlace(text);
    if (free) {
      place = free.place;
      inferred.add('place');
      text = `${text.slice(0, free.start)} ${text.slice(free.end)}`;
    }
  }
  let title = quoted?.trim() ?? '';
  if (!title) {
    const residue = trimPunctuation(text);
    const parts = explicit ? residue.split(/[\s,，。；;！!？?]+/).filter((p) => p !== '' && !isFillerPart(p)) : [];
    const raw = explicit ? parts.join(' ') : cleanTitle(residue);
    if (!explicit && raw !== trimPunctuation(residue)) inferred.add('title');
    // After a command word, a title put together from pieces left on both sides of the time (会议 支部委员会 下午3点左右)
    // is a guess: previewed, so a word the grammar did not read never slips silently into the title.
    if (explicit && parts.length > 1) {
      inferred.add('title');
      guesses.push(`标题按剩下的文字理解为「${raw}」`);
    }
    title = expandTitle(raw);
    if (title !== raw) {
      inferred.add('title');
      guesses.push(`标题按「${raw}」理解为${title}`);
    }
  }
  if (!title) return { ok: false, error: '没找到标题', read: describeRead(read, quoted, place) };
  const label = explicit?.label ?? guessedKind?.label ?? '会议';
  // The category as the duty will be filed (schedules/categories.ts), unless given with 类别.
  const category = categoryNamed(written.options.category ?? '') ?? inferCategory(kind, title, label);
  if (!explicit) guesses.push(`类别：${category}`);
  return {
    ok: true,
    reading: {
      kind,
      label,
      title,
      timePhrase,
      time,
      ...(place ? { place } : {}),
      ...(reminders ? { reminders } : {}),
      ...(link ? { link } : {}),
      ...(notes ? { notes } : {}),
      category,
      options: written.options,
      inferred: [...inferred],
      guesses,
    },
  };
}

function describeRead(read: readonly string[], title: string | undefined, place: string | undefined): string[] {
  return [...read, ...(title ? [`标题「${title}」`] : []), ...(place ? [`地点「${place}」`] : [])];
}
