import { openDutyCommand } from '../../src/app/duty-number';
import type { CommandHandler } from '../../src/app/handler';

/**
 * 附件 #7: the sender's next file goes to duty #7, without the choice card (issue 14). Sent one-to-one, the file
 * waiting for its duty goes there at once.
 */
export const attach: CommandHandler = {
  name: 'attach',
  words: ['附件'],
  help: '附件 <编号>：接下来发的文件附到这个事项，例如「附件 #7」（控制台点输入框旁的「📎」发文件；钉钉请单聊机器人发文件，单聊时两个群都有 #7 就写上群名：附件 #7 第一党支部）',
  async handle(ctx) {
    // The group's name may follow the number as typed, glued or after a comma: 附件＃7第一党支部, 附件#7，第一党支部.
    const glued = /^#(\d{1,6})[，,、\s]*([^\d\s,，、].*)$/u.exec(ctx.args.trim());
    const { number, rest } = glued ? { number: Number(glued[1]), rest: [glued[2] ?? ''] } : await openDutyCommand(ctx, { missing: '请写上事项编号，例如：附件 #7' });
    // One-to-one, #7 may be in any of the sender's groups: words after it name the group (附件 #7 第一党支部).
    const options = ctx.message.direct === true ? { direct: true, group: rest.join(' ') } : {};
    await ctx.reply(await ctx.services.materials.expectFile(ctx.message.chat, ctx.message.sender, number, options));
  },
};
