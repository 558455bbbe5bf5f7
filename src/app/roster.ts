import { chatKey, type ChatRef, type Member } from '../domain/types';
import { NoMemberListError } from '../errors';
import type { ChatRepo } from '../store/chat-repo';
import type { PlatformRegistry } from './platform-registry';

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
