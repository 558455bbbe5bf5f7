/**
 * cluster-key-slot (https://github.com/luin/cluster-key-slot, the slot function ioredis itself uses): the hash slot
 * of a key, its hash tag honoured (https://redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/#hash-tags);
 * `generateMulti`: the slot all the keys share, or -1 (https://github.com/luin/cluster-key-slot/blob/master/lib/index.js).
 */
declare module 'cluster-key-slot' {
  function calculateSlot(key: string | Buffer): number;
  namespace calculateSlot {
    // A property ioredis reads at each call (src/store/slot-memo.ts replaces it).
    let generateMulti: (keys: readonly (string | Buffer)[]) => number;
  }
  export = calculateSlot;
}
