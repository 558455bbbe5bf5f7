import { findTemplate, TEMPLATES } from '../../schedules';
import type { CommandHandler } from '../../src/app/handler';
import { AppError, ErrorCode } from '../../src/errors';
import { parseSchedule } from '../../src/time/parse-schedule';
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
    const { seriesRepo, seriesService, config, calendar } = ctx.services;
    const existing = (await seriesRepo.list(ctx.message.chat)).filter((s) => s.template === template.id && s.state === 'active');
    if (existing.length > 0) {
      throw new AppError(ErrorCode.Conflict, `本群已启用「${template.name}」（${existing.map((s) => `系列${s.number}`).join('、')}）。`);
    }
    const made: string[] = [];
    for (const item of template.items) {
      const parsed = parseSchedule(item.schedule, { now: ctx.now, timeZone: config.BOT_TIMEZONE, calendar, deadline: item.kind === 'report' });
      if (!parsed.ok || parsed.kind !== 'recurring') throw new Error(`template ${template.id} has a bad schedule: ${item.schedule}`);
      const { series } = await seriesService.create(
        {
          chat: ctx.message.chat,
          organizer: ctx.message.sender,
          kind: item.kind,
          label: item.label,
          title: item.title,
          rule: parsed.rule,
          description: parsed.description,
          template: template.id,
        },
        ctx.now,
      );
      made.push(`系列${series.number} ${series.title}：${series.description}`);
    }
    ctx.log.info({ template: template.id, series: made.length }, 'template enabled');
    await ctx.reply(`已启用「${template.name}」：\n${made.join('\n')}\n可用「改期 系列<编号> <规则>」调整日期和时间。`);
  },
};
