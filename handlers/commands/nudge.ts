import { withDutyNumber } from '../../src/app/duty-number';
import type { CommandHandler } from '../../src/app/handler';

/** 催办 <编号>: mention, by name, those who have not answered yet (each at most once per 2 hours). */
export const nudge: CommandHandler = {
  name: 'nudge',
  words: ['催办'],
  help: '催办 <编号>：提醒还没回复的人，例如「催办 #7」（每人每两小时最多一次）',
  async handle(ctx) {
    const { duty } = await withDutyNumber(ctx, { missing: '请写上编号，例如：催办 #7', requires: 'nudge' });
    const prepared = await ctx.services.nudges.nudge(duty, ctx.now);
    if (!prepared) {
      await ctx.reply(`#${duty.number} 大家都已回复，无需催办。`);
      return;
    }
    if (prepared.members.length === 0) {
      await ctx.reply(`#${duty.number} 未回复的 ${prepared.throttled.length} 人两小时内已催办过，请稍后再催。`);
      return;
    }
    ctx.log.info({ dutyId: duty.id, nudged: prepared.members.length }, 'nudged');
    const note = prepared.throttled.length > 0 ? [{ text: `\n（另有 ${prepared.throttled.length} 人两小时内已催办过）` }] : [];
    await ctx.reply([...prepared.text, ...note]);
  },
};
