import { Queue } from 'bullmq';
import pino from 'pino';
import { parseHostPort } from '../../src/config';
import { PlanContexts } from '../../src/app/plan-context';
import { parseQuietHours } from '../../src/domain/quiet-hours';
import { createQueues, queueBullPrefix, type QueueSet } from '../../src/queue/queues';
import { ReminderPlanner } from '../../src/queue/reminder-planner';
import { ChatRepo } from '../../src/store/chat-repo';
import { DutyRepo } from '../../src/store/duty-repo';
import { defaultCalendar } from '../../src/store/holiday-files';
import { keyPrefixes, recordKeys } from '../../src/store/key-prefixes';
import { createRedis, createWorkerRedis, TxPool, type StoreConnection } from '../../src/store/redis';
import { SeriesRepo } from '../../src/store/series-repo';
import { CLUSTER_NODES } from '../cluster/cluster-env';

/**
 * The fault suite's Store (test/faults/support.ts) on the Redis Cluster of the cluster suite: the same repositories
 * and planner, on a cluster connection and under the prefixes a bot with REDIS_CLUSTER_NODES uses
 * (src/store/key-prefixes.ts), so it seeds and reads what the bot processes see.
 */
export class ClusterStore {
  readonly redis: StoreConnection;
  readonly duties: DutyRepo;
  readonly chats: ChatRepo;
  readonly series: SeriesRepo;
  readonly queues: QueueSet;
  readonly planner: ReminderPlanner;
  private readonly tx: TxPool;
  private readonly queueRedis: StoreConnection;

  /** `nodes`: REDIS_CLUSTER_NODES of the cluster (the cluster suite's by default). */
  constructor(
    readonly prefix: string,
    nodes = CLUSTER_NODES,
  ) {
    const target = { cluster: nodes.split(',').flatMap((v) => parseHostPort(v) ?? []) };
    const prefixes = keyPrefixes(prefix, true);
    // Commands wait for the cluster to be ready rather than fail at once (the bot's store fails fast instead).
    this.redis = createRedis(target, { enableOfflineQueue: true });
    this.redis.on('error', () => undefined);
    this.tx = new TxPool(this.redis);
    const keys = recordKeys(prefix, true);
    this.duties = new DutyRepo(this.redis, this.tx, keys);
    this.chats = new ChatRepo(this.redis, keys);
    this.series = new SeriesRepo(this.redis, this.tx, keys);
    this.queueRedis = createWorkerRedis(target);
    this.queueRedis.on('error', () => undefined);
    this.queues = createQueues(this.queueRedis, prefixes.queues);
    for (const q of [this.queues.reminders, this.queues.cards, this.queues.inbound, this.queues.series]) q.on('error', () => undefined);
    // The same plan context as the bot's with DEFAULT_QUIET_HOURS=off, so both derive the same job ids.
    const contexts = new PlanContexts(this.chats, defaultCalendar(), 'Asia/Shanghai', parseQuietHours('off'));
    this.planner = new ReminderPlanner(this.queues.reminders, contexts, pino({ level: 'silent' }));
  }

  /** A Queue handle on one of the bot's queues on the cluster; `close()` frees it. */
  queue(name: string): { queue: Queue; close(): Promise<void> } {
    const queue = new Queue(name, { connection: this.queueRedis, prefix: queueBullPrefix(keyPrefixes(this.prefix, true).queues, name) });
    queue.on('error', () => undefined);
    return { queue, close: () => queue.close().catch(() => undefined) };
  }

  async close(): Promise<void> {
    await this.queues.close().catch(() => undefined);
    await this.tx.close().catch(() => undefined);
    this.queueRedis.disconnect();
    this.redis.disconnect();
  }
}
