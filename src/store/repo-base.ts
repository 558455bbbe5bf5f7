import type { StoreConnection } from './redis-cluster';
import { warnDamaged, type DamageReport } from './records';
import { Keys } from './redis';

/**
 * What every Redis store of src/store holds: its connection and the records' key builder (src/store/keys.ts), built
 * from a prefix or shared (one per process: src/store/key-prefixes.ts).
 */
export abstract class RedisStore {
  protected readonly keys: Keys;

  constructor(
    protected readonly redis: StoreConnection,
    prefix: string | Keys,
  ) {
    this.keys = Keys.of(prefix);
  }
}

/** A repository of JSON records: what it reads back is parsed, and lists report the records they leave out (src/store/records.ts). */
export abstract class RecordRepo extends RedisStore {
  constructor(
    redis: StoreConnection,
    prefix: string | Keys,
    /** Where the records left out (they do not parse) are reported. */
    protected readonly report: DamageReport = warnDamaged,
  ) {
    super(redis, prefix);
  }
}
