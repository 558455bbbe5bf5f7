import { splitOptions, tokenize } from '../../src/app/command-line';
import type { CommandHandler } from '../../src/app/handler';
import { replyWithCard } from '../../src/app/stats-card-reply';
import { unitWords } from '../../src/app/understand/read-unit';
import { parentChoiceCard, parentChoiceText, treeText } from '../../src/app/unit-texts';
import { UNIT_REFUSAL } from '../../src/domain/units';
import { AppError, ErrorCode } from '../../src/errors';

const EXAMPLE = '本群 第一党支部 上级 市财政局机关党委';

/**
 * 本群 <名称> [级别 <级别>] [上级 <上级>]: this group chat becomes a unit of the organisation (issue 15), its level read
 * from the name's ending unless given. Without 上级 the answer is a choice of the units it may go under (a card with a
 * button each; on DingTalk, whose card template has two buttons, the text). Who: a superadmin, or a secretary of the
 * parent unit's chat (or of a unit above it). The work is UnitService's (src/app/unit-service.ts).
 */
export const unit: CommandHandler = {
  name: 'unit',
  words: ['本群'],
  help: `本群 <单位名称> [级别 <级别>] 上级 <上级单位>：把本群登记为组织中的单位（超级管理员或上级单位的党务管理员），例如「${EXAMPLE}」`,
  async handle(ctx) {
    const { units } = ctx.services;
    const chat = ctx.message.chat;
    const { head, options, repeated } = splitOptions(tokenize(unitWords(ctx.args)), ['级别', '上级']);
    if (head.length === 0 && options.size === 0) {
      const mine = await units.unitOf(chat);
      await ctx.reply(mine ? treeText(await units.all(), mine, true) : UNIT_REFUSAL.notUnit);
      return;
    }
    const [name, ...extra] = head;
    if (!name || extra.length > 0 || repeated.length > 0) {
      throw new AppError(ErrorCode.BadCommand, `请写上单位名称和上级，名称中不要有空格，例如：${EXAMPLE}（级别可省略，按名称结尾判断；也可写「级别 党支部」）`);
    }
    const parent = options.get('上级');
    const levelWord = options.get('级别');
    if (parent === '' || levelWord === '') throw new AppError(ErrorCode.BadCommand, `「上级」「级别」后面要写内容，例如：${EXAMPLE}`);
    const outcome = await units.register(
      { chat, name, ...(levelWord ? { levelWord } : {}), ...(parent ? { parent } : {}), actor: ctx.message.sender, ...(ctx.message.direct ? { direct: true } : {}) },
      ctx.now,
    );
    if (outcome.kind === 'choose') {
      const text = parentChoiceText(outcome.pending, outcome.candidates);
      // DingTalk's card template holds two buttons (src/platforms/dingtalk/card.ts): the choice goes as text there.
      if (chat.platform === 'dingtalk') await ctx.reply(text);
      else await replyWithCard(ctx, parentChoiceCard(outcome.pending, outcome.candidates), text);
      return;
    }
    const u = outcome.unit;
    ctx.log.info({ unit: u.name, changed: outcome.changed }, 'unit registered');
    const where = u.parent ? `，上级「${u.parent}」` : '';
    await ctx.reply(outcome.changed ? `已登记：本群为「${u.name}」（${u.level}${where}）。发送「组织」查看上下级。` : `本群已经是「${u.name}」（${u.level}${where}），没有变化。`);
  },
};
