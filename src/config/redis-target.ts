import { z } from 'zod';
import { commaList, optionalSecret } from './fields';

/**
 * Where Redis is, as the environment says it: REDIS_URL, or Redis Sentinel (REDIS_SENTINELS + REDIS_SENTINEL_NAME),
 * or Redis Cluster (REDIS_CLUSTER_NODES). src/store/redis-target.ts turns the checked values into connections.
 */

/** `host:port` (IPv6 in brackets: `[::1]:26379`) → its parts; undefined when it is not one. */
export function parseHostPort(v: string): { host: string; port: number } | undefined {
  const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(v);
  const port = Number(m?.[2]);
  if (!m?.[1] || !Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  return { host: m[1].replace(/^\[|\]$/g, ''), port };
}

/** The Redis target's keys of the environment schema (spread into src/config.ts's `configSchema`). */
export const redisTargetEnv = {
  REDIS_URL: z
    .string()
    .default('redis://127.0.0.1:6379')
    .refine((v) => /^rediss?:\/\//.test(v), { message: 'must start with redis:// or rediss://' }),
  /**
   * Redis Sentinel (README「Redis Sentinel」): the sentinels as `host:port` separated by commas, with
   * REDIS_SENTINEL_NAME (the master group's name); every connection then asks them for the master and REDIS_URL is
   * not used (https://github.com/redis/ioredis#sentinel).
   */
  REDIS_SENTINELS: commaList().refine((list) => list.every((v) => parseHostPort(v) !== undefined), {
    message: 'must be host:port separated by commas, e.g. 10.0.0.1:26379,10.0.0.2:26379,10.0.0.3:26379',
  }),
  REDIS_SENTINEL_NAME: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._-]*$/, { message: 'letters, digits, . _ - only (the name in sentinel.conf\'s `sentinel monitor <name> …`)' })
    .optional()
    .transform((v) => (v ? v : undefined)),
  /**
   * Redis Cluster (README「Redis Cluster」): some of the cluster's nodes as `host:port` separated by commas; ioredis
   * learns the rest from them (https://github.com/redis/ioredis#cluster). REDIS_URL and the sentinels are then not used;
   * REDIS_PASSWORD is the nodes' password.
   */
  REDIS_CLUSTER_NODES: commaList().refine((list) => list.every((v) => parseHostPort(v) !== undefined), {
    message: '应为逗号分隔的 主机:端口，例如 10.0.0.1:7001,10.0.0.2:7002,10.0.0.3:7003',
  }),
  /** The sentinels' own password (`requirepass` in sentinel.conf), when they have one. */
  REDIS_SENTINEL_PASSWORD: optionalSecret,
  /** With REDIS_SENTINELS: the master's and replicas' password (with REDIS_URL it is part of the URL). */
  REDIS_PASSWORD: optionalSecret,
};

type RedisTargetValues = Readonly<z.infer<ReturnType<typeof z.object<typeof redisTargetEnv>>>>;

/** The checks across the Redis target's keys, one line per problem (loadConfig reports them with the others). */
export function redisTargetProblems(c: RedisTargetValues): string[] {
  const lines: string[] = [];
  if ((c.REDIS_SENTINELS.length > 0) !== Boolean(c.REDIS_SENTINEL_NAME)) {
    lines.push('  REDIS_SENTINELS / REDIS_SENTINEL_NAME: set both or neither (the sentinels host:port,… and the master group\'s name)');
  }
  if (c.REDIS_CLUSTER_NODES.length > 0 && c.REDIS_SENTINELS.length > 0) {
    lines.push('  REDIS_CLUSTER_NODES / REDIS_SENTINELS: 只能设置其中一个（集群或哨兵）');
  }
  if (c.REDIS_SENTINEL_PASSWORD && c.REDIS_SENTINELS.length === 0) {
    lines.push('  REDIS_SENTINEL_PASSWORD: only used with REDIS_SENTINELS');
  }
  return lines;
}
