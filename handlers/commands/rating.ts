import type { CommandHandler } from '../../src/app/handler';
import { RATING_DEFAULT_WORKDAYS } from '../../src/domain/rating';
import { AppError, ErrorCode } from '../../src/errors';
import { formatDateTime } from '../../src/time/format';
import { parseTime } from '../../src/time/parse-time';

const EXAMPLE = '评议 #7（或：评议 #7 截止 下周五18点）';

/** #7, then optionally 截止 <时间>; Chinese punctuation and no spaces as a secretary types them (评议#7，截止下周五). */
const SHAPE = /^#?\s*(\d{1,6})\s*[，,：:；;、]?\s*(?:(?:截止|截至)(?:时间|日期)?\s*[：:]?\s*(.*))?$/;

/**
 * 评议 #7 [截止 <时间>]: the organizer of 述职 #7 opens its anonymous rating (述职评议) after its deadline; every member
 * of its audience gets the shared rating card (src/app/rating-service.ts).
 */
export const rating: CommandHandler = {
  name: 'rating',
  words: ['评议'],
  help: `评议 <编号> [截止 <时间>]：述职截止后，发起人发起匿名评议（好/较好/一般/差），默认${RATING_DEFAULT_WORKDAYS}个工作日后18:00截止，例如「${EXAMPLE}」`,
  async handle(ctx) {
    const m = SHAPE.exec(ctx.args.trim());
    if (!m) throw new AppError(ErrorCode.BadCommand, `请写上述职的编号，例如：${EXAMPLE}`);
    const { config, calendar, rating: service } = ctx.services;
    const tz = config.BOT_TIMEZONE;
    const when = m[2]?.trim();
    if (m[2] !== undefined && !when) throw new AppError(ErrorCode.BadTime, `请写上截止时间，例如：${EXAMPLE}`);
    let closesAt = service.defaultClose(ctx.now);
    if (when) {
      const parsed = parseTime(when, { now: ctx.now, timeZone: tz, deadline: true, calendar });
      if (!parsed.ok) throw new AppError(ErrorCode.BadTime, parsed.error);
      closesAt = parsed.at;
    }
    const opened = await service.open(ctx.message.chat, Number(m[1]), ctx.message.sender, ctx.now, closesAt, ctx.message.messageId);
    ctx.log.info({ dutyId: opened.dutyId, closesAt }, 'rating opened');
    const deadline = `${formatDateTime(opened.closesAt, tz, ctx.now)}${when ? '' : `（默认：${RATING_DEFAULT_WORKDAYS}个工作日后18:00）`}`;
    await ctx.reply(
      `已发起 #${opened.number}「${opened.title}」述职评议：应评议 ${opened.audience.length} 人，截止 ${deadline}。` +
        (service.byLinks(ctx.message.chat) ? '评议链接（好 / 较好 / 一般 / 差）已私信发给每位应评议成员，截止前可修改。' : '请在评议卡片上选择 好 / 较好 / 一般 / 差，截止前可修改。') +
        '评议匿名：只统计人数，不记录谁选了什么；截止后结果发给发起人和党务管理员。',
    );
  },
};
