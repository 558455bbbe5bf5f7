import type { DirectChats } from '../../platforms/dingtalk/direct-chats';
import { RedisStore } from '../repo-base';

/*
 * DingTalk's one-to-one conversations (platforms/dingtalk/direct-chats.ts says why they are reached by their user):
 *   P:dingtalk:direct:<cid>   string userId   the user of a one-to-one conversation (`conversationType` "1");
 *                                             set once (a later message cannot move the chat to another user),
 *                                             kept a year from the last message, dropped by a group message
 */
const TTL_SECONDS = 365 * 24 * 3600;

export class DingTalkDirectChats extends RedisStore implements DirectChats {
  private k(chatId: string): string {
    return this.keys.k('dingtalk', 'direct', chatId);
  }

  async remember(chatId: string, userId: string): Promise<void> {
    const key = this.k(chatId);
    if ((await this.redis.set(key, userId, 'EX', TTL_SECONDS, 'NX')) !== 'OK') await this.redis.expire(key, TTL_SECONDS);
  }

  async forget(chatId: string): Promise<void> {
    await this.redis.del(this.k(chatId));
  }

  async userOf(chatId: string): Promise<string | undefined> {
    return (await this.redis.get(this.k(chatId))) ?? undefined;
  }
}
