import { Redis, type Command, type RedisOptions } from 'ioredis';
import type { Logger } from '../logger';
import { createCluster, duplicateConnection, isCluster, type StoreConnection } from './redis-cluster';
import { isClusterTarget, sentinelOptions, type RedisTarget } from './redis-target';
import { closeConnection } from './close-connection';
import { typeRejection } from './store-error';

export { storeError } from './store-error';
export { Keys } from './keys';
export type { StoreConnection } from './redis-cluster';

/**
 * A connection whose commands (alone, in pipelines and in MULTI, and BullMQ's scripts) fail with a
 * StoreUnavailableError when Redis cannot be reached; every other error is the client's own. Every way ioredis
 * fails a command goes through the command's `reject`, so that is where the error is typed. `duplicate()` (the
 * transaction pool, BullMQ's blocking connections, the sandbox subscriber) makes another one of these.
 */
class StoreRedis extends Redis {
  override sendCommand(command: Command, stream?: Parameters<Redis['sendCommand']>[1]): unknown {
    typeRejection(command);
    return super.sendCommand(command, stream);
  }

  /** The same options; the reply mapping stays ioredis's default (createRedis never sets another). */
  override duplicate(override?: Partial<RedisOptions>): Redis {
    const { replyMapping: _default, ...options } = { ...this.options, ...override };
    return new StoreRedis(options);
  }
}

/**
 * Redis connections. The store's and the producers' commands fail at once while Redis is down (no offline
 * queue), so webhooks answer 503 quickly and the platforms retry (https://docs.bullmq.io/guide/going-to-production);
 * BullMQ workers get `maxRetriesPerRequest: null` as BullMQ requires. Callers wait for `ready` first.
 */
export function createRedis(target: RedisTarget, options: Omit<RedisOptions, 'replyMapping'> = {}): StoreConnection {
  const defaults: Omit<RedisOptions, 'replyMapping'> = {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: (times) => Math.min(200 * 2 ** Math.min(times, 7), 5000),
    lazyConnect: false,
  };
  // A cluster: the same defaults, set where ioredis's Cluster takes them (src/store/redis-cluster.ts).
  if (isClusterTarget(target)) return createCluster(target, { ...defaults, ...options });
  // A sentinel target: the same defaults; ioredis asks the sentinels for the master on each (re)connection.
  if (typeof target !== 'string') return new StoreRedis({ ...defaults, ...sentinelOptions(target), ...options });
  return new StoreRedis(target, { ...defaults, ...options });
}

export function createWorkerRedis(target: RedisTarget): StoreConnection {
  return createRedis(target, { maxRetriesPerRequest: null, enableOfflineQueue: true });
}

/** Resolves true once the connection is ready, false after `timeoutMs`. */
export function whenReady(conn: StoreConnection, timeoutMs: number): Promise<boolean> {
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
 * On a cluster each pooled connection is a cluster of its own; its WATCH and its MULTI … EXEC, whose keys share one
 * slot (src/store/key-prefixes.ts), go to that slot's master over the same socket
 * (https://github.com/redis/ioredis#transaction-and-pipeline-in-cluster-mode).
 */
export class TxPool {
  private readonly idle: StoreConnection[] = [];
  private readonly waiters: ((r: StoreConnection) => void)[] = [];
  private readonly all: StoreConnection[] = [];

  constructor(
    private readonly base: StoreConnection,
    private readonly size = 8,
  ) {}

  private async acquire(): Promise<StoreConnection> {
    const free = this.idle.pop();
    if (free) return free;
    if (this.all.length < this.size) {
      const conn = duplicateConnection(this.base);
      conn.on('error', () => undefined); // reported through the base connection's handler
      this.all.push(conn);
      // A cluster connection is ready after several round trips (CLUSTER SLOTS, a connection per master, the ready
      // check): on a busy machine that takes more than the 2 s one Redis gets.
      await whenReady(conn, isCluster(conn) ? 10000 : 2000);
      return conn;
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private release(conn: StoreConnection): void {
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
  async run<T>(keys: string[], body: (conn: StoreConnection) => Promise<TxOutcome<T>>, attempts = 20): Promise<T> {
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
    await Promise.all(this.all.map(closeConnection));
  }
}

/**
 * Redis down at start: one clear line per attempt, retries with backoff (capped at 10 s) until every connection
 * answers; `stopped` ends the wait when the process is asked to stop meanwhile.
 */
/**
 * What a newcomer needs when Redis is not there (issue 17 "First run"): said once, in plain words, to the terminal;
 * the retries after it are logged at debug level (and every tenth as a warning) rather than a line each.
 */
export function redisMissingNotice(shown: string): string {
  if (shown.startsWith('cluster ')) return `未连接到 Redis 集群（${shown}）：节点没有答复，或集群状态不是 ok。请检查 REDIS_CLUSTER_NODES。落实会一直重试，连上后自动启动。`;
  if (shown.startsWith('sentinel ')) return `未连接到 Redis（${shown}）：哨兵没有答复，或它们还不知道主节点。请检查 REDIS_SENTINELS 和 REDIS_SENTINEL_NAME。落实会一直重试，连上后自动启动。`;
  return `未连接到 Redis（${shown}）。Debian/Ubuntu：apt-get install redis-server；或设置 REDIS_URL。落实会一直重试，连上后自动启动。`;
}

export async function waitForRedis(
  conns: readonly StoreConnection[],
  opts: { readonly url: string; readonly log: Logger; readonly stopped: () => boolean; readonly notice?: (text: string) => void },
): Promise<void> {
  const shown = redactUrl(opts.url);
  const notice = opts.notice ?? ((text: string) => process.stderr.write(`${text}\n`));
  for (let attempt = 0; ; attempt++) {
    if (opts.stopped()) throw new Error('stopped before Redis was reachable');
    const delay = Math.min(500 * 2 ** attempt, 10000);
    const ready = await Promise.all(conns.map((c) => whenReady(c, delay)));
    if (ready.every(Boolean)) {
      if (attempt > 0) opts.log.info('Redis is reachable again: starting');
      return;
    }
    const fields = { redis: shown, attempt: attempt + 1 };
    const line = `Redis 不可用（${shown}），${Math.round(delay / 100) / 10} 秒后重试；/readyz 在此期间返回 503`;
    if (attempt === 0) {
      notice(redisMissingNotice(shown));
      opts.log.error(fields, line);
    } else if ((attempt + 1) % 10 === 0) {
      opts.log.warn(fields, line);
    } else {
      opts.log.debug(fields, line);
    }
  }
}

/** The shipped redis.conf's `hash-max-listpack-value`: job hashes with their options stay compact under it. */
const LISTPACK_VALUE = 512;

/**
 * Warn about Redis settings that lose records (eviction: BullMQ needs `noeviction`,
 * https://docs.bullmq.io/guide/going-to-production#max-memory-policy) or make every pending job take twice the memory.
 */
export async function warnAboutRedisSettings(redis: StoreConnection, log: Logger): Promise<void> {
  const setting = async (name: string): Promise<string | undefined> => {
    try {
      const res = (await redis.call('CONFIG', 'GET', name)) as unknown;
      return Array.isArray(res) ? String(res[1]) : res && typeof res === 'object' ? String(Object.values(res)[0]) : undefined;
    } catch {
      return undefined; // CONFIG may be disabled on managed Redis: nothing to check then.
    }
  };
  const policy = await setting('maxmemory-policy');
  if (policy && policy !== 'noeviction') {
    log.warn({ policy }, `Redis 的 maxmemory-policy 是 ${policy}：记录和提醒可能被淘汰，请设为 noeviction（见 redis.conf）`);
  }
  // Each reminder job keeps ~110 bytes of options: under this limit its hash stays a listpack, about 0.4 KB
  // instead of 0.8 KB (bench:schedule).
  const listpack = Number(await setting('hash-max-listpack-value'));
  if (Number.isFinite(listpack) && listpack > 0 && listpack < LISTPACK_VALUE) {
    log.warn({ hashMaxListpackValue: listpack }, `Redis 的 hash-max-listpack-value 是 ${listpack}：每条待发提醒约多占一倍内存，建议设为 ${LISTPACK_VALUE}（见 redis.conf）`);
  }
}
