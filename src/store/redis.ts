import { Redis, type RedisOptions } from 'ioredis';

/**
 * Redis connections. The store's and the producers' commands fail at once while Redis is down (no offline
 * queue), so webhooks answer 503 quickly and the platforms retry (bullmq-facts §5 "Producers should fail fast");
 * BullMQ workers get `maxRetriesPerRequest: null` as BullMQ requires. Callers wait for `ready` first.
 */
export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: (times) => Math.min(200 * 2 ** Math.min(times, 7), 5000),
    lazyConnect: false,
    ...options,
  });
}

export function createWorkerRedis(url: string): Redis {
  return createRedis(url, { maxRetriesPerRequest: null, enableOfflineQueue: true });
}

/** Resolves true once the connection is ready, false after `timeoutMs`. */
export function whenReady(conn: Redis, timeoutMs: number): Promise<boolean> {
  if (conn.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const onReady = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      conn.off('ready', onReady);
      resolve(false);
    }, timeoutMs);
    conn.once('ready', onReady);
  });
}

/** `redis://user:secret@host` → `redis://user:***@host` for logs. */
export const redactUrl = (url: string): string => url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');

/** Key builder under one prefix (e.g. `luoshi`). Tests use a unique prefix each. */
export class Keys {
  constructor(readonly prefix: string) {}
  k(...parts: (string | number)[]): string {
    return [this.prefix, ...parts].join(':');
  }
}

type Multi = ReturnType<Redis['multi']>;
type Pipeline = ReturnType<Redis['pipeline']>;
export type TxOutcome<T> = { commit: (multi: Multi) => void; result: T } | { abort: T };

/** Run a MULTI; throw if it was aborted or any command failed. */
export async function execOrThrow(multi: Multi): Promise<void> {
  await execPipeline(multi);
}

/** Run a pipeline (or MULTI) and return its replies in order; throw if it returned nothing or any command failed. */
export async function execPipeline(pipeline: Pipeline | Multi): Promise<unknown[]> {
  const res = await pipeline.exec();
  if (res === null) throw new Error('Redis transaction aborted');
  const failed = res.find(([err]) => err);
  if (failed?.[0]) throw failed[0];
  return res.map(([, value]) => value);
}

/**
 * Optimistic transactions (WATCH … MULTI … EXEC). WATCH belongs to a connection, so each transaction
 * borrows a connection of its own from this pool: concurrent transactions never clear each other's watches.
 */
export class TxPool {
  private readonly idle: Redis[] = [];
  private readonly waiters: ((r: Redis) => void)[] = [];
  private readonly all: Redis[] = [];

  constructor(
    private readonly base: Redis,
    private readonly size = 8,
  ) {}

  private async acquire(): Promise<Redis> {
    const free = this.idle.pop();
    if (free) return free;
    if (this.all.length < this.size) {
      const conn = this.base.duplicate();
      conn.on('error', () => undefined); // reported through the base connection's handler
      this.all.push(conn);
      await whenReady(conn, 2000);
      return conn;
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private release(conn: Redis): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(conn);
    else this.idle.push(conn);
  }

  /**
   * Watch `keys`, let `body` read through the given connection, then commit; retried on conflict. WATCH is sent
   * without waiting for its reply: commands on one connection run in order, so the body's reads go out in the same
   * round trip and still run after the watch. UNWATCH after an abort is not waited for either (the next command on
   * this connection, whoever borrows it, queues behind it).
   */
  async run<T>(keys: string[], body: (conn: Redis) => Promise<TxOutcome<T>>, attempts = 20): Promise<T> {
    const conn = await this.acquire();
    const unwatch = (): void => {
      conn.unwatch().catch(() => undefined);
    };
    try {
      for (let i = 0; i < attempts; i++) {
        const watched = conn.watch(...keys);
        let outcome: TxOutcome<T>;
        try {
          [, outcome] = await Promise.all([watched, body(conn)]);
        } catch (err) {
          unwatch();
          throw err;
        }
        if ('abort' in outcome) {
          unwatch();
          return outcome.abort;
        }
        const multi = conn.multi();
        outcome.commit(multi);
        const res = await multi.exec();
        if (res !== null) {
          const failed = res.find(([err]) => err);
          if (failed?.[0]) throw failed[0];
          return outcome.result;
        }
      }
      throw new Error(`Redis transaction on ${keys[0]} kept conflicting`);
    } finally {
      this.release(conn);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((c) => c.quit().catch(() => c.disconnect())));
  }
}
