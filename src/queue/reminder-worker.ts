import { createHash } from 'node:crypto';
import type { Job } from 'bullmq';
import type { DutyViews } from '../app/duty-views';
import type { NudgeService } from '../app/nudges';
import type { PlanContexts } from '../app/plan-context';
import type { PlatformRegistry } from '../app/platform-registry';
import { judgeReminder, reminderPoints } from '../domain/reminder-plan';
import type { Duty } from '../domain/types';
import type { Logger } from '../logger';
import { DIRECT_NUDGE_SETTING } from '../app/plan-context';
import type { ChatRepo } from '../store/chat-repo';
import type { DutyRepo } from '../store/duty-repo';
import type { SentLog } from '../store/sent-log';
import type { Outbox } from './outbox';
import type { ReminderPlanner } from './reminder-planner';
import { reminderJobSchema, type ReminderJob } from './queues';
import { markDeliveryFailed, rethrowForQueue, sendOnce } from './send-once';

export interface ReminderWorkerDeps {
  readonly duties: DutyRepo;
  readonly chats: ChatRepo;
  readonly views: DutyViews;
  readonly platforms: PlatformRegistry;
  readonly sent: SentLog;
  readonly planContexts: PlanContexts;
  readonly planner: Pick<ReminderPlanner, 'planFollowUps'>;
  readonly nudges: NudgeService;
  readonly outbox: Outbox;
  readonly superadmins: readonly string[];
  readonly clock: () => number;
  readonly log: Logger;
}

/**
 * Processor of the reminder queue: reminder cards (later ones also nudge the unanswered), the day-of nudge, and
 * the escalation when the time has passed. BullMQ has no misfire policy: overdue delayed jobs all run
 * when a worker returns (https://github.com/taskforcesh/bullmq/issues/2466), so each job is judged against the duty as it is now: sent, or dropped with a log line.
 */
export function reminderProcessor(deps: ReminderWorkerDeps) {
  return async (job: Job<ReminderJob>): Promise<string> => {
    const data = reminderJobSchema.parse(job.data);
    const jobId = job.id ?? '';
    const log = deps.log.child({ jobId, dutyId: data.dutyId });
    const duty = await deps.duties.get(data.dutyId);
    if (!duty) {
      log.warn('reminder for a duty that does not exist: dropped');
      return 'missing';
    }
    const now = deps.clock();
    // The duty's sign-in window and minutes reminders, left out at creation (src/queue/follow-up-window.ts).
    await deps.planner.planFollowUps(duty, now, data.dueAt);
    const ctx = await deps.planContexts.for(duty.chat);
    const verdict = judgeReminder(duty, jobId, now, ctx);
    if (verdict !== 'send') {
      log.info({ verdict, lateBy: now - data.dueAt }, verdict === 'passed' ? 'reminder came due after the duty’s time: dropped' : 'reminder not sent');
      return verdict;
    }
    const point = reminderPoints(duty, ctx).find((p) => p.jobId === jobId);
    try {
      switch (point?.kind) {
        case 'escalate':
          return await escalate(deps, duty, jobId, now, log);
        case 'nudge':
          return await nudge(deps, duty, `${jobId}`, now, log);
        default: {
          const port = deps.platforms.get(duty.chat.platform);
          const { ref, fresh } = await sendOnce(deps.sent, jobId, async (key) =>
            port.sendCard(duty.chat.chatId, await deps.views.card(duty, now, { reminder: true }), { idempotencyKey: key }),
          );
          await deps.duties.addCard(duty.id, ref);
          if (fresh) log.info({ messageId: ref.messageId, lateBy: now - data.dueAt }, 'reminder sent');
          if (point && !point.first) await nudge(deps, duty, `${jobId}-n`, now, log);
          return fresh ? 'sent' : 'already-sent';
        }
      }
    } catch (err) {
      return rethrowForQueue(err, (e) => markDeliveryFailed(deps.duties, duty.id, e, deps.clock()));
    }
  };
}

/** Mention those who have not answered (each at most once per 2 hours); nothing when all have answered. */
async function nudge(deps: ReminderWorkerDeps, duty: Duty, key: string, now: number, log: Logger): Promise<string> {
  if (await deps.sent.get(key)) return 'already-sent';
  const prepared = await deps.nudges.prepare(duty, now);
  if (!prepared || prepared.members.length === 0) return prepared ? 'throttled' : 'all-answered';
  const port = deps.platforms.get(duty.chat.platform);
  try {
    await sendOnce(deps.sent, key, (k) => port.sendText(duty.chat.chatId, prepared.text, { idempotencyKey: k }));
  } catch (err) {
    await deps.nudges.release(duty, prepared);
    throw err;
  }
  // Where the chat asked for it (设置 私信催办 开) and the platform allows it, each one also gets a direct message.
  if (port.sendDirect && (await deps.chats.setting(duty.chat, DIRECT_NUDGE_SETTING)) === 'on') {
    const text = [{ text: `⏰ 请尽快回复：#${duty.number}「${duty.title}」（在群里点卡片按钮，或回复「${duty.kind === 'report' ? '已提交' : '参加'} #${duty.number}」）` }];
    for (const m of prepared.members) {
      // A short, unique idempotency key per member (Feishu's uuid takes at most 50 characters).
      const dmKey = `dm-${createHash('sha256').update(`${key}|${m.memberId}`).digest('hex').slice(0, 40)}`;
      await sendOnce(deps.sent, dmKey, (k) => port.sendDirect?.(m.memberId, text, { idempotencyKey: k }) ?? Promise.reject(new Error('no direct messages')));
    }
  }
  log.info({ nudged: prepared.members.length, throttled: prepared.throttled.length }, 'nudged');
  return 'nudged';
}

/** At the duty's time: tell the organizer and secretaries who is missing, then close the duty. */
async function escalate(deps: ReminderWorkerDeps, duty: Duty, key: string, now: number, log: Logger): Promise<string> {
  const leaders = await deps.nudges.leaders(duty, deps.superadmins);
  const summary = await deps.nudges.escalation(duty, leaders);
  if (summary) {
    const port = deps.platforms.get(duty.chat.platform);
    await sendOnce(deps.sent, key, (k) => port.sendText(duty.chat.chatId, summary, { idempotencyKey: k }));
  }
  const closed = await deps.duties.update(duty.id, (d) =>
    d.state !== 'scheduled' ? 'not scheduled' : { duty: { ...d, state: 'done', updatedAt: now }, entry: { type: 'done', at: now, by: 'system' } },
  );
  if (closed.ok) await deps.outbox.refresh(duty.id);
  log.info({ summary: Boolean(summary) }, 'duty closed');
  return summary ? 'escalated' : 'closed-all-answered';
}
