import type { Cluster, Redis } from 'ioredis';
import { isCluster, type StoreConnection } from './redis-cluster';

/** A master of the cluster that did not answer the probe: `host:port` and why. */
export interface FailedMaster {
  readonly node: string;
  readonly error: string;
}

/** What the readiness probe found: ok, or the masters that did not answer (and slots no master serves, if any). */
export type StoreProbe =
  | { readonly ok: true }
  | { readonly ok: false; readonly failedMasters: readonly FailedMaster[]; readonly uncoveredSlots: number };

/** The hash slots of a Redis Cluster (https://redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/#key-distribution-model). */
const SLOTS = 16384;

const nodeKey = (redis: Redis): string => `${redis.options.host ?? ''}:${redis.options.port ?? ''}`;

/** `work`, or a rejection after `timeoutMs`. */
async function within<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)));
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function ping(redis: Redis | undefined, timeoutMs: number): Promise<string | undefined> {
  if (!redis) return 'not connected';
  try {
    const answer = await within(redis.ping(), timeoutMs);
    return answer === 'PONG' ? undefined : `answered ${answer}`;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/**
 * Every master of the current slot map, each sent one PING on its own connection, all at once, each given up after
 * `timeoutMs`. Records are tagged by chat (src/store/keys.ts), so any master can hold a chat's records: the
 * cluster is ready only when all of them answer. The masters are those ioredis connects to
 * (`cluster.nodes('master')`) and those its slot map names (`cluster.slots`: per slot, the master's `host:port`
 * first), so a master whose connection ended (ioredis drops a lost node's connection and waits for a MOVED to
 * refresh the map: https://github.com/redis/ioredis/blob/main/lib/cluster/ConnectionPool.ts) still counts, as
 * does a slot no master serves. ioredis refreshes its slot map only on a MOVED or a failed command unless
 * `slotsRefreshInterval` is set (https://github.com/redis/ioredis/blob/main/lib/cluster/ClusterOptions.ts), so
 * after a failure the probe asks for a refresh: the next probe sees a replica the cluster promoted meanwhile
 * (https://github.com/redis/ioredis/blob/main/lib/cluster/index.ts, `refreshSlotsCache`).
 */
export async function probeMasters(cluster: Cluster, timeoutMs: number): Promise<StoreProbe> {
  const connected = new Map(cluster.nodes('master').map((redis) => [nodeKey(redis), redis]));
  const masters = new Set(connected.keys());
  let uncoveredSlots = 0;
  for (let slot = 0; slot < SLOTS; slot++) {
    const master = cluster.slots[slot]?.[0];
    if (master) masters.add(master);
    else uncoveredSlots++;
  }
  const answers = await Promise.all([...masters].map(async (node) => ({ node, error: await ping(connected.get(node), timeoutMs) })));
  const failedMasters = answers.flatMap(({ node, error }) => (error === undefined ? [] : [{ node, error }]));
  if (failedMasters.length === 0 && uncoveredSlots === 0) return { ok: true };
  cluster.refreshSlotsCache();
  return { ok: false, failedMasters, uncoveredSlots };
}

/**
 * Whether the store answers, for /readyz: PING on one Redis (REDIS_URL, or the master the sentinels name); on a
 * cluster, a PING to every master (probeMasters).
 */
export async function probeStore(conn: StoreConnection, timeoutMs = 1000): Promise<StoreProbe> {
  if (isCluster(conn)) return probeMasters(conn, timeoutMs);
  return (await conn.ping()) === 'PONG' ? { ok: true } : { ok: false, failedMasters: [], uncoveredSlots: 0 };
}
