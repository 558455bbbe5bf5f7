import { readSeriesNumber } from '../../src/app/command-line';
import type { CommandHandler } from '../../src/app/handler';
import { AppError, ErrorCode } from '../../src/errors';
import { formatDateTime } from '../../src/time/format';

/** 系列: the chat's recurring duties; 停止 <系列编号>: end one (occurrences already created stay). */
export const series: CommandHandler = {
  name: 'series',
  words: ['系列', '停止'],
  help: '系列：查看本群的循环事项；停止 系列<编号>：停止一个循环事项（已发出的事项保留），例如「停止 系列1」',
  async handle(ctx) {
    const { series: seriesService, config } = ctx.services;
    const chat = ctx.message.chat;
    if (ctx.verb === '停止') {
      const ref = readSeriesNumber(ctx.args);
      const number = ref && ref.rest === '' ? ref.number : undefined;
      if (number === undefined) throw new AppError(ErrorCode.BadCommand, '请写上系列编号，例如：停止 系列1（发送「系列」查看编号）');
      await ctx.requireSecretary('cancel');
      const stopped = await seriesService.stop(chat, number, ctx.now);
      ctx.log.info({ seriesId: stopped.id }, 'series stopped');
      await ctx.reply(`已停止 系列${stopped.number}「${stopped.title}」，不再发起新的事项；已发出的事项仍保留，如需取消请用「取消 #编号」。`);
      return;
    }
    const all = await seriesService.list(chat);
    if (all.length === 0) {
      await ctx.reply('本群还没有循环事项。例如：会议 支部委员会 每月第一个工作日下午3点，或「启用 三会一课」。');
      return;
    }
    const lines = all.map((s) => {
      if (s.state === 'stopped') return `系列${s.number} 【${s.label}】${s.title} · ${s.description} · 已停止`;
      const next = seriesService.upcoming(s, ctx.now, 1)[0];
      return `系列${s.number} 【${s.label}】${s.title} · ${s.description}${next ? ` · 下次 ${formatDateTime(next.at, config.BOT_TIMEZONE, ctx.now)}` : ''}`;
    });
    await ctx.reply(`本群的循环事项（${all.length}）：\n${lines.join('\n')}`);
  },
};
