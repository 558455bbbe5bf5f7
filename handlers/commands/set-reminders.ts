import { parseDutyNumber, tokenize } from '../../src/app/command-line';
import type { CommandHandler } from '../../src/app/handler';
import { AppError, ErrorCode } from '../../src/errors';
import { formatOffset } from '../../src/time/format';
import { parseOffsets } from '../../src/time/parse-offsets';

/** 提醒 <编号> 提前1天,提前2小时: set a duty's own reminder points. */
export const setReminders: CommandHandler = {
  name: 'set-reminders',
  words: ['提醒'],
  help: '提醒 <编号> 提前1天,提前2小时：设置事项的提醒时间，例如「提醒 #7 提前1天,提前2小时」',
  async handle(ctx) {
    const [token, ...rest] = tokenize(ctx.args);
    const number = parseDutyNumber(token);
    if (number === undefined || rest.length === 0) {
      throw new AppError(ErrorCode.BadCommand, '请写上编号和提醒时间，例如：提醒 #7 提前1天,提前2小时');
    }
    await ctx.requireSecretary('set-reminders');
    const parsed = parseOffsets(rest.join(' '));
    if (!parsed.ok) throw new AppError(ErrorCode.BadInput, parsed.error);
    const duty = await ctx.services.dutyService.setReminders(ctx.message.chat, number, parsed.offsets, ctx.message.sender, ctx.now);
    await ctx.reply(`#${duty.number} 将在${duty.reminderOffsets.map((o) => `提前${formatOffset(o)}`).join('、')}提醒。`);
  },
};
