import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics, one registry per bot instance (tests build several). */
export class Metrics {
  readonly registry = new Registry();
  readonly jobs = new Counter({
    name: 'luoshi_jobs_total',
    help: 'Jobs finished, by queue and outcome (sent, already-sent, stale, passed, failed, …)',
    labelNames: ['queue', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly reminderLateness = new Histogram({
    name: 'luoshi_reminder_lateness_seconds',
    help: 'Seconds between a reminder’s due time and its send',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 30, 300],
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: 'luoshi_queue_jobs',
    help: 'Jobs in each queue by state',
    labelNames: ['queue', 'state'] as const,
    registers: [this.registry],
  });
  readonly inbound = new Counter({
    name: 'luoshi_inbound_total',
    help: 'Inbound platform events by platform, kind and outcome',
    labelNames: ['platform', 'kind', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly planned = new Counter({
    name: 'luoshi_reminders_planned_total',
    help: 'Reminder jobs planned (reminder points, day-of nudges and escalations)',
    registers: [this.registry],
  });
  readonly platformCalls = new Histogram({
    name: 'luoshi_platform_call_seconds',
    help: 'Duration of calls to a platform (send card, update card, send text, list members), including pacing',
    labelNames: ['platform', 'op', 'outcome'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly platformErrors = new Counter({
    name: 'luoshi_platform_errors_total',
    help: 'Platform errors by platform and code',
    labelNames: ['platform', 'code'] as const,
    registers: [this.registry],
  });
  readonly workerRestarts = new Counter({
    name: 'luoshi_worker_restarts_total',
    help: 'Queue workers replaced by the watchdog because their blocking Redis connection stayed wedged (src/queue/worker-watchdog.ts)',
    labelNames: ['queue'] as const,
    registers: [this.registry],
  });
  readonly callbacks = new Histogram({
    name: 'luoshi_callback_seconds',
    help: 'Time to answer a card click (store, toast and updated card)',
    labelNames: ['platform'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  constructor(options: { defaults?: boolean } = {}) {
    if (options.defaults) collectDefaultMetrics({ register: this.registry });
  }
}
