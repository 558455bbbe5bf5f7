import calculateSlot from 'cluster-key-slot';

/*
 * On a cluster, ioredis checks that the keys of each command of a pipeline share a slot, with
 * `calculateSlot.generateMulti(keys)` (https://github.com/redis/ioredis/blob/main/lib/Pipeline.ts, `exec`), and
 * cluster-key-slot works a key's slot out from the UTF-8 bytes of the whole key each time
 * (https://github.com/luin/cluster-key-slot/blob/master/lib/index.js, `generate`): the 8 keys of every BullMQ job, the
 * 10 of every chat's creation script. That was 16% of a bulk creation's node CPU on the cluster (bench:schedule with
 * BENCH_SCHEDULE_REDIS=cluster; bench/lib/profile-create.ts with REDIS_CLUSTER_NODES).
 *
 * A key with a hash tag has the tag's slot (https://redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/#hash-tags:
 * the text between the first `{` and the first `}` after it, when not empty), and on a cluster every key the bot
 * writes is tagged (src/store/key-prefixes.ts). So `installSlotMemo` replaces that one property, once, with a
 * function that gives the same answer for every key (test/unit/slot-memo.test.ts) but remembers each tag's slot.
 * ioredis's other slot lookups (a command's first key) call the module function itself and are left as they are.
 */

const original = calculateSlot;
const originalMulti = calculateSlot.generateMulti;
const tagSlots = new Map<string, number>();
/** Tags remembered (chat buckets, queues, families): cleared when full. */
const TAGS_KEPT = 100_000;

/** The hash slot of `key`, as cluster-key-slot gives it. */
export function slotOf(key: string | Buffer): number {
  if (typeof key !== 'string') return original(key);
  const open = key.indexOf('{');
  if (open < 0) return original(key);
  const close = key.indexOf('}', open + 1);
  if (close <= open + 1) return original(key);
  // `{` and `}` are single bytes in UTF-8 and never part of another character's bytes: the tag's text is its bytes.
  const tag = key.slice(open + 1, close);
  let slot = tagSlots.get(tag);
  if (slot === undefined) {
    slot = original(tag);
    if (tagSlots.size >= TAGS_KEPT) tagSlots.clear();
    tagSlots.set(tag, slot);
  }
  return slot;
}

/** cluster-key-slot's `generateMulti` through `slotOf`: the keys' common slot, or -1. */
export function slotOfAll(keys: readonly (string | Buffer)[]): number {
  const first = keys[0];
  if (first === undefined) return originalMulti(keys);
  const base = slotOf(first);
  for (let i = 1; i < keys.length; i++) if (slotOf(keys[i] as string | Buffer) !== base) return -1;
  return base;
}

/** Put `slotOfAll` where ioredis looks for `generateMulti` (process-wide; called when a cluster connection is made). */
export function installSlotMemo(): void {
  calculateSlot.generateMulti = slotOfAll;
}
