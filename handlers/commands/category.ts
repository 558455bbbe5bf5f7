import { otherCategoryExample, readCategory } from '../../src/app/category-words';
import type { CommandHandler } from '../../src/app/handler';
import { categoryOf } from '../../src/domain/categories';
import { AppError, ErrorCode } from '../../src/errors';

const EXAMPLE = '类别 #7 党课';
/** `#7 党课`, `#7党课`, `＃7，党课`, `7：党课` (full-width digits and ＃ are ASCII already: src/app/understand/normalise.ts). */
const ARGS = /^[:：\s]*[#＃]?\s*(\d{1,6})(?!\d)[\s,，:：、]*(.*)$/s;

/**
 * 类别 #7 党课: set a duty's category (支委会, 党小组会, 党课 … : schedules/categories.ts), which the 台账 groups
 * by; by the duty's organizer or a secretary. 类别 #7 alone says the category and how to change it.
 */
export const category: CommandHandler = {
  name: 'category',
  words: ['类别'],
  help: '类别 <编号> <类别>：修改事项的类别（支委会、党小组会、支部党员大会、党课、主题党日 等），例如「类别 #7 党课」',
  async handle(ctx) {
    const m = ARGS.exec(ctx.args);
    if (!m?.[1]) throw new AppError(ErrorCode.BadCommand, `请写上编号和类别，例如：${EXAMPLE}`);
    const number = Number(m[1]);
    const word = (m[2] ?? '').trim();
    if (!word) {
      const duty = await ctx.services.duties.find(ctx.message.chat, number);
      const current = categoryOf(duty);
      await ctx.reply(`#${duty.number}「${duty.title}」的类别是「${current}」。如需更改，发送「类别 #${duty.number} ${otherCategoryExample(current)}」。`);
      return;
    }
    const chosen = readCategory(word, EXAMPLE);
    const { duty, from } = await ctx.services.duties.setCategory(ctx.message.chat, number, chosen, ctx.message.sender, ctx.now);
    ctx.log.info({ dutyId: duty.id, from, to: chosen }, 'duty category changed');
    await ctx.reply(`#${duty.number}「${duty.title}」的类别：${from} → ${chosen}。`);
  },
};
