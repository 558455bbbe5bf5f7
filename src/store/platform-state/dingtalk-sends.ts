import { z } from 'zod';
import type { SendLedger } from '../../platforms/dingtalk/state';
import type { MessageRef } from '../../platforms/port';
import { parseStored } from './stored-json';
import { RedisStore } from '../repo-base';

/*
 * What the DingTalk adapter sent (P = key prefix):
 *   P:dingtalk:sent:<key>           string JSON MessageRef  sends by idempotency key (30 days)
 *   P:dingtalk:cardgen:<key>        string n                bumped when a card was made but not delivered (30 days)
 *   P:dingtalk:card:<outTrackId>    string cid              the group a template card lives in: callbacks name the
 *                                                           card only (90 days)
 */
const DAY = 24 * 3600;

const messageRefSchema = z.object({
  platform: z.enum(['sandbox', 'feishu', 'dingtalk']),
  chatId: z.string(),
  messageId: z.string(),
  sentAt: z.number().optional(),
});

export class DingTalkSends extends RedisStore implements SendLedger {
  private k(part: 'sent' | 'cardgen' | 'card', id: string): string {
    return this.keys.k('dingtalk', part, id);
  }

  async sent(key: string): Promise<MessageRef | undefined> {
    const raw = await this.redis.get(this.k('sent', key));
    return raw ? parseStored(messageRefSchema, raw, this.k('sent', key)) : undefined;
  }

  async recordSent(key: string, ref: MessageRef): Promise<void> {
    await this.redis.set(this.k('sent', key), JSON.stringify(ref), 'EX', 30 * DAY);
  }

  async cardGeneration(key: string): Promise<number> {
    return Number((await this.redis.get(this.k('cardgen', key))) ?? 0);
  }

  async bumpCardGeneration(key: string): Promise<void> {
    await this.redis.multi().incr(this.k('cardgen', key)).expire(this.k('cardgen', key), 30 * DAY).exec();
  }

  async rememberCard(outTrackId: string, chatId: string): Promise<void> {
    await this.redis.set(this.k('card', outTrackId), chatId, 'EX', 90 * DAY);
  }

  async cardChat(outTrackId: string): Promise<string | undefined> {
    return (await this.redis.get(this.k('card', outTrackId))) ?? undefined;
  }
}
