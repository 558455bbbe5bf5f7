import type { Answer, AnswerStatus, ChatRef, Duty, HistoryEntry } from '../domain/types';
import { answerSchema, historyEntrySchema } from '../domain/record-schemas';
import { chatKey } from '../domain/types';
import type { MessageRef } from '../platforms/port';
import { DutyAnswerWriter } from './duty-answer-write';
import { DutyCards } from './duty-cards';
import { DutyCodec } from './duty-codec';
import { DutyCreator, type ChatCreation } from './duty-create';
import type { AnswerOptions, AnswerWrite, CreateGuard, DutyUpdate, NewDuty } from './duty-writes';
import { newRecordId, randomBase32 } from './keys';
import { indexed, keepFields, keepParsed, warnDamaged, type DamageReport } from './records';
import { Keys, TxPool } from './redis';
import type { StoreConnection } from './redis-cluster';
import { mgetByRecord } from './slot-groups';

/*
 * Every record is parsed with its zod schema when read (src/store/records.ts). A single duty read (get, update, an
 * answer's duty) throws DamagedRecord when it does not parse: nothing is decided on part of a duty. Lists (open
 * duties, a period, answers, history, cards) leave a damaged record out and report it with its key, so one bad
 * record does not hide the good ones; a member whose answer is damaged counts as not having answered, and their
 * next answer replaces it.
 *
 * Key layout (P = key prefix, C = `<platform>:<chatId>`, D = duty id). No TTLs: these are records.
 *   P:duty:D            string  JSON Duty
 *   P:duty:D:answers    hash    memberId -> JSON Answer (one answer per member)
 *   P:duty:D:history    list    JSON HistoryEntry, oldest first (every change is kept)
 *   P:duty:D:cards      hash    messageId -> JSON MessageRef of every card posted for the duty
 *   P:duty-card:<platform>:M  string  D, the duty whose card is message M (written and removed with the hash entry, in
 *                       one MULTI): a file sent as a reply to a card goes to its duty
 *   P:duty:D:rev        counter bumped by every change (drives card refreshes)
 *   P:duty:D:refresh    string  "1" (PX REFRESH_FLAG_MS): a card refresh is queued and has not started yet; set by
 *                       an answer's write script, taken (DEL) by the refresh job before it reads the duty
 *   P:duty:D:v:M        counter bumped by every answer of member M: the answer's compare-and-set checks it instead
 *                       of the whole answers hash, so members answering at once never conflict with each other
 *   P:chat:C:seq        counter last duty number given out in the chat (#1, #2, …)
 *   P:chat:C:numbers    hash    number -> D
 *   P:chat:C:open       zset    D scored by time, duties still scheduled
 *   P:chat:C:all        zset    D scored by time, every duty of the chat (statistics by period)
 *   P:cmd:C:M           string  D created by the command message M (a retried command finds its duty)
 *   P:chat:C:campaign   hash    campaign id -> D, the chat's duty of each campaign (a retried campaign finds it)
 *   P:duties:open       zset    D scored by time, across all chats (start-up reconciliation)
 *
 * On a Redis Cluster the keys of a chat and of its duties share the chat's slot (src/store/keys.ts: a duty's id
 * starts with its chat's bucket), so every script and MULTI here stays atomic. The global open index and the card
 * index are written right after the atomic step (idempotent); `repairOpenIndex` rebuilds what a crash in between
 * left out, and readers of the index drop duties no longer scheduled.
 */

// The shapes of what the repository writes (NewDuty, CreateGuard, …) are in duty-writes.ts; re-exported here.
export type { AnswerOptions, AnswerWrite, CreateGuard, DutyUpdate, NewDuty } from './duty-writes';

/** How long the refresh flag lives at most (src/store/duty-answer-write.ts). */
export { REFRESH_FLAG_MS } from './duty-answer-write';

/** How many chats' creation scripts a bulk creation (a campaign) runs at once: all of a 200-chat campaign in one wave (bench:schedule on the cluster: 25 at a time made it 1.63× standalone, 200 at once 1.47×). */
const CREATE_PARALLEL = 200;

/** How many chats one creation script call writes on one Redis: a whole campaign (at most 200 chats). */
const BULK_CHATS = 200;

export class DutyRepo {
  private readonly keys: Keys;
  private readonly creator: DutyCreator;
  private readonly codec: DutyCodec;
  private readonly answerWriter: DutyAnswerWriter;
  private readonly cardIndex: DutyCards;

  constructor(
    private readonly redis: StoreConnection,
    private readonly tx: TxPool,
    prefix: string | Keys,
    /** Where lists report the records they leave out. */
    private readonly report: DamageReport = warnDamaged,
  ) {
    this.keys = Keys.of(prefix);
    this.codec = new DutyCodec(redis, this.keys, report);
    this.creator = new DutyCreator(redis, this.keys, this.codec);
    this.answerWriter = new DutyAnswerWriter(redis, this.keys, this.codec, report, (id) => this.answers(id));
    this.cardIndex = new DutyCards(redis, this.keys, report);
  }

  private dutyKey = (id: string): string => this.keys.duty(id);
  private answersKey = (id: string): string => this.keys.duty(id, 'answers');
  private historyKey = (id: string): string => this.keys.duty(id, 'history');
  private cardsKey = (id: string): string => this.keys.duty(id, 'cards');
  private revKey = (id: string): string => this.keys.duty(id, 'rev');
  private refreshFlagKey = (id: string): string => this.keys.duty(id, 'refresh');
  private memberVersionKey = (id: string, memberId: string): string => this.keys.duty(id, 'v', memberId);
  private chatKeyOf = (chat: ChatRef, part: string): string => this.keys.chat(chatKey(chat), part);
  private globalOpenKey = (): string => this.keys.k('duties', 'open');

  /**
   * 12 base-32 characters, lowercase letters and digits only (safe in job ids and card values): a duty's or series'
   * id starts with its chat's bucket (src/store/keys.ts), so its keys are named from the id alone.
   */
  static newId(chat?: ChatRef): string {
    return chat ? newRecordId(chatKey(chat)) : randomBase32(12);
  }

  /**
   * Create a duty with the next number of its chat (no number is lost or given twice). A `guard` makes creation
   * conditional: its key (or hash field) must be absent, and it is set to the duty's id in the same script (a
   * series claims its occurrence this way, a command message its duty, so each is created exactly once).
   */
  async create(input: NewDuty, now: number, guard?: CreateGuard): Promise<Duty> {
    const created = await this.createIf(input, now, guard);
    if (!created) throw new Error('duty creation was guarded out');
    return created;
  }

  /** `create`, or undefined (nothing written) when the guard is already set. */
  async createIf(input: NewDuty, now: number, guard?: CreateGuard): Promise<Duty | undefined> {
    return (await this.writeChat({ chat: input.chat, inputs: [input], ...(guard ? { guard } : {}) }, now))?.[0];
  }

  /**
   * Create many duties (in one chat or many) at once: every chat's numbers run on from its counter, and each chat's
   * duties are written all or none. On one Redis every chat's duties go in one script call (BULK_CHATS chats a
   * call); on a cluster one call per chat (each stays in its chat's slot), CREATE_PARALLEL at a time. With
   * `campaignId` (one duty per chat), each chat's duty is guarded by the chat's `campaign` hash: a retry finds the
   * duty it made before and creates no second one.
   */
  async createMany(inputs: readonly NewDuty[], now: number, campaignId?: string): Promise<Duty[]> {
    const byChat = new Map<string, NewDuty[]>();
    for (const input of inputs) {
      const group = byChat.get(chatKey(input.chat));
      if (group) group.push(input);
      else byChat.set(chatKey(input.chat), [input]);
    }
    const parts = [...byChat.values()].map((group): ChatCreation => {
      const chat = (group[0] as NewDuty).chat;
      if (campaignId === undefined) return { chat, inputs: group };
      if (group.length !== 1) throw new Error('a campaign has one duty per chat');
      return { chat, inputs: group, guard: this.campaignGuard(chat, campaignId) };
    });
    const made = new Map<string, Duty[]>();
    const one = async (part: ChatCreation): Promise<void> => {
      const duties = (await this.writeChat(part, now)) ?? (part.guard ? [await this.byGuard(part.guard)] : []);
      if (duties.some((d) => d === undefined) || duties.length === 0) throw new Error(`the duty of campaign ${campaignId ?? ''} in ${chatKey(part.chat)} is missing`);
      made.set(chatKey(part.chat), duties as Duty[]);
    };
    const chunk = this.keys.spreads ? CREATE_PARALLEL : BULK_CHATS;
    for (let i = 0; i < parts.length; i += chunk) {
      const some = parts.slice(i, i + chunk);
      const together = this.keys.spreads || some.length === 1 ? undefined : await this.creator.write(some, now, 3);
      if (together?.ok) some.forEach((part, j) => made.set(chatKey(part.chat), together.duties[j] ?? []));
      // On a cluster; or one of the chats' guards is set (a retried campaign) or counters kept moving: chat by chat.
      else await Promise.all(some.map(one));
    }
    const taken = new Map<string, number>();
    return inputs.map((input) => {
      const key = chatKey(input.chat);
      const i = taken.get(key) ?? 0;
      taken.set(key, i + 1);
      const duty = made.get(key)?.[i];
      if (!duty) throw new Error('bulk creation returned fewer duties than asked');
      return duty;
    });
  }

  /**
   * One chat's duties through DutyCreator (src/store/duty-create.ts). Undefined when its guard is already set: a
   * retried command, occurrence or campaign; the index write of that first creation may be what failed then.
   */
  private async writeChat(part: ChatCreation, now: number): Promise<Duty[] | undefined> {
    const res = await this.creator.write([part], now, 20);
    if (res.ok) return res.duties[0] ?? [];
    if (res.reason === 'conflict') throw new Error('Redis duty creation kept conflicting with other creations');
    const made = part.guard ? await this.byGuard(part.guard) : undefined;
    if (made?.state === 'scheduled') await this.redis.zadd(this.globalOpenKey(), String(made.at), made.id);
    return undefined;
  }

  /** The guard that gives a chat at most one duty of a campaign (the hash field names the duty). */
  campaignGuard(chat: ChatRef, campaignId: string): CreateGuard {
    return { key: this.chatKeyOf(chat, 'campaign'), field: campaignId };
  }

  /** The duty a guard was set to, if any. */
  async byGuard(guard: CreateGuard): Promise<Duty | undefined> {
    const id = guard.field === undefined ? await this.redis.get(guard.key) : await this.redis.hget(guard.key, guard.field);
    return id ? this.get(id) : undefined;
  }

  /**
   * Put back in the global open index every chat's scheduled duty (a process stopped between a creation's script
   * and its index write): the start-up reconciliation runs it before re-planning. Returns how many were missing.
   */
  async repairOpenIndex(): Promise<number> {
    const chats = await this.redis.smembers(this.keys.k('chats'));
    let added = 0;
    for (let i = 0; i < chats.length; i += 50) {
      const opens = await Promise.all(chats.slice(i, i + 50).map((c) => this.redis.zrange(this.keys.chat(c, 'open'), '0', '-1', 'WITHSCORES')));
      // ZRANGE … WITHSCORES answers member, score, …; ZADD takes score, member, …
      const flat = opens.flatMap((pairs) => pairs.flatMap((member, j) => (j % 2 === 0 ? [pairs[j + 1] ?? '0', member] : [])));
      if (flat.length > 0) added += await this.redis.zadd(this.globalOpenKey(), 'NX', ...flat);
    }
    return added;
  }

  /** The guard that makes a command message create at most one duty. */
  commandGuard(chat: ChatRef, messageId: string): CreateGuard {
    return { key: this.keys.inChat(chatKey(chat), 'cmd', chatKey(chat), messageId) };
  }

  async byCommand(chat: ChatRef, messageId: string): Promise<Duty | undefined> {
    return this.byGuard(this.commandGuard(chat, messageId));
  }

  async get(id: string): Promise<Duty | undefined> {
    const raw = await this.redis.get(this.dutyKey(id));
    return raw ? this.codec.decode(raw, this.dutyKey(id)) : undefined;
  }

  async getByNumber(chat: ChatRef, number: number): Promise<Duty | undefined> {
    const id = await this.redis.hget(this.chatKeyOf(chat, 'numbers'), String(number));
    return id ? this.get(id) : undefined;
  }

  /** Scheduled duties of a chat, soonest first. */
  async listOpen(chat: ChatRef): Promise<Duty[]> {
    const ids = await this.redis.zrange(this.chatKeyOf(chat, 'open'), '0', '-1');
    return this.getMany(ids);
  }

  /** Every duty of a chat (any state) whose time is in [from, to], oldest first. */
  async listByPeriod(chat: ChatRef, from: number, to: number): Promise<Duty[]> {
    const ids = await this.redis.zrangebyscore(this.chatKeyOf(chat, 'all'), String(from), String(to));
    return this.getMany(ids);
  }

  /**
   * Every scheduled duty across chats (start-up reconciliation of reminders). The index is written after each
   * duty's own change (a crash in between may leave a closed duty in it): only scheduled duties are answered.
   */
  async listAllOpen(): Promise<Duty[]> {
    const ids = await this.redis.zrange(this.globalOpenKey(), '0', '-1');
    return (await this.getMany(ids)).filter((d) => d.state === 'scheduled');
  }

  /**
   * Every open duty, about `pageSize` at a time, so a pass over all of them never holds them all at once (the
   * start-up re-planning: bench/README.md, bench:startup T1). ZSCAN returns every duty open from the start to the
   * end of the pass, even while others close (https://redis.io/docs/latest/commands/scan/#scan-guarantees); one may
   * come twice, which planning (idempotent) does not mind.
   */
  async *openPages(pageSize: number): AsyncGenerator<Duty[]> {
    let cursor = '0';
    do {
      const [next, flat] = await this.redis.zscan(this.globalOpenKey(), cursor, 'COUNT', pageSize);
      cursor = next;
      // ZSCAN answers member, score, member, score, …
      const ids = flat.filter((_, i) => i % 2 === 0);
      const open = ids.length > 0 ? (await this.getMany(ids)).filter((d) => d.state === 'scheduled') : [];
      if (open.length > 0) yield open;
    } while (cursor !== '0');
  }

  /**
   * Every closed (`done`) duty whose time is in [from, to], across chats, about `pageSize` at a time: each known
   * chat's `all` index (P:chats, as `repairOpenIndex` reads it) asked for the period, 50 chats per round trip, and
   * only the duties in it read. A cancelled or still scheduled duty is left out.
   */
  async *closedPages(from: number, to: number, pageSize: number): AsyncGenerator<Duty[]> {
    const chats = await this.redis.smembers(this.keys.k('chats'));
    let ids: string[] = [];
    for (let i = 0; i < chats.length; i += 50) {
      const found = await Promise.all(chats.slice(i, i + 50).map((c) => this.redis.zrangebyscore(this.keys.chat(c, 'all'), String(from), String(to))));
      ids.push(...found.flat());
      while (ids.length >= pageSize || (ids.length > 0 && i + 50 >= chats.length)) {
        const closed = (await this.getMany(ids.slice(0, pageSize))).filter((d) => d.state === 'done');
        ids = ids.slice(pageSize);
        if (closed.length > 0) yield closed;
      }
    }
  }

  private async getMany(ids: string[]): Promise<Duty[]> {
    if (ids.length === 0) return [];
    const keys = ids.map((id) => this.dutyKey(id));
    return this.codec.decodeMany(keys, await mgetByRecord(this.redis, this.keys, ids, this.dutyKey));
  }

  async answers(id: string): Promise<Map<string, Answer>> {
    const key = this.answersKey(id);
    return keepFields(answerSchema, key, Object.entries(await this.redis.hgetall(key)), this.report);
  }

  async history(id: string): Promise<HistoryEntry[]> {
    const raw = await this.redis.lrange(this.historyKey(id), '0', '-1');
    return keepParsed(historyEntrySchema, this.historyKey(id), indexed(raw), this.report);
  }

  async rev(id: string): Promise<number> {
    return Number((await this.redis.get(this.revKey(id))) ?? 0);
  }

  /** A member's answer, by compare-and-set (src/store/duty-answer-write.ts). */
  answer(dutyId: string, memberId: string, status: Exclude<AnswerStatus, 'pending'>, now: number, reason?: string, options: AnswerOptions = {}): Promise<AnswerWrite | undefined> {
    return this.answerWriter.answer(dutyId, memberId, status, now, reason, options);
  }

  /**
   * Taken by the card worker's refresh just before it reads the duty: from then on an answer no longer finds the
   * flag, so it queues a refresh of its own (see `answer`).
   */
  async takeRefreshFlag(dutyId: string): Promise<void> {
    await this.redis.del(this.refreshFlagKey(dutyId));
  }

  /**
   * Change a duty atomically. `change` gets the current duty and returns the new one with its history entry,
   * or a refusal string that aborts with nothing written.
   */
  async update(
    id: string,
    change: (duty: Duty) => { duty: Duty; entry: HistoryEntry } | string,
  ): Promise<DutyUpdate> {
    const result = await this.tx.run<DutyUpdate>([this.dutyKey(id)], async (conn) => {
      const raw = await conn.get(this.dutyKey(id));
      if (!raw) return { abort: { ok: false as const, reason: 'not-found' } };
      const previous = await this.codec.decode(raw, this.dutyKey(id));
      const next = change(previous);
      if (typeof next === 'string') return { abort: { ok: false as const, reason: next } };
      const duty = next.duty;
      return {
        commit: (m) => {
          const encoded = this.codec.encode(duty);
          if (encoded.audience) m.set(encoded.audience.key, encoded.audience.json, 'NX');
          m.set(this.dutyKey(id), encoded.json);
          m.zadd(this.chatKeyOf(duty.chat, 'all'), String(duty.at), id);
          // On one Redis the global index changes in the same MULTI; on a cluster (another slot) right after.
          const opens = this.keys.spreads ? [this.chatKeyOf(duty.chat, 'open')] : [this.chatKeyOf(duty.chat, 'open'), this.globalOpenKey()];
          for (const key of opens) {
            if (duty.state === 'scheduled') m.zadd(key, String(duty.at), id);
            else m.zrem(key, id);
          }
          m.rpush(this.historyKey(id), JSON.stringify(next.entry));
          m.incr(this.revKey(id));
        },
        result: { ok: true as const, duty, previous },
      };
    });
    // On a cluster the global index after the chat's atomic step; a crash in between is repaired at start.
    if (result.ok && this.keys.spreads && result.duty.state === 'scheduled') await this.redis.zadd(this.globalOpenKey(), String(result.duty.at), id);
    else if (result.ok && this.keys.spreads) await this.redis.zrem(this.globalOpenKey(), id);
    return result;
  }

  addCard(id: string, ref: MessageRef): Promise<void> {
    return this.cardIndex.add(id, ref);
  }

  removeCard(id: string, messageId: string): Promise<void> {
    return this.cardIndex.remove(id, messageId);
  }

  dutyOfCard(platform: string, messageId: string): Promise<string | undefined> {
    return this.cardIndex.dutyOf(platform, messageId);
  }

  cards(id: string): Promise<MessageRef[]> {
    return this.cardIndex.cards(id);
  }
}
