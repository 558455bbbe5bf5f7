import { chatKey, type ChatRef, type Member } from '../domain/types';
import { AppError, ErrorCode, NoMemberListError, PlatformError } from '../errors';
import type { ChatRepo } from '../store/chat-repo';
import type { PlatformRegistry } from './platform-registry';

/** A change of the roster kept by command: who came in, who went out, and how many it lists now. */
export interface RosterChange {
  readonly added: readonly Member[];
  readonly removed: readonly Member[];
  readonly size: number;
}

export const ROSTER_MAX_AGE_MS = 24 * 3600 * 1000;

/** A cached roster that can be used as it is: not empty and refreshed within ROSTER_MAX_AGE_MS. */
const usable = (cached: { members: Member[]; refreshedAt?: number }, now: number): boolean =>
  cached.members.length > 0 && cached.refreshedAt !== undefined && now - cached.refreshedAt <= ROSTER_MAX_AGE_MS;

/** A chat's members: the roster cached in Redis, refreshed from the platform when older than a day. */
export class RosterService {
  constructor(
    private readonly chats: ChatRepo,
    private readonly platforms: PlatformRegistry,
    private readonly clock: () => number,
  ) {}

  /** The chat's members; a NoMemberListError when the platform keeps no list for it and no roster was kept. */
  async members(chat: ChatRef, options: { fresh?: boolean } = {}): Promise<Member[]> {
    const members = await this.listed(chat, options);
    if (!members) throw new NoMemberListError(chat.platform, chat.chatId);
    return members;
  }

  /**
   * The chat's members, or undefined when the platform keeps no member list for it and no roster was kept with
   * 名单 (a kept roster is used as it is, and never replaced by the platform's "no list").
   */
  private async listed(chat: ChatRef, options: { fresh?: boolean } = {}): Promise<Member[] | undefined> {
    const cached = await this.chats.roster(chat);
    const now = this.clock();
    if (!options.fresh && usable(cached, now)) return cached.members;
    try {
      const members = await this.platforms.get(chat.platform).listMembers(chat.chatId);
      if (!members) return cached.members.length > 0 ? cached.members : undefined;
      await this.chats.saveRoster(chat, members, now);
      return members;
    } catch (err) {
      // The platform is unreachable: a stale roster is better than none; with none, the failure stands.
      if (cached.members.length > 0) return cached.members;
      throw err;
    }
  }

  /**
   * The members of many chats (bulk creation): the cached rosters read in one pipeline; a chat whose roster is
   * missing or stale goes through `members` (the platform). A chat the platform cannot list maps to []; any other
   * failure is thrown. Keyed by chatKey.
   */
  async membersMany(chats: readonly ChatRef[]): Promise<Map<string, Member[]>> {
    const cached = await this.chats.rosters(chats);
    const now = this.clock();
    const out = new Map<string, Member[]>();
    const refetch: ChatRef[] = [];
    for (const chat of new Map(chats.map((c) => [chatKey(c), c])).values()) {
      const c = cached.get(chatKey(chat));
      if (c && usable(c, now)) out.set(chatKey(chat), c.members);
      else refetch.push(chat);
    }
    await Promise.all(refetch.map(async (chat) => out.set(chatKey(chat), await this.audience(chat))));
    return out;
  }

  /** A new duty's audience: the chat's members, or none (an open audience) when the platform cannot list them. */
  async audience(chat: ChatRef): Promise<Member[]> {
    return (await this.listed(chat)) ?? [];
  }

  /** How many members the platform itself lists, or undefined when it has no member API for this chat. */
  async platformCount(chat: ChatRef): Promise<number | undefined> {
    return (await this.platforms.get(chat.platform).listMembers(chat.chatId))?.length;
  }

  /** The roster as kept (名单): for a chat the platform cannot list, the one set by command. */
  async kept(chat: ChatRef): Promise<Member[]> {
    return (await this.chats.roster(chat)).members;
  }

  /** Add to and remove from the roster kept by command, saved where `members` reads it. */
  async change(chat: ChatRef, add: readonly Member[], remove: ReadonlySet<string>, now: number): Promise<RosterChange> {
    const { members } = await this.chats.roster(chat);
    const byId = new Map(members.map((m) => [m.id, m]));
    const added = add.filter((m) => !byId.has(m.id));
    for (const m of added) byId.set(m.id, m);
    const removed = members.filter((m) => remove.has(m.id));
    for (const m of removed) byId.delete(m.id);
    if (added.length > 0 || removed.length > 0) await this.chats.saveRoster(chat, [...byId.values()], now);
    return { added, removed, size: byId.size };
  }

  /** The direct members of a department (名单 部门 <ID>), where the chat's platform lists departments. */
  async departmentMembers(chat: ChatRef, deptId: string): Promise<Member[]> {
    const port = this.platforms.get(chat.platform);
    // An optional method of the port (src/platforms/port.ts): only platforms with a directory of departments have it.
    if (!port.departmentMembers) throw new AppError(ErrorCode.BadCommand, '这个平台不支持按部门设置名单，请用「名单 添加 @某人」。');
    try {
      return await port.departmentMembers(deptId);
    } catch (err) {
      if (err instanceof PlatformError && err.permanent) throw new AppError(ErrorCode.NotFound, `找不到部门 ${deptId}，或机器人没有读取通讯录的权限。`);
      throw err;
    }
  }

  /** The chat's name: cached, else asked of the platform (and cached), else the chat id. */
  async chatName(chat: ChatRef): Promise<string> {
    const cached = await this.chats.name(chat);
    if (cached) return cached;
    const port = this.platforms.get(chat.platform);
    const name = await port.chatName?.(chat.chatId).catch(() => undefined);
    if (name) await this.chats.touch(chat, name);
    return name ?? chat.chatId;
  }

  /**
   * Names for cards and tallies: the cached roster even when a little stale, so a card click (3 s on Feishu) never
   * waits for the platform; the daily refresh and member events keep it current. Only a chat never seen is fetched.
   */
  async names(chat: ChatRef): Promise<Map<string, string>> {
    const cached = await this.chats.roster(chat);
    // A chat the platform cannot list, without a kept roster (a DingTalk group before its 名单), has an open
    // audience: no names to look up, and its cards must still render.
    const members = cached.members.length > 0 ? cached.members : await this.audience(chat);
    // Names seen on messages and clicks fill in for people no roster lists; the roster wins where both know one.
    return new Map([...(await this.chats.seenNames(chat)), ...members.map((m): [string, string] => [m.id, m.name])]);
  }
}
