/**
 * 会议 / 学习 / 述职 … as one draft: the strict reading of the command's words (README). The draft is created at
 * once or after its author's 确认 (issue 12's preview) by DraftService (src/app/draft-service.ts).
 */
import { KIND_WORDS, KINDS } from '../domain/duty-kinds';
import { AppError, ErrorCode } from '../errors';
import type { DutyDraft } from '../store/draft-repo';
import type { WorkingCalendar } from '../time/calendar';
import { parseOffsets } from '../time/parse-offsets';
import { parseSchedule } from '../time/parse-schedule';
import type { Member } from '../domain/types';
import { splitOptions, tokenize } from './command-line';
import { FLAG_WORDS, OPTION_KEYWORDS, readDutyOptions } from './duty-options-reader';
import type { CommandContext } from './handler';

const KEYWORDS = ['地点', '提醒', '链接', '备注', ...OPTION_KEYWORDS] as const;

export const DUTY_EXAMPLE: Record<string, string> = {
  meeting: '会议 支部委员会 明天下午3点 地点 三楼会议室',
  study: '学习 理论学习中心组 下周二上午9点 链接 https://example.cn/材料',
  report: '述职 2026年度述职报告 截止 12月20日',
};

export interface ReadContext {
  readonly now: number;
  readonly timeZone: string;
  readonly calendar: WorkingCalendar;
  /** People @-mentioned in the message (主持人 @某人); absent in luoshi parse, which keeps the names as written. */
  readonly mentions?: readonly Pick<Member, 'id' | 'name'>[] | undefined;
}

/** The strict words after 会议 / 学习 / 述职 … as a draft; a clear Chinese refusal otherwise. */
export function readDutyCommand(verb: string, args: string, at: ReadContext): DutyDraft {
  const kind = KIND_WORDS[verb];
  if (!kind) throw new AppError(ErrorCode.BadCommand, '没看懂这个命令。');
  const example = DUTY_EXAMPLE[kind] ?? '';
  const tokens = tokenize(args);
  const flags = new Set(tokens.flatMap((t) => (FLAG_WORDS[t] ? [FLAG_WORDS[t]] : [])));
  const { head, options, repeated } = splitOptions(
    tokens.filter((t) => FLAG_WORDS[t] === undefined),
    KEYWORDS,
  );
  if (repeated.length > 0) throw new AppError(ErrorCode.BadCommand, `「${repeated[0]}」写了两次，请只写一次。例如：${example}`);
  const [title, ...timeWords] = head;
  if (!title) throw new AppError(ErrorCode.BadCommand, `请写上标题和时间，例如：${example}`);
  const timeText = timeWords.join(' ').replace(/^(截止|截至)[:：]?\s*/, '');
  if (!timeText) throw new AppError(ErrorCode.BadTime, `请写上${KINDS[kind].timeLabel === '截止' ? '截止时间' : '时间'}，例如：${example}`);
  const parsed = parseSchedule(timeText, { now: at.now, timeZone: at.timeZone, deadline: kind === 'report', calendar: at.calendar });
  if (!parsed.ok) throw new AppError(ErrorCode.BadTime, parsed.error);
  let offsets: number[] | undefined;
  const reminderText = options.get('提醒');
  if (reminderText !== undefined) {
    const res = parseOffsets(reminderText);
    if (!res.ok) throw new AppError(ErrorCode.BadInput, res.error);
    offsets = [...res.offsets];
  }
  for (const key of ['地点', '链接', '备注'] as const) {
    if (options.has(key) && !options.get(key)) throw new AppError(ErrorCode.BadCommand, `「${key}」后面要写内容。例如：${example}`);
  }
  const extra = readDutyOptions(options, flags, { kind, mentions: at.mentions });
  const place = options.get('地点');
  const link = options.get('链接');
  const notes = options.get('备注');
  return {
    kind,
    label: verb,
    title,
    schedule: parsed.kind === 'recurring' ? { kind: 'recurring', rule: parsed.rule, description: parsed.description } : { kind: 'once', at: parsed.at },
    ...(place ? { place } : {}),
    ...(link ? { link } : {}),
    ...(notes ? { notes } : {}),
    ...(offsets ? { offsets } : {}),
    ...extra,
    ...(parsed.warning ? { warning: parsed.warning } : {}),
  };
}

/** Create what the draft says, and answer in the chat (已发起 #7 … / 已建立 系列2 …). */
export async function createFromDraft(ctx: CommandContext, draft: DutyDraft, replyTo: string | undefined): Promise<void> {
  const { text } = await ctx.services.drafts.create({ chat: ctx.message.chat, organizer: ctx.message.sender, log: ctx.log, now: ctx.now }, draft, replyTo);
  await ctx.reply(text);
}
