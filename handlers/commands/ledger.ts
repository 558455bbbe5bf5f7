import type { CommandHandler } from '../../src/app/handler';
import { parseLedgerPeriod } from '../../src/domain/minutes-ledger';
import { AppError, ErrorCode } from '../../src/errors';

/** 台账 本年 / 台账 2026 / 台账 本季度: a signed link to the chat's ledger of the period (three meetings and one lesson). */
export const ledger: CommandHandler = {
  name: 'ledger',
  words: ['台账'],
  help: '台账 本年 / 2026 / 本季度：本群“三会一课”台账（按类别列出每次活动、出勤、纪要、材料，可下载 Excel 和全部材料 ZIP），例如「台账 本年」',
  async handle(ctx) {
    const parsed = parseLedgerPeriod(ctx.args, ctx.now, ctx.services.config.BOT_TIMEZONE);
    // BadInput, not BadTime: a period that cannot be read is answered as such, never read as a new duty.
    if (!parsed.ok) throw new AppError(ErrorCode.BadInput, parsed.error);
    const links = ctx.services.recordLinks;
    const url = await links.ledgerLink(ctx.message.chat, parsed.period, ctx.now);
    ctx.log.info({ from: parsed.period.from, to: parsed.period.to }, 'ledger link answered');
    await ctx.reply(`📒 ${parsed.period.title}台账：\n${url}\n链接 ${links.days} 天内有效，页面上可下载 Excel 和全部材料（ZIP）。`);
  },
};
