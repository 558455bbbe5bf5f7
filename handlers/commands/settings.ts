import { tokenize } from '../../src/app/command-line';
import type { CommandHandler } from '../../src/app/handler';
import { DIRECT_NUDGE_SETTING, QUIET_SETTING } from '../../src/app/plan-context';
import { formatQuietHours, parseQuietHours } from '../../src/domain/quiet-hours';
import { DIRECT_CREATE_SETTING } from '../../src/app/duty-command';
import type { CommandContext } from '../../src/app/handler';
import { AppError, ErrorCode } from '../../src/errors';

/** 设置 免打扰 21:00-08:00 (or 关): the chat's quiet hours; pending reminders are re-planned at once. */
export const settings: CommandHandler = {
  name: 'settings',
  words: ['设置'],
  help: '设置 免打扰 21:00-08:00：夜间和节假日不提醒的时段（「设置 免打扰 关」关闭）；设置 私信催办 开：催办时也私信未回复的人；设置 直接发起 开：像写通知一样写的事项不再预览，直接发起',
  async handle(ctx) {
    const [name, ...rest] = tokenize(ctx.args);
    const { chats, planContexts, duties, planner } = ctx.services;
    const chat = ctx.message.chat;
    if (name === '私信催办') {
      const on = await switchSetting(ctx, DIRECT_NUDGE_SETTING, '私信催办', rest.join(''));
      const platformNote = ctx.services.platforms.get(chat.platform).sendDirect ? '' : '（当前平台不支持机器人私信，仅在群里催办）';
      await ctx.reply(`已${on ? '开启' : '关闭'}私信催办：催办时${on ? '也会' : '不再'}单独私信未回复的人。${on ? platformNote : ''}`);
      return;
    }
    if (name === '直接发起') {
      await directCreate(ctx, rest.join(''));
      return;
    }
    if (name !== '免打扰') {
      const current = formatQuietHours(await planContexts.quietHours(chat));
      throw new AppError(ErrorCode.BadCommand, `可以设置：免打扰（现在是 ${current}）、私信催办（开/关），例如：设置 免打扰 21:00-08:00`);
    }
    if (rest.length === 0) {
      await ctx.reply(`本群免打扰时段：${formatQuietHours(await planContexts.quietHours(chat))}（休息日也不提醒，事项本身在这些时间的除外）`);
      return;
    }
    const quiet = parseQuietHours(rest.join(''));
    if (!quiet) throw new AppError(ErrorCode.BadInput, '没看懂免打扰时段，例如：设置 免打扰 21:00-08:00，或「设置 免打扰 关」');
    await ctx.requireSecretary('settings');
    const before = await planContexts.for(chat);
    await chats.setSetting(chat, QUIET_SETTING, JSON.stringify(quiet), { at: ctx.now, by: ctx.message.sender.id, what: `免打扰 ${formatQuietHours(quiet)}` });
    // Every pending reminder of the chat moves with the new quiet hours.
    const open = await duties.listOpen(chat);
    for (const duty of open) await planner.replan(duty, duty, ctx.now, before);
    await ctx.reply(`已设置免打扰：${formatQuietHours(quiet)}；${open.length} 个事项的提醒已重新安排。`);
  },
};

/** 设置 直接发起 开/关: duties read from free writing are created at once, without a preview. */
async function directCreate(ctx: CommandContext, value: string): Promise<void> {
  const on = await switchSetting(ctx, DIRECT_CREATE_SETTING, '直接发起', value);
  await ctx.reply(on ? '已开启直接发起：像写通知一样写的事项不再预览，直接发起（请留意我的回复是否理解正确）。' : '已关闭直接发起：像写通知一样写的事项会先预览，回复「确认」后发起。');
}

/**
 * An on/off chat setting (`设置 <label> 开|关`): a secretary's change is stored with its audit entry and the new
 * value returned; anything else than 开/关 is answered with the current value and changes nothing.
 */
async function switchSetting(ctx: CommandContext, key: string, label: string, value: string): Promise<boolean> {
  const { chats } = ctx.services;
  const chat = ctx.message.chat;
  const on = /^(开|开启|打开|on)$/i.test(value);
  const off = /^(关|关闭|off)$/i.test(value);
  if (!on && !off) {
    const current = (await chats.setting(chat, key)) === 'on' ? '开' : '关';
    throw new AppError(ErrorCode.BadInput, `${label}现在是「${current}」。设置：设置 ${label} 开，或 设置 ${label} 关`);
  }
  await ctx.requireSecretary('settings');
  await chats.setSetting(chat, key, on ? 'on' : 'off', { at: ctx.now, by: ctx.message.sender.id, what: `${label} ${on ? '开' : '关'}` });
  return on;
}
