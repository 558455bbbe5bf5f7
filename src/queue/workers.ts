import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { QueuePrefix } from '../store/key-prefixes';
import { platformBackoff } from './backoff';
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

type AnyWorker =
  | Worker<ReminderJob, string>
  | Worker<CardJob, string>
  | Worker<InboundJob, string>
  | Worker<SeriesJob, string>
  | Worker<TallyJob, string>
  | Worker<MinutesJob, string>
  | Worker<SigninJob, string>;

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
 * and the same metrics; every failure is logged once here (the funnel for job errors).
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
  metrics: Metrics;
  log: Logger;
}): WorkerSet {
  const prefix = (queue: string): string => queueBullPrefix(options.keyPrefix, queue);
  const common = { connection: options.connection, settings: { backoffStrategy: platformBackoff }, ...RETENTION };
  const reminders = new Worker<ReminderJob, string>(REMINDER_QUEUE, options.reminder, { ...common, prefix: prefix(REMINDER_QUEUE), concurrency: options.concurrency });
  const cards = new Worker<CardJob, string>(CARD_QUEUE, options.card, { ...common, prefix: prefix(CARD_QUEUE), concurrency: options.concurrency });
  const inbound = new Worker<InboundJob, string>(INBOUND_QUEUE, options.inbound, { ...common, prefix: prefix(INBOUND_QUEUE), concurrency: options.concurrency });
  const series = new Worker<SeriesJob, string>(SERIES_QUEUE, options.series, { ...common, prefix: prefix(SERIES_QUEUE), concurrency: 2 });
  const tally = options.tally ? new Worker<TallyJob, string>(TALLY_QUEUE, options.tally, { ...common, prefix: prefix(TALLY_QUEUE), concurrency: Math.min(options.concurrency, 20) }) : undefined;
  const minutes = options.minutes ? new Worker<MinutesJob, string>(MINUTES_QUEUE, options.minutes, { ...common, prefix: prefix(MINUTES_QUEUE), concurrency: 2 }) : undefined;
  const signin = options.signin ? new Worker<SigninJob, string>(SIGNIN_QUEUE, options.signin, { ...common, prefix: prefix(SIGNIN_QUEUE), concurrency: Math.min(options.concurrency, 20) }) : undefined;
  const all: (readonly [string, AnyWorker])[] = [
    [REMINDER_QUEUE, reminders],
    [CARD_QUEUE, cards],
    [INBOUND_QUEUE, inbound],
    [SERIES_QUEUE, series],
    ...(tally ? [[TALLY_QUEUE, tally] as const] : []),
    ...(minutes ? [[MINUTES_QUEUE, minutes] as const] : []),
    ...(signin ? [[SIGNIN_QUEUE, signin] as const] : []),
  ];
  for (const [queue, worker] of all) {
    const log = options.log.child({ queue });
    worker.on('completed', (job, outcome) => {
      options.metrics.jobs.inc({ queue, outcome: String(outcome).split(' ')[0] });
      if (queue === REMINDER_QUEUE && outcome === 'sent' && typeof job.data === 'object' && 'dueAt' in job.data) {
        options.metrics.reminderLateness.observe(Math.max(0, (job.processedOn ?? Date.now()) - job.data.dueAt) / 1000);
      }
    });
    worker.on('failed', (job, err) => {
      const final = !job || job.attemptsMade >= (job.opts.attempts ?? 1) || err.name === 'UnrecoverableError';
      options.metrics.jobs.inc({ queue, outcome: final ? 'failed' : 'retry' });
      log[final ? 'error' : 'warn']({ jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, final ? 'job failed for good' : 'job failed, will retry');
    });
    worker.on('error', (err) => log.error({ err: err.message }, 'worker error'));
  }
  return {
    reminders,
    cards,
    inbound,
    series,
    ...(tally ? { tally } : {}),
    ...(minutes ? { minutes } : {}),
    ...(signin ? { signin } : {}),
    running: () => all.every(([, worker]) => worker.isRunning()),
    close: async () => {
      await Promise.all(all.map(([, worker]) => worker.close()));
    },
  };
}
