import { findTemplate, TEMPLATES } from '../../schedules';
import type { CommandHandler } from '../../src/app/handler';
import { AppError, ErrorCode } from '../../src/errors';
import { quote } from '../../src/domain/quote';

/** 模板: the duty templates; 启用 <模板>: install a template's series in the chat. */
export const templates: CommandHandler = {
  name: 'templates',
  words: ['模板', '启用'],
  help: '模板：查看内置的循环事项模板；启用 <模板>：一键建立，例如「启用 三会一课」（之后可用「改期 系列<编号> <规则>」调整）',
  async handle(ctx) {
    if (ctx.verb === '模板') {
      const lines = TEMPLATES.map((t) => `• ${t.name}：${t.description}\n  ${t.items.map((i) => `${i.title}（${i.schedule}）`).join('；')}`);
      await ctx.reply(`内置模板（发送「启用 <模板名>」使用）：\n${lines.join('\n')}`);
      return;
    }
    const name = ctx.args.trim();
    const template = findTemplate(name);
    if (!template) throw new AppError(ErrorCode.NotFound, `没有${quote(name || '（空）')}这个模板。可用：${TEMPLATES.map((t) => t.name).join('、')}`);
    await ctx.requireSecretary('create');
    const made = await ctx.services.series.enableTemplate(template, ctx.message.chat, ctx.message.sender, ctx.now);
    ctx.log.info({ template: template.id, series: made.length }, 'template enabled');
    await ctx.reply(`已启用「${template.name}」：\n${made.map((s) => `系列${s.number} ${s.title}：${s.description}`).join('\n')}\n可用「改期 系列<编号> <规则>」调整日期和时间。`);
  },
};
