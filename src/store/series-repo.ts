import type { StoreConnection } from './redis-cluster';
import { seriesSchema, type Series } from '../domain/series';
import type { ChatRef } from '../domain/types';
import { chatKey } from '../domain/types';
import { DutyRepo, type CreateGuard } from './duty-repo';
import { keepEach, parseRecord, type DamageReport } from './records';
import { execOrThrow, type Keys, TxPool } from './redis';
import { RecordRepo } from './repo-base';
import { mgetByRecord } from './slot-groups';

/*
 * Recurring duties (系列): a rule plus a duty template, materialised ahead of time into ordinary duties.
 * Key layout (P = key prefix, S = series id, C = chat key, T = occurrence time in ms). No TTLs.
 *   P:series:S              string  JSON Series
 *   P:series:S:occ          hash    T -> duty id: the occurrences already created (HSETNX: never twice)
 *   P:chat:C:series         hash    series number -> S
 *   P:chat:C:series-seq     counter last series number given out in the chat (系列1, 系列2, …)
 *   P:series:all            set     every active S (start-up: make sure each has its scheduler)
 * On a Redis Cluster a series' keys share its chat's slot (its id starts with the chat's bucket, src/store/keys.ts);
 * `series:all` is global, written right after the atomic step and rebuilt at start by `repairActiveIndex`.
 * A series is parsed with seriesSchema (src/domain/series.ts) when read: `get` and `update` throw DamagedRecord
 * when it does not parse; the lists (`list`, `active`) leave it out and report it with its key (src/store/records.ts).
 */

/** What a caller gives to create a series: the rest is given out here. */
export type NewSeries = Omit<Series, 'id' | 'number' | 'state' | 'createdAt' | 'updatedAt'>;

export class SeriesRepo extends RecordRepo {
  constructor(
    redis: StoreConnection,
    private readonly tx: TxPool,
    prefix: string | Keys,
    report?: DamageReport,
  ) {
    super(redis, prefix, report);
  }

  private seriesKey = (id: string): string => this.keys.series(id);
  private occKey = (id: string): string => this.keys.series(id, 'occ');
  private chatSeriesKey = (chat: ChatRef): string => this.keys.chat(chatKey(chat), 'series');
  private allKey = (): string => this.keys.k('series', 'all');

  async create(input: NewSeries, now: number): Promise<Series> {
    const number = await this.redis.incr(this.keys.chat(chatKey(input.chat), 'series-seq'));
    const series: Series = { ...input, id: DutyRepo.newId(input.chat), number, state: 'active', createdAt: now, updatedAt: now };
    const multi = this.redis.multi();
    multi.set(this.seriesKey(series.id), JSON.stringify(series));
    multi.hset(this.chatSeriesKey(series.chat), String(number), series.id);
    // The global index in the same MULTI on one Redis; on a cluster (another slot) right after (idempotent; rebuilt
    // at start by repairActiveIndex).
    if (!this.keys.spreads) multi.sadd(this.allKey(), series.id);
    await execOrThrow(multi);
    if (this.keys.spreads) await this.redis.sadd(this.allKey(), series.id);
    return series;
  }

  /** Put back in `series:all` every chat's active series (a process stopped before the index write); how many. */
  async repairActiveIndex(): Promise<number> {
    const chats = await this.redis.smembers(this.keys.k('chats'));
    let added = 0;
    for (let i = 0; i < chats.length; i += 50) {
      const ids = (await Promise.all(chats.slice(i, i + 50).map((c) => this.redis.hvals(this.keys.chat(c, 'series'))))).flat();
      const active = (await this.getMany(ids)).filter((s) => s.state === 'active').map((s) => s.id);
      if (active.length > 0) added += await this.redis.sadd(this.allKey(), ...active);
    }
    return added;
  }

  async get(id: string): Promise<Series | undefined> {
    const raw = await this.redis.get(this.seriesKey(id));
    return raw ? parseRecord(seriesSchema, raw, this.seriesKey(id)) : undefined;
  }

  async getByNumber(chat: ChatRef, number: number): Promise<Series | undefined> {
    const id = await this.redis.hget(this.chatSeriesKey(chat), String(number));
    return id ? this.get(id) : undefined;
  }

  async list(chat: ChatRef): Promise<Series[]> {
    const ids = Object.values(await this.redis.hgetall(this.chatSeriesKey(chat)));
    return (await this.getMany(ids)).sort((a, b) => a.number - b.number);
  }

  async active(): Promise<Series[]> {
    const ids = await this.redis.smembers(this.allKey());
    return (await this.getMany(ids)).filter((s) => s.state === 'active');
  }

  /** The series that exist and parse, in the order of `ids`. */
  private async getMany(ids: readonly string[]): Promise<Series[]> {
    if (ids.length === 0) return [];
    const keys = ids.map((id) => this.seriesKey(id));
    return keepEach(seriesSchema, keys, await mgetByRecord(this.redis, this.keys, ids, this.seriesKey), this.report);
  }

  /** Change a series atomically (stop, new rule); a string from `change` aborts with nothing written. */
  async update(id: string, change: (s: Series) => Series | string): Promise<{ ok: true; series: Series } | { ok: false; reason: string }> {
    const result = await this.tx.run<{ ok: true; series: Series } | { ok: false; reason: string }>([this.seriesKey(id)], async (conn) => {
      const raw = await conn.get(this.seriesKey(id));
      if (!raw) return { abort: { ok: false, reason: 'not-found' } };
      const next = change(parseRecord(seriesSchema, raw, this.seriesKey(id)));
      if (typeof next === 'string') return { abort: { ok: false, reason: next } };
      return {
        commit: (m) => {
          m.set(this.seriesKey(id), JSON.stringify(next));
          if (this.keys.spreads) return;
          if (next.state === 'active') m.sadd(this.allKey(), id);
          else m.srem(this.allKey(), id);
        },
        result: { ok: true, series: next },
      };
    });
    // On a cluster the global index after the atomic step: `active()` reads only active series, so a stale entry is harmless.
    if (result.ok && this.keys.spreads && result.series.state === 'active') await this.redis.sadd(this.allKey(), id);
    else if (result.ok && this.keys.spreads) await this.redis.srem(this.allKey(), id);
    return result;
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
