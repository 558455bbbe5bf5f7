import type { Job } from 'bullmq';
import type { CircularAuto } from '../app/circular-auto';
import type { DutyViews } from '../app/duty-views';
import type { RatingService } from '../app/rating-service';
import type { RosterService } from '../app/roster';
import { buildCampaignCard } from '../domain/campaign-card';
import type { CampaignRepo } from '../store/campaign-repo';
import { PlatformError } from '../errors';
import type { PlatformRegistry } from '../app/platform-registry';
import type { Logger } from '../logger';
import type { DutyRepo } from '../store/duty-repo';
import type { SentLog } from '../store/sent-log';
import { cardJobSchema, type CardJob } from './queues';
import { markDeliveryFailed, rethrowForQueue, sendOnce } from './send-once';

export interface CardWorkerDeps {
  readonly duties: DutyRepo;
  readonly campaigns: CampaignRepo;
  readonly roster: RosterService;
  readonly timeZone: string;
  readonly views: DutyViews;
  readonly platforms: PlatformRegistry;
  readonly sent: SentLog;
  readonly clock: () => number;
  readonly log: Logger;
  /** 述职评议's card and results (given by the bot's services). */
  readonly rating?: Pick<RatingService, 'postCard' | 'close'>;
  /** 自动通报's card (given by the bot's services). */
  readonly circularAuto?: Pick<CircularAuto, 'post'>;
}

/** Processor of the card queue: announcements, card refreshes, circulars and plain texts. */
export function cardProcessor(deps: CardWorkerDeps) {
  return async (job: Job<CardJob>): Promise<string> => {
    const data = cardJobSchema.parse(job.data);
    const log = deps.log.child({ jobId: job.id, type: data.type });
    try {
      switch (data.type) {
        case 'announce':
          return await announce(deps, data.dutyId, data.replyTo, log);
        case 'refresh':
          return await refresh(deps, data.dutyId, log);
        case 'campaign':
          return await campaign(deps, data.campaignId, data.rev);
        case 'rating':
          if (!deps.rating) return 'no-rating-service';
          return data.moment === 'post' ? await deps.rating.postCard(data.dutyId, data.replyTo) : await deps.rating.close(data.dutyId, data.dueAt);
        case 'circular':
          return deps.circularAuto ? await deps.circularAuto.post(data, deps.clock()) : 'no-circular-service';
        case 'text': {
          const port = deps.platforms.get(data.platform);
          const { fresh } = await sendOnce(deps.sent, data.key, (key) => port.sendText(data.chatId, data.text, { idempotencyKey: key, ...(data.replyTo ? { replyTo: data.replyTo } : {}) }));
          return fresh ? 'sent' : 'already-sent';
        }
      }
    } catch (err) {
      const dutyId = data.type === 'announce' ? data.dutyId : undefined;
      return rethrowForQueue(err, dutyId ? (e) => markDeliveryFailed(deps.duties, dutyId, e, deps.clock()) : undefined);
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

/** Renders the duty as it is now: the one pending refresh job stands for every change made since the last one ran. */
async function refresh(deps: CardWorkerDeps, dutyId: string, log: Logger): Promise<string> {
  // Taken before reading: an answer written after this point queues a refresh of its own (DutyRepo.answer).
  await deps.duties.takeRefreshFlag(dutyId);
  const duty = await deps.duties.get(dutyId);
  if (!duty) return 'missing';
  const now = deps.clock();
  // Platforms allow edits for a limited time (Feishu: 14 days, https://open.feishu.cn/document/server-docs/im-v1/message-card/patch);
  // older cards are left as they are; each reminder posts a fresh card that is kept up to date instead.
  const refs = (await deps.duties.cards(dutyId)).filter((ref) => {
    const window = deps.platforms.get(ref.platform).cardEditWindowMs;
    return window === undefined || ref.sentAt === undefined || now - ref.sentAt < window - 3_600_000;
  });
  if (refs.length === 0) return 'no-cards';
  const card = await deps.views.card(duty, now);
  const results = await Promise.allSettled(refs.map((ref) => deps.platforms.get(ref.platform).updateCard(ref, card)));
  let transient: unknown;
  for (const [i, r] of results.entries()) {
    if (r.status === 'fulfilled') continue;
    const ref = refs[i];
    if (ref && r.reason instanceof PlatformError && r.reason.permanent) {
      // That copy is gone (deleted, recalled, too old): stop updating it; the others stay up to date.
      log.warn({ messageId: ref.messageId, err: r.reason.message }, 'card can no longer be updated: dropped');
      await deps.duties.removeCard(dutyId, ref.messageId);
    } else {
      transient = r.reason;
    }
  }
  if (transient !== undefined) throw transient;
  return `updated ${results.filter((r) => r.status === 'fulfilled').length}`;
}

/** Post (rev 0) or refresh the campaign's summary card in the origin chat, from every part's current tally. */
async function campaign(deps: CardWorkerDeps, campaignId: string, rev: number): Promise<string> {
  const [found, current] = await Promise.all([deps.campaigns.get(campaignId), deps.campaigns.rev(campaignId)]);
  if (!found) return 'missing';
  // Its duties are still being created (src/store/campaign-repo.ts): the job is queued again once it is complete.
  if (found.state === 'pending') return 'pending';
  if (rev > 0 && current > rev) return 'superseded';
  const now = deps.clock();
  const parts = await Promise.all(
    found.parts.map(async (p) => {
      const duty = await deps.duties.get(p.dutyId);
      const tally = duty ? await deps.views.tally(duty) : undefined;
      const total = duty?.audience.length ?? 0;
      return { chatName: p.chatName, number: p.number, done: tally ? tally.submitted.length : 0, total, cancelled: duty?.state === 'cancelled' };
    }),
  );
  const card = buildCampaignCard({ label: found.label, title: found.title, at: found.at, parts, now, timeZone: deps.timeZone });
  const port = deps.platforms.get(found.origin.platform);
  if (rev === 0) {
    const { ref, fresh } = await sendOnce(deps.sent, `camp-post-${campaignId}`, (key) => port.sendCard(found.origin.chatId, card, { idempotencyKey: key }));
    await deps.campaigns.addCard(campaignId, ref);
    return fresh ? 'sent' : 'already-sent';
  }
  const refs = await deps.campaigns.cards(campaignId);
  await Promise.all(refs.map((ref) => port.updateCard(ref, card)));
  return `updated ${refs.length}`;
}
