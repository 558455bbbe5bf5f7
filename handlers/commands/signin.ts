import { readDutyNumber } from '../../src/app/duty-number';
import type { CommandHandler } from '../../src/app/handler';
import { formatDateTime } from '../../src/time/format';
import { AppError, ErrorCode } from '../../src/errors';

/** Chinese punctuation between the number and the code (签到#7，4821) reads as a space. */
export const spaced = (args: string): string => args.replace(/[，,：:；;、]/g, ' ').trim();

/** 签到 #7 / 签到 #7 4821: a member signs in to a meeting by text, on every platform (the card's 签到 button too). */
export const signin: CommandHandler = {
  name: 'signin',
  words: ['签到'],
  help: '签到 <编号> [签到码]：会前30分钟至会议结束可签到，例如「签到 #7」「签到 #7 4821」',
  async handle(ctx) {
    const { number, rest } = readDutyNumber(spaced(ctx.args));
    if (number === undefined) throw new AppError(ErrorCode.BadCommand, '请写上事项编号，例如：签到 #7（需要签到码时：签到 #7 4821）');
    const { signin: service, config } = ctx.services;
    const duty = await service.find(ctx.message.chat, number);
    const me = ctx.message.sender;
    const done = await service.signIn(duty, me, ctx.now, 'text', rest.join(''));
    if (done.already) {
      await ctx.reply(`${me.name}：你已于 ${formatDateTime(done.record.at, config.BOT_TIMEZONE, ctx.now)} 签到 #${duty.number}，无需重复签到。`);
      return;
    }
    ctx.log.info({ dutyId: duty.id, late: done.record.late === true }, 'signed in');
    await ctx.reply(`${me.name}：已签到 #${duty.number}「${duty.title}」${done.record.late ? '（迟到）' : ''}，目前已签到 ${await service.presentCount(duty)} 人。`);
  },
};
