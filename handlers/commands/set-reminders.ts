import { openDutyCommand } from '../../src/app/duty-number';
import type { CommandHandler } from '../../src/app/handler';
import { describeReminderChange } from '../../src/domain/reminder-plan';
import { AppError, ErrorCode } from '../../src/errors';
import { formatOffset } from '../../src/time/format';
import { parseOffsets } from '../../src/time/parse-offsets';

/** 提醒 <编号> 提前1天,提前2小时: set a duty's own reminder points. */
export const setReminders: CommandHandler = {
  name: 'set-reminders',
  words: ['提醒'],
  help: '提醒 <编号> 提前1天,提前2小时：设置事项的提醒时间，例如「提醒 #7 提前1天,提前2小时」',
  async handle(ctx) {
    const opening = { missing: '请写上编号和提醒时间，例如：提醒 #7 提前1天,提前2小时', more: true, requires: 'set-reminders' } as const;
    const { number, rest } = await openDutyCommand(ctx, opening);
    const parsed = parseOffsets(rest.join(' '));
    if (!parsed.ok) throw new AppError(ErrorCode.BadInput, parsed.error);
    const duty = await ctx.services.duties.setReminders(ctx.message.chat, number, parsed.offsets, ctx.message.sender, ctx.now);
    await ctx.reply(describeReminderChange(duty, ctx.now, formatOffset));
  },
};
