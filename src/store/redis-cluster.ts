import { Cluster, type ClusterNode, type Command, type Redis, type RedisOptions } from 'ioredis';
import type { ClusterTarget } from './redis-target';
import { installSlotMemo } from './slot-memo';
import { typeRejection } from './store-error';

/**
 * A connection to the store: one Redis (REDIS_URL or the master the sentinels name) or a Redis Cluster. Both are
 * ioredis Commanders with the same commands, pipelines and MULTI (https://github.com/redis/ioredis#cluster); in a
 * cluster every script, MULTI and pipeline must touch keys of one slot (src/store/key-prefixes.ts keeps them so).
 */
export type StoreConnection = Redis | Cluster;

type Options = Omit<RedisOptions, 'replyMapping'>;
type StoreClusterOptions = ConstructorParameters<typeof Cluster<'legacy'>>[1];

/**
 * A cluster whose commands fail with a StoreUnavailableError when the cluster cannot be reached, like StoreRedis
 * (src/store/redis.ts); `duplicate()` (the transaction pool, BullMQ's blocking connections, subscribers) makes another
 * with the same nodes and options.
 */
class StoreCluster extends Cluster {
  constructor(
    private readonly startNodes: ClusterNode[],
    private readonly startOptions: StoreClusterOptions,
  ) {
    super(startNodes, startOptions);
  }

  override sendCommand(command: Command, stream?: Parameters<Cluster['sendCommand']>[1], node?: Parameters<Cluster['sendCommand']>[2]): unknown {
    typeRejection(command);
    return super.sendCommand(command, stream, node);
  }

  override duplicate(): Cluster {
    return new StoreCluster(this.startNodes, this.startOptions);
  }
}

export const isCluster = (conn: StoreConnection): conn is Cluster => conn instanceof Cluster;

/** Another connection to the same place, with the same behaviour (Redis and Cluster name their `duplicate` options differently). */
export function duplicateConnection(conn: StoreConnection): StoreConnection {
  return conn instanceof Cluster ? conn.duplicate() : conn.duplicate();
}

/**
 * A cluster connection with the same behaviour as createRedis's: the per-node options (`maxRetriesPerRequest`, the
 * password) go under `redisOptions`; the offline queue, the reconnection backoff and lazyConnect belong to the
 * cluster itself (https://github.com/redis/ioredis/blob/main/lib/cluster/ClusterOptions.ts).
 */
export function createCluster(target: ClusterTarget, options: Options): Cluster {
  installSlotMemo();
  const { enableOfflineQueue, retryStrategy, lazyConnect, ...node } = options;
  return new StoreCluster(
    target.cluster.map((n) => ({ host: n.host, port: n.port })),
    {
      redisOptions: { ...node, ...(target.password ? { password: target.password } : {}) },
      ...(enableOfflineQueue !== undefined ? { enableOfflineQueue } : {}),
      ...(lazyConnect !== undefined ? { lazyConnect } : {}),
      ...(retryStrategy ? { clusterRetryStrategy: (times: number) => retryStrategy(times) } : {}),
    },
  );
}
