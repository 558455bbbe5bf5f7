import type { CommandHandler } from '../../src/app/handler';

/**
 * The five things people do most (issue 17 "Replies": `帮助` is no wall of text), each with one example; the rest
 * is `帮助 全部` (built from the registry, so it never goes stale) and `帮助 <命令>`.
 */
export const TOP_FIVE: readonly string[] = [
  '发通知：直接写，例如「@落实 明天下午3点在三楼会议室开支委会」（学习、述职同样写）',
  '回复：点卡片上的按钮，或发「参加 #7」「请假 #7 外出开会」「已提交 #5」',
  '签到：会前30分钟到会议结束，点卡片上的「签到」或发「签到 #7」',
  '统计：「统计 #7」看谁参加、谁请假、谁未回复；「统计 本月」看出勤率和报表',
  '催办：「催办 #7」提醒还没回复的人',
];

const ALL = new Set(['全部', '所有', '更多', 'all']);

/** One line per command, all alike: `• 用法：说明`. */
export const helpLine = (help: string): string => `• ${help}`;

export function helpHandler(all: () => readonly CommandHandler[]): CommandHandler {
  return {
    name: 'help',
    words: ['帮助', 'help', '?', '？'],
    help: '帮助：最常用的五件事；帮助 全部：全部命令；帮助 <命令>：一个命令的用法，例如「帮助 统计」',
    async handle(ctx) {
      const asked = ctx.args.replace(/^[\s:：,，]+/, '').trim();
      const name = ctx.services.config.BOT_NAME;
      if (ALL.has(asked.toLowerCase())) {
        const lines = all().map((h) => helpLine(h.help));
        await ctx.reply(`全部命令（在群里 @${name} 并发送）：\n${lines.join('\n')}\n卡片上的按钮也可以直接点。`);
        return;
      }
      if (asked.length > 0) {
        const word = asked.replace(/^[@＠]\S*\s*/, '').split(/[\s,，:：]/)[0] ?? '';
        const found = all().filter((h) => h.words.some((w) => w === word || (word.length > 1 && w.startsWith(word))));
        await ctx.reply(
          found.length > 0 ? found.map((h) => helpLine(h.help)).join('\n') : `没有「${word}」这个命令。发「帮助 全部」查看全部命令。`,
        );
        return;
      }
      const lines = TOP_FIVE.map((line, i) => `${i + 1}. ${line}`);
      await ctx.reply(`我是${name}，帮支部把会议、学习和报告落实到人。最常用的五件事：\n${lines.join('\n')}\n更多命令：「帮助 全部」；某个命令的用法：「帮助 统计」。`);
    },
  };
}
