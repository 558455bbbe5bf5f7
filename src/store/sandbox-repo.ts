import type { StoreConnection } from './redis-cluster';
import type { CardModel } from '../domain/card-model';
import { memberSchema } from '../domain/record-schemas';
import type { Member } from '../domain/types';
import type { ConsoleHistory, SandboxChat, SandboxEvent, SandboxMessage, SandboxPage } from '../platforms/sandbox/history';
import { keepEach, keepParsed, parseRecord, type DamageReport } from './records';
import { execOrThrow, execPipeline, type Keys, TxPool } from './redis';
import { RecordRepo } from './repo-base';
import { sandboxChatSchema, sandboxMessageSchema } from './schemas/sandbox';

/*
 * The sandbox platform's own data: its chats, members and messages live in Redis and survive a restart.
 * Key layout (P = key prefix, H = sandbox chat id, M = message id). No TTLs.
 *   P:sandbox:chats            hash   H -> JSON { id, name }
 *   P:sandbox:chat:H:members   hash   memberId -> JSON Member (platformRole 'owner' marks the secretary)
 *   P:sandbox:chat:H:log       list   M, oldest first; at most historyCap (+1%) ids, the oldest trimmed with their
 *                                     messages
 *   P:sandbox:msg:M            string JSON SandboxMessage
 *   P:sandbox:idem:K           string M sent with idempotency key K (a repeated send returns M); ~60 bytes each,
 *                                     kept like P:sent (src/store/sent-log.ts)
 *   P:sandbox:seq              counter for message ids
 *   P:sandbox:events           pub/sub channel: JSON SandboxEvent
 * Records are parsed when read (src/store/records.ts). One chat or message (`chat`, `get`, `updateCard`, a repeated
 * send's first message) throws DamagedRecord with its key when it does not parse; lists (`chats`, `members`, a page
 * of history) leave a damaged record out and report it, so the console still shows the rest.
 */

/**
 * Messages kept per chat: every one by default (`SANDBOX_HISTORY_LIMIT=0`), so old cards and their buttons stay
 * reachable as the reader scrolls up (issue 12). An operator who keeps a console running for long can bound it (a
 * card is 1–2 KB of JSON: 10,000 messages are ~20 MB a chat); the oldest are then dropped with their records.
 */
export const SANDBOX_HISTORY_CAP = 0;

// The console's types are the adapter's (src/platforms/sandbox/history.ts); re-exported for the tests that read them here.
export type { SandboxChat, SandboxEvent, SandboxMessage, SandboxPage } from '../platforms/sandbox/history';
export class SandboxRepo extends RecordRepo implements ConsoleHistory {
  private readonly historyCap: number;

  constructor(
    redis: StoreConnection,
    private readonly tx: TxPool,
    prefix: string | Keys,
    options: { readonly historyCap?: number; readonly report?: DamageReport } = {},
  ) {
    super(redis, prefix, options.report);
    this.historyCap = options.historyCap ?? SANDBOX_HISTORY_CAP;
  }

  private logKey = (chatId: string): string => this.keys.family('sandbox', 'sandbox', 'chat', chatId, 'log');
  private msgKey = (id: string): string => this.keys.family('sandbox', 'sandbox', 'msg', id);

  get channel(): string {
    return this.keys.family('sandbox', 'sandbox', 'events');
  }

  async saveChat(chat: SandboxChat, members: readonly Member[]): Promise<void> {
    const multi = this.redis.multi();
    multi.hset(this.keys.family('sandbox', 'sandbox', 'chats'), chat.id, JSON.stringify(chat));
    multi.del(this.keys.family('sandbox', 'sandbox', 'chat', chat.id, 'members'));
    multi.hset(this.keys.family('sandbox', 'sandbox', 'chat', chat.id, 'members'), ...members.flatMap((m) => [m.id, JSON.stringify(m)]));
    await execOrThrow(multi);
  }

  /** Create a chat with its members unless one with its id exists (then nothing is written); true when created. */
  async createChat(chat: SandboxChat, members: readonly Member[]): Promise<boolean> {
    const chats = this.keys.family('sandbox', 'sandbox', 'chats');
    return this.tx.run<boolean>([chats], async (conn) => {
      if ((await conn.hexists(chats, chat.id)) === 1) return { abort: false };
      return {
        commit: (m) => {
          m.hset(chats, chat.id, JSON.stringify(chat));
          m.del(this.keys.family('sandbox', 'sandbox', 'chat', chat.id, 'members'));
          if (members.length > 0) m.hset(this.keys.family('sandbox', 'sandbox', 'chat', chat.id, 'members'), ...members.flatMap((x) => [x.id, JSON.stringify(x)]));
        },
        result: true,
      };
    });
  }

  async chats(): Promise<SandboxChat[]> {
    const key = this.keys.family('sandbox', 'sandbox', 'chats');
    return keepParsed(sandboxChatSchema, key, Object.entries(await this.redis.hgetall(key)), this.report).sort((a, b) => a.id.localeCompare(b.id));
  }

  async chat(id: string): Promise<SandboxChat | undefined> {
    const key = this.keys.family('sandbox', 'sandbox', 'chats');
    const raw = await this.redis.hget(key, id);
    return raw ? parseRecord(sandboxChatSchema, raw, key, id) : undefined;
  }

  async members(chatId: string): Promise<Member[]> {
    const key = this.keys.family('sandbox', 'sandbox', 'chat', chatId, 'members');
    return keepParsed(memberSchema, key, Object.entries(await this.redis.hgetall(key)), this.report).sort((a, b) =>
      a.id.localeCompare(b.id, 'en', { numeric: true }),
    );
  }

  /**
   * Append a message; with an idempotency key a repeat returns the first message and writes nothing. A chat's appends
   * run one after another in this process: the id (INCR) and the log's RPUSH are two steps, and two appends at once
   * (a reply and its card) could otherwise land in the log out of id order, so the console's pages (by log) and its
   * live stream disagreed (test/e2e/console-chats.test.ts). The console runs in one process.
   */
  async append(message: Omit<SandboxMessage, 'id'>, idempotencyKey?: string): Promise<{ message: SandboxMessage; fresh: boolean }> {
    const before = this.appending.get(message.chatId) ?? Promise.resolve();
    const mine = before.then(() => this.appendNow(message, idempotencyKey));
    const settled = mine.then(
      () => undefined,
      () => undefined,
    );
    this.appending.set(message.chatId, settled);
    void settled.then(() => {
      if (this.appending.get(message.chatId) === settled) this.appending.delete(message.chatId);
    });
    return mine;
  }

  private readonly appending = new Map<string, Promise<void>>();

  private async appendNow(message: Omit<SandboxMessage, 'id'>, idempotencyKey?: string): Promise<{ message: SandboxMessage; fresh: boolean }> {
    const id = `m${await this.redis.incr(this.keys.family('sandbox', 'sandbox', 'seq'))}`;
    const full: SandboxMessage = { ...message, id };
    const write = (m: ReturnType<StoreConnection['multi']>): void => {
      m.set(this.keys.family('sandbox', 'sandbox', 'msg', id), JSON.stringify(full));
      m.rpush(this.keys.family('sandbox', 'sandbox', 'chat', message.chatId, 'log'), id);
      m.publish(this.channel, JSON.stringify({ type: 'message', chatId: message.chatId, message: full } satisfies SandboxEvent));
    };
    if (!idempotencyKey) {
      const multi = this.redis.multi();
      write(multi);
      await execOrThrow(multi);
      await this.trim(message.chatId);
      return { message: full, fresh: true };
    }
    const idemKey = this.keys.family('sandbox', 'sandbox', 'idem', idempotencyKey);
    const sent = await this.tx.run<{ message: SandboxMessage; fresh: boolean }>([idemKey], async (conn) => {
      const existing = await conn.get(idemKey);
      if (existing) {
        const priorKey = this.keys.family('sandbox', 'sandbox', 'msg', existing);
        const prior = await conn.get(priorKey);
        if (prior) return { abort: { message: parseRecord(sandboxMessageSchema, prior, priorKey), fresh: false } };
      }
      return {
        commit: (m) => {
          m.set(idemKey, id);
          write(m);
        },
        result: { message: full, fresh: true },
      };
    });
    if (sent.fresh) await this.trim(message.chatId);
    return sent;
  }

  /**
   * Keep a chat's log at historyCap: once it is 1% over, the oldest ids go with their messages, in one transaction
   * watched on the log (an append meanwhile makes it look again). A failure here leaves the message sent and is
   * retried by the next append.
   */
  private async trim(chatId: string): Promise<void> {
    if (this.historyCap <= 0) return;
    const log = this.logKey(chatId);
    const slack = Math.max(1, Math.floor(this.historyCap / 100));
    try {
      if ((await this.redis.llen(log)) <= this.historyCap + slack) return;
      await this.tx.run<void>([log], async (conn) => {
        const excess = (await conn.llen(log)) - this.historyCap;
        if (excess <= 0) return { abort: undefined };
        const ids = await conn.lrange(log, 0, excess - 1);
        return {
          commit: (m) => {
            m.ltrim(log, excess, -1);
            if (ids.length > 0) m.del(...ids.map(this.msgKey));
          },
          result: undefined,
        };
      });
    } catch {
      // The next append trims again; the log is only ever a little over the cap meanwhile.
    }
  }

  async get(id: string): Promise<SandboxMessage | undefined> {
    const key = this.keys.family('sandbox', 'sandbox', 'msg', id);
    const raw = await this.redis.get(key);
    return raw ? parseRecord(sandboxMessageSchema, raw, key) : undefined;
  }

  async updateCard(id: string, card: CardModel, now: number): Promise<SandboxMessage | undefined> {
    const key = this.keys.family('sandbox', 'sandbox', 'msg', id);
    return this.tx.run<SandboxMessage | undefined>([key], async (conn) => {
      const raw = await conn.get(key);
      if (!raw) return { abort: undefined };
      const next: SandboxMessage = { ...parseRecord(sandboxMessageSchema, raw, key), card, updatedAt: now };
      return {
        commit: (m) => {
          m.set(key, JSON.stringify(next));
          m.publish(this.channel, JSON.stringify({ type: 'update', chatId: next.chatId, message: next } satisfies SandboxEvent));
        },
        result: next,
      };
    });
  }

  /** The latest messages of a chat, oldest first. */
  async history(chatId: string, limit = 100): Promise<SandboxMessage[]> {
    return (await this.page(chatId, { limit }))?.messages ?? [];
  }

  /**
   * A page of a chat's messages, oldest first: the latest `limit`, or the `limit` just before message `before` (in
   * the order they were logged). Undefined when `before` is not in the chat's log.
   */
  async page(chatId: string, query: { readonly limit: number; readonly before?: string }): Promise<SandboxPage | undefined> {
    const log = this.logKey(chatId);
    if (query.before === undefined) {
      const [ids, length] = (await execPipeline(this.redis.multi().lrange(log, -query.limit, -1).llen(log))) as [string[], number];
      return { messages: await this.load(ids), more: length > ids.length };
    }
    // A trim between finding `before` and reading the page shifts the positions: then look again.
    for (let attempt = 0; attempt < 3; attempt++) {
      const at: number | null = await this.redis.lpos(log, query.before, 'RANK', -1);
      if (at === null) return undefined;
      const start = Math.max(0, at - query.limit);
      const ids: string[] = await this.redis.lrange(log, start, at);
      if (ids[ids.length - 1] !== query.before) continue;
      return { messages: await this.load(ids.slice(0, -1)), more: start > 0 };
    }
    throw new Error(`sandbox chat ${chatId}: its log kept moving while reading a page`);
  }

  /** The messages of these ids, in this order; ids trimmed meanwhile are left out. */
  private async load(ids: readonly string[]): Promise<SandboxMessage[]> {
    if (ids.length === 0) return [];
    const keys = ids.map(this.msgKey);
    return keepEach(sandboxMessageSchema, keys, await this.redis.mget(...keys), this.report);
  }
}
