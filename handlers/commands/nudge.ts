import { parseDutyNumber, tokenize } from '../../src/app/command-line';
import type { CommandHandler } from '../../src/app/handler';
import { AppError, ErrorCode } from '../../src/errors';
import type { TextSegment } from '../../src/platforms/port';
import { formatDateTime } from '../../src/time/format';

/** 催办 <编号>: mention, by name, those who have not answered yet. */
export const nudge: CommandHandler = {
  name: 'nudge',
  words: ['催办'],
  help: '催办 <编号>：提醒还没回复的人，例如「催办 #7」',
  async handle(ctx) {
    const [token] = tokenize(ctx.args);
    const number = parseDutyNumber(token);
    if (number === undefined) throw new AppError(ErrorCode.BadCommand, '请写上编号，例如：催办 #7');
    await ctx.requireSecretary('nudge');
    const duty = await ctx.services.dutyService.find(ctx.message.chat, number);
    if (duty.state !== 'scheduled' || duty.at <= ctx.now) {
      throw new AppError(ErrorCode.Conflict, `#${duty.number} ${duty.state === 'cancelled' ? '已取消' : '已结束'}，无需催办。`);
    }
    const t = await ctx.services.views.tally(duty);
    if (t.pending.length === 0) {
      await ctx.reply(`#${duty.number} 大家都已回复，无需催办。`);
      return;
    }
    const action = duty.kind === 'report' ? `提交（回复「已提交 #${duty.number}」）` : `确认是否参加（回复「参加 #${duty.number}」或「请假 #${duty.number} 原因」）`;
    const segments: TextSegment[] = [{ text: '⏰ 催办 ' }];
    for (const p of t.pending) segments.push({ mention: { id: p.memberId, name: p.name } }, { text: ' ' });
    segments.push({
      text: `\n请尽快${action}：#${duty.number}「${duty.title}」 ${formatDateTime(duty.at, ctx.services.config.BOT_TIMEZONE, ctx.now)}`,
    });
    ctx.log.info({ dutyId: duty.id, pending: t.pending.length }, 'nudged');
    await ctx.reply(segments);
  },
};
