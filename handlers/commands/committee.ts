import type { CommandHandler } from '../../src/app/handler';
import { CAMPAIGN_REFUSAL } from '../../src/domain/permissions';
import { AppError, ErrorCode } from '../../src/errors';

/**
 * 设为工委群 / 取消工委群 / 工委群: a superadmin marks the chat as a committee chat, whose secretaries may then start
 * campaigns across chats (发起 … 范围 …). Everyone else is refused and nothing is stored.
 */
export const committee: CommandHandler = {
  name: 'committee',
  words: ['设为工委群', '取消工委群', '工委群'],
  help: '设为工委群 / 取消工委群：超级管理员把本群设为（或取消）工委群，工委群的党务管理员可以跨群发起；工委群：查看本群是否为工委群',
  async handle(ctx) {
    const { roles } = ctx.services;
    const chat = ctx.message.chat;
    if (ctx.verb === '工委群') {
      const on = await roles.isCommittee(chat);
      await ctx.reply(on ? '本群是工委群：本群的党务管理员可以用「发起 … 范围 …」跨群发起事项。' : '本群不是工委群。超级管理员可以在本群发送「设为工委群」。');
      return;
    }
    if (!roles.isSuperadmin(ctx.message.sender)) throw new AppError(ErrorCode.Forbidden, CAMPAIGN_REFUSAL.committee);
    if (ctx.args) throw new AppError(ErrorCode.BadCommand, `「${ctx.verb}」后面不用写别的，在要设置的群里直接发送「${ctx.verb}」。`);
    const on = ctx.verb === '设为工委群';
    if (on && ctx.message.direct) throw new AppError(ErrorCode.BadInput, '工委群须是群聊：请在工委的群里发送「设为工委群」。');
    if (!on && roles.configuredCommittee(chat)) {
      throw new AppError(ErrorCode.BadInput, '本群在配置 COMMITTEE_CHATS 中列为工委群，须由运维修改配置后重启才能取消。');
    }
    const changed = await roles.setCommittee(chat, on, { at: ctx.now, by: ctx.message.sender.id, what: ctx.verb });
    ctx.log.info({ on, changed }, 'committee chat changed');
    if (on) await ctx.reply(changed ? '已设为工委群：本群的党务管理员可以用「发起 … 范围 …」跨群发起事项。' : '本群已经是工委群。');
    else await ctx.reply(changed ? '已取消工委群：本群不能再跨群发起事项。' : '本群不是工委群。');
  },
};
