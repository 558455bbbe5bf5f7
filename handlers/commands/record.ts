import { withDutyNumber } from '../../src/app/duty-number';
import type { CommandHandler } from '../../src/app/handler';

/** 记录 #7: a signed link to the duty's record page (printable on A4). */
export const record: CommandHandler = {
  name: 'record',
  words: ['记录'],
  help: '记录 <编号>：会议记录页（出席、纪要、材料，可打印），例如「记录 #7」',
  async handle(ctx) {
    const { duty } = await withDutyNumber(ctx, { missing: '请写上编号，例如：记录 #7' });
    const links = ctx.services.recordLinks;
    const url = await links.recordLink(duty.chat, duty.number, ctx.now);
    ctx.log.info({ dutyId: duty.id }, 'record link answered');
    await ctx.reply(`📄 #${duty.number}「${duty.title}」的会议记录（可打印）：\n${url}\n链接 ${links.days} 天内有效。`);
  },
};
