import type { CommandHandler } from '../../src/app/handler';
import { AppError, ErrorCode } from '../../src/errors';
import { formatDateTime } from '../../src/time/format';
import { nextOccurrences } from '../../src/time/occurrences';
import { parseSchedule } from '../../src/time/parse-schedule';
import { quote } from '../../src/domain/quote';

/** 时间 <短语>: how the bot reads a time phrase, so users can check before creating. */
export const when: CommandHandler = {
  name: 'when',
  words: ['时间'],
  help: '时间 <短语>：看看我怎么理解一个时间，例如「时间 每月最后一个工作日 15:00」',
  async handle(ctx) {
    const phrase = ctx.args.trim();
    if (!phrase) throw new AppError(ErrorCode.BadCommand, '请写上要检查的时间，例如：时间 下周二上午9点');
    const { config, calendar } = ctx.services;
    const parsed = parseSchedule(phrase, { now: ctx.now, timeZone: config.BOT_TIMEZONE, calendar });
    if (!parsed.ok) throw new AppError(ErrorCode.BadTime, parsed.error);
    const warning = parsed.warning ? `\n⚠️ ${parsed.warning}` : '';
    if (parsed.kind === 'once') {
      const passed = parsed.at <= ctx.now ? '（已经过去了）' : '';
      await ctx.reply(`${quote(phrase)}是 ${formatDateTime(parsed.at, config.BOT_TIMEZONE, ctx.now)}${passed}${warning}`);
      return;
    }
    const next = nextOccurrences(parsed.rule, { after: ctx.now, count: 3, timeZone: config.BOT_TIMEZONE, calendar });
    const lines = next.map((o) => `${formatDateTime(o.at, config.BOT_TIMEZONE, ctx.now)}${o.dayOff ? '（休息日）' : ''}`);
    await ctx.reply(`${quote(phrase)}是循环规则：${parsed.description}\n接下来：${lines.join('、')}${warning}`);
  },
};
