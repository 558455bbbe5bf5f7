import type { Queue } from 'bullmq';
import type { ChatRef } from '../domain/types';
import type { RichText } from '../platforms/port';
import { BULK_CHUNK, type CardJob, type CircularCardJob } from './queues';

/** Card refreshes wait this long, so the answers of a burst of clicks go out in one patch. */
export const REFRESH_DELAY_MS = 250;

/** BullMQ job ids may not contain `:` nor be all digits (https://docs.bullmq.io/guide/jobs/job-ids; `validateOptions` in
 * https://github.com/taskforcesh/bullmq/blob/master/src/classes/job.ts). */
export const safeId = (s: string): string => s.replace(/[^A-Za-z0-9_-]/g, '_');

/** The job id, and sent-log key, of the text `Outbox.text` queues under `key`. */
export const textJobId = (key: string): string => `text-${safeId(key)}`;

/**
 * Every outbound message goes through the card queue, with retries and backoff; job ids make each enqueue
 * idempotent, and the sent log makes each send happen once.
 */
export class Outbox {
  constructor(private readonly queue: Queue<CardJob>) {}

  async announce(dutyId: string, replyTo?: string): Promise<void> {
    await this.announceMany([{ dutyId, ...(replyTo ? { replyTo } : {}) }]);
  }

  /** Announce many duties at once (addBulk in chunks; the job id per duty makes each announcement once). */
  async announceMany(duties: readonly { dutyId: string; replyTo?: string }[]): Promise<void> {
    for (let i = 0; i < duties.length; i += BULK_CHUNK) {
      await this.queue.addBulk(
        duties.slice(i, i + BULK_CHUNK).map(({ dutyId, replyTo }) => ({
          name: 'announce' as const,
          data: { type: 'announce' as const, dutyId, ...(replyTo ? { replyTo } : {}) },
          opts: { jobId: `announce-${dutyId}` },
        })),
      );
    }
  }

  /**
   * Bring every posted copy of the duty's card up to date. At most one refresh per duty waits in the queue
   * (BullMQ deduplication, https://docs.bullmq.io/guide/jobs/deduplication): answers arriving while it waits are
   * folded into it, since it renders the duty as it is when it runs; one arriving while it runs
   * (`keepLastIfActive`) gets one more refresh after it. The short delay lets a burst of clicks share one patch;
   * a longer `delayMs` spaces the refreshes of a long burst (sign-ins: at most one a second).
   */
  async refresh(dutyId: string, delayMs = REFRESH_DELAY_MS): Promise<void> {
    await this.queue.add('refresh', { type: 'refresh', dutyId }, { deduplication: { id: `refresh-${dutyId}`, keepLastIfActive: true }, delay: delayMs });
  }

  /** rev 0 posts the campaign's summary card; a later rev brings every copy up to date. */
  async campaign(campaignId: string, rev: number): Promise<void> {
    await this.queue.add('campaign', { type: 'campaign', campaignId, rev }, { jobId: rev === 0 ? `camp-post-${campaignId}` : `camp-refresh-${campaignId}-${rev}` });
  }

  /**
   * 述职评议: post the shared rating card (once per duty), or, delayed until `dueAt`, close it and send the results
   * (the id is fixed by the duty and the deadline: queued twice, it runs once).
   */
  async rating(dutyId: string, moment: 'post' | 'close', dueAt: number, now: number, replyTo?: string): Promise<void> {
    const jobId = moment === 'post' ? `rating-post-${dutyId}` : `rating-close-${dutyId}-${dueAt}`;
    await this.queue.add('rating', { type: 'rating', dutyId, moment, dueAt, ...(replyTo ? { replyTo } : {}) }, { jobId, delay: Math.max(0, dueAt - now) });
  }

  /** 自动通报: the circular card, queued once (job id from its key), sent `delayMs` from now (after quiet hours). */
  async circular(job: Omit<CircularCardJob, 'type'>, delayMs: number): Promise<void> {
    await this.queue.add('circular', { type: 'circular', ...job }, { jobId: job.key, delay: Math.max(0, delayMs) });
  }

  /** `key` names the message uniquely (e.g. the command message id and a counter). */
  async text(chat: ChatRef, text: RichText, key: string, replyTo?: string): Promise<void> {
    const id = textJobId(key);
    await this.queue.add(
      'text',
      {
        type: 'text',
        platform: chat.platform,
        chatId: chat.chatId,
        key: id,
        text: text.map((s) => ({ ...s })),
        ...(replyTo ? { replyTo } : {}),
      },
      { jobId: id },
    );
  }
}
