import type { Redis } from 'ioredis';
import { bucket, type Keys } from '../keys';
import { isCluster, type StoreConnection } from '../redis-cluster';

/**
 * Where a prefix's records are, for export and import (src/store/backup/): on one Redis, that server; on a Redis
 * Cluster, every master, since the records are spread over the slots by chat (src/store/keys.ts). Keys are read
 * per node (SCAN, CLIENT PAUSE and DUMP go to a node) and written through the connection, which routes each key to
 * its slot's master (https://github.com/redis/ioredis#cluster).
 */
export interface RecordSpace {
  readonly conn: StoreConnection;
  readonly nodes: readonly Redis[];
  readonly keys: Keys;
}

export const recordSpace = (conn: StoreConnection, keys: Keys): RecordSpace => ({ conn, nodes: isCluster(conn) ? conn.nodes('master') : [conn], keys });

/** The legacy-bucket hash (src/store/keys.ts): ids that do not start with their chat's bucket → that bucket. */
export const LEGACY_BUCKETS = 'legacy-bucket';

/** A chat's index of its duties (`chat:C:all`) or series (`chat:C:series`), relative to the prefix: C, or undefined. */
export function chatOfIndex(relative: string): string | undefined {
  const m = /^chat:([^:]+:[^:]+):(all|series)$/.exec(relative);
  return m?.[1];
}

/**
 * After a chat's indexes are restored (on a cluster): the ids of its duties and series that do not start with the
 * chat's bucket (made before ids carried it), with the chat's bucket.
 */
export async function legacyBuckets(space: RecordSpace, chats: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const chat of chats) {
    const [duties, series] = await Promise.all([space.conn.zrange(space.keys.chat(chat, 'all'), '0', '-1'), space.conn.hvals(space.keys.chat(chat, 'series'))]);
    const b = bucket(chat);
    for (const id of [...duties, ...series]) if (id.slice(0, 4) !== b) out.set(id, b);
  }
  return out;
}

/** The legacy buckets an import wrote (on a cluster), loaded into the process's key builder at start. */
export async function loadLegacyBuckets(conn: StoreConnection, keys: Keys): Promise<number> {
  if (!keys.spreads) return 0;
  const legacy = new Map(Object.entries(await conn.hgetall(keys.k(LEGACY_BUCKETS))));
  keys.useLegacyBuckets(legacy);
  return legacy.size;
}
