import type { Redis } from 'ioredis';
import type { MessageRef } from '../port';
import { execOrThrow, Keys } from '../../store/redis';

/*
 * What the DingTalk adapter keeps in Redis, shared by every process (P = key prefix, all under P:dingtalk:).
 *   session:msg:<msgId>    string JSON Session  the reply webhook of an inbound message, until it expires
 *   session:chat:<cid>     string JSON Session  the freshest webhook of the conversation, until it expires
 *   sent:<key>             string JSON MessageRef  sends by idempotency key (30 days)
 *   cardgen:<key>          string n             bumped when a card was made but not delivered (30 days)
 *   card:<outTrackId>      string cid           the group a template card lives in: callbacks name the card only (90 days)
 *   cb:<eventId>           string "1"           card callbacks taken once; kept 2 h, past the 1 h signature window,
 *                                               so a replayed click never undoes a later answer
 *   nick                   hash userId → name    names seen in messages (senderNick, @-mentions)
 *   title                  hash cid → title      group titles seen in messages (conversationTitle)
 *   admins:<cid>           set  userIds          senders DingTalk flagged isAdmin in this group
 *   active                 zset cid → ms         when each group last @-mentioned the bot
 *   nomembers:<cid>        string code           the group has no member API (ordinary group), checked daily
 *   owner:<cid>            string userId | ""    the scene group's owner from sceneGroups/query ("" = unknown), 7 days
 *   cbroute:<hash>         string url            the HTTP card-callback route registered for this URL (30 days)
 */
export interface Session {
  readonly url: string;
  readonly expiresAt: number;
}

const DAY = 24 * 3600;
const CALLBACK_TTL = 2 * 3600;
/** A webhook this close to its expiry is not used: the send could arrive after it. */
export const SESSION_MARGIN_MS = 30_000;

export class DingTalkStore {
  private readonly keys: Keys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = new Keys(prefix);
  }

  private k(...parts: string[]): string {
    return this.keys.k('dingtalk', ...parts);
  }

  /** Keep the webhook of a message and, when fresher, as the conversation's. */
  async saveSession(chatId: string, msgId: string, session: Session, now: number): Promise<void> {
    const ttl = session.expiresAt - now;
    if (ttl <= SESSION_MARGIN_MS) return;
    const value = JSON.stringify(session);
    const current = await this.session(this.k('session', 'chat', chatId), now);
    const multi = this.redis.multi().set(this.k('session', 'msg', msgId), value, 'PX', ttl);
    if (!current || current.expiresAt < session.expiresAt) multi.set(this.k('session', 'chat', chatId), value, 'PX', ttl);
    await execOrThrow(multi);
  }

  /** The message's own webhook, else the conversation's freshest, while valid. */
  async sessionFor(chatId: string, msgId: string | undefined, now: number): Promise<Session | undefined> {
    const own = msgId ? await this.session(this.k('session', 'msg', msgId), now) : undefined;
    return own ?? (await this.session(this.k('session', 'chat', chatId), now));
  }

  private async session(key: string, now: number): Promise<Session | undefined> {
    const raw = await this.redis.get(key);
    if (!raw) return undefined;
    const s = JSON.parse(raw) as Session;
    return s.expiresAt - now > SESSION_MARGIN_MS ? s : undefined;
  }

  async sent(key: string): Promise<MessageRef | undefined> {
    const raw = await this.redis.get(this.k('sent', key));
    return raw ? (JSON.parse(raw) as MessageRef) : undefined;
  }

  async recordSent(key: string, ref: MessageRef): Promise<void> {
    await this.redis.set(this.k('sent', key), JSON.stringify(ref), 'EX', 30 * DAY);
  }

  /** Bumped when a card was created but not delivered, so that the retry makes a new one. */
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

  /** True for the first delivery of a callback, false for every repeat. */
  async claimCallback(eventId: string): Promise<boolean> {
    return (await this.redis.set(this.k('cb', eventId), '1', 'EX', CALLBACK_TTL, 'NX')) === 'OK';
  }

  async rememberNames(names: readonly (readonly [string, string])[]): Promise<void> {
    const pairs = names.filter(([id, name]) => id && name && name !== id);
    if (pairs.length > 0) await this.redis.hset(this.k('nick'), ...pairs.flat());
  }

  async names(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const values = await this.redis.hmget(this.k('nick'), ...ids);
    const out = new Map<string, string>();
    ids.forEach((id, i) => {
      const v = values[i];
      if (v) out.set(id, v);
    });
    return out;
  }

  /** A message arrived in the group: its title, and when the bot was last used there. */
  async touchGroup(chatId: string, title: string | undefined, now: number): Promise<void> {
    const multi = this.redis.multi().zadd(this.k('active'), now, chatId);
    if (title) multi.hset(this.k('title'), chatId, title);
    await execOrThrow(multi);
  }

  async title(chatId: string): Promise<string | undefined> {
    return (await this.redis.hget(this.k('title'), chatId)) ?? undefined;
  }

  async activeGroups(since: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.k('active'), since, '+inf');
  }

  /** Record whether DingTalk flagged the sender as an admin (listMembers marks them). */
  async setAdmin(chatId: string, userId: string, isAdmin: boolean): Promise<void> {
    if (isAdmin) await this.redis.sadd(this.k('admins', chatId), userId);
    else await this.redis.srem(this.k('admins', chatId), userId);
  }

  async admins(chatId: string): Promise<Set<string>> {
    return new Set(await this.redis.smembers(this.k('admins', chatId)));
  }

  async noMemberApi(chatId: string): Promise<string | undefined> {
    return (await this.redis.get(this.k('nomembers', chatId))) ?? undefined;
  }

  async markNoMemberApi(chatId: string, code: string): Promise<void> {
    await this.redis.set(this.k('nomembers', chatId), code, 'EX', DAY);
  }

  /** undefined: not looked up yet; "": looked up, unknown. */
  async owner(chatId: string): Promise<string | undefined> {
    return (await this.redis.get(this.k('owner', chatId))) ?? undefined;
  }

  async saveOwner(chatId: string, owner: string): Promise<void> {
    await this.redis.set(this.k('owner', chatId), owner, 'EX', 7 * DAY);
  }

  async callbackRoute(hash: string): Promise<string | undefined> {
    return (await this.redis.get(this.k('cbroute', hash))) ?? undefined;
  }

  async saveCallbackRoute(hash: string, url: string): Promise<void> {
    await this.redis.set(this.k('cbroute', hash), url, 'EX', 30 * DAY);
  }
}
