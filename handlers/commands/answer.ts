import { withDutyNumber } from '../../src/app/duty-number';
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
    const example = status === 'leave' ? '请假 #7 外出开会' : `${ctx.verb} #7`;
    const { duty, rest: reasonWords } = await withDutyNumber(ctx, { missing: `请写上事项编号，例如：${example}` });
    // 需附件 (issue 14): 已提交 counts only with a file; the answer says how to send one.
    const needsFile = status === 'submitted' ? await ctx.services.materials.refuseSubmitWithoutFile(duty.id, ctx.message.sender.id) : undefined;
    if (needsFile !== undefined) throw new AppError(ErrorCode.Conflict, needsFile);
    const actedAt = ctx.message.actedAt;
    const write = await ctx.services.duties.answer(duty.id, ctx.message.sender, status, ctx.now, reasonWords.join(' '), actedAt === undefined ? {} : { actedAt });
    if (!write) throw new AppError(ErrorCode.NotFound, `本群没有 #${duty.number} 这个事项。`);
    if (!write.ok) throw new AppError(write.refusal === 'not-in-audience' ? ErrorCode.NotInAudience : ErrorCode.Conflict, write.message);
    await ctx.reply(`${ctx.message.sender.name}：${answerToast(write.duty, write.answer)}`);
  },
};
