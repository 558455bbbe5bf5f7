import { chatKey, type ChatRef } from '../domain/types';
import type { ChatAudit } from './chat-settings';
import { ChatRoster } from './chat-roster';
import { execOrThrow } from './redis';

/*
 * Key layout (P = key prefix, C = `<platform>:<chatId>`). No TTLs.
 *   P:chats                  set     every C the bot has seen
 *   P:committee-chats        set     the C marked 工委群 (设为工委群 or the admin API; COMMITTEE_CHATS is config)
 *   P:chat:C:meta            hash    name, platform, chatId, rosterAt (ms of the last roster refresh),
 *                                    kind (group | direct, as the platform said on the last message there)
 *   P:chat:C:members         hash    memberId -> JSON Member (the cached roster)
 *   P:chat:C:secretaries     set     member ids made secretaries with 设置管理员
 *   P:chat:C:settings        hash    quiet -> JSON QuietHours (设置 免打扰 21:00-08:00)
 *   P:chat:C:audit           list    JSON { at, by, what } for changes of roles and settings
 *   P:chat:C:names           hash    memberId -> name, as seen on messages and clicks (names for people the
 *                                    platform cannot list, e.g. in a DingTalk group without a 名单)
 * What a platform says of its users and groups outside any one roster (Q = platform, today DingTalk's):
 *   P:Q:nick                 hash    userId -> name seen in messages (senderNick, @-mentions), in any group
 *   P:Q:title                hash    chatId -> the group's title as seen in messages
 *   P:Q:active               zset    chatId -> when the group last @-mentioned the bot (ms)
 *   P:Q:admins:<chatId>      set     the senders the platform flagged as the group's admins (setRole)
 * On a Redis Cluster a chat's keys (and its `P:Q:admins:<chatId>`) share the chat's slot (src/store/keys.ts); `chats`,
 * `committee-chats` and the platform-wide hashes are global, written apart from the chat's MULTI (idempotent).
 * JSON records are parsed when read (src/store/records.ts): a roster or the audit list leaves a damaged entry out
 * and reports it with its key and field; a setting read as a record (`settingRecord`) throws DamagedRecord.
 */

/**
 * Chats, their cached rosters, roles and settings. Nothing here decides what happens once: that is keyed in Redis
 * (dedupe, transactions). One class over the keys above, written in layers, one file a concept, each using the ones
 * before it: chat-directory.ts (the chats known, their kind and name, what a platform says of its users and groups),
 * chat-settings.ts (settings and the audit list), chat-roster.ts (the cached roster, memoised in this process, and the
 * platform's admin flags), and here the roles the bot's own commands give: secretaries and 工委群.
 */
export class ChatRepo extends ChatRoster {
  async secretaries(chat: ChatRef): Promise<Set<string>> {
    return new Set(await this.redis.smembers(this.key(chat, 'secretaries')));
  }

  /** Add a secretary and record who did it, in one MULTI. False when already one. */
  async addSecretary(chat: ChatRef, memberId: string, audit?: ChatAudit): Promise<boolean> {
    return this.changeSecretary(chat, memberId, true, audit);
  }

  async removeSecretary(chat: ChatRef, memberId: string, audit?: ChatAudit): Promise<boolean> {
    return this.changeSecretary(chat, memberId, false, audit);
  }

  /** The role change and its audit entry in one MULTI; nothing is written when there is nothing to change. */
  private async changeSecretary(chat: ChatRef, memberId: string, add: boolean, audit?: ChatAudit): Promise<boolean> {
    const isOne = (await this.redis.sismember(this.key(chat, 'secretaries'), memberId)) === 1;
    if (isOne === add) return false;
    const multi = this.redis.multi();
    if (add) multi.sadd(this.key(chat, 'secretaries'), memberId);
    else multi.srem(this.key(chat, 'secretaries'), memberId);
    if (audit) multi.rpush(this.key(chat, 'audit'), JSON.stringify(audit));
    await execOrThrow(multi);
    return true;
  }

  /** Whether an operator marked the chat 工委群 in the store (COMMITTEE_CHATS is checked by src/app/committees.ts). */
  async isCommittee(chat: ChatRef): Promise<boolean> {
    return (await this.redis.sismember(this.keys.k('committee-chats'), chatKey(chat))) === 1;
  }

  /** Every chat marked 工委群 in the store, as chatKeys, sorted. */
  async committeeChats(): Promise<string[]> {
    return (await this.redis.smembers(this.keys.k('committee-chats'))).sort();
  }

  /**
   * Mark or unmark a 工委群 and record who did it (on a cluster in two steps: a crash in between loses only the audit
   * line). False when there was nothing to change.
   */
  async setCommittee(chat: ChatRef, on: boolean, audit: ChatAudit): Promise<boolean> {
    const set = this.keys.k('committee-chats');
    const isOne = (await this.redis.sismember(set, chatKey(chat))) === 1;
    if (isOne === on) return false;
    // One MULTI on one Redis; on a cluster the set (global) and the chat's audit are in two slots.
    if (!this.keys.spreads) {
      const multi = this.redis.multi();
      if (on) multi.sadd(set, chatKey(chat));
      else multi.srem(set, chatKey(chat));
      multi.rpush(this.key(chat, 'audit'), JSON.stringify(audit));
      await execOrThrow(multi);
      return true;
    }
    if (on) await this.redis.sadd(set, chatKey(chat));
    else await this.redis.srem(set, chatKey(chat));
    await this.redis.rpush(this.key(chat, 'audit'), JSON.stringify(audit));
    return true;
  }
}
