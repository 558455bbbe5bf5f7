import { parseDutyNumber, tokenize } from '../../src/app/command-line';
import type { CommandHandler } from '../../src/app/handler';
import { AppError, ErrorCode } from '../../src/errors';

/** 取消 <编号>: cancel a duty; its pending reminders are removed and its card shows 已取消. */
export const cancel: CommandHandler = {
  name: 'cancel',
  words: ['取消'],
  help: '取消 <编号>：取消事项，例如「取消 #7」',
  async handle(ctx) {
    const [token, ...rest] = tokenize(ctx.args);
    const number = parseDutyNumber(token);
    if (number === undefined || rest.length > 0) throw new AppError(ErrorCode.BadCommand, '请写上要取消的编号，例如：取消 #7');
    await ctx.requireSecretary('cancel');
    const duty = await ctx.services.dutyService.cancel(ctx.message.chat, number, ctx.message.sender, ctx.now);
    ctx.log.info({ dutyId: duty.id }, 'duty cancelled');
    await ctx.reply(`已取消 #${duty.number}「${duty.title}」，提醒已撤销。`);
  },
};
