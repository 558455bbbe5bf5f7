import { chatKey, type ChatRef } from '../domain/types';
import calculateSlot from 'cluster-key-slot';
import { isCluster, type StoreConnection } from './redis-cluster';
import { bucket, type Keys } from './keys';
import { execPipeline } from './redis';

/*
 * Batch reads over records of many chats. On a Redis Cluster a multi-key command must name keys of one hash slot
 * (https://redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/#hash-tags), and an ioredis pipeline
 * must stay on one node (https://github.com/redis/ioredis#transaction-and-pipeline-in-cluster-mode): the ids are
 * grouped by their bucket's tag (src/store/keys.ts), one command per group, the groups in parallel. On one Redis
 * every tag is '' and this is one command, as before.
 */

/** `items` grouped by `tagOf`, each group in the order given, with each item's position in `items`. */
export function groupBy<T>(items: readonly T[], tagOf: (item: T) => string): { items: T[]; at: number[] }[] {
  const groups = new Map<string, { items: T[]; at: number[] }>();
  items.forEach((item, i) => {
    const tag = tagOf(item);
    const group = groups.get(tag) ?? { items: [], at: [] };
    group.items.push(item);
    group.at.push(i);
    groups.set(tag, group);
  });
  return [...groups.values()];
}

/** MGET of `keyOf(id)` for each id, one MGET per bucket: the values in the order of `ids`. */
export async function mgetByRecord(redis: StoreConnection, keys: Keys, ids: readonly string[], keyOf: (id: string) => string): Promise<(string | null)[]> {
  return mapByRecord(keys, ids, async (group) => redis.mget(...group.map(keyOf)));
}

/** `read` once per bucket of duty or series ids (`read` answers one value per id given): the values in the order of `ids`. */
export async function mapByRecord<R>(keys: Keys, ids: readonly string[], read: (group: string[]) => Promise<R[]>): Promise<R[]> {
  return mapByTag(ids, (id) => keys.tag(keys.bucketOfId(id)), read);
}

/** `read` once per tag: the values in the order of `items`. */
export async function mapByTag<T, R>(items: readonly T[], tagOf: (item: T) => string, read: (group: T[]) => Promise<R[]>): Promise<R[]> {
  if (items.length === 0) return [];
  const groups = groupBy(items, tagOf);
  const out: R[] = new Array<R>(items.length);
  await Promise.all(
    groups.map(async (group) => {
      const values = await read(group.items);
      group.at.forEach((position, i) => {
        out[position] = values[i] as R;
      });
    }),
  );
  return out;
}

type Pipeline = ReturnType<StoreConnection['pipeline']>;

/** One pipeline of `per` commands an item: the replies, `per` to an item, in the order of `group`. */
async function onePipeline<T>(redis: StoreConnection, group: readonly T[], per: number, add: (pipeline: Pipeline, item: T) => void): Promise<unknown[][]> {
  const pipeline = redis.pipeline();
  for (const item of group) add(pipeline, item);
  const replies = await execPipeline(pipeline);
  return group.map((_, i) => replies.slice(per * i, per * i + per));
}

/**
 * The nodes serving a tag's slot as ioredis has them (`Cluster.slots`, master first), or the tag itself when the slot
 * map is not known: an ioredis pipeline may span the slots of one node
 * (https://github.com/redis/ioredis/blob/main/lib/Pipeline.ts, `exec`: "All keys in the pipeline should belong to the
 * same slots allocation group").
 */
export const nodesOf = (redis: StoreConnection, tag: string): string => (isCluster(redis) ? (redis.slots[calculateSlot(tag)]?.join(',') ?? tag) : tag);

/**
 * `add` puts `per` commands for an item in a pipeline; the replies come back `per` to an item, in the order of
 * `items`. On a cluster one pipeline per node (a bulk creation's 200 chats are 200 tags but 3 masters: 200 pipelines
 * were most of its extra cost over one Redis, bench:schedule); a node's pipeline that fails (the slot map changed
 * under it: a failover, a resharding) is sent again one tag at a time, as ioredis then routes each.
 */
export async function pipelineByTag<T>(redis: StoreConnection, items: readonly T[], tagOf: (item: T) => string, per: number, add: (pipeline: Pipeline, item: T) => void): Promise<unknown[][]> {
  return mapByTag(
    items,
    (item) => nodesOf(redis, tagOf(item)),
    async (group) => {
      try {
        return await onePipeline(redis, group, per, add);
      } catch (err) {
        if (!isCluster(redis)) throw err;
        return mapByTag(group, tagOf, (tagged) => onePipeline(redis, tagged, per, add));
      }
    },
  );
}

/** The tag of a chat's slot ('' on one Redis). */
export const chatTag = (keys: Keys, chat: ChatRef): string => keys.tag(bucket(chatKey(chat)));
