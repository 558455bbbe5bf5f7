import type { CommandHandler } from '../../src/app/handler';
import { AppError, ErrorCode } from '../../src/errors';

/** 设置管理员 @某人 / 移除管理员 @某人: a secretary adds or removes the chat's secretaries. */
export const secretaries: CommandHandler = {
  name: 'secretaries',
  words: ['设置管理员', '移除管理员', '管理员'],
  help: '设置管理员 @某人 / 移除管理员 @某人 / 管理员：管理本群可以发起事项的人',
  async handle(ctx) {
    const { roles } = ctx.services;
    const chat = ctx.message.chat;
    if (ctx.verb === '管理员') {
      const names = (await roles.secretaries(chat)).map(
        (m) => `${m.name}${m.platformRole === 'owner' ? '（群主）' : m.platformRole === 'admin' ? '（群管理员）' : ''}`,
      );
      await ctx.reply(names.length > 0 ? `本群的党务管理员：${names.join('、')}` : '本群还没有党务管理员。群主可以发送「设置管理员 @某人」。');
      return;
    }
    const add = ctx.verb === '设置管理员';
    const targets = ctx.message.mentions ?? [];
    if (targets.length === 0) throw new AppError(ErrorCode.BadCommand, `请 @ 要${add ? '设置' : '移除'}的人，例如：${ctx.verb} @张三`);
    await ctx.requireSecretary('secretaries');
    const done: string[] = [];
    const skipped: string[] = [];
    for (const t of targets) {
      const audit = { at: ctx.now, by: ctx.message.sender.id, what: `${ctx.verb} ${t.name}（${t.id}）` };
      const changed = await roles.setSecretary(chat, t.id, add, audit);
      (changed ? done : skipped).push(t.name);
    }
    ctx.log.info({ add, done: done.length }, 'secretaries changed');
    const parts = [];
    if (done.length > 0) parts.push(`已${add ? '设置' : '移除'}党务管理员：${done.join('、')}`);
    if (skipped.length > 0) parts.push(`${skipped.join('、')}${add ? '已经是管理员' : '不是本群设置的管理员（群主和群管理员由平台决定）'}`);
    await ctx.reply(parts.join('；'));
  },
};
