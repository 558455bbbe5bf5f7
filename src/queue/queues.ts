import { Queue, type ConnectionOptions, type DefaultJobOptions } from 'bullmq';
import { z } from 'zod';
import type { QueuePrefix } from '../store/key-prefixes';
import { PLATFORM_BACKOFF } from './backoff';

/**
 * Queue names, job payloads (checked with zod when a worker takes them) and retry policy.
 * Job ids are deterministic so that planning twice never makes two jobs (https://docs.bullmq.io/guide/jobs/job-ids).
 */
export const REMINDER_QUEUE = 'reminders';
export const CARD_QUEUE = 'cards';
export const INBOUND_QUEUE = 'inbound';
export const SERIES_QUEUE = 'series';
/** DingTalk without a card template: the tally of a card's last answers, posted when its interval ends (platforms/dingtalk/tally.ts). */
export const TALLY_QUEUE = 'dingtalk-tally';
/** Reminders of missing minutes (纪要), days after a meeting ended (src/queue/minutes-planner.ts). */
export const MINUTES_QUEUE = 'minutes';
/** A meeting's sign-in window opening and ending (src/queue/signin-planner.ts). */
export const SIGNIN_QUEUE = 'signin';

/** Jobs per addBulk (one MULTI): large enough to amortise the round trip, small enough not to stall Redis. */
export const BULK_CHUNK = 1000;

export const seriesJobSchema = z.object({ seriesId: z.string() });
export type SeriesJob = z.infer<typeof seriesJobSchema>;

export const tallyJobSchema = z.object({ chatId: z.string(), key: z.string() });
export type TallyJob = z.infer<typeof tallyJobSchema>;

const memberSchema = z.object({ id: z.string(), name: z.string(), platformRole: z.enum(['owner', 'admin', 'member']).optional() });
const platformSchema = z.enum(['sandbox', 'feishu', 'dingtalk']);

/** Inbound work taken by a webhook that answered at once (ack first, then work). */
export const inboundJobSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('message'),
    message: z.object({
      kind: z.literal('message'),
      chat: z.object({ platform: platformSchema, chatId: z.string() }),
      messageId: z.string(),
      sender: memberSchema,
      text: z.string(),
      mentions: z.array(z.object({ id: z.string(), name: z.string() })).optional(),
      direct: z.boolean().optional(),
      actedAt: z.number().optional(),
      receivedAt: z.number(),
    }),
  }),
  /** A file message to download (src/platforms/file-port.ts FileJob): the payload is read by its adapter's schema. */
  z.object({
    type: z.literal('file'),
    chat: z.object({ platform: platformSchema, chatId: z.string() }),
    messageId: z.string(),
    payload: z.record(z.string(), z.unknown()),
  }),
  /** Re-read a chat's members (someone joined or left). */
  z.object({ type: z.literal('roster'), platform: platformSchema, chatId: z.string() }),
  /** The daily refresh of every known chat's members (a job scheduler). */
  z.object({ type: z.literal('roster-all') }),
  /** The twice-daily check of compliance early warnings (督查预警, src/app/compliance-warnings.ts; a job scheduler). */
  z.object({ type: z.literal('compliance-check') }),
  /** The daily check of the automatic circular (自动通报, src/app/circular-auto.ts; a job scheduler). */
  z.object({ type: z.literal('circular-check') }),
]);
export type InboundJob = z.infer<typeof inboundJobSchema>;

/** The sign-in window of a duty opens (card refreshed, code sent) or ends (card refreshed, summary posted). */
export const signinJobSchema = z.object({ dutyId: z.string(), moment: z.enum(['open', 'end']), dueAt: z.number().int() });
export type SigninJob = z.infer<typeof signinJobSchema>;

export const reminderJobSchema = z.object({ dutyId: z.string(), offset: z.number().int(), dueAt: z.number().int() });
export type ReminderJob = z.infer<typeof reminderJobSchema>;

/** One minutes reminder: its step (1 … 3 the recorder, 4 the secretaries) and when it was due. */
export const minutesJobSchema = z.object({ dutyId: z.string(), step: z.number().int().positive(), dueAt: z.number().int() });
export type MinutesJob = z.infer<typeof minutesJobSchema>;

export const cardJobSchema = z.discriminatedUnion('type', [
  /** Post the duty's announcement card (once: keyed in the sent log). */
  z.object({ type: z.literal('announce'), dutyId: z.string(), replyTo: z.string().optional() }),
  /** Bring every posted card of the duty up to date with revision `rev`. */
  // `rev` was carried by refresh jobs queued before they were deduplicated; accepted and ignored.
  z.object({ type: z.literal('refresh'), dutyId: z.string(), rev: z.number().int().optional() }),
  /** Post (rev 0) or bring up to date the summary card of a campaign. */
  z.object({ type: z.literal('campaign'), campaignId: z.string(), rev: z.number().int() }),
  /** 述职评议 (src/app/rating-service.ts): post the shared rating card once, or close it and send the results at its deadline. */
  z.object({ type: z.literal('rating'), dutyId: z.string(), moment: z.enum(['post', 'close']), dueAt: z.number().int(), replyTo: z.string().optional() }),
  /**
   * 自动通报 (src/app/circular-auto.ts): post the circular card of the period of `size` before `at` (the run) to a
   * committee chat, once (`key` in the sent log and as the platform's idempotency key); delayed past quiet hours.
   */
  z.object({
    type: z.literal('circular'),
    platform: z.enum(['sandbox', 'feishu', 'dingtalk']),
    chatId: z.string(),
    key: z.string(),
    size: z.enum(['month', 'quarter', 'year']),
    at: z.number().int(),
  }),
  /** Post a plain text to a chat (notices after cancel / reschedule). */
  z.object({
    type: z.literal('text'),
    platform: z.enum(['sandbox', 'feishu', 'dingtalk']),
    chatId: z.string(),
    key: z.string(),
    replyTo: z.string().optional(),
    text: z.array(z.union([z.object({ text: z.string() }), z.object({ mention: z.object({ id: z.string(), name: z.string() }) })])),
  }),
]);
export type CardJob = z.infer<typeof cardJobSchema>;
export type CircularCardJob = Extract<CardJob, { type: 'circular' }>;

/** Ten attempts; delays from `platformBackoff` (backoff.ts): what a throttling platform asks, else 1 s, 2 s, 4 s … ≤ 60 s. */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 10,
  backoff: PLATFORM_BACKOFF,
};

/**
 * Retention, set on the workers rather than on every job (BullMQ falls back to the worker's setting): the job
 * options stored with each of the many pending reminders stay small (bench:schedule, ~200 B a job less).
 * Completed jobs are kept 7 days, so a repeated add of the same id is still recognised.
 */
export const RETENTION = {
  removeOnComplete: { age: 7 * 24 * 3600, count: 50000 },
  removeOnFail: { age: 30 * 24 * 3600 },
} as const;

export interface QueueSet {
  readonly reminders: Queue<ReminderJob>;
  readonly cards: Queue<CardJob>;
  readonly inbound: Queue<InboundJob>;
  readonly series: Queue<SeriesJob>;
  readonly tally: Queue<TallyJob>;
  readonly minutes: Queue<MinutesJob>;
  readonly signin: Queue<SigninJob>;
  /** Report each queue's connection errors (the producers fail fast while Redis is down). */
  onError(report: (err: Error, queue: string) => void): void;
  /** The queues whose depths /metrics shows. */
  gauged(): readonly (readonly [string, Queue])[];
  /** Every queue of the set. */
  all(): readonly Queue[];
  close(): Promise<void>;
}

/** BullMQ keys live under `<prefix>:bull:<queue>:…`. */
export const bullPrefix = (keyPrefix: string): string => `${keyPrefix}:bull`;

/** The BullMQ prefix of queue `queue`. */
export const queueBullPrefix = (keyPrefix: QueuePrefix, queue: string): string => bullPrefix(typeof keyPrefix === 'string' ? keyPrefix : keyPrefix(queue));

export function createQueues(connection: ConnectionOptions, keyPrefix: QueuePrefix): QueueSet {
  const prefix = (queue: string): string => queueBullPrefix(keyPrefix, queue);
  const reminders = new Queue<ReminderJob>(REMINDER_QUEUE, { connection, prefix: prefix(REMINDER_QUEUE), defaultJobOptions: DEFAULT_JOB_OPTIONS });
  const cards = new Queue<CardJob>(CARD_QUEUE, { connection, prefix: prefix(CARD_QUEUE), defaultJobOptions: DEFAULT_JOB_OPTIONS });
  const inbound = new Queue<InboundJob>(INBOUND_QUEUE, { connection, prefix: prefix(INBOUND_QUEUE), defaultJobOptions: DEFAULT_JOB_OPTIONS });
  const series = new Queue<SeriesJob>(SERIES_QUEUE, {
    connection,
    prefix: prefix(SERIES_QUEUE),
    defaultJobOptions: DEFAULT_JOB_OPTIONS,
  });
  const tally = new Queue<TallyJob>(TALLY_QUEUE, { connection, prefix: prefix(TALLY_QUEUE), defaultJobOptions: DEFAULT_JOB_OPTIONS });
  const minutes = new Queue<MinutesJob>(MINUTES_QUEUE, { connection, prefix: prefix(MINUTES_QUEUE), defaultJobOptions: DEFAULT_JOB_OPTIONS });
  const signin = new Queue<SigninJob>(SIGNIN_QUEUE, { connection, prefix: prefix(SIGNIN_QUEUE), defaultJobOptions: DEFAULT_JOB_OPTIONS });
  const all: readonly Queue[] = [reminders, cards, inbound, series, tally, minutes, signin] as Queue[];
  return {
    reminders,
    cards,
    inbound,
    series,
    tally,
    minutes,
    signin,
    onError: (report) => {
      for (const q of all) q.on('error', (err: Error) => report(err, q.name));
    },
    all: () => all,
    gauged: () => [
      ['reminders', reminders],
      ['cards', cards],
      ['tally', tally],
      ['minutes', minutes],
      ['signin', signin],
    ],
    close: async () => {
      await Promise.all(all.map((q) => q.close()));
    },
  };
}
