import type { ChatRef, Member } from '../../domain/types';

/**
 * The business records the DingTalk adapter reads and writes: the names and group titles seen in messages, the
 * groups that used the bot lately, and the members DingTalk flags as admins. The composition root passes ChatRepo,
 * which keeps them with the chats, rosters and roles (chat-repo.ts among the Redis repositories).
 */
export interface DingTalkRecords {
  /** One member of the chat's cached roster, read without network I/O (card callbacks have 2 s). */
  member(chat: ChatRef, id: string): Promise<Member | undefined>;
  /** Names seen in messages (senderNick, @-mentions), by user id, in every group. */
  rememberNames(platform: 'dingtalk', names: readonly (readonly [string, string])[]): Promise<void>;
  platformNames(platform: 'dingtalk', ids: readonly string[]): Promise<Map<string, string>>;
  /** A message arrived in the group: its title (conversationTitle), and when the bot was last used there. */
  markActive(chat: ChatRef, title: string | undefined, at: number): Promise<void>;
  title(chat: ChatRef): Promise<string | undefined>;
  /** The groups that used the bot since `since` (epoch ms). */
  activeSince(platform: 'dingtalk', since: number): Promise<string[]>;
  /** The senders DingTalk flagged `isAdmin` in the group. */
  admins(chat: ChatRef): Promise<Set<string>>;
  /**
   * Record DingTalk's `isAdmin` for a sender, and bring the member's role in the cached roster in line, in one
   * atomic step (an owner stays owner). True when the roster changed.
   */
  setRole(chat: ChatRef, memberId: string, role: 'admin' | 'member'): Promise<boolean>;
}
