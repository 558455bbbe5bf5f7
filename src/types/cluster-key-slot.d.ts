/**
 * cluster-key-slot (https://github.com/luin/cluster-key-slot, the slot function ioredis itself uses): the hash slot
 * of a key, its hash tag honoured (https://redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/#hash-tags).
 */
declare module 'cluster-key-slot' {
  function calculateSlot(key: string): number;
  export = calculateSlot;
}
