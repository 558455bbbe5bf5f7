import type { Redis } from 'ioredis';
import type { ChatRef, DutyKind, Member } from '../domain/types';
import { chatKey } from '../domain/types';
import type { RecurrenceRule } from '../time/recurrence-rule';
import { DutyRepo, type CreateGuard } from './duty-repo';
import { execOrThrow, Keys, TxPool } from './redis';

/*
 * Recurring duties (系列): a rule plus a duty template, materialised ahead of time into ordinary duties.
 * Key layout (P = key prefix, S = series id, C = chat key, T = occurrence time in ms). No TTLs.
 *   P:series:S              string  JSON Series
 *   P:series:S:occ          hash    T -> duty id: the occurrences already created (HSETNX: never twice)
 *   P:chat:C:series         hash    series number -> S
 *   P:chat:C:series-seq     counter last series number given out in the chat (系列1, 系列2, …)
 *   P:series:all            set     every active S (start-up: make sure each has its scheduler)
 */

export interface Series {
  readonly id: string;
  readonly chat: ChatRef;
  readonly number: number;
  readonly kind: DutyKind;
  readonly label: string;
  readonly title: string;
  readonly rule: RecurrenceRule;
  /** The rule in Chinese words (每月最后一个工作日 15:00). */
  readonly description: string;
  readonly place?: string;
  readonly link?: string;
  readonly notes?: string;
  readonly offsets?: readonly number[];
  readonly organizer: Pick<Member, 'id' | 'name'>;
  readonly state: 'active' | 'stopped';
  /** The template it came from (启用 三会一课). */
  readonly template?: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export type NewSeries = Omit<Series, 'id' | 'number' | 'state' | 'createdAt' | 'updatedAt'>;

export class SeriesRepo {
  private readonly keys: Keys;

  constructor(
    private readonly redis: Redis,
    private readonly tx: TxPool,
    prefix: string,
  ) {
    this.keys = new Keys(prefix);
  }

  private seriesKey = (id: string): string => this.keys.k('series', id);
  private occKey = (id: string): string => this.keys.k('series', id, 'occ');
  private chatSeriesKey = (chat: ChatRef): string => this.keys.k('chat', chatKey(chat), 'series');

  async create(input: NewSeries, now: number): Promise<Series> {
    const number = await this.redis.incr(this.keys.k('chat', chatKey(input.chat), 'series-seq'));
    const series: Series = { ...input, id: DutyRepo.newId(), number, state: 'active', createdAt: now, updatedAt: now };
    const multi = this.redis.multi();
    multi.set(this.seriesKey(series.id), JSON.stringify(series));
    multi.hset(this.chatSeriesKey(series.chat), String(number), series.id);
    multi.sadd(this.keys.k('series', 'all'), series.id);
    await execOrThrow(multi);
    return series;
  }

  async get(id: string): Promise<Series | undefined> {
    const raw = await this.redis.get(this.seriesKey(id));
    return raw ? (JSON.parse(raw) as Series) : undefined;
  }

  async getByNumber(chat: ChatRef, number: number): Promise<Series | undefined> {
    const id = await this.redis.hget(this.chatSeriesKey(chat), String(number));
    return id ? this.get(id) : undefined;
  }

  async list(chat: ChatRef): Promise<Series[]> {
    const ids = Object.values(await this.redis.hgetall(this.chatSeriesKey(chat)));
    const all = await Promise.all(ids.map((id) => this.get(id)));
    return all.filter((s): s is Series => s !== undefined).sort((a, b) => a.number - b.number);
  }

  async active(): Promise<Series[]> {
    const ids = await this.redis.smembers(this.keys.k('series', 'all'));
    const all = await Promise.all(ids.map((id) => this.get(id)));
    return all.filter((s): s is Series => s?.state === 'active');
  }

  /** Change a series atomically (stop, new rule); a string from `change` aborts with nothing written. */
  async update(id: string, change: (s: Series) => Series | string): Promise<{ ok: true; series: Series } | { ok: false; reason: string }> {
    return this.tx.run<{ ok: true; series: Series } | { ok: false; reason: string }>([this.seriesKey(id)], async (conn) => {
      const raw = await conn.get(this.seriesKey(id));
      if (!raw) return { abort: { ok: false, reason: 'not-found' } };
      const next = change(JSON.parse(raw) as Series);
      if (typeof next === 'string') return { abort: { ok: false, reason: next } };
      return {
        commit: (m) => {
          m.set(this.seriesKey(id), JSON.stringify(next));
          if (next.state === 'active') m.sadd(this.keys.k('series', 'all'), id);
          else m.srem(this.keys.k('series', 'all'), id);
        },
        result: { ok: true, series: next },
      };
    });
  }

  /** The guard that makes an occurrence's duty be created once: the occurrence is recorded in the same script. */
  occurrenceGuard(id: string, at: number): CreateGuard {
    return { key: this.occKey(id), field: String(at) };
  }

  async occurrences(id: string): Promise<Map<number, string>> {
    const raw = await this.redis.hgetall(this.occKey(id));
    return new Map(Object.entries(raw).map(([k, v]) => [Number(k), v]));
  }
}
