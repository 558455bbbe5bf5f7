import { splitOptions, tokenize } from '../../src/app/command-line';
import { requireCampaigner } from '../../src/app/committees';
import type { CommandHandler } from '../../src/app/handler';
import { KIND_WORDS, KINDS } from '../../src/domain/duty-kinds';
import { chatKey, type ChatRef } from '../../src/domain/types';
import { AppError, ErrorCode } from '../../src/errors';
import { CampaignRepo, type CampaignPart } from '../../src/store/campaign-repo';
import { formatDateTime, passedMessage } from '../../src/time/format';
import { parseTime } from '../../src/time/parse-time';

const EXAMPLE = '发起 述职 2026年度述职报告 截止 12月20日 范围 全部';
export const MAX_CAMPAIGN_CHATS = 200;

/**
 * 发起 述职 <标题> 截止 <时间> 范围 全部 | <群名>,<群名>…: one report duty in each of those chats (each with its
 * own card, members, reminders and nudges), and a summary card here that follows their progress. Only a
 * superadmin, or a secretary of a committee chat (工委群), may start one, and it reaches group chats only: never a
 * one-to-one chat with the bot (issue #11 item 6).
 */
export const campaign: CommandHandler = {
  name: 'campaign',
  words: ['发起'],
  help: `发起 述职 <标题> 截止 <时间> 范围 全部（或 群名,群名）：在工委群由党务管理员（或超级管理员）在多个群同时发起报告类事项，本群汇总进度，例如「${EXAMPLE}」`,
  async handle(ctx) {
    // Who asks comes first: a stranger learns nothing about the chats the bot is in.
    await requireCampaigner(ctx.services, ctx.message.chat, ctx.message.sender);
    const [word, ...rest] = tokenize(ctx.args);
    const kind = word ? KIND_WORDS[word] : undefined;
    if (!word || !kind) throw new AppError(ErrorCode.BadCommand, `请写上类型、标题、截止时间和范围，例如：${EXAMPLE}`);
    const { head, options } = splitOptions(rest, ['截止', '范围']);
    const [title, ...more] = head;
    const timeText = options.get('截止') ?? more.join(' ');
    const scope = options.get('范围');
    if (!title || !timeText) throw new AppError(ErrorCode.BadCommand, `请写上标题和截止时间，例如：${EXAMPLE}`);
    if (!scope) throw new AppError(ErrorCode.BadCommand, `请写上范围：「范围 全部」或「范围 第一党支部,第二党支部」。例如：${EXAMPLE}`);
    const parsed = parseTime(timeText, { now: ctx.now, timeZone: ctx.services.config.BOT_TIMEZONE, deadline: kind === 'report' });
    if (!parsed.ok) throw new AppError(ErrorCode.BadTime, parsed.error);
    const { chats, roster, dutyService, campaigns, outbox } = ctx.services;
    const origin = ctx.message.chat;

    // Group chats only: a chat counts once a message there said it is a group (a one-to-one chat never does).
    const others = (await chats.known(origin.platform)).filter((c) => c.chatId !== origin.chatId);
    const kinds = await chats.kinds(others);
    const known = others.filter((c) => kinds.get(chatKey(c)) === 'group');
    // Chats recorded before kinds were kept, or never written to since: not known to be groups, so left out.
    const unconfirmed = others.filter((c) => !kinds.has(chatKey(c))).length;
    const unconfirmedNote = unconfirmed > 0 ? `另有 ${unconfirmed} 个群尚未确认是群聊，未包括：在该群 @我 发任一命令（如「列表」）后即可。` : '';
    const named = await Promise.all(known.map(async (chat) => ({ chat, name: await roster.chatName(chat) })));
    let targets: { chat: ChatRef; name: string }[];
    const all = /^(全部|所有|全体)$/.test(scope.trim());
    if (all) {
      targets = named;
    } else {
      const wanted = scope.split(/[,，、\s]+/).filter(Boolean);
      const missing = wanted.filter((w) => !named.some((n) => n.name === w));
      if (missing.length > 0) throw new AppError(ErrorCode.BadInput, `我不在这些群里或没找到：${missing.join('、')}。请先把我拉进群，或检查群名。${unconfirmedNote}`);
      targets = named.filter((n) => wanted.includes(n.name));
    }
    if (targets.length === 0) throw new AppError(ErrorCode.BadInput, `除本群外我还不在其他群里：请先把我拉进各支部的群。${unconfirmedNote}`);
    if (targets.length > MAX_CAMPAIGN_CHATS) throw new AppError(ErrorCode.BadInput, `范围太大（${targets.length} 个群，最多 ${MAX_CAMPAIGN_CHATS} 个）。`);
    if (parsed.at <= ctx.now) throw new AppError(ErrorCode.BadTime, passedMessage(parsed.at, ctx.services.config.BOT_TIMEZONE, ctx.now));

    const id = CampaignRepo.newId();
    // Every chat's duty in one transaction: all of them or none, however many chats.
    const duties = await dutyService.createMany(
      targets.map((t) => ({ chat: t.chat, organizer: ctx.message.sender, kind, label: word, title, at: parsed.at, campaignId: id })),
      ctx.now,
    );
    const parts: CampaignPart[] = targets.map((t, i) => {
      const duty = duties[i];
      if (!duty) throw new Error('bulk creation returned fewer duties than asked');
      return { chat: t.chat, chatName: t.name, dutyId: duty.id, number: duty.number };
    });
    await campaigns.save({
      id,
      origin,
      kind,
      label: word,
      title,
      at: parsed.at,
      createdBy: { id: ctx.message.sender.id, name: ctx.message.sender.name },
      createdAt: ctx.now,
      parts,
    });
    await outbox.campaign(id, 0);
    ctx.log.info({ campaignId: id, chats: parts.length }, 'campaign started');
    await ctx.reply(
      `已在 ${parts.length} 个群发起「${title}」（${KINDS[kind].timeLabel} ${formatDateTime(parsed.at, ctx.services.config.BOT_TIMEZONE, ctx.now)}），本群将显示各群进度。${all ? unconfirmedNote : ''}`,
    );
  },
};
