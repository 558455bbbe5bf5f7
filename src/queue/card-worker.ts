import type { Job } from 'bullmq';
import type { DutyViews } from '../app/duty-views';
import type { PlatformRegistry } from '../app/platform-registry';
import type { Logger } from '../logger';
import type { DutyRepo } from '../store/duty-repo';
import type { SentLog } from '../store/sent-log';
import { cardJobSchema, type CardJob } from './queues';
import { rethrowForQueue, sendOnce } from './send-once';

export interface CardWorkerDeps {
  readonly duties: DutyRepo;
  readonly views: DutyViews;
  readonly platforms: PlatformRegistry;
  readonly sent: SentLog;
  readonly clock: () => number;
  readonly log: Logger;
}

/** Processor of the card queue: announcements, card refreshes and plain texts. */
export function cardProcessor(deps: CardWorkerDeps) {
  return async (job: Job<CardJob>): Promise<string> => {
    const data = cardJobSchema.parse(job.data);
    const log = deps.log.child({ jobId: job.id, type: data.type });
    try {
      switch (data.type) {
        case 'announce':
          return await announce(deps, data.dutyId, data.replyTo, log);
        case 'refresh':
          return await refresh(deps, data.dutyId, data.rev);
        case 'text': {
          const port = deps.platforms.get(data.platform);
          const { fresh } = await sendOnce(deps.sent, data.key, (key) => port.sendText(data.chatId, data.text, { idempotencyKey: key, ...(data.replyTo ? { replyTo: data.replyTo } : {}) }));
          return fresh ? 'sent' : 'already-sent';
        }
      }
    } catch (err) {
      rethrowForQueue(err);
    }
  };
}

async function announce(deps: CardWorkerDeps, dutyId: string, replyTo: string | undefined, log: Logger): Promise<string> {
  const duty = await deps.duties.get(dutyId);
  if (!duty) return 'missing';
  if (duty.state === 'cancelled') return 'cancelled';
  const port = deps.platforms.get(duty.chat.platform);
  const { ref, fresh } = await sendOnce(deps.sent, `announce-${duty.id}`, async (key) =>
    port.sendCard(duty.chat.chatId, await deps.views.card(duty, deps.clock()), { idempotencyKey: key, ...(replyTo ? { replyTo } : {}) }),
  );
  await deps.duties.addCard(duty.id, ref);
  if (fresh) log.info({ dutyId, messageId: ref.messageId }, 'duty card posted');
  return fresh ? 'sent' : 'already-sent';
}

async function refresh(deps: CardWorkerDeps, dutyId: string, rev: number): Promise<string> {
  const [duty, current] = await Promise.all([deps.duties.get(dutyId), deps.duties.rev(dutyId)]);
  if (!duty) return 'missing';
  // A newer change enqueued its own refresh, which will render the newer state.
  if (current > rev) return 'superseded';
  const now = deps.clock();
  // Platforms allow edits for a limited time (Feishu: 14 days, https://open.feishu.cn/document/server-docs/im-v1/message-card/patch);
  // older cards are left as they are; each reminder posts a fresh card that is kept up to date instead.
  const refs = (await deps.duties.cards(dutyId)).filter((ref) => {
    const window = deps.platforms.get(ref.platform).cardEditWindowMs;
    return window === undefined || ref.sentAt === undefined || now - ref.sentAt < window - 3_600_000;
  });
  if (refs.length === 0) return 'no-cards';
  const card = await deps.views.card(duty, now);
  await Promise.all(refs.map((ref) => deps.platforms.get(ref.platform).updateCard(ref, card)));
  return `updated ${refs.length}`;
}
