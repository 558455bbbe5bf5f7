/**
 * 会议 / 学习 / 述职 … as one draft: the strict reading of the command's words (README), and the creation of a
 * draft, at once or after its author's 确认 (issue 12's preview). The handlers create-duty and confirm use it.
 */
import { KIND_WORDS, KINDS } from '../domain/duty-kinds';
import { describeReminders } from '../domain/reminder-plan';
import { similarNotice } from '../domain/similar-notice';
import { AppError, ErrorCode } from '../errors';
import type { DutyDraft } from '../store/draft-repo';
import type { WorkingCalendar } from '../time/calendar';
import { formatDateTime, formatOffset } from '../time/format';
import { parseOffsets } from '../time/parse-offsets';
import { parseSchedule } from '../time/parse-schedule';
import { splitOptions, tokenize } from './command-line';
import type { ChatRef, Member } from '../domain/types';
import type { Logger } from '../logger';
import type { CommandContext } from './handler';
import type { Services } from './services';

const KEYWORDS = ['地点', '提醒', '链接', '备注'] as const;

/** Chat setting: `on` creates duties read from free writing at once, without a preview (设置 直接发起 开). */
export const DIRECT_CREATE_SETTING = 'direct-create';

export const DUTY_EXAMPLE: Record<string, string> = {
  meeting: '会议 支部委员会 明天下午3点 地点 三楼会议室',
  study: '学习 理论学习中心组 下周二上午9点 链接 https://example.cn/材料',
  report: '述职 2026年度述职报告 截止 12月20日',
};

export interface ReadContext {
  readonly now: number;
  readonly timeZone: string;
  readonly calendar: WorkingCalendar;
}

/** The strict words after 会议 / 学习 / 述职 … as a draft; a clear Chinese refusal otherwise. */
export function readDutyCommand(verb: string, args: string, at: ReadContext): DutyDraft {
  const kind = KIND_WORDS[verb];
  if (!kind) throw new AppError(ErrorCode.BadCommand, '没看懂这个命令。');
  const example = DUTY_EXAMPLE[kind] ?? '';
  const { head, options, repeated } = splitOptions(tokenize(args), KEYWORDS);
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
    ...(parsed.warning ? { warning: parsed.warning } : {}),
  };
}

/** Who creates a draft, where and when: from a command or from a preview's button. */
export interface DraftCreator {
  readonly chat: ChatRef;
  readonly organizer: Member;
  readonly services: Services;
  readonly log: Logger;
  readonly now: number;
}

/** Create what the draft says: a duty with its card, or a series. Answers in the chat. */
export async function createFromDraft(ctx: CommandContext, draft: DutyDraft, replyTo: string | undefined): Promise<void> {
  const { text } = await createDraft({ chat: ctx.message.chat, organizer: ctx.message.sender, services: ctx.services, log: ctx.log, now: ctx.now }, draft, replyTo);
  await ctx.reply(text);
}

/** Create what the draft says; the answer to show (已发起 #7 … / 已建立 系列2 …) and what was made. */
export async function createDraft(c: DraftCreator, draft: DutyDraft, replyTo: string | undefined): Promise<{ text: string; made: string }> {
  const { kind, title, schedule } = draft;
  const tz = c.services.config.BOT_TIMEZONE;
  const warning = draft.warning ? `\n⚠️ ${draft.warning}` : '';
  const common = {
    chat: c.chat,
    organizer: c.organizer,
    kind,
    label: draft.label,
    title,
    ...(draft.place ? { place: draft.place } : {}),
    ...(draft.link ? { link: draft.link } : {}),
    ...(draft.notes ? { notes: draft.notes } : {}),
    ...(draft.offsets ? { offsets: draft.offsets } : {}),
  };
  if (schedule.kind === 'recurring') {
    const { series, created, similar, similarDuties } = await c.services.seriesService.create({ ...common, rule: schedule.rule, description: schedule.description }, c.now);
    const twin = similarNotice(similarDuties, similar);
    c.log.info({ seriesId: series.id, number: series.number }, 'series created');
    const next = c.services.seriesService.upcoming(series, c.now).map((o) => `${formatDateTime(o.at, tz, c.now)}${o.dayOff ? '（休息日）' : ''}`);
    const dayOffHint = next.some((n) => n.includes('休息日')) ? '\n⚠️ 有的日子是休息日；如需顺延，在规则后加「遇节假日顺延」。' : '';
    const first = created.length > 0 ? `已发起 ${created.map((d) => `#${d.number}`).join('、')}；` : '';
    return {
      made: `系列${series.number}`,
      text: `已建立 系列${series.number}「${title}」：${schedule.description}。${first}接下来：${next.join('、')}。每次会提前发出通知卡片和提醒；停止请发送「停止 系列${series.number}」。${dayOffHint}${warning}${twin}`,
    };
  }
  const at = schedule.at;
  const { duty, similar } = await c.services.dutyService.createNoting({ ...common, at, ...(replyTo ? { replyTo } : {}) }, c.now);
  const twin = similarNotice(similar);
  c.log.info({ dutyId: duty.id, number: duty.number }, 'duty created');
  const when = formatDateTime(duty.at, tz, c.now);
  const reminders = describeReminders(duty, c.now, formatOffset);
  const plan = reminders.startsWith('提前') ? `将在${reminders}提醒` : reminders;
  return { made: `#${duty.number}`, text: `已发起 #${duty.number}「${duty.title}」，${KINDS[kind].timeLabel} ${when}；${plan}。${warning}${twin}` };
}
