import type { CommandHandler } from '../../src/app/handler';
import { treeText } from '../../src/app/unit-texts';
import { chatKey } from '../../src/domain/types';
import { UNIT_REFUSAL } from '../../src/domain/units';
import { AppError, ErrorCode } from '../../src/errors';

/** 组织 [单位名称]: the tree around this chat's unit (or the named one): its line of parents, itself, its children. */
export const org: CommandHandler = {
  name: 'org',
  words: ['组织', '组织架构'],
  help: '组织（组织架构）：查看本群所在单位的上级和下级（组织 第一党支部：查看指定单位）',
  async handle(ctx) {
    const { units } = ctx.services;
    const all = await units.all();
    const here = chatKey(ctx.message.chat);
    const name = ctx.args.replace(/^[:：\s]+/, '').trim();
    const unit = name ? all.find((u) => u.name === name) : all.find((u) => u.chat === here);
    if (!unit) {
      if (name) throw new AppError(ErrorCode.NotFound, `没有找到单位「${name}」。发送「组织」查看本群所在单位。`);
      await ctx.reply(UNIT_REFUSAL.notUnit);
      return;
    }
    await ctx.reply(treeText(all, unit, unit.chat === here));
  },
};
