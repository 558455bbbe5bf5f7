import type { Config } from '../config';

/**
 * Where the keys go: the records' prefix (src/store/redis.ts `Keys`) and the prefix BullMQ's `<prefix>:bull` is
 * built on (src/queue/queues.ts `bullPrefix`).
 *
 * Standalone and Sentinel: both are REDIS_KEY_PREFIX as it is, so existing data keeps its key names.
 *
 * Redis Cluster: a script, MULTI or pipeline may only touch keys of one hash slot, and a key's slot is that of the
 * text inside its first `{…}` (https://redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/#hash-tags).
 * Several of the store's scripts span chats and duties together (CREATE_DUTIES writes a campaign's duties in many
 * chats, their chats' counters and the global open index in one step), so every record key carries the one tag
 * `{<prefix>}`: every script and MULTI stays atomic exactly as on one Redis. BullMQ's keys get a tag of their own,
 * `{<prefix>:queues}`, as BullMQ documents for clusters (https://docs.bullmq.io/guide/redis-cluster,
 * https://docs.bullmq.io/bull/patterns/redis-cluster): each queue's scripts touch only that queue's keys, and the
 * queues (the bulk of the memory: one hash per pending reminder) live on another slot than the records.
 * A prefix that already holds a `{…}` tag is used as it is, for both.
 */
export interface KeyPrefixes {
  readonly records: string;
  readonly queues: string;
}

export function keyPrefixes(prefix: string, cluster: boolean): KeyPrefixes {
  if (!cluster || /\{[^}]+\}/.test(prefix)) return { records: prefix, queues: prefix };
  return { records: `{${prefix}}`, queues: `{${prefix}:queues}` };
}

/** The configured process's prefixes: tagged when REDIS_CLUSTER_NODES is set. */
export const configPrefixes = (config: Pick<Config, 'REDIS_KEY_PREFIX' | 'REDIS_CLUSTER_NODES'>): KeyPrefixes =>
  keyPrefixes(config.REDIS_KEY_PREFIX, config.REDIS_CLUSTER_NODES.length > 0);
