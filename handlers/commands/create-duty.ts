import { splitOptions, tokenize } from '../../src/app/command-line';
import type { CommandHandler } from '../../src/app/handler';
import { KIND_WORDS, KINDS } from '../../src/domain/duty-kinds';
import { describeReminders } from '../../src/domain/reminder-plan';
import { AppError, ErrorCode } from '../../src/errors';
import { formatDateTime, formatOffset } from '../../src/time/format';
import { parseOffsets } from '../../src/time/parse-offsets';
import { parseSchedule } from '../../src/time/parse-schedule';

const KEYWORDS = ['地点', '提醒', '链接', '备注'] as const;

const EXAMPLE: Record<string, string> = {
  meeting: '会议 支部委员会 明天下午3点 地点 三楼会议室',
  study: '学习 理论学习中心组 下周二上午9点 链接 https://example.cn/材料',
  report: '述职 2026年度述职报告 截止 12月20日',
};

/** 会议 / 学习 / 述职 / 报告 / 材料 <标题> [截止] <时间> [地点 …] [提醒 提前1天,提前2小时] [链接 …] [备注 …] */
export const createDuty: CommandHandler = {
  name: 'create-duty',
  words: Object.keys(KIND_WORDS),
  help: '会议 / 学习 <标题> <时间> [地点 <地点>] [提醒 提前1天,提前2小时]：发起会议或学习，例如「会议 支部委员会 明天下午3点 地点 三楼会议室」；时间写成「每月最后一个工作日 15:00」等即为循环事项\n述职 / 报告 / 材料 <标题> 截止 <时间>：发起报告类事项，例如「述职 2026年度述职报告 截止 12月20日」',
  async handle(ctx) {
    const kind = KIND_WORDS[ctx.verb];
    if (!kind) throw new AppError(ErrorCode.BadCommand, '没看懂这个命令。');
    const example = EXAMPLE[kind] ?? '';
    await ctx.requireSecretary('create');
    const { head, options, repeated } = splitOptions(tokenize(ctx.args), KEYWORDS);
    if (repeated.length > 0) throw new AppError(ErrorCode.BadCommand, `「${repeated[0]}」写了两次，请只写一次。例如：${example}`);
    const [title, ...timeWords] = head;
    if (!title) throw new AppError(ErrorCode.BadCommand, `请写上标题和时间，例如：${example}`);
    const deadline = kind === 'report';
    const timeText = timeWords.join(' ').replace(/^(截止|截至)[:：]?\s*/, '');
    if (!timeText) throw new AppError(ErrorCode.BadTime, `请写上${KINDS[kind].timeLabel === '截止' ? '截止时间' : '时间'}，例如：${example}`);
    const tz = ctx.services.config.BOT_TIMEZONE;
    const parsed = parseSchedule(timeText, { now: ctx.now, timeZone: tz, deadline, calendar: ctx.services.calendar });
    if (!parsed.ok) throw new AppError(ErrorCode.BadTime, parsed.error);
    const warning = parsed.warning ? `\n⚠️ ${parsed.warning}` : '';
    let offsets: readonly number[] | undefined;
    const reminderText = options.get('提醒');
    if (reminderText !== undefined) {
      const res = parseOffsets(reminderText);
      if (!res.ok) throw new AppError(ErrorCode.BadInput, res.error);
      offsets = res.offsets;
    }
    for (const key of ['地点', '链接', '备注'] as const) {
      if (options.has(key) && !options.get(key)) throw new AppError(ErrorCode.BadCommand, `「${key}」后面要写内容。例如：${example}`);
    }
    const place = options.get('地点');
    const link = options.get('链接');
    const notes = options.get('备注');
    if (parsed.kind === 'recurring') {
      const { series, created } = await ctx.services.seriesService.create(
        {
          chat: ctx.message.chat,
          organizer: ctx.message.sender,
          kind,
          label: ctx.verb,
          title,
          rule: parsed.rule,
          description: parsed.description,
          ...(place ? { place } : {}),
          ...(link ? { link } : {}),
          ...(notes ? { notes } : {}),
          ...(offsets ? { offsets } : {}),
        },
        ctx.now,
      );
      ctx.log.info({ seriesId: series.id, number: series.number }, 'series created');
      const next = ctx.services.seriesService.upcoming(series, ctx.now).map((o) => `${formatDateTime(o.at, tz, ctx.now)}${o.dayOff ? '（休息日）' : ''}`);
      const dayOffHint = next.some((n) => n.includes('休息日')) ? '\n⚠️ 有的日子是休息日；如需顺延，在规则后加「遇节假日顺延」。' : '';
      const first = created.length > 0 ? `已发起 ${created.map((d) => `#${d.number}`).join('、')}；` : '';
      await ctx.reply(
        `已建立 系列${series.number}「${title}」：${parsed.description}。${first}接下来：${next.join('、')}。每次会提前发出通知卡片和提醒；停止请发送「停止 系列${series.number}」。${dayOffHint}${warning}`,
      );
      return;
    }
    const duty = await ctx.services.dutyService.create(
      {
        chat: ctx.message.chat,
        organizer: ctx.message.sender,
        kind,
        label: ctx.verb,
        title,
        at: parsed.at,
        ...(place ? { place } : {}),
        ...(link ? { link } : {}),
        ...(notes ? { notes } : {}),
        ...(offsets ? { offsets } : {}),
        replyTo: ctx.message.messageId,
      },
      ctx.now,
    );
    ctx.log.info({ dutyId: duty.id, number: duty.number }, 'duty created');
    const when = formatDateTime(duty.at, tz, ctx.now);
    const reminders = describeReminders(duty, ctx.now, formatOffset);
    const plan = reminders.startsWith('提前') ? `将在${reminders}提醒` : reminders;
    await ctx.reply(`已发起 #${duty.number}「${duty.title}」，${KINDS[kind].timeLabel} ${when}；${plan}。${warning}`);
  },
};
