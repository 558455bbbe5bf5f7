import { createFromDraft, readDutyCommand } from '../../src/app/duty-command';
import { previewCard, previewText } from '../../src/app/duty-preview';
import { replyWithCard } from '../../src/app/stats-card-reply';
import type { CommandHandler } from '../../src/app/handler';
import { KIND_WORDS } from '../../src/domain/duty-kinds';

/**
 * 会议 / 学习 / 党课 / 述职 / 报告 / 材料 <标题> [截止] <时间> [地点 …] [提醒 提前1天,提前2小时] [链接 …] [备注 …]
 * A duty read from free writing with anything inferred is previewed instead, and created by its author's 确认.
 */
export const createDuty: CommandHandler = {
  name: 'create-duty',
  words: Object.keys(KIND_WORDS),
  help: '会议 / 学习 / 党课 <标题> <时间> [地点 <地点>] [提醒 提前1天,提前2小时]：发起会议或学习，例如「会议 支部委员会 明天下午3点 地点 三楼会议室」；时间写成「每月最后一个工作日 15:00」等即为循环事项\n述职 / 报告 / 材料 <标题> 截止 <时间>：发起报告类事项，例如「述职 2026年度述职报告 截止 12月20日」\n也可以像写通知一样写，例如「明天下午3点在三楼会议室开支委会」，我会先给出预览，回复「确认」后发起',
  async handle(ctx) {
    await ctx.requireSecretary('create');
    const { config, calendar, drafts } = ctx.services;
    const draft = readDutyCommand(ctx.verb, ctx.args, { now: ctx.now, timeZone: config.BOT_TIMEZONE, calendar, mentions: ctx.message.mentions ?? [] });
    const direct = ctx.reading?.preview === true && (await drafts.createsDirectly(ctx.message.chat));
    if (ctx.reading?.preview && !direct) {
      const shown = await drafts.preview(ctx.message.chat, ctx.message.sender, draft, ctx.now);
      ctx.log.info({ inferred: ctx.reading.duty.inferred }, 'duty previewed');
      const { guesses } = ctx.reading.duty;
      await replyWithCard(ctx, previewCard(shown, guesses, config.BOT_TIMEZONE, ctx.now), previewText(shown, guesses, config.BOT_TIMEZONE, ctx.now));
      return;
    }
    await createFromDraft(ctx, draft, ctx.message.messageId);
  },
};
