import { chatKey, type ChatRef } from '../domain/types';
import type { StoreConnection } from './redis-cluster';
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

/**
 * One pipeline per tag, the tags in parallel: `add` puts `per` commands for an item in the pipeline; the replies come
 * back `per` to an item, in the order of `items`.
 */
export async function pipelineByTag<T>(redis: StoreConnection, items: readonly T[], tagOf: (item: T) => string, per: number, add: (pipeline: Pipeline, item: T) => void): Promise<unknown[][]> {
  return mapByTag(items, tagOf, async (group) => {
    const pipeline = redis.pipeline();
    for (const item of group) add(pipeline, item);
    const replies = await execPipeline(pipeline);
    return group.map((_, i) => replies.slice(per * i, per * i + per));
  });
}

/** The tag of a chat's slot ('' on one Redis). */
export const chatTag = (keys: Keys, chat: ChatRef): string => keys.tag(bucket(chatKey(chat)));
