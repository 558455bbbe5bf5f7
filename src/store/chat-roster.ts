import { memberSchema } from '../domain/record-schemas';
import { chatKey, type ChatRef, type Member } from '../domain/types';
import type { ChatKind } from './chat-directory';
import { SET_ROLE } from './chat-scripts';
import { ChatSettings } from './chat-settings';
import { keepParsed, type DamageReport } from './records';
import type { StoreConnection } from './redis-cluster';
import { execOrThrow, type Keys } from './redis';
import { pipelineByTag } from './slot-groups';

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
 * The third layer of ChatRepo (src/store/chat-repo.ts, where the key layout is): a chat's cached roster, the names
 * seen in it and the platform's admin flags, with the writes that change them. Roster reads are memoised in this
 * process for ROSTER_MEMO_MS (a name two seconds stale on a card is harmless; this process's own writes drop the memo
 * at once) and identical touches are written once per TOUCH_MEMO_MS: a card click then costs no roster round trip.
 */
export abstract class ChatRoster extends ChatSettings {
  private readonly memo = new Map<string, { at: number; value: Promise<RosterSnapshot> }>();
  private readonly touched = new Map<string, number>();

  constructor(
    redis: StoreConnection,
    prefix: string | Keys,
    private readonly clock: () => number = Date.now,
    /** Where lists report the records they leave out. */
    report?: DamageReport,
  ) {
    super(redis, prefix, report);
  }

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

  /** One member of the cached roster (card callbacks read it on every click: from the memo when fresh). */
  async member(chat: ChatRef, id: string): Promise<Member | undefined> {
    return (await this.snapshot(chat)).byId.get(id);
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
