import { parseDutyNumber, tokenize } from '../../src/app/command-line';
import type { CommandHandler } from '../../src/app/handler';
import { AppError, ErrorCode } from '../../src/errors';
import { formatDateTime } from '../../src/time/format';
import { parseTime } from '../../src/time/parse-time';

/** 改期 <编号> <时间>: move a duty; reminders re-planned, the card updated and the group told. */
export const reschedule: CommandHandler = {
  name: 'reschedule',
  words: ['改期'],
  help: '改期 <编号> <时间>：改到新的时间，例如「改期 #7 后天上午9点」',
  async handle(ctx) {
    const [token, ...timeWords] = tokenize(ctx.args);
    const number = parseDutyNumber(token);
    if (number === undefined || timeWords.length === 0) {
      throw new AppError(ErrorCode.BadCommand, '请写上编号和新的时间，例如：改期 #7 后天上午9点');
    }
    await ctx.requireSecretary('reschedule');
    const current = await ctx.services.dutyService.find(ctx.message.chat, number);
    const tz = ctx.services.config.BOT_TIMEZONE;
    const parsed = parseTime(timeWords.join(' '), { now: ctx.now, timeZone: tz, deadline: current.kind === 'report' });
    if (!parsed.ok) throw new AppError(ErrorCode.BadTime, parsed.error);
    const { duty, previous } = await ctx.services.dutyService.reschedule(ctx.message.chat, number, parsed.at, ctx.message.sender, ctx.now);
    ctx.log.info({ dutyId: duty.id, from: previous.at, to: duty.at }, 'duty rescheduled');
    await ctx.reply(
      `📅 #${duty.number}「${duty.title}」改期：${formatDateTime(previous.at, tz, ctx.now)} → ${formatDateTime(duty.at, tz, ctx.now)}，提醒已重新安排。`,
    );
  },
};
