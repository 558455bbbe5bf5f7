import type { RedisOptions } from 'ioredis';
import { parseHostPort, type Config } from '../config';

/**
 * Where the process's Redis is: a URL (REDIS_URL), or a master found through Redis Sentinel (REDIS_SENTINELS and
 * REDIS_SENTINEL_NAME). With sentinels, ioredis asks them for the current master on every (re)connection, so after a
 * failover each connection reconnects to the promoted replica (https://github.com/redis/ioredis#sentinel). BullMQ
 * takes these connections as they are and duplicates them for its blocking commands
 * (https://docs.bullmq.io/guide/connections), so its queues and workers follow the master too.
 */
export interface SentinelTarget {
  readonly sentinels: readonly { readonly host: string; readonly port: number }[];
  readonly name: string;
  readonly sentinelPassword?: string;
  readonly password?: string;
}

/**
 * A Redis Cluster (REDIS_CLUSTER_NODES): ioredis's `Cluster` asks these nodes for the slot map and routes each
 * command to the master of its key's slot (https://github.com/redis/ioredis#cluster).
 */
export interface ClusterTarget {
  readonly cluster: readonly { readonly host: string; readonly port: number }[];
  readonly password?: string;
}

export type RedisTarget = string | SentinelTarget | ClusterTarget;

export const isClusterTarget = (target: RedisTarget): target is ClusterTarget => typeof target !== 'string' && 'cluster' in target;

type TargetConfig = Pick<Config, 'REDIS_URL' | 'REDIS_CLUSTER_NODES' | 'REDIS_SENTINELS' | 'REDIS_SENTINEL_NAME' | 'REDIS_SENTINEL_PASSWORD' | 'REDIS_PASSWORD'>;

/**
 * The target the configuration names: the cluster's nodes when they are set, else the sentinels when they are set
 * (loadConfig checks both or neither, and not with a cluster), else REDIS_URL.
 */
export function redisTarget(config: TargetConfig): RedisTarget {
  if (config.REDIS_CLUSTER_NODES.length > 0) {
    const cluster = config.REDIS_CLUSTER_NODES.flatMap((v) => parseHostPort(v) ?? []);
    return { cluster, ...(config.REDIS_PASSWORD ? { password: config.REDIS_PASSWORD } : {}) };
  }
  const name = config.REDIS_SENTINEL_NAME;
  if (config.REDIS_SENTINELS.length === 0 || !name) return config.REDIS_URL;
  const sentinels = config.REDIS_SENTINELS.flatMap((v) => parseHostPort(v) ?? []);
  return {
    sentinels,
    name,
    ...(config.REDIS_SENTINEL_PASSWORD ? { sentinelPassword: config.REDIS_SENTINEL_PASSWORD } : {}),
    ...(config.REDIS_PASSWORD ? { password: config.REDIS_PASSWORD } : {}),
  };
}

/**
 * ioredis's options for a sentinel target. `failoverDetector` listens to the sentinels' `+switch-master` and
 * reconnects at once instead of waiting for the old master's socket to fail (ioredis ≥ 5.3,
 * https://github.com/redis/ioredis/blob/main/lib/connectors/SentinelConnector/FailoverDetector.ts).
 */
export function sentinelOptions(target: SentinelTarget): Omit<RedisOptions, 'replyMapping'> {
  return {
    sentinels: target.sentinels.map((s) => ({ host: s.host, port: s.port })),
    name: target.name,
    role: 'master',
    failoverDetector: true,
    ...(target.sentinelPassword ? { sentinelPassword: target.sentinelPassword } : {}),
    ...(target.password ? { password: target.password } : {}),
  };
}

const hostList = (nodes: readonly { readonly host: string; readonly port: number }[]): string =>
  nodes.map((s) => (s.host.includes(':') ? `[${s.host}]:${s.port}` : `${s.host}:${s.port}`)).join(',');

/**
 * The target for logs and notices, without passwords: `redis://:***@host`, `sentinel mymaster@h1:26379,h2:26379`
 * or `cluster h1:7001,h2:7002`.
 */
export function describeTarget(target: RedisTarget): string {
  if (typeof target === 'string') return target.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  if (isClusterTarget(target)) return `cluster ${hostList(target.cluster)}`;
  return `sentinel ${target.name}@${hostList(target.sentinels)}`;
}
