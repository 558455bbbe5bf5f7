import type { Redis } from 'ioredis';
import { Keys } from '../../store/redis';

/*
 * One-to-one conversations with the robot. Their messages carry a `conversationId` like a group's, but nothing is
 * sent to it: a one-to-one chat is reached by its user, through `POST /v1.0/robot/oToMessages/batchSend`
 * (https://open.dingtalk.com/document/development/chatbots-send-one-on-one-chat-messages-in-batches) and cards in
 * the `IM_ROBOT` space of that user (https://open.dingtalk.com/document/development/create-and-deliver-cards).
 *   P:dingtalk:direct:<cid>   string userId   the user of a one-to-one conversation (`conversationType` "1");
 *                                             set once (a later message cannot move the chat to another user),
 *                                             kept a year from the last message, dropped by a group message
 */
const TTL_SECONDS = 365 * 24 * 3600;

export class DirectChats {
  private readonly keys: Keys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = new Keys(prefix);
  }

  private k(chatId: string): string {
    return this.keys.k('dingtalk', 'direct', chatId);
  }

  async remember(chatId: string, userId: string): Promise<void> {
    const key = this.k(chatId);
    if ((await this.redis.set(key, userId, 'EX', TTL_SECONDS, 'NX')) !== 'OK') await this.redis.expire(key, TTL_SECONDS);
  }

  /** A group message came from this conversation: it is no one-to-one chat. */
  async forget(chatId: string): Promise<void> {
    await this.redis.del(this.k(chatId));
  }

  /** The user of a one-to-one conversation; undefined for a group. */
  async userOf(chatId: string): Promise<string | undefined> {
    return (await this.redis.get(this.k(chatId))) ?? undefined;
  }
}
