import { readSeriesNumber } from '../../src/app/command-line';
import { withDutyNumber } from '../../src/app/duty-number';
import type { CommandContext, CommandHandler } from '../../src/app/handler';
import { AppError, ErrorCode } from '../../src/errors';
import { formatDateTime } from '../../src/time/format';
import { parseSchedule } from '../../src/time/parse-schedule';
import { parseTime } from '../../src/time/parse-time';

/** 改期 <编号> <时间>: move a duty; reminders re-planned, the card updated and the group told. */
export const reschedule: CommandHandler = {
  name: 'reschedule',
  words: ['改期'],
  help: '改期 <编号> <时间>：改到新的时间，例如「改期 #7 后天上午9点」；改期 系列<编号> <规则>：调整循环事项',
  async handle(ctx) {
    const seriesRef = readSeriesNumber(ctx.args);
    if (seriesRef) {
      if (!seriesRef.rest) throw new AppError(ErrorCode.BadCommand, `请写上新的规则，例如：改期 系列${seriesRef.number} 每月第二个周三下午3点`);
      await rescheduleSeries(ctx, seriesRef.number, seriesRef.rest);
      return;
    }
    const opening = { missing: '请写上编号和新的时间，例如：改期 #7 后天上午9点', more: true, requires: 'reschedule' } as const;
    const { duty: current, rest: timeWords } = await withDutyNumber(ctx, opening);
    const tz = ctx.services.config.BOT_TIMEZONE;
    const parsed = parseTime(timeWords.join(' '), { now: ctx.now, timeZone: tz, deadline: current.kind === 'report' });
    if (!parsed.ok) throw new AppError(ErrorCode.BadTime, parsed.error);
    const { duty, previous } = await ctx.services.duties.reschedule(ctx.message.chat, current.number, parsed.at, ctx.message.sender, ctx.now);
    ctx.log.info({ dutyId: duty.id, from: previous.at, to: duty.at }, 'duty rescheduled');
    await ctx.reply(
      `📅 #${duty.number}「${duty.title}」改期：${formatDateTime(previous.at, tz, ctx.now)} → ${formatDateTime(duty.at, tz, ctx.now)}，提醒已重新安排。`,
    );
  },
};

async function rescheduleSeries(ctx: CommandContext, number: number, phrase: string): Promise<void> {
  await ctx.requireSecretary('reschedule');
  const { config, calendar, series: seriesService } = ctx.services;
  const parsed = parseSchedule(phrase, { now: ctx.now, timeZone: config.BOT_TIMEZONE, calendar });
  if (!parsed.ok) throw new AppError(ErrorCode.BadTime, parsed.error);
  if (parsed.kind !== 'recurring') throw new AppError(ErrorCode.BadTime, `系列要用循环规则，例如：改期 系列${number} 每月第二个周三下午3点`);
  const updated = await seriesService.reschedule(ctx.message.chat, number, parsed.rule, parsed.description, ctx.now);
  const next = seriesService.upcoming(updated, ctx.now).map((o) => formatDateTime(o.at, config.BOT_TIMEZONE, ctx.now));
  await ctx.reply(`系列${updated.number}「${updated.title}」改为：${parsed.description}。接下来：${next.join('、')}。已发出的事项时间不变，需要时请用「改期 #编号」。${parsed.warning ? `\n⚠️ ${parsed.warning}` : ''}`);
}
