import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { TallyBuffer, TallyContent } from '../../platforms/dingtalk/tally';
import { parseStored } from './stored-json';
import { RedisStore } from '../repo-base';

/*
 * The tallies of DingTalk cards without a template (platforms/dingtalk/tally.ts), P = key prefix,
 * K = `<cid>:<card key>`:
 *   P:dingtalk:tally:K:latest   string JSON {title, text}  the newest tally (7 days)
 *   P:dingtalk:tally:K:posted   string sha1                what was posted last (7 days)
 *   P:dingtalk:tally:K:window   string ms                  start of the current interval; expires with it (SET NX PX)
 */
const KEEP_SECONDS = 7 * 24 * 3600;

const tallySchema = z.object({ title: z.string(), text: z.string() });

export class DingTalkTally extends RedisStore implements TallyBuffer {
  private k(chatId: string, key: string, part: 'latest' | 'posted' | 'window'): string {
    return this.keys.k('dingtalk', 'tally', chatId, key, part);
  }

  async keep(chatId: string, key: string, content: TallyContent): Promise<void> {
    await this.redis.set(this.k(chatId, key, 'latest'), JSON.stringify(content), 'EX', KEEP_SECONDS);
  }

  async openInterval(chatId: string, key: string, intervalMs: number, now: number): Promise<{ since?: string; remainingMs: number } | undefined> {
    const window = this.k(chatId, key, 'window');
    if ((await this.redis.set(window, String(now), 'PX', intervalMs, 'NX')) === 'OK') return undefined;
    const [remainingMs, since] = await Promise.all([this.redis.pttl(window), this.redis.get(window)]);
    return since === null ? { remainingMs } : { since, remainingMs };
  }

  async closeInterval(chatId: string, key: string): Promise<void> {
    await this.redis.del(this.k(chatId, key, 'window'));
  }

  async latest(chatId: string, key: string): Promise<{ content: TallyContent; digest: string; posted: boolean } | undefined> {
    const [raw, posted] = await Promise.all([this.redis.get(this.k(chatId, key, 'latest')), this.redis.get(this.k(chatId, key, 'posted'))]);
    if (!raw) return undefined;
    const digest = createHash('sha1').update(raw).digest('hex');
    return { content: parseStored(tallySchema, raw, this.k(chatId, key, 'latest')), digest, posted: digest === posted };
  }

  async markPosted(chatId: string, key: string, digest: string): Promise<void> {
    await this.redis.set(this.k(chatId, key, 'posted'), digest, 'EX', KEEP_SECONDS);
  }
}
