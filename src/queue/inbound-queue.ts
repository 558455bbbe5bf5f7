import { createHash } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { ChatRef } from '../domain/types';
import type { FileJob } from '../platforms/file-port';
import type { InboundMessage } from '../platforms/port';
import type { InboundJob } from './queues';

/**
 * The one name of a platform message inside Luoshi: sha256 of `platform:messageId`, cut to 40 hex digits. Platform
 * ids come in every alphabet (Feishu `om_…`, DingTalk base64 with `+/=`, the console's own), and BullMQ job ids may
 * not hold `:` nor be all digits (https://docs.bullmq.io/guide/jobs/job-ids), so each id is hashed the same way.
 * The inbound job id and every send answering the message (texts, cards) are built from it.
 */
export function messageKey(chat: Pick<ChatRef, 'platform'>, messageId: string): string {
  return createHash('sha256').update(`${chat.platform}:${messageId}`).digest('hex').slice(0, 40);
}

/** The inbound job id of a chat message: the same message delivered again while its job is kept (7 days) adds nothing. */
export const messageJobId = (chat: Pick<ChatRef, 'platform'>, messageId: string): string => `msg-${messageKey(chat, messageId)}`;

/** The send key of the n-th text answering a message (the outbox makes each key one send). */
export const replyKey = (chat: Pick<ChatRef, 'platform'>, messageId: string, n: number): string => `reply-${messageKey(chat, messageId)}-${n}`;

/** The send key of the card answering a message (at most one card per command). */
export const cardReplyKey = (chat: Pick<ChatRef, 'platform'>, messageId: string): string => `card-${messageKey(chat, messageId)}`;

/**
 * Work a webhook (or the console) took and acknowledged at once, done by the inbound worker (src/queue/inbound-worker.ts):
 * chat messages and roster refreshes. Every platform enqueues through this one class, so job ids follow one scheme.
 */
export class InboundQueue {
  constructor(private readonly queue: Queue<InboundJob>) {}

  async message(message: InboundMessage): Promise<void> {
    await this.queue.add(
      'message',
      { type: 'message', message: { ...message, mentions: [...(message.mentions ?? [])] } },
      { jobId: messageJobId(message.chat, message.messageId) },
    );
  }

  /**
   * A file message (issue 14 materials), downloaded by the inbound worker: queued before the platform is answered, so
   * the file survives a process that stops or dies mid-download (a stalled job is taken again by another process,
   * https://docs.bullmq.io/guide/workers/stalled-jobs). One job per message while it is kept.
   */
  async file(job: FileJob): Promise<void> {
    await this.queue.add('file', { type: 'file', chat: job.chat, messageId: job.messageId, payload: job.payload }, { jobId: `file-${messageKey(job.chat, job.messageId)}` });
  }

  /** Re-read a chat's members; `eventId` is the platform's id of the join / leave event (one refresh per event). */
  async roster(chat: ChatRef, eventId: string): Promise<void> {
    await this.queue.add('roster', { type: 'roster', platform: chat.platform, chatId: chat.chatId }, { jobId: `roster-${messageKey(chat, eventId)}` });
  }

  /** Every known chat's members read again daily at 04:00 (`timeZone`), once across all processes (a job scheduler). */
  async scheduleRosterRefresh(timeZone: string): Promise<void> {
    await this.queue.upsertJobScheduler('roster-refresh', { pattern: '0 4 * * *', tz: timeZone }, { name: 'roster-all', data: { type: 'roster-all' } });
  }

  /**
   * The compliance early warnings checked at 09:30 and 14:30 (`timeZone`), once across all processes (a job scheduler):
   * the second run reaches chats whose quiet hours cover the first.
   */
  async scheduleComplianceChecks(timeZone: string): Promise<void> {
    await this.queue.upsertJobScheduler('compliance-check', { pattern: '30 9,14 * * *', tz: timeZone }, { name: 'compliance-check', data: { type: 'compliance-check' } });
  }

  /** The automatic circular (自动通报) checked daily at 09:00 (`timeZone`), once across all processes (a job scheduler). */
  async scheduleCircularChecks(timeZone: string): Promise<void> {
    await this.queue.upsertJobScheduler('circular-check', { pattern: '0 9 * * *', tz: timeZone }, { name: 'circular-check', data: { type: 'circular-check' } });
  }
}
