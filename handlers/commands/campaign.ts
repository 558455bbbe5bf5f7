import { splitOptions, tokenize } from '../../src/app/command-line';
import type { CommandHandler } from '../../src/app/handler';
import { KIND_WORDS, KINDS } from '../../src/domain/duty-kinds';
import { AppError, ErrorCode } from '../../src/errors';
import { formatDateTime } from '../../src/time/format';
import { parseTime } from '../../src/time/parse-time';

const EXAMPLE = '发起 述职 2026年度述职报告 截止 12月20日 范围 全部';

/**
 * 发起 述职 <标题> 截止 <时间> 范围 全部 | <群名>,<群名>…: one report duty in each of those chats (each with its
 * own card, members, reminders and nudges), and a summary card here that follows their progress. Only a
 * superadmin, or a secretary of a committee chat (工委群), may start one, and it reaches group chats only: never a
 * one-to-one chat with the bot (issue #11 item 6). The work is CampaignService's (src/app/campaign-service.ts).
 */
export const campaign: CommandHandler = {
  name: 'campaign',
  words: ['发起'],
  help: `发起 述职 <标题> 截止 <时间> 范围 全部（或 群名,群名）：在工委群由党务管理员（或超级管理员）在多个群同时发起报告类事项，本群汇总进度，例如「${EXAMPLE}」`,
  async handle(ctx) {
    const { campaigns, config } = ctx.services;
    // Who asks comes first: a stranger learns nothing about the chats the bot is in.
    await campaigns.requireCampaigner(ctx.message.chat, ctx.message.sender);
    const [word, ...rest] = tokenize(ctx.args);
    const kind = word ? KIND_WORDS[word] : undefined;
    if (!word || !kind) throw new AppError(ErrorCode.BadCommand, `请写上类型、标题、截止时间和范围，例如：${EXAMPLE}`);
    const { head, options } = splitOptions(rest, ['截止', '范围']);
    const [title, ...more] = head;
    const timeText = options.get('截止') ?? more.join(' ');
    const scope = options.get('范围');
    if (!title || !timeText) throw new AppError(ErrorCode.BadCommand, `请写上标题和截止时间，例如：${EXAMPLE}`);
    if (!scope) throw new AppError(ErrorCode.BadCommand, `请写上范围：「范围 全部」或「范围 第一党支部,第二党支部」。例如：${EXAMPLE}`);
    const parsed = parseTime(timeText, { now: ctx.now, timeZone: config.BOT_TIMEZONE, deadline: kind === 'report' });
    if (!parsed.ok) throw new AppError(ErrorCode.BadTime, parsed.error);
    const started = await campaigns.start({ origin: ctx.message.chat, organizer: ctx.message.sender, kind, label: word, title, at: parsed.at, scope }, ctx.now);
    ctx.log.info({ campaignId: started.id, chats: started.parts.length }, 'campaign started');
    await ctx.reply(
      `已在 ${started.parts.length} 个群发起「${title}」（${KINDS[kind].timeLabel} ${formatDateTime(parsed.at, config.BOT_TIMEZONE, ctx.now)}），本群将显示各群进度。${started.note}`,
    );
  },
};
