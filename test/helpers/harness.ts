import { randomUUID } from 'node:crypto';
import { Cluster, Redis } from 'ioredis';
import pino from 'pino';
import { Bot } from '../../src/bot';
import { loadConfig, type Config } from '../../src/config';
import type { Logger } from '../../src/logger';
import { queueBullPrefix } from '../../src/queue/queues';
import { configPrefixes, configRecordKeys } from '../../src/store/key-prefixes';
import type { Keys } from '../../src/store/keys';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * The cluster suite (`npm run test:cluster`, jest.cluster.config.js) sets REDIS_CLUSTER_NODES: the bots the tests
 * build then run on that Redis Cluster (test/helpers/redis-cluster.sh) instead of REDIS_URL.
 */
export const REDIS_CLUSTER_NODES = process.env.REDIS_CLUSTER_NODES ?? '';
/**
 * The sentinel suite (`npm run test:sentinel`, jest.sentinel.config.js) sets REDIS_SENTINELS and REDIS_SENTINEL_NAME:
 * the bots then find their Redis by asking the sentinels (test/helpers/redis-sentinel.sh), and REDIS_URL names the
 * same master for the tests' own connections.
 */
const SENTINEL_TARGET = process.env.REDIS_SENTINELS && process.env.REDIS_SENTINEL_NAME
  ? { REDIS_SENTINELS: process.env.REDIS_SENTINELS, REDIS_SENTINEL_NAME: process.env.REDIS_SENTINEL_NAME }
  : undefined;

const clusterNodes = (): { host: string; port: number }[] =>
  REDIS_CLUSTER_NODES.split(',')
    .filter(Boolean)
    .map((v) => ({ host: v.slice(0, v.lastIndexOf(':')), port: Number(v.slice(v.lastIndexOf(':') + 1)) }));

/** A unique key prefix per test, so tests can run side by side on one Redis. */
export const uniquePrefix = (): string => `test-${randomUUID().slice(0, 8)}`;

export function testConfig(overrides: Record<string, string> = {}): Config {
  // A test that names its own REDIS_URL (a private redis-server it kills) keeps it, cluster or sentinel suite or not.
  const own = 'REDIS_URL' in overrides;
  const cluster = REDIS_CLUSTER_NODES && !own ? { REDIS_CLUSTER_NODES } : {};
  const sentinel = SENTINEL_TARGET && !own ? SENTINEL_TARGET : {};
  return loadConfig({
    NODE_ENV: 'test',
    REDIS_URL,
    ...cluster,
    ...sentinel,
    REDIS_KEY_PREFIX: uniquePrefix(),
    LOG_LEVEL: 'silent',
    PORT: '0',
    // 第一党支部 alone: the full demo's other chats would join every 范围 全部 campaign of the tests that build their own.
    SANDBOX_DEMO: 'branch',
    ...overrides,
  });
}

export const silentLogger = (): Logger => pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/** A controllable clock for domain times (BullMQ delays still run on real time). */
export class TestClock {
  constructor(public t: number) {}
  now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

/**
 * Delete every key under a prefix (the store's and BullMQ's), on the shared Redis or another local one. On the cluster
 * suite (REDIS_CLUSTER_NODES, and no other `url` given) every master of the cluster is scanned too, for the plain
 * prefix and for the tagged ones the bot uses there (src/store/key-prefixes.ts); keys are deleted one by one (a DEL
 * of several keys must not cross slots).
 */
export async function removePrefix(prefix: string, url?: string): Promise<void> {
  // On the cluster suite a test may still have written through a raw connection to REDIS_URL: both are cleaned.
  if (REDIS_CLUSTER_NODES && url === undefined) await removeClusterPrefix(prefix);
  const redis = new Redis(url ?? REDIS_URL, { maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined); // a Redis the test has just killed: the command fails, the handler keeps quiet
  try {
    await removeOnNode(redis, [`${prefix}:*`], false);
  } finally {
    redis.disconnect();
  }
}

/** SCAN `redis` for each pattern and delete what it finds: in one DEL, or (a cluster's node) one UNLINK per key. */
async function removeOnNode(redis: Redis, patterns: readonly string[], oneByOne = true): Promise<void> {
  for (const pattern of patterns) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', '1000');
      cursor = next;
      if (keys.length > 0) await (oneByOne ? Promise.all(keys.map((key) => redis.unlink(key))) : redis.del(...keys));
    } while (cursor !== '0');
  }
}

/**
 * SCAN patterns of every key a bot with REDIS_KEY_PREFIX `prefix` writes, standalone or on the cluster (tagged
 * `{prefix}` and `{prefix:<queue>}`, src/store/key-prefixes.ts). `[{]` matches a literal brace
 * (https://redis.io/docs/latest/commands/keys/).
 */
export const keyPatterns = (prefix: string): string[] => [`${prefix}:*`, `[{]${prefix}[}]:*`, `[{]${prefix}:*[}]:*`];

/** The prefix of a bot's record keys: REDIS_KEY_PREFIX, tagged `{…}` on the cluster (src/store/key-prefixes.ts). */
export const recordPrefix = (config: Config): string => configPrefixes(config).records;

/** The bot's record key builder: per-chat keys carry their chat's bucket tag on the cluster (src/store/keys.ts). */
export const recordKeys = (config: Config): Keys => configRecordKeys(config);

/**
 * A KEYS pattern of the records `<rel>` (e.g. `rating:*`), wherever their tag puts them: `<prefix>:<rel>` on one
 * Redis; `{<prefix>}:<rel>` or `{<prefix>:<bucket>}:<rel>` on the cluster (`[{]` matches a literal brace).
 */
export const recordPattern = (config: Config, rel: string): string =>
  configRecordKeys(config).spreads ? `[{]${config.REDIS_KEY_PREFIX}*[}]:${rel}` : `${recordPrefix(config)}:${rel}`;

/** The prefix BullMQ's keys of a bot's queue `queue` have (`<prefix>:bull`, tagged per queue on the cluster). */
export const bullKeyPrefix = (config: Config, queue: string): string => queueBullPrefix(configPrefixes(config).queues, queue);

/** The keys matching `pattern` on the bot's Redis, or on every master of its cluster (KEYS goes to one node). */
export async function keysOf(conn: Redis | Cluster, pattern: string): Promise<string[]> {
  return (await Promise.all(scanTargets(conn).map((node) => node.keys(pattern)))).flat();
}

/** The connections to scan for keys: the connection itself, or every master of a cluster. */
export const scanTargets = (conn: Redis | Cluster): Redis[] => (conn instanceof Cluster ? conn.nodes('master') : [conn]);

async function removeClusterPrefix(prefix: string): Promise<void> {
  const cluster = new Cluster(clusterNodes(), { redisOptions: { maxRetriesPerRequest: 1 } });
  cluster.on('error', () => undefined);
  try {
    await new Promise<void>((resolve, reject) => {
      cluster.once('ready', () => resolve());
      cluster.once('end', () => reject(new Error('cluster connection ended')));
    });
    await Promise.all(cluster.nodes('master').map((node) => removeOnNode(node, keyPatterns(prefix))));
  } finally {
    cluster.disconnect();
  }
}

export interface StartedBot {
  readonly bot: Bot;
  readonly port: number;
  readonly baseUrl: string;
  readonly config: Config;
  stop(): Promise<void>;
}

/** Build and start a bot on a free port with its own prefix; `stop()` closes it and removes its keys. */
export async function startBot(options: { clock?: () => number; workers?: boolean; env?: Record<string, string> } = {}): Promise<StartedBot> {
  const config = testConfig(options.env);
  const bot = new Bot({
    config,
    log: silentLogger(),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.workers === false ? { workers: false } : {}),
  });
  const port = await bot.start(0, '127.0.0.1');
  return {
    bot,
    port,
    config,
    baseUrl: `http://127.0.0.1:${port}`,
    stop: async () => {
      await bot.stop();
      await removePrefix(config.REDIS_KEY_PREFIX);
    },
  };
}

/** Poll until `check` returns a value that is not undefined/false, or fail after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: T | undefined | false;
  while (Date.now() < until) {
    last = await check();
    if (last !== undefined && last !== false) return last;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
}
