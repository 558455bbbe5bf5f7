import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { QueueSet } from '../queue/queues';
import type { Keys } from '../store/keys';
import type { DamageReport } from '../store/records';
import type { TxPool } from '../store/redis';
import type { StoreConnection } from '../store/redis-cluster';
import type { CircularLinker } from './circular-service';
import type { RecordLinker } from './ledger-links';
import type { PointsLinker } from './points-links';
import type { RatingLinker } from './rating-links';
import type { ReportLinker } from './stats-service';

/** What the composition root (src/bot.ts) hands buildServices (src/app/build-services.ts). */
export interface ServiceDeps {
  readonly config: Config;
  readonly log: Logger;
  readonly clock: () => number;
  readonly redis: StoreConnection;
  readonly tx: TxPool;
  readonly queues: QueueSet;
  readonly metrics: Metrics;
  readonly reportLinks: ReportLinker & RecordLinker & PointsLinker & CircularLinker & RatingLinker;
  /** The records' key builder, one per process (src/store/keys.ts); else built from the config. */
  readonly keys?: Keys;
}

/** Where every area's repositories are opened: one connection and key builder, one report of damaged records. */
export interface StoreScope {
  readonly redis: StoreConnection;
  readonly tx: TxPool;
  readonly keys: Keys;
  /** Lists leave out records that do not parse and log each with its key (src/store/records.ts). */
  readonly damaged: DamageReport;
}
