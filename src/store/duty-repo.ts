import type { Answer, AnswerStatus, ChatRef, Duty, HistoryEntry } from '../domain/types';
import { answerSchema, historyEntrySchema } from '../domain/record-schemas';
import { chatKey } from '../domain/types';
import type { MessageRef } from '../platforms/port';
import { DutyAnswerWriter } from './duty-answer-write';
import { DutyCards } from './duty-cards';
import { DutyPasses } from './duty-passes';
import { updateDuty, type DutyChange } from './duty-update';
import { DutyCodec } from './duty-codec';
import { DutyCreator } from './duty-create';
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
 *   P:duty:D            string  JSON Duty, its audience inline or named by reference (P:chat:C:audience:R)
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
 *   P:chat:C:audience:R string  JSON member ids: the audience a duty names by reference (`audienceRef` R, the first
 *                       16 hex digits of its SHA-1), one per chat and roster (src/store/duty-codec.ts)
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


export class DutyRepo {
  private readonly keys: Keys;
  private readonly creator: DutyCreator;
  private readonly codec: DutyCodec;
  private readonly answerWriter: DutyAnswerWriter;
  private readonly cardIndex: DutyCards;
  private readonly passes: DutyPasses;

  constructor(
    private readonly redis: StoreConnection,
    private readonly tx: TxPool,
    prefix: string | Keys,
    /** Where lists report the records they leave out. */
    private readonly report: DamageReport = warnDamaged,
  ) {
    this.keys = Keys.of(prefix);
    this.codec = new DutyCodec(redis, this.keys, report);
    this.creator = new DutyCreator(redis, this.keys, this.codec, (guard) => this.byGuard(guard));
    this.answerWriter = new DutyAnswerWriter(redis, this.keys, this.codec, report, (id) => this.answers(id));
    this.cardIndex = new DutyCards(redis, this.keys, report);
    this.passes = new DutyPasses(redis, this.keys, (ids) => this.getMany(ids));
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
    return (await this.creator.createChat({ chat: input.chat, inputs: [input], ...(guard ? { guard } : {}) }, now))?.[0];
  }

  /**
   * Create many duties (in one chat or many) at once (src/store/duty-create.ts `createMany`). With `campaignId` (one
   * duty per chat), each chat's duty is guarded by the chat's `campaign` hash: a retry finds the duty it made before
   * and creates no second one.
   */
  createMany(inputs: readonly NewDuty[], now: number, campaignId?: string): Promise<Duty[]> {
    return this.creator.createMany(inputs, now, campaignId === undefined ? undefined : (chat) => this.campaignGuard(chat, campaignId));
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

  /** Put back in the global open index what a crash left out (src/store/duty-passes.ts). */
  repairOpenIndex(): Promise<number> {
    return this.passes.repairOpenIndex();
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

  /** Every scheduled duty across chats (src/store/duty-passes.ts). */
  listAllOpen(): Promise<Duty[]> {
    return this.passes.listAllOpen();
  }

  /** Every open duty, about `pageSize` at a time (src/store/duty-passes.ts). */
  openPages(pageSize: number): AsyncGenerator<Duty[]> {
    return this.passes.openPages(pageSize);
  }

  /** Every closed duty whose time is in [from, to], across chats, about `pageSize` at a time (src/store/duty-passes.ts). */
  closedPages(from: number, to: number, pageSize: number): AsyncGenerator<Duty[]> {
    return this.passes.closedPages(from, to, pageSize);
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

  /** Change a duty atomically (src/store/duty-update.ts). */
  update(id: string, change: DutyChange): Promise<DutyUpdate> {
    return updateDuty({ redis: this.redis, tx: this.tx, keys: this.keys, codec: this.codec }, id, change);
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
