import type { CommandHandler } from '../../src/app/handler';

/** 帮助: every command with an example. The list is built from the registry, so it never goes stale. */
export function helpHandler(all: () => readonly CommandHandler[]): CommandHandler {
  return {
    name: 'help',
    words: ['帮助', 'help', '?', '？'],
    help: '帮助：查看全部命令',
    async handle(ctx) {
      const lines = all().map((h) => `• ${h.help}`);
      await ctx.reply(
        `我是${ctx.services.config.BOT_NAME}，帮支部把会议、学习和报告落实到人。在群里 @我 并发送：\n${lines.join('\n')}\n卡片上的按钮也可以直接点。`,
      );
    },
  };
}
