import { createFromDraft } from '../../src/app/duty-command';
import type { CommandHandler } from '../../src/app/handler';
import { AppError, ErrorCode } from '../../src/errors';

/** 确认: create the duty its author was just shown in a preview (valid 30 minutes, for the author only). */
export const confirm: CommandHandler = {
  name: 'confirm',
  words: ['确认', '确定'],
  help: '确认（确定）：按预览发起事项（预览30分钟内有效，只有写通知的人可以确认）；取消：放弃预览',
  async handle(ctx) {
    if (ctx.args !== '') throw new AppError(ErrorCode.BadCommand, '直接回复「确认」即可。');
    await ctx.requireSecretary('create');
    const draft = await ctx.services.drafts.take(ctx.message.chat, ctx.message.sender);
    if (!draft) throw new AppError(ErrorCode.NotFound, '没有等你确认的事项（预览30分钟内有效）。请重新发送通知。');
    await createFromDraft(ctx, draft, ctx.message.messageId);
  },
};
