import type { Logger } from '../logger';
import { closeConnection } from './close-connection';
import { createRedis, createWorkerRedis, TxPool, waitForRedis, whenReady } from './redis';
import { duplicateConnection, type StoreConnection } from './redis-cluster';
import { describeTarget, type RedisTarget } from './redis-target';

/**
 * The process's Redis connections: the store's, the queue producers' (both fail fast while Redis is down), the
 * workers' (BullMQ blocks on it, so it retries forever, https://docs.bullmq.io/guide/going-to-production), and a pool
 * for WATCH/MULTI transactions. Subscribers get their own duplicate (a subscribed connection can run nothing else).
 * Every one of them, and every duplicate, goes to the same target: REDIS_URL, the master the sentinels name, or the
 * Redis Cluster (REDIS_CLUSTER_NODES).
 */
export class Connections {
  readonly store: StoreConnection;
  readonly workers: StoreConnection;
  readonly producers: StoreConnection;
  readonly tx: TxPool;
  private readonly extra: StoreConnection[] = [];

  constructor(
    private readonly target: RedisTarget,
    private readonly log: Logger,
  ) {
    // A connection error is a warning once per outage (ioredis emits one per reconnect try); the rest are debug.
    let down = false;
    this.store = createRedis(target)
      .on('error', (err: Error) => {
        if (down) log.debug({ err: err.message }, 'redis connection error');
        else log.warn({ err: err.message }, 'redis connection error');
        down = true;
      })
      .on('ready', () => (down = false));
    this.workers = createWorkerRedis(target).on('error', (err: Error) => log.debug({ err: err.message }, 'redis (workers) connection error'));
    this.producers = createRedis(target).on('error', (err: Error) => log.debug({ err: err.message }, 'redis (producers) connection error'));
    this.tx = new TxPool(this.store);
  }

  /**
   * Listen to `channel` on a dedicated connection (a subscribed connection can run nothing else): resolves once
   * subscribed, with the function that closes the connection (also closed with the others).
   */
  async subscribe(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>> {
    const conn = duplicateConnection(this.store).on('error', (err: Error) => this.log.debug({ err: err.message, channel }, 'redis (subscriber) connection error'));
    this.extra.push(conn);
    await whenReady(conn, 5000);
    await conn.subscribe(channel);
    conn.on('message', (_channel: string, payload: string) => onMessage(payload));
    return async () => {
      await closeConnection(conn);
    };
  }

  /** Wait, with backoff and a log line now and then, until every connection is ready (or `stopped()`). */
  ready(stopped: () => boolean): Promise<void> {
    return waitForRedis([this.store, this.producers, this.workers], { url: describeTarget(this.target), log: this.log, stopped });
  }

  async close(): Promise<void> {
    await this.tx.close();
    await Promise.all([this.store, this.workers, this.producers, ...this.extra].map(closeConnection));
  }
}
