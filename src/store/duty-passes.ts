import type { Duty } from '../domain/types';
import type { Keys } from './redis';
import type { StoreConnection } from './redis-cluster';

/**
 * Passes over every chat's duties (start-up reconciliation, re-planning after a restore), on the indexes
 * src/store/duty-repo.ts lays out: the global open index `P:duties:open` and each known chat's (`P:chats`) indexes.
 */
export class DutyPasses {
  constructor(
    private readonly redis: StoreConnection,
    private readonly keys: Keys,
    /** Duties by id, in one read per slot; missing and damaged ones left out (DutyRepo). */
    private readonly getMany: (ids: string[]) => Promise<Duty[]>,
  ) {}

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
      if (flat.length > 0) added += await this.redis.zadd(this.keys.k('duties', 'open'), 'NX', ...flat);
    }
    return added;
  }

  /**
   * Every scheduled duty across chats (start-up reconciliation of reminders). The index is written after each
   * duty's own change (a crash in between may leave a closed duty in it): only scheduled duties are answered.
   */
  async listAllOpen(): Promise<Duty[]> {
    const ids = await this.redis.zrange(this.keys.k('duties', 'open'), '0', '-1');
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
      const [next, flat] = await this.redis.zscan(this.keys.k('duties', 'open'), cursor, 'COUNT', pageSize);
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
}
