import type { CommandHandler } from '../../src/app/handler';
import { periodWord } from '../../src/domain/compliance';

/**
 * 督查 [本月|本季度|本年|上季度 …]: in a unit's chat, what it owes, held, planned and misses by the requirements
 * (schedules/compliance.ts); 督查 依据: the requirements and their sources. The work is ComplianceService's.
 */
export const inspect: CommandHandler = {
  name: 'inspect',
  words: ['督查'],
  help: '督查 本季度 / 本月 / 本年：本单位“三会一课”等应开、已开、计划、缺几次（督查 依据：查看要求和出处）',
  async handle(ctx) {
    if (ctx.args.replace(/\s+/g, '') === '依据') {
      const lines = ctx.services.compliance.requirements.map((r) => `• ${r.category}：${periodWord(r.period)}至少${r.min}次（${r.levels.join('、')}）——${r.source}`);
      await ctx.reply(`督查的要求：\n${lines.join('\n')}`);
      return;
    }
    await ctx.reply(await ctx.services.compliance.text(ctx.message.chat, ctx.args, ctx.now));
  },
};
