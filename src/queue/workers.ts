import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Logger } from '../logger';
import type { Metrics } from '../http/metrics';
import { platformBackoff } from './backoff';
import { CARD_QUEUE, INBOUND_QUEUE, REMINDER_QUEUE, RETENTION, SERIES_QUEUE, bullPrefix, type CardJob, type InboundJob, type ReminderJob, type SeriesJob } from './queues';

export interface WorkerSet {
  readonly reminders: Worker<ReminderJob, string>;
  readonly cards: Worker<CardJob, string>;
  readonly inbound: Worker<InboundJob, string>;
  readonly series: Worker<SeriesJob, string>;
  close(): Promise<void>;
  running(): boolean;
}

/** Start the two workers; every failure is logged once here (the funnel for job errors). */
export function startWorkers(options: {
  connection: ConnectionOptions;
  keyPrefix: string;
  concurrency: number;
  reminder: (job: Job<ReminderJob>) => Promise<string>;
  card: (job: Job<CardJob>) => Promise<string>;
  inbound: (job: Job<InboundJob>) => Promise<string>;
  series: (job: Job<SeriesJob>) => Promise<string>;
  metrics: Metrics;
  log: Logger;
}): WorkerSet {
  const prefix = bullPrefix(options.keyPrefix);
  const common = { connection: options.connection, prefix, settings: { backoffStrategy: platformBackoff }, ...RETENTION };
  const reminders = new Worker<ReminderJob, string>(REMINDER_QUEUE, options.reminder, { ...common, concurrency: options.concurrency });
  const cards = new Worker<CardJob, string>(CARD_QUEUE, options.card, { ...common, concurrency: options.concurrency });
  const inbound = new Worker<InboundJob, string>(INBOUND_QUEUE, options.inbound, { ...common, concurrency: options.concurrency });
  const series = new Worker<SeriesJob, string>(SERIES_QUEUE, options.series, { ...common, concurrency: 2 });
  for (const [queue, worker] of [
    [REMINDER_QUEUE, reminders],
    [CARD_QUEUE, cards],
    [INBOUND_QUEUE, inbound],
    [SERIES_QUEUE, series],
  ] as const) {
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
    running: () => reminders.isRunning() && cards.isRunning() && inbound.isRunning() && series.isRunning(),
    close: async () => {
      await Promise.all([reminders.close(), cards.close(), inbound.close(), series.close()]);
    },
  };
}
