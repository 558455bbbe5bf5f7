import type { Redis } from 'ioredis';
import type { ChatRef, Member } from '../domain/types';
import { chatKey } from '../domain/types';
import { execOrThrow } from './duty-repo';
import { Keys } from './redis';

/*
 * Key layout (P = key prefix, C = `<platform>:<chatId>`). No TTLs.
 *   P:chats                  set     every C the bot has seen
 *   P:chat:C:meta            hash    name, platform, chatId, rosterAt (ms of the last roster refresh)
 *   P:chat:C:members         hash    memberId -> JSON Member (the cached roster)
 *   P:chat:C:secretaries     set     member ids made secretaries with 设置管理员
 *   P:chat:C:settings        hash    quiet -> JSON QuietHours (设置 免打扰 21:00-08:00)
 *   P:chat:C:audit           list    JSON { at, by, what } for changes of roles and settings
 *   P:chat:C:names           hash    memberId -> name, as seen on messages and clicks (names for people the
 *                                    platform cannot list, e.g. in a DingTalk group without a 名单)
 */

export interface ChatAudit {
  readonly at: number;
  readonly by: string;
  readonly what: string;
}

export class ChatRepo {
  private readonly keys: Keys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = new Keys(prefix);
  }

  private key = (chat: ChatRef, part: string): string => this.keys.k('chat', chatKey(chat), part);

  /** Replace the cached roster in one MULTI. */
  async saveRoster(chat: ChatRef, members: readonly Member[], now: number, name?: string): Promise<void> {
    const multi = this.redis.multi();
    multi.sadd(this.keys.k('chats'), chatKey(chat));
    multi.del(this.key(chat, 'members'));
    if (members.length > 0) {
      multi.hset(this.key(chat, 'members'), ...members.flatMap((m) => [m.id, JSON.stringify(m)]));
    }
    multi.hset(this.key(chat, 'meta'), 'platform', chat.platform, 'chatId', chat.chatId, 'rosterAt', String(now));
    if (name) multi.hset(this.key(chat, 'meta'), 'name', name);
    await execOrThrow(multi);
  }

  async roster(chat: ChatRef): Promise<{ members: Member[]; refreshedAt?: number }> {
    const [raw, rosterAt] = await Promise.all([
      this.redis.hgetall(this.key(chat, 'members')),
      this.redis.hget(this.key(chat, 'meta'), 'rosterAt'),
    ]);
    const members = Object.values(raw).map((v) => JSON.parse(v) as Member);
    return rosterAt ? { members, refreshedAt: Number(rosterAt) } : { members };
  }

  /** Remember a chat the bot is in (every inbound message does), with its name and the sender's when known. */
  async touch(chat: ChatRef, name?: string, sender?: Pick<Member, 'id' | 'name'>): Promise<void> {
    const multi = this.redis.multi();
    multi.sadd(this.keys.k('chats'), chatKey(chat));
    multi.hset(this.key(chat, 'meta'), 'platform', chat.platform, 'chatId', chat.chatId);
    if (name) multi.hset(this.key(chat, 'meta'), 'name', name);
    if (sender?.name && sender.name !== sender.id) multi.hset(this.key(chat, 'names'), sender.id, sender.name.slice(0, 64));
    await execOrThrow(multi);
  }

  /** Names seen on messages and clicks in the chat. */
  async seenNames(chat: ChatRef): Promise<Map<string, string>> {
    return new Map(Object.entries(await this.redis.hgetall(this.key(chat, 'names'))));
  }

  /** Every chat the bot knows on a platform. */
  async known(platform: ChatRef['platform']): Promise<ChatRef[]> {
    const keys = await this.redis.smembers(this.keys.k('chats'));
    return keys
      .filter((k) => k.startsWith(`${platform}:`))
      .map((k) => ({ platform, chatId: k.slice(platform.length + 1) }))
      .sort((a, b) => a.chatId.localeCompare(b.chatId, 'en', { numeric: true }));
  }

  /** One member of the cached roster (one HGET: card callbacks read it on every click). */
  async member(chat: ChatRef, id: string): Promise<Member | undefined> {
    const raw = await this.redis.hget(this.key(chat, 'members'), id);
    return raw ? (JSON.parse(raw) as Member) : undefined;
  }

  async name(chat: ChatRef): Promise<string | undefined> {
    return (await this.redis.hget(this.key(chat, 'meta'), 'name')) ?? undefined;
  }

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

  async setting(chat: ChatRef, name: string): Promise<string | undefined> {
    return (await this.redis.hget(this.key(chat, 'settings'), name)) ?? undefined;
  }

  async setSetting(chat: ChatRef, name: string, value: string, audit: ChatAudit): Promise<void> {
    const multi = this.redis.multi();
    multi.hset(this.key(chat, 'settings'), name, value);
    multi.rpush(this.key(chat, 'audit'), JSON.stringify(audit));
    await execOrThrow(multi);
  }

  async audit(chat: ChatRef): Promise<ChatAudit[]> {
    return (await this.redis.lrange(this.key(chat, 'audit'), '0', '-1')).map((v) => JSON.parse(v) as ChatAudit);
  }
}
