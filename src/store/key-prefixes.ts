import type { Config } from '../config';
import { Keys } from './keys';

/**
 * Where the keys go: the records' prefix (src/store/keys.ts `Keys`) and the prefix each queue's BullMQ keys
 * (`<prefix>:bull:<queue>:…`, src/queue/queues.ts) are built on.
 *
 * Standalone and Sentinel: both are REDIS_KEY_PREFIX as it is, so existing data keeps its key names.
 *
 * Redis Cluster: a script, MULTI or pipeline may only touch keys of one hash slot, and a key's slot is that of the
 * text inside its first `{…}` (https://redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/#hash-tags).
 * The records are spread by chat: every key of a chat, of its duties and of its series carries the chat's bucket tag
 * `{<prefix>:<bucket>}` (a duty's id starts with its chat's bucket), so each of the store's scripts and MULTIs, which
 * touch one chat and its duties, stays in one slot; families scripts touch together have a tag each
 * (`{<prefix>:units}`, `{<prefix>:sandbox}`, `{<prefix>:pace}`), and the rest (indexes across chats, campaigns,
 * settings, dedupe marks) stays under `{<prefix>}` (`records` below). Each BullMQ queue gets a tag of its own,
 * `{<prefix>:<queue>}`, as BullMQ documents for clusters — a queue's scripts touch only that queue's keys, and
 * different tags spread the queues over the masters (https://docs.bullmq.io/patterns/redis-cluster).
 * A prefix that already holds a `{…}` tag is used as it is, for the records (all in that one slot) and every queue.
 */
/** One key prefix for every queue, or one per queue (its own hash tag on a Redis Cluster). */
export type QueuePrefix = string | ((queue: string) => string);

export interface KeyPrefixes {
  readonly records: string;
  readonly queues: QueuePrefix;
}

export function keyPrefixes(prefix: string, cluster: boolean): KeyPrefixes {
  if (!cluster || /\{[^}]+\}/.test(prefix)) return { records: prefix, queues: prefix };
  return { records: `{${prefix}}`, queues: (queue: string) => `{${prefix}:${queue}}` };
}

/** The configured process's prefixes: tagged when REDIS_CLUSTER_NODES is set. */
export const configPrefixes = (config: Pick<Config, 'REDIS_KEY_PREFIX' | 'REDIS_CLUSTER_NODES'>): KeyPrefixes =>
  keyPrefixes(config.REDIS_KEY_PREFIX, config.REDIS_CLUSTER_NODES.length > 0);

/**
 * The records' key builder (src/store/keys.ts): on a cluster with an untagged prefix, per-chat keys are spread by
 * their chat's bucket (`{<prefix>:<bucket>}`) and the rest stay under `{<prefix>}`; otherwise the prefix as it is.
 */
export function recordKeys(prefix: string, cluster: boolean): Keys {
  const { records } = keyPrefixes(prefix, cluster);
  return records === prefix ? new Keys(prefix) : new Keys(records, { base: prefix });
}

/** The configured process's record keys. One per process: the legacy buckets are loaded into it at start. */
export const configRecordKeys = (config: Pick<Config, 'REDIS_KEY_PREFIX' | 'REDIS_CLUSTER_NODES'>): Keys =>
  recordKeys(config.REDIS_KEY_PREFIX, config.REDIS_CLUSTER_NODES.length > 0);
