import { parseDutyNumber, tokenize } from '../../src/app/command-line';
import type { CommandHandler } from '../../src/app/handler';
import { answerToast } from '../../src/domain/answers';
import type { AnswerStatus } from '../../src/domain/types';
import { AppError, ErrorCode } from '../../src/errors';

const STATUS_BY_WORD: Record<string, Exclude<AnswerStatus, 'pending'>> = { 参加: 'attending', 请假: 'leave', 已提交: 'submitted', 提交: 'submitted' };

/** 参加 <编号> / 请假 <编号> <原因> / 已提交 <编号>: the same as the card's buttons, typed. */
export const answer: CommandHandler = {
  name: 'answer',
  words: Object.keys(STATUS_BY_WORD),
  help: '参加 <编号> / 请假 <编号> <原因> / 已提交 <编号>：文字回复，例如「参加 #7」「请假 #7 外出开会」',
  async handle(ctx) {
    const status = STATUS_BY_WORD[ctx.verb];
    if (!status) throw new AppError(ErrorCode.BadCommand, '没看懂这个命令。');
    const [token, ...reasonWords] = tokenize(ctx.args);
    const number = parseDutyNumber(token);
    if (number === undefined) {
      const example = status === 'leave' ? '请假 #7 外出开会' : `${ctx.verb} #7`;
      throw new AppError(ErrorCode.BadCommand, `请写上事项编号，例如：${example}`);
    }
    const duty = await ctx.services.dutyService.find(ctx.message.chat, number);
    const actedAt = ctx.message.actedAt;
    const write = await ctx.services.dutyService.answer(duty.id, ctx.message.sender, status, ctx.now, reasonWords.join(' '), actedAt === undefined ? {} : { actedAt });
    if (!write) throw new AppError(ErrorCode.NotFound, `本群没有 #${number} 这个事项。`);
    if (!write.ok) throw new AppError(write.refusal === 'not-in-audience' ? ErrorCode.NotInAudience : ErrorCode.Conflict, write.message);
    await ctx.reply(`${ctx.message.sender.name}：${answerToast(write.duty, write.answer)}`);
  },
};
