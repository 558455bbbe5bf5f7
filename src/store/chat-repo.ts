import type { StoreConnection } from './redis-cluster';
import type { z } from 'zod';
import { memberSchema } from '../domain/record-schemas';
import type { ChatRef, Member } from '../domain/types';
import { chatKey, type PlatformName } from '../domain/types';
import { SET_ROLE } from './chat-scripts';
import { indexed, keepParsed, parseRecord, warnDamaged, type DamageReport } from './records';
import { execOrThrow, Keys } from './redis';
import { chatTag, pipelineByTag } from './slot-groups';
import { chatAuditSchema } from './schemas/chat-audit';

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

/** A group chat or a one-to-one chat with the bot, as the platform marks each message (port.ts `direct`). */
export type ChatKind = 'group' | 'direct';

export interface ChatAudit {
  readonly at: number;
  readonly by: string;
  readonly what: string;
}

/** A chat's cached roster and the names seen in it, as read together in one round trip. */
interface RosterSnapshot {
  readonly members: Member[];
  readonly byId: Map<string, Member>;
  readonly refreshedAt?: number;
  readonly seen: Map<string, string>;
}

/** How long a roster read is reused in this process (a card click reads it twice; a burst of clicks, hundreds of times). */
export const ROSTER_MEMO_MS = 2000;
/** How long this process skips repeating an identical `touch` (the writes are idempotent: same keys, same values). */
export const TOUCH_MEMO_MS = 10 * 60_000;
const MEMO_LIMIT = 2000;

/**
 * Chats, their cached rosters, roles and settings. Roster reads are memoised in this process for
 * ROSTER_MEMO_MS (a name two seconds stale on a card is harmless; this process's own writes drop the memo at
 * once) and identical touches are written once per TOUCH_MEMO_MS: a card click then costs no roster round trip.
 * Nothing here decides what happens once: that is keyed in Redis (dedupe, transactions).
 */
export class ChatRepo {
  private readonly keys: Keys;
  private readonly memo = new Map<string, { at: number; value: Promise<RosterSnapshot> }>();
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly redis: StoreConnection,
    prefix: string | Keys,
    private readonly clock: () => number = Date.now,
    /** Where lists report the records they leave out. */
    private readonly report: DamageReport = warnDamaged,
  ) {
    this.keys = Keys.of(prefix);
  }

  private key = (chat: ChatRef, part: string): string => this.keys.chat(chatKey(chat), part);
  private tagOf = (chat: ChatRef): string => chatTag(this.keys, chat);

  /** The roster, its age and the names seen, in one pipeline; reused for ROSTER_MEMO_MS. */
  private snapshot(chat: ChatRef): Promise<RosterSnapshot> {
    const k = chatKey(chat);
    const now = this.clock();
    const memo = this.memo.get(k);
    if (memo && now - memo.at >= 0 && now - memo.at < ROSTER_MEMO_MS) return memo.value;
    const value = this.readSnapshot(chat);
    remember(this.memo, k, { at: now, value });
    // A failed read is not kept: the next caller asks Redis again.
    value.catch(() => {
      if (this.memo.get(k)?.value === value) this.memo.delete(k);
    });
    return value;
  }

  private async readSnapshot(chat: ChatRef): Promise<RosterSnapshot> {
    const [snapshot] = await this.readSnapshots([chat]);
    if (!snapshot) throw new Error('Redis pipeline returned nothing');
    return snapshot;
  }

  /** The snapshots of many chats in one pipeline per slot (three commands a chat). */
  private async readSnapshots(chats: readonly ChatRef[]): Promise<RosterSnapshot[]> {
    const res = await pipelineByTag(this.redis, chats, this.tagOf, 3, (pipeline, chat) => {
      pipeline.hgetall(this.key(chat, 'members')).hget(this.key(chat, 'meta'), 'rosterAt').hgetall(this.key(chat, 'names'));
    });
    return chats.map((chat, i) => {
      const [raw, rosterAt, seen] = (res[i] ?? []) as [Record<string, string>, string | null, Record<string, string>];
      const members = keepParsed(memberSchema, this.key(chat, 'members'), Object.entries(raw), this.report);
      return {
        members,
        byId: new Map(members.map((m) => [m.id, m])),
        ...(rosterAt ? { refreshedAt: Number(rosterAt) } : {}),
        seen: new Map(Object.entries(seen)),
      };
    });
  }

  /**
   * The cached rosters of many chats (a campaign, a bulk creation): from the memo where fresh, the rest read in
   * one pipeline. Keyed by chatKey.
   */
  async rosters(chats: readonly ChatRef[]): Promise<Map<string, { members: Member[]; refreshedAt?: number }>> {
    const now = this.clock();
    const out = new Map<string, { members: Member[]; refreshedAt?: number }>();
    const missing: ChatRef[] = [];
    const seen = new Set<string>();
    for (const chat of chats) {
      const k = chatKey(chat);
      if (seen.has(k)) continue;
      seen.add(k);
      const memo = this.memo.get(k);
      if (memo && now - memo.at >= 0 && now - memo.at < ROSTER_MEMO_MS) out.set(k, await memo.value);
      else missing.push(chat);
    }
    if (missing.length > 0) {
      const read = await this.readSnapshots(missing);
      missing.forEach((chat, i) => {
        const s = read[i];
        if (!s) return;
        remember(this.memo, chatKey(chat), { at: now, value: Promise.resolve(s) });
        out.set(chatKey(chat), s);
      });
    }
    return new Map([...out].map(([k, s]) => [k, s.refreshedAt === undefined ? { members: s.members } : { members: s.members, refreshedAt: s.refreshedAt }]));
  }

  /** Drop what this process remembers of a chat (called by every write to its roster or names). */
  private forget(chat: ChatRef): void {
    this.memo.delete(chatKey(chat));
  }

  /** Replace the cached roster in one MULTI (on a cluster the global `chats` set first, on its own: idempotent). */
  async saveRoster(chat: ChatRef, members: readonly Member[], now: number, name?: string): Promise<void> {
    if (this.keys.spreads) await this.redis.sadd(this.keys.k('chats'), chatKey(chat));
    const multi = this.redis.multi();
    if (!this.keys.spreads) multi.sadd(this.keys.k('chats'), chatKey(chat));
    multi.del(this.key(chat, 'members'));
    if (members.length > 0) {
      multi.hset(this.key(chat, 'members'), ...members.flatMap((m) => [m.id, JSON.stringify(m)]));
    }
    multi.hset(this.key(chat, 'meta'), 'platform', chat.platform, 'chatId', chat.chatId, 'rosterAt', String(now));
    if (name) multi.hset(this.key(chat, 'meta'), 'name', name);
    this.forget(chat);
    try {
      await execOrThrow(multi);
    } finally {
      this.forget(chat);
    }
  }

  async roster(chat: ChatRef): Promise<{ members: Member[]; refreshedAt?: number }> {
    const s = await this.snapshot(chat);
    return s.refreshedAt === undefined ? { members: s.members } : { members: s.members, refreshedAt: s.refreshedAt };
  }

  /**
   * Remember a chat the bot is in (every inbound message does), with its name and the sender's when known, and
   * whether it is a group or a one-to-one chat when the caller knows (a message does; a card click does not).
   */
  async touch(chat: ChatRef, name?: string, sender?: Pick<Member, 'id' | 'name'>, kind?: ChatKind): Promise<void> {
    const seenName = sender?.name && sender.name !== sender.id ? sender.name.slice(0, 64) : undefined;
    const memoKey = JSON.stringify([chatKey(chat), name ?? '', sender && seenName ? sender.id : '', seenName ?? '', kind ?? '']);
    const now = this.clock();
    const last = this.touched.get(memoKey);
    if (last !== undefined && now - last >= 0 && now - last < TOUCH_MEMO_MS) return;
    // On a cluster the global `chats` set on its own (another slot; idempotent), beside the chat's keys in one MULTI.
    const listed = this.keys.spreads ? this.redis.sadd(this.keys.k('chats'), chatKey(chat)) : undefined;
    const multi = this.redis.multi();
    if (!this.keys.spreads) multi.sadd(this.keys.k('chats'), chatKey(chat));
    multi.hset(this.key(chat, 'meta'), 'platform', chat.platform, 'chatId', chat.chatId);
    if (name) multi.hset(this.key(chat, 'meta'), 'name', name);
    if (kind) multi.hset(this.key(chat, 'meta'), 'kind', kind);
    if (sender && seenName) multi.hset(this.key(chat, 'names'), sender.id, seenName);
    if (seenName) this.forget(chat);
    try {
      await Promise.all([listed, execOrThrow(multi)]);
    } finally {
      if (seenName) this.forget(chat);
    }
    remember(this.touched, memoKey, now);
  }

  /** Names seen on messages and clicks in the chat. */
  async seenNames(chat: ChatRef): Promise<Map<string, string>> {
    return new Map((await this.snapshot(chat)).seen);
  }

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

  /** One member of the cached roster (card callbacks read it on every click: from the memo when fresh). */
  async member(chat: ChatRef, id: string): Promise<Member | undefined> {
    return (await this.snapshot(chat)).byId.get(id);
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

  /** One setting of many chats in one pipeline, keyed by chatKey (absent where unset). */
  async settings(chats: readonly ChatRef[], name: string): Promise<Map<string, string>> {
    const distinct = [...new Map(chats.map((c) => [chatKey(c), c])).values()];
    const res = await pipelineByTag(this.redis, distinct, this.tagOf, 1, (pipeline, chat) => pipeline.hget(this.key(chat, 'settings'), name));
    const out = new Map<string, string>();
    distinct.forEach((chat, i) => {
      const v = res[i]?.[0];
      if (typeof v === 'string') out.set(chatKey(chat), v);
    });
    return out;
  }

  /**
   * A setting kept as a JSON record, parsed with `schema`; undefined when unset. One that does not parse throws
   * DamagedRecord naming the settings key and the setting (never a default in its place: every reader of the setting
   * must see the same value).
   */
  async settingRecord<T>(chat: ChatRef, name: string, schema: z.ZodType<T>): Promise<T | undefined> {
    const raw = await this.setting(chat, name);
    return raw === undefined ? undefined : parseRecord(schema, raw, this.key(chat, 'settings'), name);
  }

  /** `settingRecord` for many chats in one pipeline, keyed by chatKey (absent where unset); throws like it. */
  async settingRecords<T>(chats: readonly ChatRef[], name: string, schema: z.ZodType<T>): Promise<Map<string, T>> {
    const raw = await this.settings(chats, name);
    return new Map([...raw].map(([k, v]) => [k, parseRecord(schema, v, this.keys.chat(k, 'settings'), name)]));
  }

  async setSetting(chat: ChatRef, name: string, value: string, audit: ChatAudit): Promise<void> {
    const multi = this.redis.multi();
    multi.hset(this.key(chat, 'settings'), name, value);
    multi.rpush(this.key(chat, 'audit'), JSON.stringify(audit));
    await execOrThrow(multi);
  }

  async audit(chat: ChatRef): Promise<ChatAudit[]> {
    const key = this.key(chat, 'audit');
    return keepParsed(chatAuditSchema, key, indexed(await this.redis.lrange(key, '0', '-1')), this.report);
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

  /** `P:Q:admins:<chatId>`, in the chat's slot (SET_ROLE writes it with the roster). */
  private adminsKey = (chat: ChatRef): string => this.keys.inChat(chatKey(chat), chat.platform, 'admins', chat.chatId);

  /** The members the platform flagged as the group's admins. */
  async admins(chat: ChatRef): Promise<Set<string>> {
    return new Set(await this.redis.smembers(this.adminsKey(chat)));
  }

  /**
   * The platform's admin flag for a member, and the member's role in the cached roster, in one script
   * (chat-scripts.ts SET_ROLE): a roster refresh or 名单 change meanwhile is never overwritten. True when the
   * roster changed.
   */
  async setRole(chat: ChatRef, memberId: string, role: 'admin' | 'member'): Promise<boolean> {
    this.forget(chat);
    try {
      const changed = await this.redis.eval(SET_ROLE, 3, this.adminsKey(chat), this.key(chat, 'members'), this.key(chat, 'meta'), memberId, role);
      return changed === 1;
    } finally {
      this.forget(chat);
    }
  }
}

/** Insert into a bounded memo: the oldest entries go first once it holds MEMO_LIMIT. */
function remember<V>(memo: Map<string, V>, key: string, value: V): void {
  memo.delete(key);
  memo.set(key, value);
  if (memo.size > MEMO_LIMIT) {
    const oldest = memo.keys().next();
    if (!oldest.done) memo.delete(oldest.value);
  }
}
