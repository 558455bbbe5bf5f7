import type { CommandHandler } from '../../src/app/handler';
import { readMinutesCommand } from '../../src/domain/minutes-ledger';
import { AppError, ErrorCode } from '../../src/errors';

/** 纪要 #7 <文字>: the meeting's minutes, by its recorder, organizer or a secretary; a second one replaces the first. */
export const minutes: CommandHandler = {
  name: 'minutes',
  words: ['纪要'],
  help: '纪要 <编号> <内容>：记录人、发起人或书记提交会议纪要（最多 1 万字，再发一次即替换），例如「纪要 #7 传达了……，决定……」',
  async handle(ctx) {
    const read = readMinutesCommand(ctx.args);
    if (!read) throw new AppError(ErrorCode.BadInput, '请写上编号和纪要内容，例如：纪要 #7 会议传达了……，讨论了……，决定……');
    const { duty, minutes: written, replaced } = await ctx.services.minutes.write(ctx.message.chat, read.number, ctx.message.sender, read.text, ctx.now);
    ctx.log.info({ dutyId: duty.id, chars: [...written.text].length, replaced }, 'minutes written');
    const again = replaced ? '已替换之前的纪要（之前的保留在「历史 #' + duty.number + '」里）。' : '';
    await ctx.reply(`✅ 已保存 #${duty.number}「${duty.title}」的纪要（${[...written.text].length} 字）。${again}发送「记录 #${duty.number}」获取可打印的会议记录。`);
  },
};
