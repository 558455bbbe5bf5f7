import { readDutyNumbers } from '../../src/app/duty-number';
import type { CommandHandler } from '../../src/app/handler';
import { AppError, ErrorCode, toAppError } from '../../src/errors';

const MAX_AT_ONCE = 20;

/**
 * 取消 <编号> [<编号>…]: cancel duties; their pending reminders are removed and their cards show 已取消.
 * 取消 alone drops the author's preview (a duty read from free writing, not yet confirmed).
 */
export const cancel: CommandHandler = {
  name: 'cancel',
  words: ['取消'],
  help: '取消 <编号>：取消事项，例如「取消 #7」「取消 #21 #22」；预览后回复「取消」则不发起',
  async handle(ctx) {
    const numbers = readDutyNumbers(ctx.args);
    if (numbers?.length === 0) {
      const draft = await ctx.services.drafts.take(ctx.message.chat, ctx.message.sender);
      if (draft) {
        await ctx.reply(`好的，「${draft.title}」没有发起。`);
        return;
      }
    }
    const valid = numbers ?? [];
    if (valid.length === 0 || valid.length > MAX_AT_ONCE) {
      throw new AppError(ErrorCode.BadCommand, '请写上要取消的编号，例如：取消 #7');
    }
    await ctx.requireSecretary('cancel');
    const [only] = valid;
    if (valid.length === 1 && only !== undefined) {
      const duty = await ctx.services.duties.cancel(ctx.message.chat, only, ctx.message.sender, ctx.now);
      ctx.log.info({ dutyId: duty.id }, 'duty cancelled');
      await ctx.reply(`已取消 #${duty.number}「${duty.title}」，提醒已撤销。`);
      return;
    }
    // Several: each on its own, and one answer naming what was done and what was not.
    const lines: string[] = [];
    for (const number of [...new Set(valid)]) {
      try {
        const duty = await ctx.services.duties.cancel(ctx.message.chat, number, ctx.message.sender, ctx.now);
        ctx.log.info({ dutyId: duty.id }, 'duty cancelled');
        lines.push(`已取消 #${duty.number}「${duty.title}」，提醒已撤销。`);
      } catch (err) {
        const appError = toAppError(err);
        if (!appError.isUserError) throw err;
        lines.push(appError.userMessage);
      }
    }
    await ctx.reply(lines.join('\n'));
  },
};
