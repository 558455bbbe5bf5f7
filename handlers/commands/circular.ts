import type { CommandHandler } from '../../src/app/handler';
import { replyWithCard } from '../../src/app/stats-card-reply';
import { circularCard, circularText } from '../../src/domain/circular';

/**
 * 通报 本月|本季度|本年|上月|上季度|去年 (issue 15): in the chat of a unit above 党支部 (工委, 机关党委, 党总支), by its
 * secretaries, the circular of every sub-unit bound to a chat — those falling short first — with a signed link to
 * the full page, its chart and Excel/CSV. The work is CircularService's; nothing is stored.
 */
export const circular: CommandHandler = {
  name: 'circular',
  words: ['通报'],
  help: '通报 本月 / 本季度 / 本年 / 上月 / 上季度 / 去年：各下级单位“三会一课”、出勤率、报告和积分情况，未达要求的排在前面（工委、机关党委、党总支群的党务管理员）',
  async handle(ctx) {
    const { circular: service, circularLinks } = ctx.services;
    const chat = ctx.message.chat;
    const committee = await service.committeeOf(chat);
    await ctx.requireSecretary('circular');
    const asked = service.readPeriod(ctx.args, ctx.now);
    const result = await service.circular(committee, asked.unit, asked.period, ctx.now);
    const link = { url: await circularLinks.circularLink(chat, asked.period, ctx.now), days: circularLinks.days };
    ctx.log.info({ from: asked.period.from, to: asked.period.to, units: result.rows.length }, 'circular answered');
    // A card; where the platform refuses it, the same as text.
    await replyWithCard(ctx, circularCard(result, link), circularText(result, link));
  },
};
