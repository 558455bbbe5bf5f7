import type { CommandContext } from '../../src/app/handler';
import { replyWithCard } from '../../src/app/stats-card-reply';
import { buildStatsCard, statsCardText } from '../../src/domain/stats-card';
import { parseStatsPeriod } from '../../src/domain/stats-period';
import { AppError, ErrorCode } from '../../src/errors';

/**
 * 统计 本月 / 本季度 / 本年 / <起>至<止>: the chat's statistics over a period as a card, with a signed link to the
 * report page (when report pages are served). A period that cannot be read is answered with the reason only.
 */
export async function periodStats(ctx: CommandContext): Promise<void> {
  const timeZone = ctx.services.config.BOT_TIMEZONE;
  const parsed = parseStatsPeriod(ctx.args, ctx.now, timeZone);
  if (!parsed.ok) throw new AppError(ErrorCode.BadTime, parsed.error);
  const { stats, reportLinks: links } = ctx.services;
  const chat = ctx.message.chat;
  const report = await stats.report(chat, parsed.period, ctx.now);
  const link = { url: await links.link(chat, parsed.period, ctx.now), days: links.days };
  const card = buildStatsCard({ chatName: report.chatName, period: parsed.period, stats: report.stats, now: ctx.now, timeZone, link });
  ctx.log.info({ from: parsed.period.from, to: parsed.period.to, duties: report.stats.totals.duties }, 'statistics answered');
  await replyWithCard(ctx, card, statsCardText(card));
}
