import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { QueuePrefix } from '../store/key-prefixes';
import { platformBackoff } from './backoff';
import { WorkerWatchdog, watchdogSettings, type Slot, type WatchdogSettings } from './worker-watchdog';
import {
  CARD_QUEUE,
  INBOUND_QUEUE,
  MINUTES_QUEUE,
  REMINDER_QUEUE,
  RETENTION,
  SERIES_QUEUE,
  SIGNIN_QUEUE,
  TALLY_QUEUE,
  queueBullPrefix,
  type CardJob,
  type InboundJob,
  type MinutesJob,
  type ReminderJob,
  type SeriesJob,
  type SigninJob,
  type TallyJob,
} from './queues';

export interface WorkerSet {
  readonly reminders: Worker<ReminderJob, string>;
  readonly cards: Worker<CardJob, string>;
  readonly inbound: Worker<InboundJob, string>;
  readonly series: Worker<SeriesJob, string>;
  /** Only when DingTalk is on. */
  readonly tally?: Worker<TallyJob, string>;
  /** Reminders of missing minutes (given by the bot; tools may leave it out). */
  readonly minutes?: Worker<MinutesJob, string>;
  /** Sign-in windows opening and ending (given by the bot's workers). */
  readonly signin?: Worker<SigninJob, string>;
  close(): Promise<void>;
  running(): boolean;
}

/**
 * Start the workers, all with the platform backoff (the strategy every job's `backoff` names), the same retention
 * and the same metrics; every failure is logged once here (the funnel for job errors). A watchdog replaces a worker
 * whose blocking connection stays wedged (src/queue/worker-watchdog.ts): the set's properties name the worker in
 * service, and `close()` closes the replacements too.
 */
export function startWorkers(options: {
  connection: ConnectionOptions;
  keyPrefix: QueuePrefix;
  concurrency: number;
  reminder: (job: Job<ReminderJob>) => Promise<string>;
  card: (job: Job<CardJob>) => Promise<string>;
  inbound: (job: Job<InboundJob>) => Promise<string>;
  series: (job: Job<SeriesJob>) => Promise<string>;
  /** DingTalk's deferred tally posts (given when DingTalk is on). */
  tally?: (job: Job<TallyJob>) => Promise<string>;
  minutes?: (job: Job<MinutesJob>) => Promise<string>;
  signin?: (job: Job<SigninJob>) => Promise<string>;
  /** The watchdog that replaces a worker whose blocking connection is wedged (src/queue/worker-watchdog.ts). */
  watchdog?: WatchdogSettings;
  metrics: Metrics;
  log: Logger;
}): WorkerSet {
  const prefix = (queue: string): string => queueBullPrefix(options.keyPrefix, queue);
  const common = { connection: options.connection, settings: { backoffStrategy: platformBackoff }, ...RETENTION };
  const watchdog = new WorkerWatchdog(options.watchdog ?? watchdogSettings(15), options.log, (queue) => options.metrics.workerRestarts.inc({ queue }));
  const all: { readonly queue: string; readonly current: () => { isRunning(): boolean } }[] = [];
  /** A worker of `queue`, built again with the same processor and options when the watchdog replaces it. */
  const supervise = <D>(queue: string, processor: (job: Job<D>) => Promise<string>, concurrency: number): Slot<Worker<D, string>> => {
    const slot = watchdog.supervise(queue, () => wire(queue, new Worker<D, string>(queue, processor, { ...common, prefix: prefix(queue), concurrency })));
    all.push({ queue, current: () => slot.current() });
    return slot;
  };
  /** Every failure is logged once here (the funnel for job errors), every outcome counted. */
  const wire = <D>(queue: string, worker: Worker<D, string>): Worker<D, string> => {
    const log = options.log.child({ queue });
    worker.on('completed', (job, outcome) => {
      options.metrics.jobs.inc({ queue, outcome: String(outcome).split(' ')[0] });
      const data: unknown = job.data;
      if (queue === REMINDER_QUEUE && outcome === 'sent' && typeof data === 'object' && data !== null && 'dueAt' in data && typeof data.dueAt === 'number') {
        options.metrics.reminderLateness.observe(Math.max(0, (job.processedOn ?? Date.now()) - data.dueAt) / 1000);
      }
    });
    worker.on('failed', (job, err) => {
      const final = !job || job.attemptsMade >= (job.opts.attempts ?? 1) || err.name === 'UnrecoverableError';
      options.metrics.jobs.inc({ queue, outcome: final ? 'failed' : 'retry' });
      log[final ? 'error' : 'warn']({ jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, final ? 'job failed for good' : 'job failed, will retry');
    });
    worker.on('error', (err) => log.error({ err: err.message }, 'worker error'));
    return worker;
  };
  const reminders = supervise(REMINDER_QUEUE, options.reminder, options.concurrency);
  const cards = supervise(CARD_QUEUE, options.card, options.concurrency);
  const inbound = supervise(INBOUND_QUEUE, options.inbound, options.concurrency);
  const series = supervise(SERIES_QUEUE, options.series, 2);
  const tally = options.tally ? supervise(TALLY_QUEUE, options.tally, Math.min(options.concurrency, 20)) : undefined;
  const minutes = options.minutes ? supervise(MINUTES_QUEUE, options.minutes, 2) : undefined;
  const signin = options.signin ? supervise(SIGNIN_QUEUE, options.signin, Math.min(options.concurrency, 20)) : undefined;
  watchdog.start();
  return {
    get reminders() {
      return reminders.current();
    },
    get cards() {
      return cards.current();
    },
    get inbound() {
      return inbound.current();
    },
    get series() {
      return series.current();
    },
    // Getters, not spread values: a spread would keep the first worker after the watchdog replaced it.
    get tally() {
      return tally?.current();
    },
    get minutes() {
      return minutes?.current();
    },
    get signin() {
      return signin?.current();
    },
    running: () => all.every(({ current }) => current().isRunning()),
    close: () => watchdog.close(),
  };
}
