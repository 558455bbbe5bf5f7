import { readDutyNumber } from '../../src/app/duty-number';
import type { CommandHandler } from '../../src/app/handler';
import type { Correction } from '../../src/app/signin-service';
import { AppError, ErrorCode } from '../../src/errors';
import { spaced } from './signin';

const ACTIONS: Record<string, Correction> = { 补签: 'present', 缺席: 'absent', 撤销签到: 'revoke' };
const EXAMPLES: Record<Correction, string> = { present: '补签 #7 @张三', absent: '缺席 #7 @张三 无故未到', revoke: '撤销签到 #7 @张三' };
const DONE: Record<Correction, string> = { present: '已补签', absent: '已记为缺席', revoke: '已撤销签到' };

/** 补签 #7 @某人 / 缺席 #7 @某人 <原因> / 撤销签到 #7 @某人: a secretary corrects a meeting's sign-in. */
export const signinCorrections: CommandHandler = {
  name: 'signin-corrections',
  words: Object.keys(ACTIONS),
  help: '补签 / 缺席 / 撤销签到 <编号> @某人 [原因]：党务管理员更正签到，例如「补签 #7 @张三」「缺席 #7 @张三 无故未到」',
  async handle(ctx) {
    const action = ACTIONS[ctx.verb];
    if (!action) throw new AppError(ErrorCode.BadCommand, '没看懂这个命令。');
    const mentions = ctx.message.mentions ?? [];
    // Names mentioned are taken out of the words; what is left after the number is the reason.
    let text = spaced(ctx.args);
    for (const m of mentions) text = text.replace(new RegExp(`[@＠]${m.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'g'), ' ');
    const { number, rest } = readDutyNumber(text);
    if (number === undefined) throw new AppError(ErrorCode.BadCommand, `请写上事项编号并 @ 要更正的人，例如：${EXAMPLES[action]}`);
    const unknown = rest.find((w) => /^[@＠]/.test(w));
    if (mentions.length === 0) {
      if (unknown) throw new AppError(ErrorCode.NotInAudience, `${unknown.slice(1)} 不在本群，不能${ctx.verb === '缺席' ? '记缺席' : ctx.verb}。`);
      throw new AppError(ErrorCode.BadCommand, `请 @ 要更正的人，例如：${EXAMPLES[action]}`);
    }
    const reason = rest.filter((w) => !/^[@＠]/.test(w)).join(' ').trim();
    const { signin } = ctx.services;
    const duty = await signin.find(ctx.message.chat, number);
    for (const target of mentions) await signin.correct(duty, ctx.message.sender, target, action, ctx.now, action === 'absent' && reason ? reason : undefined);
    await ctx.reply(`${DONE[action]}：#${duty.number} ${mentions.map((m) => m.name).join('、')}${action === 'absent' && reason ? `（${reason}）` : ''}`);
  },
};
