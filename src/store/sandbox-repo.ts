import type { Redis } from 'ioredis';
import type { CardModel } from '../domain/card-model';
import type { Member } from '../domain/types';
import type { RichText } from '../platforms/port';
import { execOrThrow, Keys, TxPool } from './redis';

/*
 * The sandbox platform's own data: its chats, members and messages live in Redis and survive a restart.
 * Key layout (P = key prefix, H = sandbox chat id, M = message id). No TTLs.
 *   P:sandbox:chats            hash   H -> JSON { id, name }
 *   P:sandbox:chat:H:members   hash   memberId -> JSON Member (platformRole 'owner' marks the secretary)
 *   P:sandbox:chat:H:log       list   M, oldest first
 *   P:sandbox:msg:M            string JSON SandboxMessage
 *   P:sandbox:idem:K           string M sent with idempotency key K (a repeated send returns M)
 *   P:sandbox:seq              counter for message ids
 *   P:sandbox:events           pub/sub channel: JSON SandboxEvent
 */

export interface SandboxChat {
  readonly id: string;
  readonly name: string;
}

export interface SandboxMessage {
  readonly id: string;
  readonly chatId: string;
  /** null: the bot. */
  readonly from: Pick<Member, 'id' | 'name'> | null;
  readonly kind: 'text' | 'card';
  readonly text?: RichText;
  readonly card?: CardModel;
  readonly replyTo?: string;
  readonly at: number;
  readonly updatedAt?: number;
}

export type SandboxEvent = { readonly type: 'message' | 'update'; readonly chatId: string; readonly message: SandboxMessage };

export const SANDBOX_HISTORY_LIMIT = 200;

export class SandboxRepo {
  private readonly keys: Keys;

  constructor(
    private readonly redis: Redis,
    private readonly tx: TxPool,
    prefix: string,
  ) {
    this.keys = new Keys(prefix);
  }

  get channel(): string {
    return this.keys.k('sandbox', 'events');
  }

  async saveChat(chat: SandboxChat, members: readonly Member[]): Promise<void> {
    const multi = this.redis.multi();
    multi.hset(this.keys.k('sandbox', 'chats'), chat.id, JSON.stringify(chat));
    multi.del(this.keys.k('sandbox', 'chat', chat.id, 'members'));
    multi.hset(this.keys.k('sandbox', 'chat', chat.id, 'members'), ...members.flatMap((m) => [m.id, JSON.stringify(m)]));
    await execOrThrow(multi);
  }

  async chats(): Promise<SandboxChat[]> {
    const raw = await this.redis.hgetall(this.keys.k('sandbox', 'chats'));
    return Object.values(raw)
      .map((v) => JSON.parse(v) as SandboxChat)
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  async chat(id: string): Promise<SandboxChat | undefined> {
    const raw = await this.redis.hget(this.keys.k('sandbox', 'chats'), id);
    return raw ? (JSON.parse(raw) as SandboxChat) : undefined;
  }

  async members(chatId: string): Promise<Member[]> {
    const raw = await this.redis.hgetall(this.keys.k('sandbox', 'chat', chatId, 'members'));
    return Object.values(raw)
      .map((v) => JSON.parse(v) as Member)
      .sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  }

  /** Append a message; with an idempotency key a repeat returns the first message and writes nothing. */
  async append(message: Omit<SandboxMessage, 'id'>, idempotencyKey?: string): Promise<{ message: SandboxMessage; fresh: boolean }> {
    const id = `m${await this.redis.incr(this.keys.k('sandbox', 'seq'))}`;
    const full: SandboxMessage = { ...message, id };
    const write = (m: ReturnType<Redis['multi']>): void => {
      m.set(this.keys.k('sandbox', 'msg', id), JSON.stringify(full));
      m.rpush(this.keys.k('sandbox', 'chat', message.chatId, 'log'), id);
      m.publish(this.channel, JSON.stringify({ type: 'message', chatId: message.chatId, message: full } satisfies SandboxEvent));
    };
    if (!idempotencyKey) {
      const multi = this.redis.multi();
      write(multi);
      await execOrThrow(multi);
      return { message: full, fresh: true };
    }
    const idemKey = this.keys.k('sandbox', 'idem', idempotencyKey);
    return this.tx.run<{ message: SandboxMessage; fresh: boolean }>([idemKey], async (conn) => {
      const existing = await conn.get(idemKey);
      if (existing) {
        const prior = await conn.get(this.keys.k('sandbox', 'msg', existing));
        if (prior) return { abort: { message: JSON.parse(prior) as SandboxMessage, fresh: false } };
      }
      return {
        commit: (m) => {
          m.set(idemKey, id);
          write(m);
        },
        result: { message: full, fresh: true },
      };
    });
  }

  async get(id: string): Promise<SandboxMessage | undefined> {
    const raw = await this.redis.get(this.keys.k('sandbox', 'msg', id));
    return raw ? (JSON.parse(raw) as SandboxMessage) : undefined;
  }

  async updateCard(id: string, card: CardModel, now: number): Promise<SandboxMessage | undefined> {
    const key = this.keys.k('sandbox', 'msg', id);
    return this.tx.run<SandboxMessage | undefined>([key], async (conn) => {
      const raw = await conn.get(key);
      if (!raw) return { abort: undefined };
      const next: SandboxMessage = { ...(JSON.parse(raw) as SandboxMessage), card, updatedAt: now };
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
  async history(chatId: string, limit = SANDBOX_HISTORY_LIMIT): Promise<SandboxMessage[]> {
    const ids = await this.redis.lrange(this.keys.k('sandbox', 'chat', chatId, 'log'), String(-limit), '-1');
    if (ids.length === 0) return [];
    const raws = await this.redis.mget(...ids.map((id) => this.keys.k('sandbox', 'msg', id)));
    return raws.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as SandboxMessage);
  }
}
