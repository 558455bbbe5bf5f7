import { tokenize } from '../../src/app/command-line';
import type { CommandContext, CommandHandler } from '../../src/app/handler';
import type { Member } from '../../src/domain/types';
import { AppError, ErrorCode, PlatformError } from '../../src/errors';
import { quote } from '../../src/domain/quote';

const SHOWN = 60;
const HOW = '党务管理员可发送「名单 添加 @张三 @李四」或「名单 部门 <部门ID>」设置名单。';

const namesOf = (members: readonly Pick<Member, 'name'>[]): string =>
  members.length > SHOWN ? `${members.slice(0, SHOWN).map((m) => m.name).join('、')} 等 ${members.length} 人` : members.map((m) => m.name).join('、');

/** How many members the platform itself lists, or undefined when it has no member API for this chat. */
async function platformCount(ctx: CommandContext): Promise<number | undefined> {
  const port = ctx.services.platforms.get(ctx.message.chat.platform);
  return (await port.listMembers(ctx.message.chat.chatId))?.length;
}

async function list(ctx: CommandContext): Promise<void> {
  const { members } = await ctx.services.chats.roster(ctx.message.chat);
  if (members.length === 0) {
    await ctx.reply(`本群还没有名单：事项只统计已回复的人。${HOW}`);
    return;
  }
  await ctx.reply(`本群名单（${members.length} 人）：${namesOf(members)}`);
}

/** Add to or remove from the roster the group keeps by command, saved where RosterService reads it. */
async function change(ctx: CommandContext, add: readonly Member[], remove: ReadonlySet<string>, what: string): Promise<void> {
  const chat = ctx.message.chat;
  const { members } = await ctx.services.chats.roster(chat);
  const byId = new Map(members.map((m) => [m.id, m]));
  const added = add.filter((m) => !byId.has(m.id));
  for (const m of added) byId.set(m.id, m);
  const removed = members.filter((m) => remove.has(m.id));
  for (const m of removed) byId.delete(m.id);
  if (added.length === 0 && removed.length === 0) {
    await ctx.reply(`名单没有变化（共 ${members.length} 人）。`);
    return;
  }
  await ctx.services.chats.saveRoster(chat, [...byId.values()], ctx.now);
  ctx.log.info({ added: added.length, removed: removed.length, size: byId.size }, 'roster changed by command');
  const done = added.length > 0 ? `已加入名单：${namesOf(added)}` : `已移出名单：${namesOf(removed)}`;
  await ctx.reply(`${what}${done}（名单共 ${byId.size} 人）。新发起的事项按名单统计。`);
}

/**
 * 名单 / 名单 添加 @张三 @李四 / 名单 移除 @张三 / 名单 部门 <部门ID>: the roster of a group whose platform cannot
 * list members (a DingTalk group that is not a scene group). Changes are for secretaries only.
 */
export const roster: CommandHandler = {
  name: 'roster',
  words: ['名单'],
  help: '名单 / 名单 添加 @某人 / 名单 移除 @某人 / 名单 部门 <部门ID>：查看或设置本群要统计的人（钉钉普通群由党务管理员设置）',
  async handle(ctx) {
    const [sub, ...rest] = tokenize(ctx.args);
    if (!sub) return list(ctx);
    if (!['添加', '移除', '部门'].includes(sub)) throw new AppError(ErrorCode.BadCommand, `没看懂${quote(sub)}。${HOW}`);
    await ctx.requireSecretary('settings');
    const synced = await platformCount(ctx);
    if (synced !== undefined) {
      await ctx.reply(`本群成员由平台自动同步（共 ${synced} 人），无需手动设置名单。`);
      return;
    }
    const sender = ctx.message.sender;
    const mentioned = (ctx.message.mentions ?? []).map((m): Member => (m.id === sender.id ? { ...sender, name: m.name || sender.name } : { id: m.id, name: m.name }));
    if (sub === '添加' || sub === '移除') {
      if (mentioned.length === 0) throw new AppError(ErrorCode.BadCommand, `请 @ 要${sub === '添加' ? '加入' : '移出'}名单的人，例如：名单 ${sub} @张三 @李四`);
      if (sub === '添加') return change(ctx, mentioned, new Set(), '');
      return change(ctx, [], new Set(mentioned.map((m) => m.id)), '');
    }
    const dept = rest[0];
    if (!dept || !/^\d{1,18}$/.test(dept)) throw new AppError(ErrorCode.BadCommand, '请写上部门 ID（数字，在钉钉管理后台「通讯录」里查看），例如：名单 部门 123456');
    const port = ctx.services.platforms.get(ctx.message.chat.platform);
    if (!port.departmentMembers) throw new AppError(ErrorCode.BadCommand, '这个平台不支持按部门设置名单，请用「名单 添加 @某人」。');
    let members: Member[];
    try {
      members = await port.departmentMembers(dept);
    } catch (err) {
      if (err instanceof PlatformError && err.permanent) throw new AppError(ErrorCode.NotFound, `找不到部门 ${dept}，或机器人没有读取通讯录的权限。`);
      throw err;
    }
    if (members.length === 0) throw new AppError(ErrorCode.NotFound, `部门 ${dept} 没有直属成员（下级部门的成员需要分别添加）。`);
    await change(ctx, members, new Set(), `部门 ${dept}：`);
  },
};
