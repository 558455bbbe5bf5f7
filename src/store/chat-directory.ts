import { chatKey, type ChatRef, type PlatformName } from '../domain/types';
import { execOrThrow } from './redis';
import { RecordRepo } from './repo-base';
import { chatTag, pipelineByTag } from './slot-groups';

/** A group chat or a one-to-one chat with the bot, as the platform marks each message (port.ts `direct`). */
export type ChatKind = 'group' | 'direct';

/**
 * The first layer of ChatRepo (src/store/chat-repo.ts, where the key layout is): which chats the bot knows, what kind
 * and name each has, and what a platform says of its users and groups outside any one roster (`P:Q:*`).
 */
export abstract class ChatDirectory extends RecordRepo {
  /** `P:chat:C:<part>`, in the chat's slot on a cluster. */
  protected readonly key = (chat: ChatRef, part: string): string => this.keys.chat(chatKey(chat), part);
  protected readonly tagOf = (chat: ChatRef): string => chatTag(this.keys, chat);

  /** Every chat the bot knows on a platform. */
  async known(platform: ChatRef['platform']): Promise<ChatRef[]> {
    const keys = await this.redis.smembers(this.keys.k('chats'));
    return keys
      .filter((k) => k.startsWith(`${platform}:`))
      .map((k) => ({ platform, chatId: k.slice(platform.length + 1) }))
      .sort((a, b) => a.chatId.localeCompare(b.chatId, 'en', { numeric: true }));
  }

  /** The kind of each chat, keyed by chatKey; a chat with no message seen since kinds were recorded is absent. */
  async kinds(chats: readonly ChatRef[]): Promise<Map<string, ChatKind>> {
    if (chats.length === 0) return new Map();
    const res = await pipelineByTag(this.redis, chats, this.tagOf, 1, (pipeline, chat) => pipeline.hget(this.key(chat, 'meta'), 'kind'));
    const out = new Map<string, ChatKind>();
    chats.forEach((chat, i) => {
      const v = res[i]?.[0];
      if (v === 'group' || v === 'direct') out.set(chatKey(chat), v);
    });
    return out;
  }

  async name(chat: ChatRef): Promise<string | undefined> {
    return (await this.redis.hget(this.key(chat, 'meta'), 'name')) ?? undefined;
  }

  /** Names seen in a platform's messages, by user id (any group). */
  async rememberNames(platform: PlatformName, names: readonly (readonly [string, string])[]): Promise<void> {
    const pairs = names.filter(([id, name]) => id && name && name !== id);
    if (pairs.length > 0) await this.redis.hset(this.keys.k(platform, 'nick'), ...pairs.flat());
  }

  async platformNames(platform: PlatformName, ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const values = await this.redis.hmget(this.keys.k(platform, 'nick'), ...ids);
    return new Map(ids.flatMap((id, i): [string, string][] => (values[i] ? [[id, values[i]]] : [])));
  }

  /** A message arrived in the group: its title when it has one, and when the bot was last used there. */
  async markActive(chat: ChatRef, title: string | undefined, at: number): Promise<void> {
    const multi = this.redis.multi().zadd(this.keys.k(chat.platform, 'active'), at, chat.chatId);
    if (title) multi.hset(this.keys.k(chat.platform, 'title'), chat.chatId, title);
    await execOrThrow(multi);
  }

  async title(chat: ChatRef): Promise<string | undefined> {
    return (await this.redis.hget(this.keys.k(chat.platform, 'title'), chat.chatId)) ?? undefined;
  }

  /** The ids of the platform's groups that used the bot since `since` (ms). */
  async activeSince(platform: PlatformName, since: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.keys.k(platform, 'active'), since, '+inf');
  }
}
