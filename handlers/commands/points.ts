import type { CommandHandler } from '../../src/app/handler';
import { parsePointsPeriod, readPointsRequest } from '../../src/domain/points-period';
import { committeeRankingText, groupsPointsText, memberPointsText, rankingText } from '../../src/domain/points-text';
import { AppError, ErrorCode } from '../../src/errors';

/**
 * 积分 [本月|本季度|本年|2026|<起>至<止>]: the sender's own points in this chat (本月 when no period is written), sent
 * one-to-one where the platform allows it, else answered in the group. 积分 排行 <期间> (书记): the chat's ranking with
 * a signed link to the page and its Excel. Sent to the bot one-to-one, 积分 answers the sender's points in each group
 * whose roster lists them. In a committee chat (工委群), the average per member of each chat it reaches.
 */
export const points: CommandHandler = {
  name: 'points',
  words: ['积分', '我的积分', '积分排行'],
  help: '积分 / 我的积分 / 积分 本季度 / 积分 本年：我的积分和明细（默认本月，能私信时私信发送）；积分排行 本季度：本群积分排行和明细页（书记）',
  async handle(ctx) {
    const timeZone = ctx.services.config.BOT_TIMEZONE;
    const request = readPointsRequest(ctx.verb, ctx.args);
    const parsed = parsePointsPeriod(request.period, ctx.now, timeZone);
    // BadInput, not BadTime: a period that cannot be read is answered as such, never read as a new duty.
    if (!parsed.ok) throw new AppError(ErrorCode.BadInput, parsed.error);
    const { period } = parsed;
    const { points: service, pointsLinks } = ctx.services;
    const chat = ctx.message.chat;
    if (ctx.message.direct === true) {
      // One-to-one with the bot: the sender's points in each group that lists them; a ranking belongs to a group.
      if (request.ranking) throw new AppError(ErrorCode.BadInput, '积分排行按群查看：请书记在本支部群里 @我 发送「积分排行 本季度」。');
      const groups = await service.acrossGroups(chat.platform, ctx.message.sender, period, ctx.now);
      ctx.log.info({ from: period.from, to: period.to, groups: groups.length }, 'points answered one-to-one');
      await ctx.reply(groupsPointsText(ctx.message.sender.name, period.title, groups, service.rules, timeZone));
      return;
    }
    if (request.ranking) {
      await ctx.requireSecretary('points-ranking');
      if (await ctx.services.roles.isCommittee(chat)) {
        // A committee chat (工委群): the chats it reaches, by average per member.
        const rows = await service.committeeRanking(chat, period, ctx.now);
        ctx.log.info({ from: period.from, to: period.to, chats: rows.length }, 'committee points answered');
        await ctx.reply(committeeRankingText(await ctx.services.rosters.chatName(chat), period.title, rows));
        return;
      }
      const ranking = await service.ranking(chat, period, ctx.now);
      const link = { url: await pointsLinks.pointsLink(chat, period, ctx.now), days: pointsLinks.days };
      ctx.log.info({ from: period.from, to: period.to, members: ranking.members.length }, 'points ranking answered');
      await ctx.reply(rankingText(ranking.chatName, period.title, ranking.members, link));
      return;
    }
    const sender = ctx.message.sender;
    const mine = await service.member(chat, sender, period, ctx.now);
    const text = memberPointsText(sender.name, period.title, mine, service.rules, timeZone);
    ctx.log.info({ from: period.from, to: period.to, entries: mine.entries.length }, 'points answered');
    if (await service.sendToMember(chat, sender.id, [{ text }], ctx.message.messageId)) {
      await ctx.reply(`${sender.name}：你的${period.title}积分已私信发给你。`);
      return;
    }
    await ctx.reply(text);
  },
};
