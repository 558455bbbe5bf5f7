import { tokenize } from '../../src/app/command-line';
import type { CommandContext, CommandHandler } from '../../src/app/handler';
import { AUTO_CIRCULAR_SETTING, DIRECT_CREATE_SETTING, DIRECT_NUDGE_SETTING, type ChatSwitch } from '../../src/app/settings-service';
import { formatQuietHours, parseQuietHours } from '../../src/domain/quiet-hours';
import { AppError, ErrorCode } from '../../src/errors';

/** 设置 免打扰 21:00-08:00 (or 关): the chat's quiet hours; pending reminders are re-planned at once. */
export const settings: CommandHandler = {
  name: 'settings',
  words: ['设置'],
  help: '设置 免打扰 21:00-08:00：夜间和节假日不提醒的时段（「设置 免打扰 关」关闭）；设置 私信催办 开：催办时也私信未回复的人；设置 直接发起 开：像写通知一样写的事项不再预览，直接发起；设置 自动通报 关：工委、机关党委、党总支群不再每月自动收到通报',
  async handle(ctx) {
    const [name, ...rest] = tokenize(ctx.args);
    const { settings } = ctx.services;
    const chat = ctx.message.chat;
    if (name === '私信催办') {
      const on = await switchSetting(ctx, DIRECT_NUDGE_SETTING, '私信催办', rest.join(''));
      const platformNote = settings.sendsDirect(chat) ? '' : '（当前平台不支持机器人私信，仅在群里催办）';
      await ctx.reply(`已${on ? '开启' : '关闭'}私信催办：催办时${on ? '也会' : '不再'}单独私信未回复的人。${on ? platformNote : ''}`);
      return;
    }
    if (name === '自动通报') {
      const on = await switchSetting(ctx, AUTO_CIRCULAR_SETTING, '自动通报', rest.join(''));
      await ctx.reply(on ? '已开启自动通报：每月第3个工作日上午，本群收到上月（季度初还有上季度，年初还有上年）各下级单位的通报。' : '已关闭自动通报：本群不再自动收到通报，仍可随时发送「通报 上月」。');
      return;
    }
    if (name === '直接发起') {
      await directCreate(ctx, rest.join(''));
      return;
    }
    if (name !== '免打扰') {
      const current = formatQuietHours(await settings.quietHours(chat));
      throw new AppError(ErrorCode.BadCommand, `可以设置：免打扰（现在是 ${current}）、私信催办（开/关），例如：设置 免打扰 21:00-08:00`);
    }
    if (rest.length === 0) {
      await ctx.reply(`本群免打扰时段：${formatQuietHours(await settings.quietHours(chat))}（休息日也不提醒，事项本身在这些时间的除外）`);
      return;
    }
    const quiet = parseQuietHours(rest.join(''));
    if (!quiet) throw new AppError(ErrorCode.BadInput, '没看懂免打扰时段，例如：设置 免打扰 21:00-08:00，或「设置 免打扰 关」');
    await ctx.requireSecretary('settings');
    const replanned = await settings.setQuietHours(chat, quiet, ctx.message.sender, ctx.now);
    await ctx.reply(`已设置免打扰：${formatQuietHours(quiet)}；${replanned} 个事项的提醒已重新安排。`);
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
async function switchSetting(ctx: CommandContext, key: ChatSwitch, label: string, value: string): Promise<boolean> {
  const { settings } = ctx.services;
  const chat = ctx.message.chat;
  const on = /^(开|开启|打开|on)$/i.test(value);
  const off = /^(关|关闭|off)$/i.test(value);
  if (!on && !off) {
    const current = (await settings.isOn(chat, key)) ? '开' : '关';
    throw new AppError(ErrorCode.BadInput, `${label}现在是「${current}」。设置：设置 ${label} 开，或 设置 ${label} 关`);
  }
  await ctx.requireSecretary('settings');
  await settings.turn(chat, key, on, label, ctx.message.sender, ctx.now);
  return on;
}
