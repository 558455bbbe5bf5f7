import type { CommandHandler } from '../../src/app/handler';
import { tallyLine } from '../../src/domain/tally';
import { formatDateTime } from '../../src/time/format';

/** 列表: the chat's upcoming duties with their numbers. */
export const list: CommandHandler = {
  name: 'list',
  words: ['列表', '事项'],
  help: '列表：查看本群未结束的事项和编号',
  async handle(ctx) {
    const { duties, views, config } = ctx.services;
    const open = await duties.upcoming(ctx.message.chat, ctx.now);
    if (open.length === 0) {
      await ctx.reply('本群暂无未结束的事项。发起会议：会议 支部委员会 明天下午3点');
      return;
    }
    const lines = await Promise.all(
      open.map(async (d) => `#${d.number} 【${d.label}】${d.title} · ${formatDateTime(d.at, config.BOT_TIMEZONE, ctx.now)} · ${tallyLine(d, await views.tally(d))}`),
    );
    await ctx.reply(`本群未结束的事项（${open.length}）：\n${lines.join('\n')}`);
  },
};
