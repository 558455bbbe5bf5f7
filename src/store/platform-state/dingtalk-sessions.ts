import { z } from 'zod';
import type { Session, WebhookSessions } from '../../platforms/dingtalk/state';
import { execOrThrow } from '../redis';
import { parseStored } from './stored-json';
import { RedisStore } from '../repo-base';

/*
 * The session webhooks of DingTalk messages (P = key prefix):
 *   P:dingtalk:session:msg:<msgId>    string JSON Session  the reply webhook of an inbound message, until it expires
 *   P:dingtalk:session:chat:<cid>     string JSON Session  the freshest webhook of the conversation, until it expires
 */

/** A webhook this close to its expiry is not used: the send could arrive after it. */
export const SESSION_MARGIN_MS = 30_000;

const sessionSchema = z.object({ url: z.string(), expiresAt: z.number() });

export class DingTalkSessions extends RedisStore implements WebhookSessions {
  private k(part: 'msg' | 'chat', id: string): string {
    return this.keys.k('dingtalk', 'session', part, id);
  }

  async save(chatId: string, msgId: string, session: Session, now: number): Promise<void> {
    const ttl = session.expiresAt - now;
    if (ttl <= SESSION_MARGIN_MS) return;
    const value = JSON.stringify(session);
    const current = await this.read(this.k('chat', chatId), now);
    const multi = this.redis.multi().set(this.k('msg', msgId), value, 'PX', ttl);
    if (!current || current.expiresAt < session.expiresAt) multi.set(this.k('chat', chatId), value, 'PX', ttl);
    await execOrThrow(multi);
  }

  async find(chatId: string, msgId: string | undefined, now: number): Promise<Session | undefined> {
    const own = msgId ? await this.read(this.k('msg', msgId), now) : undefined;
    return own ?? (await this.read(this.k('chat', chatId), now));
  }

  private async read(key: string, now: number): Promise<Session | undefined> {
    const raw = await this.redis.get(key);
    if (!raw) return undefined;
    const s = parseStored(sessionSchema, raw, key);
    return s.expiresAt - now > SESSION_MARGIN_MS ? s : undefined;
  }
}
