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
 */

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

  async name(chat: ChatRef): Promise<string | undefined> {
    return (await this.redis.hget(this.key(chat, 'meta'), 'name')) ?? undefined;
  }

  async secretaries(chat: ChatRef): Promise<Set<string>> {
    return new Set(await this.redis.smembers(this.key(chat, 'secretaries')));
  }

  async addSecretary(chat: ChatRef, memberId: string): Promise<boolean> {
    return (await this.redis.sadd(this.key(chat, 'secretaries'), memberId)) === 1;
  }

  async removeSecretary(chat: ChatRef, memberId: string): Promise<boolean> {
    return (await this.redis.srem(this.key(chat, 'secretaries'), memberId)) === 1;
  }
}
